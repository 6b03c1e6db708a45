using StxmPhase.IO;
using StxmPhase.Synthetic;

namespace StxmPhase.Cli.Tests;

/// <summary>The inputs the <c>--mrf</c> and <c>--mrf-strength</c> tests map: one noisy synthetic stack on which the MRF
/// changes the map, and two small synthetic stacks to train a beamtime model on.</summary>
internal static class MrfTestInputs
{
    /// <summary>Writes a 40² synthetic stack (seed 3, dose 300) with its energies and references to <paramref name="dir"/>
    /// and returns it with the <c>map</c> arguments shared by the tests (PCA encoder, seed 1, no figures, quiet; no
    /// <c>--out</c>).</summary>
    public static (SyntheticDataset Data, string[] MapArgs) WriteStack(string dir)
    {
        SyntheticDataset data = SyntheticStackGenerator.Generate(new SyntheticStackOptions { Width = 40, Height = 40, Seed = 3, Dose = 300 });
        NpyFile.Write(Path.Combine(dir, "stack.npy"), data.OpticalDensity);
        EnergyAxisCsv.Write(Path.Combine(dir, "energies.csv"), data.OpticalDensity.Energies);
        ReferenceSpectraCsv.Write(Path.Combine(dir, "references.csv"), data.References);
        string[] common = ["map", "--stack", Path.Combine(dir, "stack.npy"), "--energies", Path.Combine(dir, "energies.csv"),
            "--references", Path.Combine(dir, "references.csv"), "--quantity", "od", "--encoder", "pca", "--seed", "1", "--no-figures", "-q"];
        return (data, common);
    }

    /// <summary>Writes two 32² synthetic stacks (seeds 1 and 2, dose 300) with <c>synth</c> into <paramref name="dir"/>/s0 and
    /// /s1.</summary>
    public static async Task SynthTwoStacks(string dir)
    {
        for (int i = 0; i < 2; i++)
        {
            var (synth, _, serr) = await CliRunner.Run("synth", "--out", Path.Combine(dir, $"s{i}"), "--width", "32", "--height", "32",
                "--seed", $"{i + 1}", "--dose", "300");
            Assert.True(synth == 0, serr);
        }
    }
}
