using System.Text.Json;
using StxmPhase.Cli;
using StxmPhase.IO;
using StxmPhase.TestUtilities;

namespace StxmPhase.Cli.Tests;

public sealed class CliTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "stxmphase-cli-" + Guid.NewGuid().ToString("N")[..8]);

    public CliTests() => Directory.CreateDirectory(_dir);

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    private static Task<(int Code, string Out, string Err)> Run(params string[] args) => CliRunner.Run(args);

    private async Task<string> Synth(int size = 48, string quantity = "transmission")
    {
        string dir = Path.Combine(_dir, "synth");
        var (code, _, err) = await Run(
            "synth", "--out", dir, "--width", $"{size}", "--height", $"{size}", "--seed", "3", "--dose", "300", "--quantity", quantity);
        Assert.True(code == 0, err);
        return dir;
    }

    [Fact]
    public async Task Synth_ThenMapWithPca_WritesEveryOutputAndSummary()
    {
        string data = await Synth();
        string outDir = Path.Combine(_dir, "out");

        var (code, stdout, err) = await Run("map", "--stack", Path.Combine(data, "stack.npy"), "--energies", Path.Combine(data, "energies.csv"),
            "--references", Path.Combine(data, "references.csv"), "--quantity", "transmission", "--encoder", "pca", "--out", outDir);

        Assert.True(code == 0, err);
        string folder = Path.Combine(outDir, "stack");
        foreach (string f in new[]
        {
            "phase-map.npy", "pcc-phase-map.npy", "reliability.npy", "ambiguous.npy", "correlations.npy", "posterior.npy", "summary.json",
            "phase-map.png", "ambiguity-map.png", "correlation-maps.png", "latent-space.png",
        })
        {
            Assert.True(File.Exists(Path.Combine(folder, f)), $"missing {f}");
        }

        NpyArray map = NpyFile.Read(Path.Combine(folder, "phase-map.npy"));
        Assert.Equal(new[] { 48, 48 }, map.Shape);
        NpyArray corr = NpyFile.Read(Path.Combine(folder, "correlations.npy"));
        Assert.Equal(new[] { 5, 48, 48 }, corr.Shape);
        NpyArray posterior = NpyFile.Read(Path.Combine(folder, "posterior.npy"));
        Assert.Equal(new[] { 5, 48, 48 }, posterior.Shape);
        using JsonDocument summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "summary.json")));
        double sum = summary.RootElement.GetProperty("fractions_after").EnumerateObject().Sum(p => p.Value.GetDouble());
        Assert.Equal(1.0, sum, 9);
        Assert.True(summary.RootElement.GetProperty("counts").GetProperty("no_match").GetInt32() >= 0);
        Assert.True(summary.RootElement.GetProperty("noise_model").GetProperty("chi2_scale").GetDouble() > 0);
        Assert.Contains("Na3.0", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Map_MaskAutoAndOtsu_SummaryReportsMaskAndAutoKeepsMoreParticle()
    {
        string data = await Synth();
        int SamplePixels(string folder, out string method, out double noise)
        {
            using JsonDocument summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "stack", "summary.json")));
            JsonElement mask = summary.RootElement.GetProperty("mask");
            method = mask.GetProperty("method").GetString()!;
            noise = mask.TryGetProperty("noise_integrated_od", out JsonElement n) && n.ValueKind == JsonValueKind.Number ? n.GetDouble() : double.NaN;
            return mask.GetProperty("sample_pixels").GetInt32();
        }

        foreach (string mask in new[] { "auto", "otsu" })
        {
            var (code, _, err) = await Run("map", "--stack", Path.Combine(data, "stack.npy"), "--energies", Path.Combine(data, "energies.csv"),
                "--references", Path.Combine(data, "references.csv"), "--quantity", "transmission", "--strategy", "none", "--no-figures",
                "--mask", mask, "--out", Path.Combine(_dir, mask));
            Assert.True(code == 0, err);
        }

        int auto = SamplePixels(Path.Combine(_dir, "auto"), out string autoMethod, out double autoNoise);
        int otsu = SamplePixels(Path.Combine(_dir, "otsu"), out string otsuMethod, out double otsuNoise);
        Assert.Equal("noise-aware", autoMethod);
        Assert.Equal("otsu", otsuMethod);
        Assert.True(autoNoise > 0);
        Assert.True(double.IsNaN(otsuNoise));
        Assert.True(auto > otsu, $"auto {auto} vs otsu {otsu} sample pixels");
    }

    [Fact]
    public async Task Map_ExistingOutputFolder_FailsWithInvalidArgumentsUnlessOverwrite()
    {
        string data = await Synth(32);
        string outDir = Path.Combine(_dir, "out");
        string[] args = ["map", "--stack", Path.Combine(data, "stack.npy"), "--energies", Path.Combine(data, "energies.csv"),
            "--references", Path.Combine(data, "references.csv"), "--quantity", "transmission", "--encoder", "pca", "--no-figures", "--out", outDir];
        Assert.Equal(0, (await Run(args)).Code);

        var second = await Run(args);
        Assert.Equal(ExitCodes.InvalidArguments, second.Code);
        Assert.Contains("--overwrite", second.Err, StringComparison.Ordinal);

        Assert.Equal(0, (await Run([.. args, "--overwrite"])).Code);
    }

    [Fact]
    public async Task Map_MissingStackFile_ExitsWithInvalidInputAndNamesTheFile()
    {
        string data = await Synth(16);
        string missing = Path.Combine(_dir, "nope.npy");
        var (code, _, err) = await Run(
            "map", "--stack", missing, "--references", Path.Combine(data, "references.csv"), "--out", Path.Combine(_dir, "o"));
        Assert.Equal(ExitCodes.InvalidInput, code);
        Assert.Contains("nope.npy", err, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Map_TruncatedStack_ExitsWithInvalidInput()
    {
        string data = await Synth(16);
        string bad = Path.Combine(_dir, "bad.npy");
        byte[] bytes = File.ReadAllBytes(Path.Combine(data, "stack.npy"));
        File.WriteAllBytes(bad, bytes.AsSpan(0, bytes.Length / 2).ToArray());
        var (code, _, err) = await Run("map", "--stack", bad, "--energies", Path.Combine(data, "energies.csv"),
            "--references", Path.Combine(data, "references.csv"), "--out", Path.Combine(_dir, "o"));
        Assert.Equal(ExitCodes.InvalidInput, code);
        Assert.Contains("bad.npy", err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Map_ReferencesNotCoveringEnergies_ExitsWithIncompatibleInputs()
    {
        string data = await Synth(16);
        string refs = Path.Combine(_dir, "narrow.csv");
        File.WriteAllText(refs, "energy_eV,a,b\n515,0.1,0.2\n520,0.5,0.3\n525,0.2,0.6\n");
        var (code, _, err) = await Run("map", "--stack", Path.Combine(data, "stack.npy"), "--energies", Path.Combine(data, "energies.csv"),
            "--references", refs, "--out", Path.Combine(_dir, "o"));
        Assert.Equal(ExitCodes.IncompatibleInputs, code);
        Assert.Contains("eV", err, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("map", "--stack")]
    [InlineData("demo", "--seed", "abc")]
    [InlineData("map", "--stack", "x.npy", "--references", "r.csv", "--strategy", "magic")]
    [InlineData("nosuchcommand")]
    public async Task InvalidArguments_ExitWithTwo(params string[] args)
    {
        var (code, _, err) = await Run(args);
        Assert.Equal(ExitCodes.InvalidArguments, code);
        Assert.StartsWith("stxmphase:", err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Info_NpyStack_DescribesDimensions()
    {
        string data = await Synth(24);
        var (code, stdout, err) = await Run("info", Path.Combine(data, "stack.npy"), "--energies", Path.Combine(data, "energies.csv"));
        Assert.True(code == 0, err);
        Assert.Contains("24", stdout, StringComparison.Ordinal);
        Assert.Contains("13", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Map_CancelledBeforeStart_ExitsWith130()
    {
        string data = await Synth(16);
        using var o = new StringWriter();
        using var e = new StringWriter();
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        int code = await CliApp.RunAsync(
            [
                "map", "--stack", Path.Combine(data, "stack.npy"), "--energies", Path.Combine(data, "energies.csv"),
                "--references", Path.Combine(data, "references.csv"), "--encoder", "pca", "--out", Path.Combine(_dir, "o"),
            ],
            o, e, cts.Token);
        Assert.Equal(ExitCodes.Cancelled, code);
    }

    [Fact]
    public async Task Map_TwoStacksWithGmvae_WritesLatentPathsAndTheAllStacksFigureOncePerRun()
    {
        string[] stacks = new string[2];
        for (int i = 0; i < 2; i++)
        {
            string dir = Path.Combine(_dir, $"synth{i}");
            var (c, _, e) = await Run(
                "synth", "--out", dir, "--width", "40", "--height", "40", "--seed", $"{i + 5}", "--dose", "300", "--quantity", "transmission");
            Assert.True(c == 0, e);
            stacks[i] = Path.Combine(dir, "stack.npy");
        }

        string data = Path.Combine(_dir, "synth0");
        string outDir = Path.Combine(_dir, "out");
        var (code, _, err) = await Run("map", "--stack", stacks[0], "--stack", stacks[1], "--energies", Path.Combine(data, "energies.csv"),
            "--references", Path.Combine(data, "references.csv"), "--quantity", "transmission", "--epochs", "3", "--max-training-spectra", "1500",
            "--out", outDir);

        Assert.True(code == 0, err);
        Assert.True(File.Exists(Path.Combine(outDir, "latent-all-stacks.png")));
        string[] lines = File.ReadAllLines(Path.Combine(outDir, "latent-paths.csv"));
        Assert.StartsWith("from_phase,to_phase,step,t,z1,z2,z3,od_", lines[0], StringComparison.Ordinal);
        int paths = (lines.Length - 1) / 11;
        Assert.Equal(1 + (paths * 11), lines.Length);
        Assert.InRange(paths, 1, 4);
        Assert.Equal(4 + 3 + 13, lines[1].Split(',').Length);
        string[] first = lines[1].Split(',');
        Assert.True(File.Exists(Path.Combine(outDir,
            $"latent-path-{Array.IndexOf(s_syntheticPhaseNames, first[0]) + 1}-{Array.IndexOf(s_syntheticPhaseNames, first[1]) + 1}.png")));
        Assert.False(File.Exists(Path.Combine(outDir, "stack", "latent-all-stacks.png")));
    }

    private static readonly string[] s_syntheticPhaseNames = ["Na3.0", "Na2.4", "Na2.0", "Na1.0", "Na1-y"];

    [Fact]
    public async Task Demo_SmallRun_PrintsAccuracyAndWritesFigures()
    {
        string outDir = Path.Combine(_dir, "demo");
        var (code, stdout, err) = await Run("demo", "--out", outDir, "--size", "48", "--epochs", "3", "--max-training-spectra", "1500");
        Assert.True(code == 0, err);
        Assert.Contains("accuracy vs truth", stdout, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(outDir, "demo", "loss-curves.png")));
        Assert.True(File.Exists(Path.Combine(outDir, "demo", "truth.npy")));
        Assert.True(File.Exists(Path.Combine(outDir, "demo", "reliability-diagram.png")));
        Assert.True(File.Exists(Path.Combine(outDir, "demo", "posterior.npy")));
    }
}

public sealed class CliBaselineTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "stxmphase-cli-b-" + Guid.NewGuid().ToString("N")[..8]);

    public CliBaselineTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static Task<(int Code, string Out, string Err)> Run(params string[] args) => CliRunner.Run(args);

    [Theory]
    [InlineData("lcf")]
    [InlineData("nmf")]
    public async Task Map_BaselineMethod_WritesPhaseMapWeightsAndFractions(string method)
    {
        string data = Path.Combine(_dir, "d");
        Assert.Equal(0, (await Run("synth", "--out", data, "--width", "40", "--height", "40", "--quantity", "od")).Code);

        var (code, stdout, err) = await Run("map", "--stack", Path.Combine(data, "stack.npy"), "--energies", Path.Combine(data, "energies.csv"),
            "--references", Path.Combine(data, "references.csv"), "--method", method, "--out", Path.Combine(_dir, "o"));

        Assert.True(code == 0, err);
        string folder = Path.Combine(_dir, "o", "stack");
        NpyArray map = NpyFile.Read(Path.Combine(folder, "phase-map.npy"));
        Assert.Equal(new[] { 40, 40 }, map.Shape);
        Assert.Contains(map.ToInt32Array(), l => l >= 0);
        Assert.Equal(3, NpyFile.Read(Path.Combine(folder, "weights.npy")).Shape.Count);
        Assert.Contains($"({method})", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Map_RealNxstxmStackWithMonitor_NormalisesAndMaps()
    {
        string stack = RepositoryPaths.Combine("tests", "TestData", "io", "real", "exampledata", "Sample_Stack_2021-03-16_128.hdf5");
        string refs = Path.Combine(_dir, "c-refs.csv");
        File.WriteAllText(refs, "energy_eV,flat,edge\n270,0.10,0.05\n285,0.12,0.60\n300,0.14,0.90\n330,0.15,1.00\n");

        var (code, stdout, err) = await Run("map", "--stack", stack, "--references", refs, "--quantity", "transmission", "--monitor", "control",
            "--encoder", "pca", "--no-figures", "--out", Path.Combine(_dir, "o"));

        Assert.True(code == 0, err);
        Assert.Contains("Sample_Stack_2021-03-16_128", stdout, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(_dir, "o", "Sample_Stack_2021-03-16_128", "phase-map.npy")));
    }

    [Fact]
    public async Task Map_I0File_IsUsedForTransmissionStacks()
    {
        string data = Path.Combine(_dir, "d");
        Assert.Equal(0, (await Run("synth", "--out", data, "--width", "32", "--height", "32", "--dose", "2000")).Code);
        string i0 = Path.Combine(_dir, "i0.txt");
        File.WriteAllText(i0, "# energy_eV I0\n500 2000\n550 2000\n");

        var (code, _, err) = await Run("map", "--stack", Path.Combine(data, "stack.npy"), "--energies", Path.Combine(data, "energies.csv"),
            "--references", Path.Combine(data, "references.csv"), "--quantity", "transmission", "--i0", i0, "--encoder", "pca", "--no-figures",
            "--out", Path.Combine(_dir, "o"));

        Assert.True(code == 0, err);
        using JsonDocument summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(_dir, "o", "stack", "summary.json")));
        Assert.True(summary.RootElement.GetProperty("counts").GetProperty("valid").GetInt32() > 0);
    }
}
