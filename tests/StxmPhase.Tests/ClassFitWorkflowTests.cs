using StxmPhase.Assignment;
using StxmPhase.Spectra;
using StxmPhase.Synthetic;

namespace StxmPhase.Tests;

/// <summary>
/// Which pixels the latent-space class statistics are fitted on: the noise-model posterior ≥ 0.95 when the posteriors are
/// computed, Q1 − Q2 ≥ δ (the paper) otherwise; checked against the run's public results.
/// </summary>
public class ClassFitWorkflowTests
{
    private static SyntheticDataset LowDose(int seed) =>
        SyntheticStackGenerator.Generate(new SyntheticStackOptions { Width = 48, Height = 48, Seed = seed, Dose = 150 });

    [Fact]
    public void Run_WithPosteriors_FitsAssignerOnPosteriorConfidentPixelsWithFewerWrongLabels()
    {
        SyntheticDataset data = LowDose(31);
        var recorder = new RecordingAssigner();
        using PhaseMappingRun run = new PhaseMappingWorkflow
        {
            EncoderTrainer = new PcaEncoderTrainer(),
            Assigner = recorder,
            Options = new PhaseMappingOptions { Seed = 1 },
        }.Run(new PhaseMappingInput(data.OpticalDensity), data.References);
        PhaseMappingResult r = run.Results[0];
        Correlation.PhasePosteriors post = Assert.IsType<Correlation.PhasePosteriors>(r.Posteriors);

        // The oracle: every valid pixel whose largest posterior is ≥ 0.95 (and that fits a reference), with that phase.
        var expected = new List<int>();
        var expectedPoints = new List<float>();
        int n = r.Correlation.PixelCount, deltaWrong = 0, deltaCount = 0;
        for (int px = 0; px < n; px++)
        {
            if (!r.Valid[px] || post.Labels[px] < 0)
            {
                continue;
            }

            for (int k = 0; k < post.PhaseCount; k++)
            {
                if (post.Posterior(k)[px] >= 0.95f)
                {
                    expected.Add(k);
                    expectedPoints.AddRange(r.LatentOf(px).ToArray());
                }
            }

            if (!r.Correlation.Ambiguous[px] && data.Truth.Labels[px] >= 0)
            {
                deltaCount++;
                deltaWrong += r.PccMap.Labels[px] != data.Truth.Labels[px] ? 1 : 0;
            }
        }

        LatentSet fitted = Assert.Single(recorder.Fitted);
        Assert.Equal(expected, fitted.Labels.ToArray());
        Assert.Equal(expectedPoints, fitted.Points.ToArray());

        // At dose 150 the posterior-confident pixels carry far fewer wrong labels than the Q1 − Q2 ≥ δ ones.
        int posteriorWrong = 0, posteriorCount = 0, i = 0;
        for (int px = 0; px < n; px++)
        {
            if (r.Valid[px] && post.Labels[px] >= 0 && Enumerable.Range(0, post.PhaseCount).Any(k => post.Posterior(k)[px] >= 0.95f))
            {
                if (data.Truth.Labels[px] >= 0)
                {
                    posteriorCount++;
                    posteriorWrong += fitted.Labels[i] != data.Truth.Labels[px] ? 1 : 0;
                }

                i++;
            }
        }

        double posteriorError = posteriorWrong / (double)posteriorCount, deltaError = deltaWrong / (double)deltaCount;
        Assert.True(posteriorCount > 40, $"only {posteriorCount} posterior-confident pixels");
        Assert.True(posteriorError < deltaError / 2, $"wrong labels: posterior ≥ 0.95 {posteriorError:P1}, Q1 − Q2 ≥ δ {deltaError:P1}");
    }

    [Fact]
    public void Run_WithoutPosteriors_FitsAssignerOnPixelsWithQ1MinusQ2AtLeastDeltaAndTheirPccLabels()
    {
        SyntheticDataset data = LowDose(32);
        var recorder = new RecordingAssigner();
        using PhaseMappingRun run = new PhaseMappingWorkflow
        {
            EncoderTrainer = new PcaEncoderTrainer(),
            Assigner = recorder,
            Options = PhaseMappingOptions.PaperPipeline,
        }.Run(new PhaseMappingInput(data.OpticalDensity), data.References);
        PhaseMappingResult r = run.Results[0];
        Assert.Null(r.Posteriors);
        int[] expected = Enumerable.Range(0, r.Correlation.PixelCount)
            .Where(px => r.Valid[px] && !r.Correlation.Ambiguous[px]).Select(px => r.PccMap.Labels[px]).ToArray();
        Assert.Equal(expected, Assert.Single(recorder.Fitted).Labels.ToArray());
    }

    [Fact]
    public void ConfidentPosterior_OutOfRange_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new PhaseMappingOptions { ConfidentPosterior = 0 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new PhaseMappingOptions { ConfidentPosterior = 1.5 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new PhaseMappingOptions { ConfidentPosterior = double.NaN });
        Assert.Equal(0.95, new PhaseMappingOptions().ConfidentPosterior);
    }

    /// <summary>The default assigner, keeping the labelled sets it was fitted on.</summary>
    private sealed class RecordingAssigner : ILatentAssigner
    {
        public List<LatentSet> Fitted { get; } = [];

        public ILatentAssignment Fit(LatentSet labelled, LatentSet? references = null)
        {
            Fitted.Add(labelled);
            return new MahalanobisAssigner().Fit(labelled, references);
        }
    }
}
