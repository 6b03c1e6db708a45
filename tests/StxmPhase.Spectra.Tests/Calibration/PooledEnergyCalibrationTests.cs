using StxmPhase.Synthetic;

namespace StxmPhase.Spectra.Tests.Calibration;

/// <summary>The energy offset pooled over several stacks (issue 16).</summary>
public class PooledEnergyCalibrationTests
{
    private static SyntheticDataset Data(DomainLayout layout, int particles, double offset, int seed, int size = 96) =>
        SyntheticStackGenerator.Generate(new SyntheticStackOptions
        {
            Width = size, Height = size, ParticleCount = particles, DomainLayout = layout, EnergyOffsetEv = offset, Seed = seed, Dose = 2000,
        });

    [Fact]
    public void EstimateOffset_SameStackTwice_SameObjectiveAsOnce()
    {
        SyntheticDataset data = Data(DomainLayout.Voronoi, 6, 0.2, 5);

        EnergyOffsetEstimate once = EnergyCalibration.EstimateOffset(data.OpticalDensity, data.References, data.ParticleMask);
        EnergyOffsetEstimate twice = EnergyCalibration.EstimateOffset(
            [data.OpticalDensity, data.OpticalDensity], data.References, [data.ParticleMask, data.ParticleMask]);

        Assert.Equal(2 * once.PixelCount, twice.PixelCount);
        Assert.Equal(once.OffsetEv, twice.OffsetEv, 12);
        Assert.Equal(once.Objective, twice.Objective, (a, b) => Math.Abs(a - b) < 1e-12);
    }

    [Fact]
    public void EstimateOffset_SinglePhaseStackPooledWithManyPhaseStack_RecoversTheSharedOffset()
    {
        SyntheticDataset single = Data(DomainLayout.Uniform, 1, 0.3, 3, size: 64);
        SyntheticDataset many = Data(DomainLayout.Voronoi, 6, 0.3, 4, size: 128);

        EnergyOffsetEstimate first = EnergyCalibration.EstimateOffset(single.OpticalDensity, single.References, single.ParticleMask);
        EnergyOffsetEstimate pooled = EnergyCalibration.EstimateOffset(
            [single.OpticalDensity, many.OpticalDensity], single.References, [single.ParticleMask, many.ParticleMask]);

        Assert.False(first.IsReliable);
        Assert.True(pooled.IsReliable, pooled.Message);
        Assert.InRange(pooled.OffsetEv, 0.27, 0.33);
    }

    [Fact]
    public void EstimateOffset_MaskCountOrEnergiesDiffer_Throws()
    {
        SyntheticDataset a = Data(DomainLayout.Voronoi, 3, 0, 1, size: 32);
        var other = new SpectralStack(new EnergyAxis([510.0, 512, 514]), 32, 32);

        ArgumentException count = Assert.Throws<ArgumentException>(
            () => EnergyCalibration.EstimateOffset([a.OpticalDensity, a.OpticalDensity], a.References, [a.ParticleMask]));
        IncompatibleEnergiesException energies = Assert.Throws<IncompatibleEnergiesException>(
            () => EnergyCalibration.EstimateOffset([a.OpticalDensity, other], a.References));

        Assert.Contains("1 masks were given for 2 stacks", count.Message, StringComparison.Ordinal);
        Assert.Contains("Stack 1", energies.Message, StringComparison.Ordinal);
    }
}
