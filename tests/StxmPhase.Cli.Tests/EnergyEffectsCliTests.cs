using System.Text.Json;
using StxmPhase.IO;
using StxmPhase.Synthetic;

namespace StxmPhase.Cli.Tests;

/// <summary><c>synth</c> measurement-effect flags and <c>map --energy-offset</c> (issue 16).</summary>
public sealed class EnergyEffectsCliTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "stxmphase-effects-" + Guid.NewGuid().ToString("N")[..8]);

    public EnergyEffectsCliTests() => Directory.CreateDirectory(_dir);

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    private static Task<(int Code, string Out, string Err)> Run(params string[] args) => CliRunner.Run(args);

    [Fact]
    public async Task Synth_EffectFlags_SameStackAsLibraryOptions()
    {
        string dir = Path.Combine(_dir, "carbon");
        var (code, _, err) = await Run("synth", "--out", dir, "--width", "40", "--height", "40", "--seed", "3", "--quantity", "od",
            "--carbon-layer", "0.3", "--psf", "1.2", "--energy-offset", "-0.2", "--broadening", "0.3", "--harmonic-fraction", "0.04",
            "--harmonic-absorption", "0.2", "--max-thickness", "3", "--beam-damage", "0.1", "--energy-jitter", "0.05", "--i0-decay", "0.1",
            "--i0-jitter", "0.01");
        Assert.True(code == 0, err);

        SyntheticDataset expected = SyntheticStackGenerator.Generate(new SyntheticStackOptions
        {
            Width = 40, Height = 40, Seed = 3, CarbonLayerOd = 0.3, PsfFwhmPixels = 1.2, EnergyOffsetEv = -0.2, SpectralBroadeningEv = 0.3,
            HarmonicFraction = 0.04, HarmonicAbsorptionRatio = 0.2, MaxThicknessOd = 3, BeamDamageFraction = 0.1, EnergyJitterEv = 0.05,
            BeamDecayFraction = 0.1, I0JitterFraction = 0.01,
        });
        float[] written = NpyFile.Read(Path.Combine(dir, "stack.npy")).ToSingleArray();
        Assert.Equal(expected.OpticalDensity.Data.ToArray(), written);
    }

    [Theory]
    [InlineData("synth", "--psf", "17")]
    [InlineData("synth", "--carbon-layer", "-1")]
    [InlineData("synth", "--energy-offset", "2.5")]
    [InlineData("map", "--energy-offset", "5")]
    [InlineData("map", "--energy-offset", "sometimes")]
    [InlineData("map", "--reference-broadening", "-0.5")]
    [InlineData("map", "--max-od", "-1")]
    public async Task Command_BadEffectValue_ExitCode2NamingOption(string command, string option, string value)
    {
        var (code, _, err) = await Run(command, "--out", Path.Combine(_dir, "bad"), "--stack", "x.npy", "--references", "r.csv", option, value);

        Assert.Equal(2, code);
        Assert.Contains(option, err, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("lcf")]
    [InlineData("nmf")]
    public async Task Map_BaselineMethodOnShiftedStack_UsesAndReportsTheCalibratedReferences(string method)
    {
        string data = Path.Combine(_dir, "shifted-" + method);
        Assert.Equal(0, (await Run("synth", "--out", data, "--width", "96", "--height", "96", "--seed", "2", "--energy-offset", "0.25")).Code);
        string outDir = Path.Combine(_dir, "out-" + method);

        var (code, stdout, err) = await Run("map", "--stack", Path.Combine(data, "stack.npy"), "--references", Path.Combine(data, "references.csv"),
            "--method", method, "--no-figures", "--out", outDir);

        Assert.True(code == 0, err);
        using JsonDocument summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "stack", "summary.json")));
        Assert.InRange(summary.RootElement.GetProperty("energy_offset_eV").GetDouble(), 0.22, 0.28);
        Assert.InRange(summary.RootElement.GetProperty("energy_offset_uncertainty_eV").GetDouble(), 0, 0.03);
        Assert.Contains("0.1 eV", err, StringComparison.Ordinal);
        Assert.Contains("Outputs:", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Map_ShiftedStack_ConsoleSummaryReportsOffsetWithUncertainty()
    {
        string data = Path.Combine(_dir, "shifted-console");
        Assert.Equal(0, (await Run("synth", "--out", data, "--width", "96", "--height", "96", "--seed", "2", "--energy-offset", "0.25")).Code);

        var (code, stdout, err) = await Run("map", "--stack", Path.Combine(data, "stack.npy"), "--references", Path.Combine(data, "references.csv"),
            "--strategy", "none", "--no-figures", "--out", Path.Combine(_dir, "out-console"));

        Assert.True(code == 0, err);
        Assert.Matches(@"energy offset: \+0\.2[2-8]\d ± 0\.0\d\d eV applied \(estimated from \d+ sample pixels of all stacks\)", stdout);
    }

    [Theory]
    [InlineData("auto", 0.22, 0.28, "auto")]
    [InlineData("none", 0.0, 0.0, "none")]
    [InlineData("-0.1", -0.1, -0.1, "fixed")]
    public async Task Map_EnergyOffsetOption_ReportedInSummary(string setting, double low, double high, string mode)
    {
        string data = Path.Combine(_dir, "shifted");
        Assert.Equal(0, (await Run("synth", "--out", data, "--width", "96", "--height", "96", "--seed", "2", "--energy-offset", "0.25")).Code);
        string outDir = Path.Combine(_dir, "out-" + mode);

        var (code, _, err) = await Run("map", "--stack", Path.Combine(data, "stack.npy"), "--energies", Path.Combine(data, "energies.csv"),
            "--references", Path.Combine(data, "references.csv"), "--quantity", "transmission", "--strategy", "none", "--no-figures",
            "--energy-offset", setting, "--out", outDir);

        Assert.True(code == 0, err);
        using JsonDocument summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "stack", "summary.json")));
        Assert.InRange(summary.RootElement.GetProperty("energy_offset_eV").GetDouble(), low - 1e-9, high + 1e-9);
        Assert.Equal(mode, summary.RootElement.GetProperty("energy_offset_mode").GetString());
        if (mode == "auto")
        {
            Assert.Equal("Estimated", summary.RootElement.GetProperty("energy_offset_status").GetString());
            Assert.Contains("0.1 eV", err, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Map_ThickHarmonicStack_SaturatedMaskWrittenAndCounted()
    {
        string data = Path.Combine(_dir, "thick");
        Assert.Equal(0, (await Run("synth", "--out", data, "--width", "48", "--height", "48", "--seed", "5", "--max-thickness", "4",
            "--harmonic-fraction", "0.04", "--dose", "5000")).Code);
        string outDir = Path.Combine(_dir, "out-thick");

        var (code, _, err) = await Run("map", "--stack", Path.Combine(data, "stack.npy"), "--energies", Path.Combine(data, "energies.csv"),
            "--references", Path.Combine(data, "references.csv"), "--quantity", "transmission", "--encoder", "pca", "--no-figures",
            "--energy-offset", "none", "--reference-broadening", "0.3", "--out", outDir);

        Assert.True(code == 0, err);
        byte[] saturated = NpyFile.Read(Path.Combine(outDir, "stack", "saturated.npy")).ToInt32Array().Select(v => (byte)v).ToArray();
        using JsonDocument summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "stack", "summary.json")));
        int count = summary.RootElement.GetProperty("counts").GetProperty("saturated").GetInt32();
        Assert.True(count > 0);
        Assert.Equal(count, saturated.Count(v => v == 1));
        Assert.Equal(2.5, summary.RootElement.GetProperty("options").GetProperty("max_od").GetDouble());
        Assert.Equal(0.3, summary.RootElement.GetProperty("reference_broadening_eV").GetDouble());
    }
}
