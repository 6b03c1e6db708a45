using StxmPhase.Gmvae;
using StxmPhase.Spectra;
using StxmPhase.Synthetic;

namespace StxmPhase.Tests;

/// <summary>The latent-space false-positive test (Fig. S6) in the workflow, scored on synthetic truth.</summary>
public class FalsePositiveWorkflowTests
{
    [Fact]
    public void Run_SyntheticTruth_FlagsAreSeveralTimesMorePreciseThanChanceAndAMarginCutsThem()
    {
        SyntheticDataset data = SyntheticStackGenerator.Generate(new SyntheticStackOptions { Width = 64, Height = 64, Seed = 13, Dose = 300 });
        var trainer = new GmvaeEncoderTrainer(new GmvaeOptions { Epochs = 15, MaxTrainingSpectra = 3000, Seed = 1, Threads = 1 });
        using PhaseMappingRun run = new PhaseMappingWorkflow { EncoderTrainer = trainer, Options = new PhaseMappingOptions { Seed = 1 } }
            .Run(new PhaseMappingInput(data.OpticalDensity, "s"), data.References);
        using PhaseMappingRun loose = new PhaseMappingWorkflow
        {
            Encoder = run.Encoder,
            Options = new PhaseMappingOptions { Seed = 1, FalsePositiveThreshold = 0.5 },
        }.Run(new PhaseMappingInput(data.OpticalDensity, "s"), data.References);

        PhaseMappingResult r = run.Results[0];
        FalsePositiveEvaluation fp = FalsePositiveEvaluation.Evaluate(r, data.Truth, 0.95);
        FalsePositiveEvaluation looseFp = FalsePositiveEvaluation.Evaluate(loose.Results[0], data.Truth, 0.5);

        // Chance: the fraction of confidently labelled pixels (with a true phase) that PCC got wrong.
        int confident = 0;
        for (int i = 0; i < r.Correlation.PixelCount; i++)
        {
            confident += data.Truth.Labels[i] >= 0 && r.Valid[i] && !r.Correlation.Ambiguous[i] ? 1 : 0;
        }

        double chance = fp.PccWrong / (double)confident;
        Assert.True(fp.Flagged > 0);
        // Measured with the noise-aware mask (which keeps the noisier particle edges): precision 0.707 against chance 0.290.
        Assert.True(fp.Precision >= 2 * chance, $"precision {fp.Precision:F3} vs chance {chance:F3}");
        Assert.True(looseFp.Flagged > 3 * fp.Flagged, $"τ 0.5: {looseFp.Flagged} flags, τ 0.95: {fp.Flagged}");
        Assert.True(looseFp.Recall > fp.Recall);
        Assert.True(fp.Precision > looseFp.Precision, $"precision τ 0.95 {fp.Precision:F3} vs τ 0.5 {looseFp.Precision:F3}");
        Assert.Equal(r.FalsePositiveCount, fp.Flagged + CountFlagsOutsideTruth(r, data.Truth));
    }

    private static int CountFlagsOutsideTruth(PhaseMappingResult r, PhaseMap truth)
    {
        int n = 0;
        for (int i = 0; i < truth.Labels.Length; i++)
        {
            n += r.FalsePositives[i] && truth.Labels[i] < 0 ? 1 : 0;
        }

        return n;
    }
}
