using StxmPhase.Spectra;
using StxmPhase.Synthetic;

namespace StxmPhase.Tests;

public class SaturationWorkflowTests
{
    [Fact]
    public void Run_ThickParticlesWithHarmonics_SaturatedFlaggedKeptPccAndLeftOutOfTraining()
    {
        SyntheticDataset data = SyntheticStackGenerator.Generate(new SyntheticStackOptions
        {
            Width = 64, Height = 64, Seed = 5, MaxThicknessOd = 4, HarmonicFraction = 0.04, Dose = 5000,
        });
        var workflow = new PhaseMappingWorkflow
        {
            EncoderTrainer = new PcaEncoderTrainer(),
            Options = new PhaseMappingOptions { Scope = ResolutionScope.AmbiguousAndFalsePositives, EnergyOffset = EnergyOffsetMode.None },
        };

        using PhaseMappingRun run = workflow.Run(new PhaseMappingInput(data.OpticalDensity), data.References);
        PhaseMappingResult r = run.Results[0];

        Assert.NotNull(r.Saturated);
        Assert.InRange(r.SaturatedCount, 1, r.Correlation.ValidCount - 10);
        Assert.Equal(r.Correlation.ValidCount - r.SaturatedCount, run.TrainingSpectra);
        ReadOnlySpan<float> od = r.OpticalDensity.Data.Span;
        int n = r.Width * r.Height;
        for (int i = 0; i < n; i++)
        {
            double max = double.NegativeInfinity;
            for (int e = 0; e < r.OpticalDensity.Energies.Count; e++)
            {
                max = Math.Max(max, od[(e * n) + i]);
            }

            Assert.Equal(r.SampleMask[i] && max > 2.5, r.Saturated![i]);
            if (r.Saturated[i])
            {
                Assert.Equal(r.PccMap.Labels[i], r.FinalMap.Labels[i]);
                Assert.False(r.Resolved[i]);
            }
        }
    }

    [Fact]
    public void Run_MaxOpticalDensityInfinite_NothingFlagged()
    {
        SyntheticDataset data = SyntheticStackGenerator.Generate(new SyntheticStackOptions { Width = 32, Height = 32, Seed = 5, MaxThicknessOd = 4 });
        var workflow = new PhaseMappingWorkflow
        {
            EncoderTrainer = new PcaEncoderTrainer(),
            Options = new PhaseMappingOptions { MaxOpticalDensity = double.PositiveInfinity, EnergyOffset = EnergyOffsetMode.None },
        };

        using PhaseMappingRun run = workflow.Run(new PhaseMappingInput(data.OpticalDensity), data.References);

        Assert.Null(run.Results[0].Saturated);
        Assert.Equal(run.Results[0].Correlation.ValidCount, run.TrainingSpectra);
    }
}
