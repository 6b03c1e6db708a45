namespace StxmPhase.Spectra.Tests;

public class PhaseMapNoMatchTests
{
    [Fact]
    public void Constructor_NoMatchLabel_AcceptedAndCarriesNoPhase()
    {
        var map = new PhaseMap(5, 1, ["a", "b"], [0, 1, PhaseMap.NoMatch, PhaseMap.Unassigned, 1]);

        Assert.Equal(3, map.AssignedCount);
        Assert.Equal(1, map.CountOf(PhaseMap.NoMatch));
        Assert.Equal([1.0 / 3, 2.0 / 3], map.Fractions());
    }

    [Fact]
    public void Constructor_LabelBelowNoMatch_ThrowsNamingPixelAndValue()
    {
        var ex = Assert.Throws<ArgumentException>(() => new PhaseMap(3, 1, ["a"], [0, -3, 0]));

        Assert.Contains("pixel 1", ex.Message, StringComparison.Ordinal);
        Assert.Contains("-3", ex.Message, StringComparison.Ordinal);
    }
}
