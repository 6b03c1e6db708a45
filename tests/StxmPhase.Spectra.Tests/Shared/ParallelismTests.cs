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
}
