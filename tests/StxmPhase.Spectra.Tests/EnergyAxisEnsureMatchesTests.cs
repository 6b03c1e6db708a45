using StxmPhase.Spectra;

namespace StxmPhase.Spectra.Tests;

public class EnergyAxisEnsureMatchesTests
{
    private static readonly EnergyAxis s_axis = new(new[] { 510.0, 512.5, 515.0, 520.0 });

    [Fact]
    public void EnsureMatches_SameAxisOrWithinTolerance_DoesNotThrow()
    {
        s_axis.EnsureMatches(new EnergyAxis(new[] { 510.0, 512.5, 515.0, 520.0 }), "the stack", "the references");
        s_axis.EnsureMatches(new EnergyAxis(new[] { 510.0, 512.5009, 515.0, 520.0 }), "the stack", "the references");
        s_axis.EnsureMatches(new EnergyAxis(new[] { 510.0, 512.6, 515.0, 520.0 }), "the stack", "the references", toleranceEv: 0.2);
    }

    [Fact]
    public void EnsureMatches_ExactlyAtTolerance_DoesNotThrow()
    {
        var other = new EnergyAxis(new[] { 510.0, 512.5, 515.25, 520.0 });
        s_axis.EnsureMatches(other, "a", "b", toleranceEv: 0.25);
        Assert.Throws<IncompatibleEnergiesException>(() => s_axis.EnsureMatches(other, "a", "b", toleranceEv: 0.2499));
    }

    [Fact]
    public void EnsureMatches_CountsDiffer_NamesBothSidesCountsAndRanges()
    {
        var shorter = new EnergyAxis(new[] { 510.0, 512.5, 515.0 });
        var ex = Assert.Throws<IncompatibleEnergiesException>(() => s_axis.EnsureMatches(shorter, "the stack", "the references"));
        Assert.Equal("The stack has 4 energies (510–520 eV) but the references has 3 (510–515 eV).", ex.Message);
        Assert.Null(ex.EnergyEv);
    }

    [Fact]
    public void EnsureMatches_ValueDiffers_NamesBothSidesIndexValuesAndRemedy()
    {
        var other = new EnergyAxis(new[] { 510.0, 512.5, 515.5, 520.0 });
        var ex = Assert.Throws<IncompatibleEnergiesException>(() =>
            s_axis.EnsureMatches(other, "stack 'b'", "stack 'a'", remedy: "Resample first."));
        Assert.Equal(
            "Stack 'b' differs from stack 'a' at energy 2 (zero-based index): 515 eV against 515.5 eV (tolerance 0.001 eV). Resample first.",
            ex.Message);
        Assert.Equal(515.0, ex.EnergyEv);
    }

    [Fact]
    public void EnsureMatches_SeveralDiffer_ReportsTheFirst()
    {
        var other = new EnergyAxis(new[] { 510.0, 513.0, 516.0, 521.0 });
        var ex = Assert.Throws<IncompatibleEnergiesException>(() => s_axis.EnsureMatches(other, "x", "y"));
        Assert.Contains("at energy 1 ", ex.Message, StringComparison.Ordinal);
        Assert.Equal(512.5, ex.EnergyEv);
    }

    [Theory]
    [InlineData(-1e-3)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void EnsureMatches_BadTolerance_ThrowsArgumentOutOfRange(double tolerance)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => s_axis.EnsureMatches(s_axis, "a", "b", tolerance));
        Assert.Equal("toleranceEv", ex.ParamName);
    }

    [Fact]
    public void EnsureMatches_NullArguments_ThrowArgumentNull()
    {
        Assert.Throws<ArgumentNullException>(() => s_axis.EnsureMatches(null!, "a", "b"));
        Assert.Throws<ArgumentNullException>(() => s_axis.EnsureMatches(s_axis, null!, "b"));
        Assert.Throws<ArgumentNullException>(() => s_axis.EnsureMatches(s_axis, "a", null!));
    }
}
