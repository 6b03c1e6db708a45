using System.Globalization;
using StxmPhase.Spectra;

namespace StxmPhase.Synthetic;

/// <summary>
/// Generates synthetic solid-solution stacks: separated particles (the geometry of <see cref="SyntheticStackGenerator"/>)
/// whose Na content x varies continuously, linearly from <see cref="SolidSolutionOptions.HighSodium"/> at the left edge
/// of each particle to <see cref="SolidSolutionOptions.LowSodium"/> at its right edge. The spectrum of a pixel is the
/// model of <see cref="NaVanadiumFluorophosphateReferences"/> at the oxidation coordinate q(x), piecewise linear between
/// the reference phases' (x, q) pairs (3.0, 0), (2.4, 0.25), (2.0, 0.5), (1.0, 0.75), (0.8, 1): the peaks shift with x,
/// the spectrum is not a mixture of two references.
/// </summary>
/// <remarks>
/// OD = film(E) + t·μ(E; q(x)); counts I ~ Poisson(Dose·exp(−OD)); OD stack = −ln(max(I, ½)/Dose). Deterministic for a seed
/// (single-threaded).
/// </remarks>
public static class SolidSolutionGenerator
{
    /// <summary>
    /// Gets the Na content of each reference phase, in the phase order of <see cref="NaVanadiumFluorophosphateReferences.PhaseNames"/>.
    /// </summary>
    public static IReadOnlyList<double> ReferenceValues { get; } = [3.0, 2.4, 2.0, 1.0, 0.8];

    /// <summary>Generates a solid-solution dataset.</summary>
    /// <param name="options">The options.</param>
    /// <param name="cancellationToken">Cancels generation.</param>
    /// <returns>The stack and its truth.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range (see <see cref="SyntheticStackGenerator"/>), or
    /// a sodium bound lies outside [0.8, 3.0].</exception>
    public static SolidSolutionDataset Generate(SolidSolutionOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        foreach (double x in new[] { options.HighSodium, options.LowSodium })
        {
            if (!(x >= 0.8 && x <= 3.0))
            {
                throw new ArgumentOutOfRangeException(nameof(options), x,
                    string.Create(CultureInfo.InvariantCulture, $"SolidSolutionOptions sodium bounds must lie in [0.8, 3.0]; got {x}."));
            }
        }

        SyntheticStackOptions geometry = options.Geometry;

        // The geometry (thickness, particle ids) of an ordinary dataset with the same options; its spectra are discarded.
        SyntheticDataset layout = SyntheticStackGenerator.Generate(geometry, cancellationToken);
        EnergyAxis energies = layout.OpticalDensity.Energies;
        int w = geometry.Width, h = geometry.Height, n = w * h, ec = energies.Count;
        ReadOnlySpan<int> ids = layout.ParticleIds;
        ReadOnlySpan<float> thickness = layout.Thickness.Span;
        int k = layout.ParticleCount;
        int[] minX = new int[k + 1];
        int[] maxX = new int[k + 1];
        Array.Fill(minX, int.MaxValue);
        Array.Fill(maxX, int.MinValue);
        for (int i = 0; i < n; i++)
        {
            int id = ids[i];
            minX[id] = Math.Min(minX[id], i % w);
            maxX[id] = Math.Max(maxX[id], i % w);
        }

        float[] truth = new float[n];
        Array.Fill(truth, float.NaN);
        float[] od = new float[ec * n];
        var random = new Random(geometry.Seed ^ 0x5EED);
        var sampler = new PoissonSampler(new Xoshiro256StarStar((ulong)random.NextInt64()));
        double[] film = new double[ec];
        for (int e = 0; e < ec; e++)
        {
            film[e] = geometry.SupportFilmOd * NaVanadiumFluorophosphateReferences.SupportFilmAbsorption(energies[e]);
        }

        double logDose = Math.Log(geometry.Dose);
        for (int i = 0; i < n; i++)
        {
            if ((i & 1023) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            int id = ids[i];
            double q = 0;
            if (id > 0)
            {
                double span = Math.Max(1, maxX[id] - minX[id]);
                double x = options.HighSodium + ((options.LowSodium - options.HighSodium) * ((i % w) - minX[id]) / span);
                truth[i] = (float)x;
                q = OxidationOf(x);
            }

            for (int e = 0; e < ec; e++)
            {
                double clean = film[e] + (id > 0 ? thickness[i] * NaVanadiumFluorophosphateReferences.AbsorptionAtOxidation(q, energies[e]) : 0);
                double counts = sampler.Next(geometry.Dose * Math.Exp(-clean));
                od[(e * n) + i] = (float)(logDose - Math.Log(Math.Max(counts, 0.5)));
            }
        }

        var metadata = new StackMetadata { Name = string.Create(CultureInfo.InvariantCulture, $"solid-solution-seed{geometry.Seed}") };
        return new SolidSolutionDataset(
            new SpectralStack(energies, w, h, od, SpectralQuantity.OpticalDensity, metadata),
            NaVanadiumFluorophosphateReferences.Evaluate(energies),
            truth,
            layout.ParticleIds.ToArray(),
            layout.ParticleMask,
            k);
    }

    /// <summary>The oxidation coordinate q of Na content x: piecewise linear through the reference phases' (x, q).</summary>
    /// <param name="x">Na content in [0.8, 3.0].</param>
    /// <returns>q in [0, 1].</returns>
    public static double OxidationOf(double x)
    {
        IReadOnlyList<double> xs = ReferenceValues;
        IReadOnlyList<double> qs = NaVanadiumFluorophosphateReferences.OxidationCoordinates;
        for (int j = 0; j < xs.Count - 1; j++)
        {
            if (x >= xs[j + 1])
            {
                double t = (xs[j] - x) / (xs[j] - xs[j + 1]);
                return qs[j] + (Math.Clamp(t, 0, 1) * (qs[j + 1] - qs[j]));
            }
        }

        return qs[^1];
    }
}

/// <summary>Options of <see cref="SolidSolutionGenerator.Generate(SolidSolutionOptions, CancellationToken)"/>.</summary>
public sealed record SolidSolutionOptions
{
    /// <summary>Gets the geometry, energies, dose, film and seed (domain options are ignored). Default: 128², dose 2500, 6 particles.</summary>
    public SyntheticStackOptions Geometry { get; init; } = new() { Width = 128, Height = 128, Dose = 2500 };

    /// <summary>Gets the Na content at the left edge of every particle, in [0.8, 3.0]. Default 3.0.</summary>
    public double HighSodium { get; init; } = 3.0;

    /// <summary>Gets the Na content at the right edge of every particle, in [0.8, 3.0]. Default 1.0.</summary>
    public double LowSodium { get; init; } = 1.0;
}

/// <summary>A solid-solution stack with its truth. Immutable.</summary>
public sealed class SolidSolutionDataset
{
    private readonly float[] _composition;
    private readonly int[] _particleIds;

    internal SolidSolutionDataset(
        SpectralStack od, ReferenceSpectra references, float[] composition, int[] particleIds, PixelMask particleMask, int particleCount)
    {
        OpticalDensity = od;
        ReferencesOnStack = references;
        _composition = composition;
        _particleIds = particleIds;
        ParticleMask = particleMask;
        ParticleCount = particleCount;
    }

    /// <summary>Gets the noisy optical-density stack.</summary>
    public SpectralStack OpticalDensity { get; }

    /// <summary>
    /// Gets the five reference phases at the stack energies (their Na contents: <see cref="SolidSolutionGenerator.ReferenceValues"/>).
    /// </summary>
    public ReferenceSpectra ReferencesOnStack { get; }

    /// <summary>Gets the true Na content x of every pixel, row-major; NaN off particles.</summary>
    public ReadOnlySpan<float> Composition => _composition;

    /// <summary>Gets the particle of every pixel (0 off particles).</summary>
    public ReadOnlySpan<int> ParticleIds => _particleIds;

    /// <summary>Gets the pixels covered by a particle.</summary>
    public PixelMask ParticleMask { get; }

    /// <summary>Gets the number of particles.</summary>
    public int ParticleCount { get; }
}
