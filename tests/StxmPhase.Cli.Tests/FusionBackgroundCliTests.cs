using System.Globalization;
using System.Text.Json;
using StxmPhase.IO;
using StxmPhase.Synthetic;

namespace StxmPhase.Cli.Tests;

/// <summary><c>map --edge … --background linear --background-spectrum FILE</c>: background components on a fused two-edge stack.</summary>
public sealed class FusionBackgroundCliTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "stxmphase-fusion-bg-" + Guid.NewGuid().ToString("N")[..8]);

    public FusionBackgroundCliTests() => Directory.CreateDirectory(_dir);

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    /// <summary>A 40² V L + O K field with a carbon/CEI layer on the particles (seen by both edges); returns the map arguments.</summary>
    private string[] Field()
    {
        MultiEdgeDataset field = MultiEdgeGenerator.Generate(new MultiEdgeOptions
        {
            Edges =
            [
                new() { Width = 40, Height = 40, Seed = 4, Energies = MultiEdgeGenerator.VanadiumLEnergies, Dose = 1500, CarbonLayerOd = 0.4 },
                new() { Width = 40, Height = 40, Seed = 4, Energies = MultiEdgeGenerator.OxygenKEnergies, Dose = 400, CarbonLayerOd = 0.4 },
            ],
        });
        string[] names = ["vl", "ok"];
        for (int i = 0; i < 2; i++)
        {
            NpyFile.Write(Path.Combine(_dir, names[i] + ".npy"), field.Edges[i].OpticalDensity);
            EnergyAxisCsv.Write(Path.Combine(_dir, names[i] + "-energies.csv"), field.Edges[i].OpticalDensity.Energies);
        }

        ReferenceSpectraCsv.Write(Path.Combine(_dir, "references.csv"), field.Edges[0].References);
        return
        [
            "map", "--stack", Path.Combine(_dir, "vl.npy"), "--energies", Path.Combine(_dir, "vl-energies.csv"),
            "--edge", Path.Combine(_dir, "ok.npy"), "--edge-energies", Path.Combine(_dir, "ok-energies.csv"), "--quantity", "od",
            "--references", Path.Combine(_dir, "references.csv"), "--encoder", "pca", "--no-figures",
        ];
    }

    /// <summary>The layer's spectrum as a user supplies it (the references' CSV format) on [from, to] eV.</summary>
    private string CarbonFile(string name, double from, double to)
    {
        string path = Path.Combine(_dir, name);
        var lines = new List<string> { "energy,carbon" };
        for (double e = from; e <= to + 1e-9; e += 0.1)
        {
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"{e:0.0},{NaVanadiumFluorophosphateReferences.CarbonLayerAbsorption(e):R}"));
        }

        File.WriteAllLines(path, lines);
        return path;
    }

    [Fact]
    public async Task Map_FusedStackWithBackgroundSpectrum_FitsOneLayerOverBothEdges()
    {
        string[] map = Field();
        string carbon = CarbonFile("carbon.csv", 500, 550);
        string outDir = Path.Combine(_dir, "out");

        var (code, stdout, err) = await CliRunner.Run([.. map, "--background", "linear", "--background-spectrum", carbon, "--out", outDir]);

        Assert.True(code == 0, err + stdout);
        using JsonDocument summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "vl", "summary.json")));
        JsonElement root = summary.RootElement;
        Assert.Equal("linear+carbon.csv", root.GetProperty("options").GetProperty("background").GetString());
        Assert.Equal(2, root.GetProperty("fusion").GetProperty("blocks").GetArrayLength());

        // 13 energies − a − an offset and a slope per edge − one carbon amount shared by both edges.
        Assert.Equal(13 - 1 - 2 - 2 - 1, root.GetProperty("noise_model").GetProperty("degrees_of_freedom").GetInt32());
        float[] posterior = NpyFile.Read(Path.Combine(outDir, "vl", "posterior.npy")).ToSingleArray();
        Assert.Contains(posterior, v => float.IsFinite(v) && v > 0.5f);
    }

    [Fact]
    public async Task Map_BackgroundSpectrumNotCoveringAnEdge_FailsNamingFileEdgeAndEnergy()
    {
        string[] map = Field();
        string carbon = CarbonFile("carbon-vl-only.csv", 500, 530);

        var (code, stdout, err) = await CliRunner.Run([.. map, "--background-spectrum", carbon, "--out", Path.Combine(_dir, "out")]);

        Assert.True(code == 4, $"exit {code}: {err}{stdout}");
        Assert.Contains("carbon-vl-only.csv", err, StringComparison.Ordinal);
        Assert.Contains("edge 'ok'", err, StringComparison.Ordinal);
        Assert.Contains("531.3 eV", err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Map_LcfWithBackground_WarnsThatTheBaselineDoesNotUseIt()
    {
        string data = Path.Combine(_dir, "single");
        Assert.Equal(0, (await CliRunner.Run(["synth", "--out", data, "--width", "24", "--height", "24", "--seed", "2"])).Code);

        var (code, stdout, err) = await CliRunner.Run([
            "map", "--stack", Path.Combine(data, "stack.npy"), "--references", Path.Combine(data, "references.csv"), "--method", "lcf",
            "--background", "linear", "--no-figures", "--out", Path.Combine(_dir, "lcf")]);

        Assert.True(code == 0, err + stdout);
        Assert.Contains("--method lcf does not use --background", err, StringComparison.Ordinal);
    }
}
