using System.Globalization;
using StxmPhase.Spectra;

namespace StxmPhase;

/// <summary>
/// Per-particle statistics of a phase map: the sample mask is segmented into particles
/// (<see cref="ParticleSegmentation"/>) and each particle gets its size, centroid, area, phase fractions by pixels and by
/// absorber amount, its unassigned share and, when a composition map is given, its mean composition. Immutable.
/// </summary>
/// <example>
/// <code>
/// PhaseMappingResult r = run.Results[0];
/// ParticleAnalysis particles = ParticleAnalysis.Analyze(r);
/// foreach (ParticleStatistics p in particles.Particles) { Console.WriteLine($"{p.Particle}: {p.Pixels} px, {p.Fractions[0]:P1}"); }
/// </code>
/// </example>
public sealed class ParticleAnalysis
{
    private ParticleAnalysis(ParticleLabels labels, IReadOnlyList<string> phaseNames, ParticleStatistics[] particles)
    {
        Labels = labels;
        PhaseNames = phaseNames;
        Particles = particles;
    }

    /// <summary>Gets the labelled-particle image.</summary>
    public ParticleLabels Labels { get; }

    /// <summary>Gets the phase names, in the order of <see cref="ParticleStatistics.Fractions"/>.</summary>
    public IReadOnlyList<string> PhaseNames { get; }

    /// <summary>Gets one row per particle, by label (element i is particle i + 1).</summary>
    public IReadOnlyList<ParticleStatistics> Particles { get; }

    /// <summary>Segments a workflow result's sample mask and computes the statistics of its final phase map.</summary>
    /// <param name="result">A stack's workflow result (its <see cref="PhaseMappingResult.SampleMask"/>,
    /// <see cref="PhaseMappingResult.FinalMap"/> and <see cref="PhaseMappingResult.OpticalDensity"/> are used; the pixel
    /// size comes from the stack's metadata).</param>
    /// <param name="options">Options; <see langword="null"/> for the defaults.</param>
    /// <param name="composition">Optional composition coordinate per pixel (row-major, NaN where undefined), or empty.</param>
    /// <returns>The particles and their statistics.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="result"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="composition"/> is neither empty nor Width × Height long.</exception>
    public static ParticleAnalysis Analyze(
        PhaseMappingResult result, ParticleAnalysisOptions? options = null, ReadOnlySpan<float> composition = default)
    {
        ArgumentNullException.ThrowIfNull(result);
        options ??= ParticleAnalysisOptions.Default;
        ParticleLabels labels = ParticleSegmentation.Segment(result.SampleMask, options.Segmentation);
        float[] amount = AbsorberAmount(result.OpticalDensity, result.SampleMask);
        StackMetadata meta = result.OpticalDensity.Metadata;
        double? pixelArea = meta.PixelSizeXNm is double px && meta.PixelSizeYNm is double py && px > 0 && py > 0
            ? px * py * 1e-6
            : null;
        return Compute(result.FinalMap, labels, amount, pixelArea, composition);
    }

    /// <summary>Computes the statistics of every particle of <paramref name="labels"/> on <paramref name="map"/>.</summary>
    /// <param name="map">The phase map.</param>
    /// <param name="labels">The particles, of the same size.</param>
    /// <param name="absorberAmount">The absorber amount per pixel (row-major; the weight of the mass fractions; non-finite
    /// or negative values count as 0).</param>
    /// <param name="pixelAreaSquareMicrometres">The area of one pixel in µm², or <see langword="null"/> when unknown.</param>
    /// <param name="composition">Optional composition coordinate per pixel (NaN where undefined), or empty.</param>
    /// <returns>The particles and their statistics.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="map"/> or <paramref name="labels"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A size or length mismatch (the message names the argument, expected and actual sizes).</exception>
    /// <remarks>
    /// For particle k with pixel set P: Fractions[p] = |{i ∈ P : label(i) = p}| / |P|; Unassigned = |{i ∈ P : label(i) &lt; 0}| / |P|
    /// (−1 unassigned, −2 no match);
    /// MassFractions[p] = Σ_{i ∈ P, label p} a(i) / Σ_{i ∈ P, assigned} a(i); CompositionMean and CompositionSd are the mean and
    /// population standard deviation of the finite composition values in P. Sums are accumulated in double precision.
    /// </remarks>
    public static ParticleAnalysis Compute(
        PhaseMap map,
        ParticleLabels labels,
        ReadOnlySpan<float> absorberAmount,
        double? pixelAreaSquareMicrometres,
        ReadOnlySpan<float> composition = default)
    {
        ArgumentNullException.ThrowIfNull(map);
        ArgumentNullException.ThrowIfNull(labels);
        if (labels.Width != map.Width || labels.Height != map.Height)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture,
                    $"The particle labels are {labels.Width}×{labels.Height} but the phase map is {map.Width}×{map.Height}."),
                nameof(labels));
        }

        CheckLength(absorberAmount.Length, map.PixelCount, nameof(absorberAmount), allowEmpty: false);
        CheckLength(composition.Length, map.PixelCount, nameof(composition), allowEmpty: true);
        int k = labels.Count;
        int phases = map.PhaseCount;
        long[] pixels = new long[k + 1];
        double[] sx = new double[k + 1];
        double[] sy = new double[k + 1];
        long[] counts = new long[(k + 1) * (phases + 1)];
        double[] mass = new double[(k + 1) * (phases + 1)];
        long[] cn = new long[k + 1];
        double[] cs = new double[k + 1];
        double[] css = new double[k + 1];
        ReadOnlySpan<int> lab = labels.Labels;
        ReadOnlySpan<int> phase = map.Labels;
        int w = map.Width;
        for (int i = 0; i < lab.Length; i++)
        {
            int l = lab[i];
            if (l == 0)
            {
                continue;
            }

            pixels[l]++;
            sx[l] += i % w;
            sy[l] += i / w;
            int slot = (l * (phases + 1)) + (phase[i] < 0 ? 0 : phase[i] + 1); // slot 0 = unassigned (−1) or no match (−2)
            counts[slot]++;
            float a = absorberAmount[i];
            mass[slot] += float.IsFinite(a) && a > 0 ? a : 0;
            if (!composition.IsEmpty && float.IsFinite(composition[i]))
            {
                cn[l]++;
                cs[l] += composition[i];
                css[l] += (double)composition[i] * composition[i];
            }
        }

        var rows = new ParticleStatistics[k];
        for (int l = 1; l <= k; l++)
        {
            double n = pixels[l];
            double[] fractions = new double[phases];
            double[] massFractions = new double[phases];
            double assignedMass = 0;
            for (int p = 0; p < phases; p++)
            {
                assignedMass += mass[(l * (phases + 1)) + p + 1];
            }

            for (int p = 0; p < phases; p++)
            {
                fractions[p] = counts[(l * (phases + 1)) + p + 1] / n;
                massFractions[p] = assignedMass > 0 ? mass[(l * (phases + 1)) + p + 1] / assignedMass : 0;
            }

            double? mean = null, sd = null;
            if (!composition.IsEmpty)
            {
                mean = cn[l] > 0 ? cs[l] / cn[l] : double.NaN;
                sd = cn[l] > 0 ? Math.Sqrt(Math.Max(0, (css[l] / cn[l]) - (mean.Value * mean.Value))) : double.NaN;
            }

            rows[l - 1] = new ParticleStatistics(
                l, (int)n, sx[l] / n, sy[l] / n, pixelAreaSquareMicrometres * n, fractions, massFractions,
                counts[l * (phases + 1)] / n, mean, sd);
        }

        return new ParticleAnalysis(labels, map.PhaseNames, rows);
    }

    /// <summary>
    /// The absorber amount per pixel used to weight mass fractions: the integrated optical density Σ_e OD(p, e) above the
    /// background, i.e. minus the median integrated OD of the pixels outside <paramref name="sample"/> (0 when every pixel
    /// is sample), clamped at 0; 0 where the OD is not finite.
    /// </summary>
    /// <param name="opticalDensity">The OD stack.</param>
    /// <param name="sample">The sample mask, of the same size.</param>
    /// <returns>One amount per pixel, row-major.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The sizes differ.</exception>
    /// <remarks>
    /// For a particle of thickness t and phase p, the integrated OD above the film is t · Σ_e μ_p(E_e): proportional to
    /// the amount of absorber, with a factor that depends on the phase only through the sum of its absorption over the
    /// stack energies (equal for phases with the same edge-jump-normalised integral).
    /// </remarks>
    public static float[] AbsorberAmount(SpectralStack opticalDensity, PixelMask sample)
    {
        ArgumentNullException.ThrowIfNull(opticalDensity);
        ArgumentNullException.ThrowIfNull(sample);
        if (sample.Width != opticalDensity.Width || sample.Height != opticalDensity.Height)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture,
                    $"The sample mask is {sample.Width}×{sample.Height} but the stack is {opticalDensity.Width}×{opticalDensity.Height}."),
                nameof(sample));
        }

        int n = opticalDensity.PixelCount;
        double[] sum = new double[n];
        ReadOnlySpan<float> data = opticalDensity.Data.Span;
        for (int e = 0; e < opticalDensity.EnergyCount; e++)
        {
            ReadOnlySpan<float> plane = data.Slice(e * n, n);
            for (int i = 0; i < n; i++)
            {
                sum[i] += plane[i];
            }
        }

        var background = new List<double>();
        for (int i = 0; i < n; i++)
        {
            if (!sample[i] && double.IsFinite(sum[i]))
            {
                background.Add(sum[i]);
            }
        }

        double offset = 0;
        if (background.Count > 0)
        {
            background.Sort();
            int c = background.Count;
            offset = c % 2 == 1 ? background[c / 2] : (background[(c / 2) - 1] + background[c / 2]) / 2;
        }

        float[] amount = new float[n];
        for (int i = 0; i < n; i++)
        {
            double v = sum[i] - offset;
            amount[i] = double.IsFinite(v) && v > 0 ? (float)v : 0f;
        }

        return amount;
    }

    private static void CheckLength(int actual, int expected, string name, bool allowEmpty)
    {
        if (actual != expected && !(allowEmpty && actual == 0))
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture,
                    $"{name} has {actual} values; the map has {expected} pixels{(allowEmpty ? " (or pass none)" : string.Empty)}."),
                name);
        }
    }
}
