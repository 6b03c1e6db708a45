using StxmPhase.Synthetic;

namespace StxmPhase.Spectra.Tests.Calibration;

public class EnergyCalibrationTests
{
    private static SyntheticDataset Data(DomainLayout layout, int particles, double offset, int seed) =>
        SyntheticStackGenerator.Generate(new SyntheticStackOptions
        {
            Width = 128, Height = 128, ParticleCount = particles, DomainLayout = layout, EnergyOffsetEv = offset, Seed = seed, Dose = 2000,
        });

    [Theory]
    [InlineData(DomainLayout.CoreShell, 0.25, 1)]
    [InlineData(DomainLayout.Voronoi, -0.3, 2)]
    [InlineData(DomainLayout.Voronoi, 0.45, 8)]
    [InlineData(DomainLayout.Voronoi, -0.45, 9)]
    [InlineData(DomainLayout.CoreShell, 0.0, 3)]
    public void EstimateOffset_KnownShiftOfManyPhaseSample_RecoveredWithin30meV(DomainLayout layout, double offset, int seed)
    {
        SyntheticDataset data = Data(layout, 6, offset, seed);

        EnergyOffsetEstimate estimate = EnergyCalibration.EstimateOffset(data.OpticalDensity, data.References, data.ParticleMask);

        Assert.Equal(EnergyOffsetStatus.Estimated, estimate.Status);
        Assert.True(estimate.IsReliable);
        Assert.InRange(estimate.OffsetEv, offset - 0.03, offset + 0.03);
        Assert.InRange(estimate.UncertaintyEv, 1e-5, 0.02);
        Assert.Equal(estimate.TrialOffsetsEv.Count, estimate.Objective.Count);
    }

    [Theory]
    [InlineData(0.2, 3)]
    [InlineData(0.0, 4)]
    public void EstimateOffset_SinglePhaseSample_AmbiguousAndNotReliable(double offset, int seed)
    {
        SyntheticDataset data = Data(DomainLayout.Uniform, 1, offset, seed);

        EnergyOffsetEstimate estimate = EnergyCalibration.EstimateOffset(data.OpticalDensity, data.References, data.ParticleMask);

        Assert.Equal(EnergyOffsetStatus.Ambiguous, estimate.Status);
        Assert.False(estimate.IsReliable);
        Assert.Contains("single phase", estimate.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EstimateOffset_OffsetBeyondSearchRange_AtSearchBound()
    {
        SyntheticDataset data = Data(DomainLayout.Voronoi, 6, 0.45, 8);

        EnergyOffsetEstimate estimate = EnergyCalibration.EstimateOffset(
            data.OpticalDensity, data.References, data.ParticleMask, new EnergyCalibrationOptions { SearchRangeEv = 0.1 });

        Assert.True(estimate.Status == EnergyOffsetStatus.AtSearchBound,
            $"{estimate.Status} {estimate.OffsetEv} "
            + $"{string.Join(' ', estimate.Objective.Select(v => v.ToString("0.0000", System.Globalization.CultureInfo.InvariantCulture)))}");
        Assert.Equal(0.1, estimate.OffsetEv, 9);
    }

    [Fact]
    public void EstimateOffset_ReferencesOnlyAtStackEnergies_NotEstimable()
    {
        SyntheticDataset data = SyntheticStackGenerator.Generate(new SyntheticStackOptions { Width = 48, Height = 48, Seed = 1 });

        EnergyOffsetEstimate estimate = EnergyCalibration.EstimateOffset(data.OpticalDensity, data.ReferencesOnStack, data.ParticleMask);

        Assert.Equal(EnergyOffsetStatus.NotEstimable, estimate.Status);
        Assert.Equal(0, estimate.OffsetEv);
        Assert.Contains("coarsely", estimate.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0.37)]
    [InlineData(-0.52)]
    public void ResampleShifted_HighResolutionReferences_MatchAnalyticModelAtShiftedEnergies(double offset)
    {
        EnergyAxis axis = NaVanadiumFluorophosphateReferences.DefaultEnergies;

        ReferenceSpectra shifted = EnergyCalibration.ResampleShifted(NaVanadiumFluorophosphateReferences.HighResolution(), axis, offset);

        Assert.Equal(axis, shifted.Energies);
        for (int p = 0; p < shifted.PhaseCount; p++)
        {
            for (int e = 0; e < axis.Count; e++)
            {
                Assert.Equal(NaVanadiumFluorophosphateReferences.Absorption(p, axis[e] + offset), shifted.Spectrum(p)[e], 3e-3);
            }
        }
    }

    [Fact]
    public void EstimateOffset_BadOption_ThrowsNamingIt()
    {
        SyntheticDataset data = SyntheticStackGenerator.Generate(new SyntheticStackOptions { Width = 16, Height = 16, ParticleCount = 1, Seed = 1 });

        var ex = Assert.Throws<ArgumentOutOfRangeException>(() =>
            EnergyCalibration.EstimateOffset(data.OpticalDensity, data.References, null, new EnergyCalibrationOptions { StepEv = 0 }));

        Assert.Contains("StepEv", ex.Message, StringComparison.Ordinal);
    }
}
