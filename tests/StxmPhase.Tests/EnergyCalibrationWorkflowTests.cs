using StxmPhase.Spectra;
using StxmPhase.Synthetic;

namespace StxmPhase.Tests;

public class EnergyCalibrationWorkflowTests
{
    private static double ParticleAccuracy(PhaseMap map, SyntheticDataset data)
    {
        int correct = 0, total = 0;
        for (int i = 0; i < data.Truth.PixelCount; i++)
        {
            if (data.Truth.Labels[i] >= 0)
            {
                total++;
                correct += map.Labels[i] == data.Truth.Labels[i] ? 1 : 0;
            }
        }

        return (double)correct / total;
    }

    private static PhaseMappingRun Run(SyntheticDataset data, PhaseMappingOptions options) =>
        new PhaseMappingWorkflow { Options = options }.Run(new PhaseMappingInput(data.OpticalDensity), data.References);

    [Fact]
    public void Run_StackWithQuarterEvOffset_AutoRecoversOffsetAndPccAccuracy()
    {
        var generate = new SyntheticStackOptions { Width = 128, Height = 128, Seed = 2, DomainLayout = DomainLayout.Voronoi, Dose = 2000 };
        SyntheticDataset clean = SyntheticStackGenerator.Generate(generate);
        SyntheticDataset shifted = SyntheticStackGenerator.Generate(new SyntheticStackOptions
        {
            Width = 128, Height = 128, Seed = 2, DomainLayout = DomainLayout.Voronoi, Dose = 2000, EnergyOffsetEv = 0.25,
        });

        using PhaseMappingRun reference = Run(clean, new PhaseMappingOptions { ResolveAmbiguities = false, EnergyOffset = EnergyOffsetMode.None });
        using PhaseMappingRun none = Run(shifted, new PhaseMappingOptions { ResolveAmbiguities = false, EnergyOffset = EnergyOffsetMode.None });
        using PhaseMappingRun auto = Run(shifted, new PhaseMappingOptions { ResolveAmbiguities = false });

        double cleanAccuracy = ParticleAccuracy(reference.Results[0].PccMap, clean);
        double noneAccuracy = ParticleAccuracy(none.Results[0].PccMap, shifted);
        double autoAccuracy = ParticleAccuracy(auto.Results[0].PccMap, shifted);
        Assert.Equal(0, none.EnergyCalibration!.AppliedOffsetEv);
        Assert.Equal(EnergyOffsetMode.Auto, auto.EnergyCalibration!.Mode);
        Assert.InRange(auto.EnergyCalibration.AppliedOffsetEv, 0.22, 0.28);
        Assert.True(noneAccuracy < cleanAccuracy - 0.2, $"the offset should break PCC: {noneAccuracy} vs clean {cleanAccuracy}");
        Assert.True(autoAccuracy > cleanAccuracy - 0.02, $"auto calibration: {autoAccuracy} vs clean {cleanAccuracy}");
    }

    [Fact]
    public void Run_SinglePhaseFirstStack_OffsetPooledFromAllStacksApplied()
    {
        // The first stack alone (one phase) cannot tell an offset from a neighbouring phase; the second can.
        SyntheticDataset single = SyntheticStackGenerator.Generate(new SyntheticStackOptions
        {
            Width = 64, Height = 64, ParticleCount = 1, DomainLayout = DomainLayout.Uniform, Seed = 3, EnergyOffsetEv = 0.3, Dose = 2000,
        });
        SyntheticDataset many = SyntheticStackGenerator.Generate(new SyntheticStackOptions
        {
            Width = 128, Height = 128, Seed = 4, DomainLayout = DomainLayout.Voronoi, EnergyOffsetEv = 0.3, Dose = 2000,
        });

        using PhaseMappingRun run = new PhaseMappingWorkflow { Options = new PhaseMappingOptions { ResolveAmbiguities = false } }
            .Run([new PhaseMappingInput(single.OpticalDensity, "single"), new PhaseMappingInput(many.OpticalDensity, "many")], single.References);

        Assert.InRange(run.EnergyCalibration!.AppliedOffsetEv, 0.27, 0.33);
        Assert.True(ParticleAccuracy(run.Results[1].PccMap, many) > 0.7, "the pooled offset should restore the second stack's map");
    }

    [Fact]
    public void Run_FixedOffset_ReferencesReadAtShiftedEnergies()
    {
        SyntheticDataset data = SyntheticStackGenerator.Generate(new SyntheticStackOptions { Width = 32, Height = 32, Seed = 3 });

        using PhaseMappingRun run = Run(
            data, new PhaseMappingOptions { ResolveAmbiguities = false, EnergyOffset = EnergyOffsetMode.Fixed, EnergyOffsetEv = -0.3 });

        Assert.Equal(-0.3, run.EnergyCalibration!.AppliedOffsetEv);
        Assert.Null(run.EnergyCalibration.Estimate);
        EnergyAxis axis = data.OpticalDensity.Energies;
        for (int e = 0; e < axis.Count; e++)
        {
            Assert.Equal(NaVanadiumFluorophosphateReferences.Absorption(0, axis[e] - 0.3), run.References.Spectrum(0)[e], 3e-3);
        }
    }

    [Fact]
    public void Run_SinglePhaseSampleAuto_NoOffsetApplied()
    {
        SyntheticDataset data = SyntheticStackGenerator.Generate(new SyntheticStackOptions
        {
            Width = 128, Height = 128, ParticleCount = 1, DomainLayout = DomainLayout.Uniform, Seed = 3, EnergyOffsetEv = 0.2,
        });

        using PhaseMappingRun run = Run(data, new PhaseMappingOptions { ResolveAmbiguities = false });

        Assert.Equal(0, run.EnergyCalibration!.AppliedOffsetEv);
        Assert.False(run.EnergyCalibration.Estimate!.IsReliable);
        Assert.Contains("single phase", run.EnergyCalibration.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_GivenReferenceBroadening_ReferencesBroadenedThenShifted()
    {
        SyntheticDataset data = SyntheticStackGenerator.Generate(new SyntheticStackOptions { Width = 32, Height = 32, Seed = 3 });

        using PhaseMappingRun run = Run(data, new PhaseMappingOptions
        {
            ResolveAmbiguities = false, EnergyOffset = EnergyOffsetMode.Fixed, EnergyOffsetEv = 0.1, ReferenceBroadeningEv = 0.5,
        });

        ReferenceSpectra expected = Spectra.EnergyCalibration.ResampleShifted(
            Spectra.ReferenceBroadening.Broaden(data.References, 0.5), data.OpticalDensity.Energies, 0.1);
        Assert.Equal(0.5, run.EnergyCalibration!.ReferenceBroadeningEv);
        Assert.Equal(expected.Values.ToArray(), run.References.Values.ToArray());
        Assert.NotEqual(
            Spectra.EnergyCalibration.ResampleShifted(data.References, data.OpticalDensity.Energies, 0.1).Values.ToArray(),
            run.References.Values.ToArray());
    }
}
