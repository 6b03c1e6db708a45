using StxmPhase.Shared;

namespace StxmPhase.Spectra.Tests.Shared;

/// <summary>The shared MaxDegreeOfParallelism check (src/Shared/Parallelism.cs, Spectra's compiled copy).</summary>
public class ParallelismTests
{
    [Theory]
    [InlineData(-1)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(int.MaxValue)]
    public void ThrowIfInvalid_MinusOneOrPositive_DoesNotThrow(int value) => Parallelism.ThrowIfInvalid(value, "options");

    [Theory]
    [InlineData(0)]
    [InlineData(-2)]
    [InlineData(int.MinValue)]
    public void ThrowIfInvalid_ZeroOrBelowMinusOne_ThrowsNamingSettingAndValue(int value)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => Parallelism.ThrowIfInvalid(value, "options"));
        Assert.Equal("options", ex.ParamName);
        Assert.Equal(value, ex.ActualValue);
        Assert.StartsWith(
            FormattableString.Invariant($"MaxDegreeOfParallelism must be -1 (all cores) or at least 1; got {value}."),
            ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ThrowIfInvalid_NamedSetting_MessageNamesIt()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => Parallelism.ThrowIfInvalid(0, "options", "KMeansOptions.MaxDegreeOfParallelism"));
        Assert.StartsWith("KMeansOptions.MaxDegreeOfParallelism must be -1 (all cores) or at least 1; got 0.", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Callers_BadDegreeOfParallelism_ReportTheSharedMessageNamingTheirOption()
    {
        var stack = new SpectralStack(new EnergyAxis([1.0, 2.0]), 8, 8, new float[128], SpectralQuantity.Transmission);

        var align = Assert.Throws<ArgumentOutOfRangeException>(() =>
            StackAligner.Align(stack, new StackAlignmentOptions { MaxDegreeOfParallelism = 0 }));
        Assert.StartsWith("StackAlignmentOptions.MaxDegreeOfParallelism must be -1 (all cores) or at least 1; got 0.",
            align.Message, StringComparison.Ordinal);

        var shifts = Assert.Throws<ArgumentOutOfRangeException>(() =>
            StackAligner.ApplyShifts(stack, [new ImageShift(0, 0), new ImageShift(0, 0)], maxDegreeOfParallelism: -2));
        Assert.Equal("maxDegreeOfParallelism", shifts.ParamName);
        Assert.StartsWith("MaxDegreeOfParallelism must be -1 (all cores) or at least 1; got -2.", shifts.Message, StringComparison.Ordinal);

        var od = Assert.Throws<ArgumentOutOfRangeException>(() =>
            OpticalDensity.FromTransmission(stack, new OpticalDensityOptions { MaxDegreeOfParallelism = 0 }));
        Assert.StartsWith("OpticalDensityOptions.MaxDegreeOfParallelism must be -1 (all cores) or at least 1; got 0.",
            od.Message, StringComparison.Ordinal);

        var i0 = Assert.Throws<ArgumentOutOfRangeException>(() =>
            I0Estimator.Estimate(stack, new I0EstimationOptions { MaxDegreeOfParallelism = -5 }));
        Assert.StartsWith("I0EstimationOptions.MaxDegreeOfParallelism must be -1 (all cores) or at least 1; got -5.",
            i0.Message, StringComparison.Ordinal);
    }
}
