using StxmPhase.Gmvae;
using StxmPhase.Spectra;
using StxmPhase.Synthetic;

namespace StxmPhase.Tests;

/// <summary>Decoder reconstructions along latent paths (the paper's Fig. S9).</summary>
public class LatentPathTests
{
    [Fact]
    public void Decode_LinearDecoder_PointsAreEvenlySpacedOnTheSegmentAndSpectraAreTheirDecoding()
    {
        var decoder = new AffineDecoder(energies: 4);
        float[] from = [1f, -2f, 0.5f];
        float[] to = [3f, 2f, -1.5f];

        LatentPath path = LatentPath.Decode(decoder, from, to, steps: 5, energyCount: 4);

        Assert.Equal(5, path.Steps);
        Assert.Equal(-1, path.FromPhase);
        for (int k = 0; k < 5; k++)
        {
            double t = k / 4.0;
            Assert.Equal(t, path.Positions[k], 12);
            for (int j = 0; j < 3; j++)
            {
                double expected = ((1 - t) * from[j]) + (t * to[j]);
                Assert.Equal(expected, path.Points[(k * 3) + j], 5);
            }

            double[] spectrum = AffineDecoder.Oracle(path.Points.Slice(k * 3, 3), 4);
            for (int e = 0; e < 4; e++)
            {
                Assert.Equal(spectrum[e], path.Spectrum(k)[e], 5);
            }
        }

        Assert.Equal(from, path.From.ToArray());
        Assert.Equal(to, path.To.ToArray());
    }

    [Fact]
    public void Decode_BadArguments_Throw()
    {
        var decoder = new AffineDecoder(energies: 4);
        Assert.Throws<ArgumentOutOfRangeException>(() => LatentPath.Decode(decoder, [0f, 0f, 0f], [1f, 1f, 1f], 1, 4));
        Assert.Throws<ArgumentException>(() => LatentPath.Decode(decoder, [0f, 0f], [1f, 1f, 1f], 3, 4));
        ArgumentException nan = Assert.Throws<ArgumentException>(() => LatentPath.Decode(decoder, [0f, float.NaN, 0f], [1f, 1f, 1f], 3, 4));
        Assert.Contains("Coordinate 1", nan.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PhaseCentres_AreTheDoublePrecisionMeansOfTheConfidentPixelsOfAllStacks()
    {
        SyntheticDataset a = SyntheticStackGenerator.Generate(new SyntheticStackOptions { Width = 32, Height = 32, Seed = 6 });
        SyntheticDataset b = SyntheticStackGenerator.Generate(new SyntheticStackOptions { Width = 24, Height = 24, Seed = 9 });
        var workflow = new PhaseMappingWorkflow { Encoder = new AffineDecoder(a.OpticalDensity.EnergyCount) };

        using PhaseMappingRun run = workflow.Run(
            [new PhaseMappingInput(a.OpticalDensity, "a"), new PhaseMappingInput(b.OpticalDensity, "b")], a.References);

        LatentSet centres = run.PhaseCentres!;
        int phases = run.References.PhaseCount;
        double[] sums = new double[phases * 3];
        int[] counts = new int[phases];
        foreach (PhaseMappingResult r in run.Results)
        {
            for (int px = 0; px < r.Correlation.PixelCount; px++)
            {
                if (r.Valid[px] && !r.Correlation.Ambiguous[px])
                {
                    int p = r.PccMap.Labels[px];
                    counts[p]++;
                    for (int j = 0; j < 3; j++)
                    {
                        sums[(p * 3) + j] += r.LatentOf(px)[j];
                    }
                }
            }
        }

        Assert.Equal(Enumerable.Range(0, phases).Where(p => counts[p] > 0), centres.Labels.ToArray());
        for (int i = 0; i < centres.Count; i++)
        {
            int p = centres.Labels[i];
            for (int j = 0; j < 3; j++)
            {
                Assert.Equal(sums[(p * 3) + j] / counts[p], centres.Point(i)[j], 5);
            }
        }

        IReadOnlyList<LatentPath> paths = run.AdjacentPhasePaths(steps: 4);
        Assert.NotEmpty(paths);
        Assert.All(paths, path => Assert.Equal(path.FromPhase + 1, path.ToPhase));
        LatentPath first = paths[0];
        Assert.Equal(centres.Point(centres.Labels.IndexOf(first.FromPhase)).ToArray(), first.From.ToArray());
        Assert.Equal(centres.Point(centres.Labels.IndexOf(first.ToPhase)).ToArray(), first.To.ToArray());
    }

    [Fact]
    public void DecodePath_EncoderWithoutDecoder_ThrowsAndHasNoAdjacentPaths()
    {
        SyntheticDataset data = SyntheticStackGenerator.Generate(new SyntheticStackOptions { Width = 32, Height = 32, Seed = 6 });
        var workflow = new PhaseMappingWorkflow { EncoderTrainer = new PcaEncoderTrainer() };

        using PhaseMappingRun run = workflow.Run(new PhaseMappingInput(data.OpticalDensity), data.References);

        Assert.False(run.CanDecode);
        Assert.NotNull(run.PhaseCentres);
        InvalidOperationException e = Assert.Throws<InvalidOperationException>(() => run.DecodePath(0, 1));
        Assert.Contains("ILatentDecoder", e.Message, StringComparison.Ordinal);
        Assert.Empty(run.AdjacentPhasePaths());
    }

    [Fact]
    public void DecodePath_GmvaePhaseCentre_ReproducesThePhaseMeanSpectrumWithinTheReconstructionError()
    {
        SyntheticDataset data = SyntheticStackGenerator.Generate(new SyntheticStackOptions { Width = 48, Height = 48, Seed = 11, Dose = 300 });
        var trainer = new GmvaeEncoderTrainer(new GmvaeOptions { Epochs = 15, MaxTrainingSpectra = 3000, Seed = 3, Threads = 1 });
        var workflow = new PhaseMappingWorkflow { EncoderTrainer = trainer, Options = new PhaseMappingOptions { Seed = 3 } };

        using PhaseMappingRun run = workflow.Run(new PhaseMappingInput(data.OpticalDensity, "synthetic"), data.References);
        PhaseMappingResult r = run.Results[0];
        var model = (ILatentEncoder)run.Encoder!;
        var decoder = (ILatentDecoder)model;
        int energies = r.OpticalDensity.EnergyCount;
        int checkedPhases = 0;
        for (int p = 0; p < run.References.PhaseCount; p++)
        {
            int[] confident = Enumerable.Range(0, r.Correlation.PixelCount)
                .Where(px => r.Valid[px] && !r.Correlation.Ambiguous[px] && r.PccMap.Labels[px] == p).ToArray();
            if (confident.Length < 20 || p + 1 >= run.References.PhaseCount)
            {
                continue;
            }

            // Oracle: the phase's mean spectrum, and the model's RMS reconstruction error over those pixels, in double.
            float[] spectra = new float[confident.Length * energies];
            r.OpticalDensity.CopySpectra(confident, spectra);
            float[] latent = new float[confident.Length * model.LatentDimension];
            model.Encode(spectra, confident.Length, latent);
            float[] reconstructed = new float[spectra.Length];
            decoder.Decode(latent, confident.Length, reconstructed);
            double[] mean = new double[energies];
            double squared = 0;
            for (int i = 0; i < spectra.Length; i++)
            {
                mean[i % energies] += spectra[i] / (double)confident.Length;
                squared += Math.Pow(spectra[i] - (double)reconstructed[i], 2);
            }

            double reconstructionRms = Math.Sqrt(squared / spectra.Length);

            LatentPath path = run.DecodePath(p, p + 1, steps: 3);
            double centreSquared = 0;
            for (int e = 0; e < energies; e++)
            {
                centreSquared += Math.Pow(path.Spectrum(0)[e] - mean[e], 2);
            }

            double centreRms = Math.Sqrt(centreSquared / energies);
            Assert.True(centreRms <= reconstructionRms, $"phase {p}: decoded centre RMS {centreRms:G4} vs reconstruction RMS {reconstructionRms:G4}");
            checkedPhases++;
        }

        Assert.True(checkedPhases >= 2, $"only {checkedPhases} phases had enough confident pixels");
    }

    /// <summary>
    /// An affine decoder with a double-precision oracle: spectrum[e] = Σ_j (e + 1)·(j + 1)·z_j / 10 + 0.1·e; encodes the first three
    /// energies.
    /// </summary>
    private sealed class AffineDecoder(int energies) : ILatentEncoder, ILatentDecoder
    {
        public int LatentDimension => 3;

        public static double[] Oracle(ReadOnlySpan<float> z, int energies)
        {
            double[] s = new double[energies];
            for (int e = 0; e < energies; e++)
            {
                s[e] = 0.1 * e;
                for (int j = 0; j < z.Length; j++)
                {
                    s[e] += (e + 1) * (j + 1) * (double)z[j] / 10;
                }
            }

            return s;
        }

        public void Encode(ReadOnlySpan<float> spectra, int count, Span<float> destination)
        {
            for (int i = 0; i < count; i++)
            {
                spectra.Slice(i * energies, 3).CopyTo(destination.Slice(i * 3, 3));
            }
        }

        public void Decode(ReadOnlySpan<float> latent, int count, Span<float> destination)
        {
            for (int i = 0; i < count; i++)
            {
                double[] s = Oracle(latent.Slice(i * 3, 3), energies);
                for (int e = 0; e < energies; e++)
                {
                    destination[(i * energies) + e] = (float)s[e];
                }
            }
        }
    }
}
