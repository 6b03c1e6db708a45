using System.Globalization;
using StxmPhase.Spectra;

namespace StxmPhase.Tests;

/// <summary>Library messages read the same whatever the user's culture (here de-DE, with a decimal comma).</summary>
public class InvariantMessageTests
{
    private static T UnderGerman<T>(Func<T> action)
    {
        CultureInfo before = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
        try
        {
            Assert.Equal(",", CultureInfo.CurrentCulture.NumberFormat.NumberDecimalSeparator); // the culture really is German
            return action();
        }
        finally
        {
            CultureInfo.CurrentCulture = before;
        }
    }

    [Fact]
    public void EvaluationAndEnergyMessages_UnderGermanCulture_UseInvariantNumbers()
    {
        string[] names = ["a", "b"];
        var truth = PhaseMap.FromArray(2, 2, names, [0, 1, 1, 0]);
        var wide = PhaseMap.FromArray(4, 1, names, [0, 1, 1, 0]);

        ArgumentException size = UnderGerman(() => Assert.Throws<ArgumentException>(() => PhaseMappingEvaluation.Compare(wide, truth)));
        ArgumentException posteriors = UnderGerman(() => Assert.Throws<ArgumentException>(
            () => PhaseMappingEvaluation.Calibration(new float[3], truth)));
        ArgumentException energies = UnderGerman(() => Assert.Throws<ArgumentException>(() => new EnergyAxis([512.5, 512.25])));

        Assert.StartsWith("The predicted map is 4×1 but the truth is 2×2.", size.Message, StringComparison.Ordinal);
        Assert.StartsWith("Expected 2 × 4 posteriors but got 3.", posteriors.Message, StringComparison.Ordinal);
        Assert.Contains("(512.25 eV)", energies.Message, StringComparison.Ordinal);
        Assert.Contains("(512.5 eV)", energies.Message, StringComparison.Ordinal);
    }
}
