using StxmPhase.Correlation;
using StxmPhase.Spectra;

namespace StxmPhase;

/// <summary>Mode Auto's test of an estimated offset on the noise model's χ² (the quantity the posteriors use).</summary>
internal static partial class EnergyCalibrationStage
{
    /// <summary>The least z of the paired χ² test for an estimate to be applied when the workflow computes noise-model
    /// posteriors. Over 56 clean synthetic stacks (13 energies, 32²–128², doses 150–1500, Voronoi and core–shell domains) z had
    /// mean 0.3, sd 1.1 (not 1: the offset is chosen on the same pixels, and neighbouring boundary pixels move together) and
    /// maximum 3.6; 4.5 is the one-sided 0.1 % point (3.09) scaled by that spread with a margin. Between 3.09 and 4.5 the
    /// applied estimates (core–shell 32²–64², overshooting by 0.03–0.09 eV) cost as often as they gained; true offsets of
    /// ±0.1 eV at dose ≥ 400 gave z ≥ 4.6 on Voronoi stacks of 64² and more (docs/accuracy.md).</summary>
    internal const double MinimumNoiseModelZ = 4.5;

    /// <summary>The most pixels (all stacks together) the χ² test classifies, an even stride within each stack's sample.</summary>
    private const int NoiseTestPixels = 20000;

    /// <summary>
    /// The paired test of the noise model's fit with and without the offset: for every tested sample pixel p,
    /// d_p = (min_k χ²_k(0) − min_k χ²_k(ΔE)) / τ (τ the χ² scale of the fit without offset), and
    /// z = mean(d) / (sd(d) / √n). A positive z means the references read at E + ΔE explain the pixels better than at E, on
    /// the scale the posteriors use. The per-pixel spread, not the χ²(1) law of a likelihood ratio, sets the scale: mixed
    /// boundary pixels make the χ² differences heavy-tailed, and on clean core–shell stacks Σd reached 180 (a χ²(1) test
    /// would have applied spurious offsets) while z stayed below 3.7.
    /// </summary>
    /// <returns>z, or NaN when fewer than 16 pixels could be tested.</returns>
    internal static double NoiseModelZ(
        SpectralStack[] stacks, PixelMask?[] samples, NoiseContext noise, ReferenceSpectra references, double offsetEv,
        PhaseMappingOptions options, CancellationToken cancellationToken) =>
        new NoiseProbe(stacks, samples, noise, references, options).Z(offsetEv, cancellationToken);

    /// <summary>The noise model's fits of the tested sample pixels (the same pixels, noise and background as the posterior
    /// stage) with the references read at E + ΔE, for the χ² test and the refinement of an accepted offset.</summary>
    private sealed class NoiseProbe
    {
        private readonly SpectralStack[] _stacks;
        private readonly PixelMask?[]? _sampleFree;
        private readonly NoiseModelOptions[] _models;
        private readonly PixelMask[] _tested;
        private readonly ReferenceSpectra _references;
        private readonly PhaseMappingOptions _options;
        private float[][]? _atZero;
        private double[]? _tau;

        public NoiseProbe(SpectralStack[] stacks, PixelMask?[] samples, NoiseContext noise, ReferenceSpectra references, PhaseMappingOptions options)
        {
            _stacks = stacks;
            _sampleFree = noise.SampleFree;
            _references = references;
            _options = options;
            int share = Math.Max(16, NoiseTestPixels / stacks.Length);
            _models = new NoiseModelOptions[stacks.Length];
            _tested = new PixelMask[stacks.Length];
            for (int s = 0; s < stacks.Length; s++)
            {
                // As the posterior stage: the counting noise of transmission input unless the caller's noise options set their own.
                NoiseModelOptions model = options.NoiseModel ?? new NoiseModelOptions();
                if (noise.IncidentCounts?[s] is { } counts && model.IncidentCounts is null && counts.All(c => double.IsFinite(c) && c > 0))
                {
                    model = model.WithIncidentCounts(counts);
                }

                _models[s] = model;
                _tested[s] = Thin(stacks[s], samples[s], share);
            }
        }

        /// <summary>The paired z of χ²(0) − χ²(ΔE) (see <see cref="NoiseModelZ"/>).</summary>
        public double Z(double offsetEv, CancellationToken cancellationToken)
        {
            EnsureZero(cancellationToken);
            double sum = 0, sumSquares = 0;
            int n = 0;
            for (int s = 0; s < _stacks.Length; s++)
            {
                float[] chi0 = _atZero![s], chi1 = Fit(s, offsetEv, out _, cancellationToken);
                for (int p = 0; p < chi0.Length; p++)
                {
                    if (float.IsFinite(chi0[p]) && float.IsFinite(chi1[p]))
                    {
                        double d = (chi0[p] - (double)chi1[p]) / _tau![s];
                        sum += d;
                        sumSquares += d * d;
                        n++;
                    }
                }
            }

            if (n < 16)
            {
                return double.NaN;
            }

            double mean = sum / n;
            double variance = Math.Max(0, (sumSquares - (n * mean * mean)) / (n - 1));
            return variance > 0 ? mean / Math.Sqrt(variance / n) : mean > 0 ? double.PositiveInfinity : 0;
        }

        /// <summary>Σ_p min_k χ²_k(ΔE) / τ over the tested pixels of <paramref name="subset"/> whose fit is finite without offset
        /// (τ of the fit without offset, per stack, as in <see cref="Z"/>); +∞ when one of them has no finite fit at ΔE.</summary>
        public double SummedChiSquare(double offsetEv, bool[][] subset, CancellationToken cancellationToken)
        {
            EnsureZero(cancellationToken);
            double sum = 0;
            for (int s = 0; s < _stacks.Length; s++)
            {
                float[] chi0 = _atZero![s], chi = Fit(s, offsetEv, out _, cancellationToken);
                for (int p = 0; p < chi0.Length; p++)
                {
                    if (subset[s][p] && float.IsFinite(chi0[p]))
                    {
                        if (!float.IsFinite(chi[p]))
                        {
                            return double.PositiveInfinity;
                        }

                        sum += chi[p] / _tau![s];
                    }
                }
            }

            return sum;
        }

        /// <summary>Per stack, the tested pixels (finite without offset) whose χ² at ΔE is at most the median of theirs: the
        /// better-fitted half, mostly single-phase pixels (mixed core–shell boundary pixels pull a plain sum by −0.03 eV at 48²).</summary>
        public bool[][] BetterFittedHalf(double offsetEv, CancellationToken cancellationToken)
        {
            EnsureZero(cancellationToken);
            var result = new bool[_stacks.Length][];
            for (int s = 0; s < _stacks.Length; s++)
            {
                float[] chi0 = _atZero![s], chi = Fit(s, offsetEv, out _, cancellationToken);
                float[] finite = [.. chi.Where((c, p) => float.IsFinite(c) && float.IsFinite(chi0[p]))];
                Array.Sort(finite);
                float median = finite.Length > 0 ? finite[finite.Length / 2] : float.PositiveInfinity;
                result[s] = [.. chi.Select(c => float.IsFinite(c) && c <= median)];
            }

            return result;
        }

        private void EnsureZero(CancellationToken cancellationToken)
        {
            if (_atZero is not null)
            {
                return;
            }

            _atZero = new float[_stacks.Length][];
            _tau = new double[_stacks.Length];
            for (int s = 0; s < _stacks.Length; s++)
            {
                _atZero[s] = Fit(s, null, out double temperature, cancellationToken);
                _tau[s] = temperature > 0 && double.IsFinite(temperature) ? temperature : 1;
            }
        }

        /// <summary>Stack <paramref name="s"/>'s best χ² per pixel with the references at E + ΔE (at E, resampled without a
        /// shift, when <paramref name="offsetEv"/> is null).</summary>
        private float[] Fit(int s, double? offsetEv, out double temperature, CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            EnergyAxis axis = _stacks[0].Energies;
            ReferenceSpectra onAxis = offsetEv is { } shift
                ? EnergyCalibration.ResampleShifted(_references, axis, shift) : _references.ResampleTo(axis);
            SpectralBackground? background = offsetEv is { } moved ? _options.Background?.OnAxis(axis, moved) : _options.Background?.OnAxis(axis);
            var classifier = new NoiseModelClassifier(_models[s]) { Background = background };
            PhasePosteriors fit = classifier.Classify(_stacks[s], onAxis, _tested[s], _sampleFree?[s], cancellationToken);
            temperature = fit.Temperature;
            return fit.ChiSquare.ToArray();
        }
    }

    /// <summary>The sample pixels (every pixel without a sample mask), thinned by an even stride to at most
    /// <paramref name="limit"/>.</summary>
    private static PixelMask Thin(SpectralStack stack, PixelMask? sample, int limit)
    {
        int n = stack.PixelCount, total = sample?.Count ?? n;
        int stride = Math.Max(1, (total + limit - 1) / limit);
        bool[] keep = new bool[n];
        int seen = 0;
        for (int p = 0; p < n; p++)
        {
            if (sample is null || sample[p])
            {
                keep[p] = seen % stride == 0;
                seen++;
            }
        }

        return PixelMask.FromArray(stack.Width, stack.Height, keep);
    }
}

/// <summary>What the noise model of the posterior stage knows about each stack beyond its OD: the sample-free field the noise
/// is measured on and the incident counts of transmission input (either list, or an entry, may be missing).</summary>
/// <param name="SampleFree">Per stack, the complement of the automatic particle mask.</param>
/// <param name="IncidentCounts">Per stack, the incident counts per energy.</param>
internal sealed record NoiseContext(PixelMask?[]? SampleFree, IReadOnlyList<double>?[]? IncidentCounts)
{
    /// <summary>Gets a context that knows nothing beyond the OD.</summary>
    public static NoiseContext None { get; } = new(null, null);

    /// <summary>The context of prepared inputs.</summary>
    public static NoiseContext Of(IEnumerable<PreparedInput> prepared) =>
        new([.. prepared.Select(p => p.Particles?.Mask.Not())], [.. prepared.Select(p => p.IncidentCounts)]);

    /// <summary>The context of edge block <paramref name="block"/>: the incident counts of its energies.</summary>
    public NoiseContext Block(SpectralBlocks blocks, int block) => this with
    {
        IncidentCounts = IncidentCounts?
            .Select(c => c is null ? null : (IReadOnlyList<double>)[.. c.Skip(blocks.Starts[block]).Take(blocks.Counts[block])])
            .ToArray(),
    };
}
