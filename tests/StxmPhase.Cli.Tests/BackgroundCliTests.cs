using System.Globalization;
using System.Text.Json;
using StxmPhase.IO;
using StxmPhase.Synthetic;

namespace StxmPhase.Cli.Tests;

/// <summary><c>map --background linear --background-spectrum FILE</c> (issue 16).</summary>
public sealed class BackgroundCliTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "stxmphase-background-" + Guid.NewGuid().ToString("N")[..8]);

    public BackgroundCliTests() => Directory.CreateDirectory(_dir);

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    private static double Accuracy(string labelsPath, string truthPath)
    {
        int[] labels = NpyFile.Read(labelsPath).ToInt32Array();
        int[] truth = NpyFile.Read(truthPath).ToInt32Array();
        int correct = 0, total = 0;
        for (int i = 0; i < truth.Length; i++)
        {
            if (truth[i] >= 0)
            {
                total++;
                correct += labels[i] == truth[i] ? 1 : 0;
            }
        }

        return (double)correct / total;
    }

    [Fact]
    public async Task Map_CarbonBackgroundSpectrum_RecordedAndRaisesPccAccuracy()
    {
        string data = Path.Combine(_dir, "carbon");
        string[] synth = ["synth", "--out", data, "--width", "80", "--height", "80", "--seed", "6", "--carbon-layer", "1.5"];
        Assert.Equal(0, (await CliRunner.Run(synth)).Code);
        string carbon = Path.Combine(_dir, "carbon.csv");
        var lines = new List<string> { "energy,carbon" };
        for (double e = 500; e <= 550.001; e += 0.1)
        {
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"{e:0.0},{NaVanadiumFluorophosphateReferences.CarbonLayerAbsorption(e):R}"));
        }

        File.WriteAllLines(carbon, lines);
        string[] common =
        [
            "map", "--stack", Path.Combine(data, "stack.npy"), "--references", Path.Combine(data, "references.csv"), "--strategy", "none",
            "--no-figures",
        ];

        var (plainCode, _, plainErr) = await CliRunner.Run([.. common, "--out", Path.Combine(_dir, "plain")]);
        var (code, _, err) = await CliRunner.Run(
            [.. common, "--background", "linear", "--background-spectrum", carbon, "--out", Path.Combine(_dir, "fitted")]);

        Assert.True(plainCode == 0, plainErr);
        Assert.True(code == 0, err);
        using JsonDocument summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(_dir, "fitted", "stack", "summary.json")));
        Assert.Equal("linear+carbon.csv", summary.RootElement.GetProperty("options").GetProperty("background").GetString());
        string truth = Path.Combine(data, "truth.npy");
        double plain = Accuracy(Path.Combine(_dir, "plain", "stack", "pcc-phase-map.npy"), truth);
        double fitted = Accuracy(Path.Combine(_dir, "fitted", "stack", "pcc-phase-map.npy"), truth);
        Assert.True(fitted > plain + 0.05, $"PCC accuracy {plain:F3} → {fitted:F3}");
    }

    [Theory]
    [InlineData("--background", "quadratic", 2)]
    [InlineData("--background-spectrum", "missing.csv", 3)]
    public async Task Map_BadBackground_ExitCodeNamesOption(string option, string value, int exit)
    {
        string data = Path.Combine(_dir, "d");
        Assert.Equal(0, (await CliRunner.Run("synth", "--out", data, "--width", "32", "--height", "32", "--seed", "1")).Code);

        var (code, _, err) = await CliRunner.Run(
            "map", "--stack", Path.Combine(data, "stack.npy"), "--references", Path.Combine(data, "references.csv"),
            "--strategy", "none", "--no-figures", "--out", Path.Combine(_dir, "o"), option, value);

        Assert.Equal(exit, code);
        Assert.Contains(value, err, StringComparison.Ordinal);
    }
}
