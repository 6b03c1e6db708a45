using StxmPhase.Spectra;
using StxmPhase.Synthetic;
using StxmPhase.Unmixing;

namespace StxmPhase.Tests;

public class CompositionTests
{
    private static readonly double[] s_values = [3.0, 2.4, 2.0, 1.0, 0.8];

    [Fact]
    public void Estimate_NoiselessPairMixtureWithOffset_RecoversInterpolatedCoordinate()
    {
        ReferenceSpectra refs = NaVanadiumFluorophosphateReferences.Evaluate(NaVanadiumFluorophosphateReferences.DefaultEnergies);
        int ec = refs.Energies.Count;
        float[] data = new float[ec * 2];
        for (int e = 0; e < ec; e++)
        {
            // Pixel 0: 0.7·Na2.0 + 0.3·Na1.0 (x = 2.0 − 0.3 = 1.7) on a 0.05 offset; pixel 1: pure Na3.0 at thickness 0.8.
            data[e * 2] = (float)((0.7 * refs.Spectrum(2)[e]) + (0.3 * refs.Spectrum(3)[e]) + 0.05);
            data[(e * 2) + 1] = (float)(0.8 * refs.Spectrum(0)[e]);
        }

        var od = new SpectralStack(refs.Energies, 2, 1, data, SpectralQuantity.OpticalDensity);

        CompositionMap x = CompositionEstimator.Estimate(od, refs, s_values);

        Assert.Equal(1.7, x.Values[0], 3);
        Assert.Equal(3.0, x.Values[1], 3);
        Assert.True(x.StandardDeviations[0] < 1e-3);
    }

    [Fact]
    public void Estimate_WithMask_SubtractsTheSlopedFilmSpectrumMeasuredOutsideIt()
    {
        ReferenceSpectra refs = NaVanadiumFluorophosphateReferences.Evaluate(NaVanadiumFluorophosphateReferences.DefaultEnergies);
        int ec = refs.Energies.Count, w = 6, h = 6, n = w * h;
        float[] data = new float[ec * n];
        bool[] inside = new bool[n];
        for (int p = 0; p < n; p++)
        {
            inside[p] = p % w is > 0 and < 5 && p / w is > 0 and < 5; // 16 inside, 20 outside
            for (int e = 0; e < ec; e++)
            {
                double film = 0.4 * Math.Pow(refs.Energies[e] / 525.0, -6);
                double sample = inside[p] ? (0.6 * refs.Spectrum(2)[e]) + (0.4 * refs.Spectrum(3)[e]) : 0;
                data[(e * n) + p] = (float)(film + sample);
            }
        }

        var od = new SpectralStack(refs.Energies, w, h, data, SpectralQuantity.OpticalDensity);

        CompositionMap x = CompositionEstimator.Estimate(od, refs, s_values, PixelMask.FromArray(w, h, inside));

        Assert.Equal(1.6, x.Values[w + 1], 3);
        Assert.True(float.IsNaN(x.Values[0]));
    }

    [Fact]
    public void Estimate_DuplicateValue_ThrowsNamingIndices()
    {
        ReferenceSpectra refs = NaVanadiumFluorophosphateReferences.Evaluate(NaVanadiumFluorophosphateReferences.DefaultEnergies);
        var od = new SpectralStack(refs.Energies, 1, 1, new float[refs.Energies.Count], SpectralQuantity.OpticalDensity);

        var ex = Assert.Throws<ArgumentException>(() => CompositionEstimator.Estimate(od, refs, [3.0, 2.4, 2.4, 1.0, 0.8]));

        Assert.Contains("1 and 2", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Estimate_SolidSolutionAtDose2500_MeasuredAccuracyHolds()
    {
        SolidSolutionDataset data = SolidSolutionGenerator.Generate(new SolidSolutionOptions
        {
            Geometry = new SyntheticStackOptions { Width = 96, Height = 96, Dose = 2500, Seed = 3, MaxDegreeOfParallelism = 1 },
        });

        CompositionMap x = CompositionEstimator.Estimate(data.OpticalDensity, data.ReferencesOnStack, SolidSolutionGenerator.ReferenceValues, data.ParticleMask);
        (double rmse, double coverage, double defined) = Score(data, x);

        Console.WriteLine($"COMPOSITION rmse {rmse:F4} coverage90 {coverage:P1} defined {defined:P1}");
        // Measured (docs/accuracy.md): RMSE 0.143, 90 % coverage 83.7 %, defined 100 %. The targets (RMSE ≤ 0.08,
        // coverage 85–95 %) are not met by per-pixel pair fitting at this dose; these bounds guard against regressions.
        Assert.True(rmse <= 0.16, $"RMSE {rmse:F4}");
        Assert.InRange(coverage, 0.80, 0.95);
        Assert.True(defined >= 0.98, $"defined {defined:P1}");
    }

    internal static (double Rmse, double Coverage, double Defined) Score(SolidSolutionDataset data, CompositionMap x)
    {
        double sse = 0;
        int count = 0, covered = 0, particle = 0;
        for (int i = 0; i < data.Composition.Length; i++)
        {
            if (!data.ParticleMask[i])
            {
                continue;
            }

            particle++;
            if (!float.IsFinite(x.Values[i]) || !float.IsFinite(x.StandardDeviations[i]))
            {
                continue;
            }

            double err = x.Values[i] - data.Composition[i];
            sse += err * err;
            count++;
            if (Math.Abs(err) <= 1.6449 * x.StandardDeviations[i])
            {
                covered++;
            }
        }

        return (Math.Sqrt(sse / count), (double)covered / count, (double)count / particle);
    }
}
