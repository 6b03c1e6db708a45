using System.Text.Json;
using StxmPhase.Spectra;

namespace StxmPhase.Synthetic.Tests;

/// <summary>Compares the reference model with the NumPy re-implementation in tests/TestData/Generators/synthetic_references.py.</summary>
public class ReferencesOracleTests
{
    private static readonly JsonElement s_oracle = Load();

    [Fact]
    public void Evaluate_TestEnergies_MatchNumPyOracle()
    {
        double[] energies = Doubles(s_oracle.GetProperty("testEnergies"));
        ReferenceSpectra refs = NaVanadiumFluorophosphateReferences.Evaluate(new EnergyAxis(energies));
        JsonElement expected = s_oracle.GetProperty("testValues");

        Assert.Equal(Strings(s_oracle.GetProperty("phases")), refs.PhaseNames);
        for (int p = 0; p < refs.PhaseCount; p++)
        {
            double[] row = Doubles(expected[p]);
            for (int e = 0; e < energies.Length; e++)
            {
                Assert.Equal(row[e], refs.Spectrum(p)[e], 1e-12);
            }
        }
    }

    [Fact]
    public void DefaultEnergies_MatchOracle()
    {
        Assert.Equal(Doubles(s_oracle.GetProperty("defaultEnergies")), NaVanadiumFluorophosphateReferences.DefaultEnergies.ToArray());
    }

    [Theory]
    [InlineData("pearsonHighResolution", false)]
    [InlineData("pearsonDefault", true)]
    public void PearsonMatrix_MatchesNumPyCorrcoef(string property, bool sparse)
    {
        ReferenceSpectra refs = sparse
            ? NaVanadiumFluorophosphateReferences.Evaluate(NaVanadiumFluorophosphateReferences.DefaultEnergies)
            : NaVanadiumFluorophosphateReferences.HighResolution();
        JsonElement matrix = s_oracle.GetProperty(property);

        for (int a = 0; a < 5; a++)
        {
            double[] row = Doubles(matrix[a]);
            for (int b = 0; b < 5; b++)
            {
                Assert.Equal(row[b], TestMath.Pearson(refs.Spectrum(a), refs.Spectrum(b)), 1e-10);
            }
        }
    }

    private static JsonElement Load()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "TestData", "synthetic", "references_oracle.json");
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(path));
        return doc.RootElement.Clone();
    }

    private static double[] Doubles(JsonElement array) => [.. array.EnumerateArray().Select(v => v.GetDouble())];

    private static string[] Strings(JsonElement array) => [.. array.EnumerateArray().Select(v => v.GetString()!)];
}
