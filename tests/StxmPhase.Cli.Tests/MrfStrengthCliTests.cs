using System.CommandLine;
using System.Text.Json;
using StxmPhase.Assignment;
using StxmPhase.Cli.Beamtime;
using StxmPhase.IO;
using StxmPhase.Synthetic;

namespace StxmPhase.Cli.Tests;

/// <summary><c>--mrf-strength auto|VALUE</c>: the Potts MRF's β, estimated (default) or fixed.</summary>
public sealed class MrfStrengthCliTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "stxmphase-mrfs-" + Guid.NewGuid().ToString("N")[..8]);

    public MrfStrengthCliTests() => Directory.CreateDirectory(_dir);

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    [Theory]
    [InlineData(new string[0], null)]
    [InlineData(new[] { "--mrf-strength", "auto" }, null)]
    [InlineData(new[] { "--mrf-strength", "0" }, 0.0)]
    [InlineData(new[] { "--mrf-strength", "3.5" }, 3.5)]
    [InlineData(new[] { "--mrf", "on", "--mrf-strength", "10" }, 10.0)]
    public void Bind_MrfStrength_ReachesThePottsOptions(string[] args, double? expected)
    {
        var command = new Command("x");
        ModelOptions options = ModelOptions.Create();
        options.AddTo(command);
        ParseResult p = command.Parse(args);
        Assert.Empty(p.Errors);

        ModelSettings m = options.Bind(p, 1);

        Assert.Equal(expected, m.MrfStrength);
        Assert.Equal(expected, Pipelines.OptionsFor(m).Potts?.Strength);
        Assert.Equal(args.Contains("--mrf-strength"), options.ExplicitScienceOptions(p).Contains("--mrf-strength"));
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("10.5")]
    [InlineData("NaN")]
    [InlineData("strong")]
    [InlineData("3,5")]
    public async Task Map_MrfStrengthOutOfRange_ExitsWithInvalidArgumentsNamingTheValue(string value)
    {
        var (code, _, err) = await CliRunner.Run("map", "--stack", "x.npy", "--references", "r.csv", "--mrf-strength", value, "--out", _dir);

        Assert.Equal(ExitCodes.InvalidArguments, code);
        Assert.Contains("--mrf-strength", err, StringComparison.Ordinal);
        Assert.Contains($"'{value}'", err, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--paper")]
    [InlineData("--mrf", "off")]
    public async Task Evaluate_FixedStrengthWithoutMrf_ExitsWithInvalidArgumentsNamingBoth(params string[] without)
    {
        var (code, _, err) = await CliRunner.Run(
            ["evaluate", "--synthetic", .. without, "--mrf-strength", "2", "--size", "16", "--seeds", "1"]);

        Assert.Equal(ExitCodes.InvalidArguments, code);
        Assert.Contains("--mrf-strength 2", err, StringComparison.Ordinal);
        Assert.Contains(string.Join(' ', without), err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Map_FixedStrength_EqualsTheLibraryRunAndIsInTheSummary()
    {
        (SyntheticDataset data, string[] common) = MrfTestInputs.WriteStack(_dir);

        var (fixedCode, _, err) = await CliRunner.Run([.. common, "--mrf-strength", "4", "--out", Path.Combine(_dir, "fixed")]);
        Assert.True(fixedCode == 0, err);
        var (autoCode, _, err2) = await CliRunner.Run([.. common, "--mrf-strength", "auto", "--out", Path.Combine(_dir, "auto")]);
        Assert.True(autoCode == 0, err2);

        using PhaseMappingRun library = new PhaseMappingWorkflow
        {
            EncoderTrainer = new PcaEncoderTrainer(),
            Options = new PhaseMappingOptions { Seed = 1, Potts = new PottsOptions { Strength = 4 } },
        }.Run(new PhaseMappingInput(data.OpticalDensity, "stack"), data.References);
        int[] cliFixed = NpyFile.Read(Path.Combine(_dir, "fixed", "stack", "phase-map.npy")).ToInt32Array();
        int[] cliAuto = NpyFile.Read(Path.Combine(_dir, "auto", "stack", "phase-map.npy")).ToInt32Array();
        Assert.Equal(library.Results[0].FinalMap.Labels.ToArray(), cliFixed);
        Assert.NotEqual(cliAuto, cliFixed); // β = 4 smooths this noisy field more than the estimate, so the equality is not auto's

        using JsonDocument fixedSummary = Summary(Path.Combine(_dir, "fixed"));
        using JsonDocument autoSummary = Summary(Path.Combine(_dir, "auto"));
        Assert.Equal(4.0, fixedSummary.RootElement.GetProperty("options").GetProperty("mrf_strength").GetDouble());
        Assert.False(autoSummary.RootElement.GetProperty("options").TryGetProperty("mrf_strength", out _)); // auto: as before
        Assert.Equal(4.0, PottsStrength(fixedSummary));
        Assert.NotEqual(4.0, PottsStrength(autoSummary));
    }

    [Fact]
    public async Task BeamtimeModel_StoresStrength_MapsWithItAndRefusesTheOption()
    {
        await MrfTestInputs.SynthTwoStacks(_dir);

        string model = Path.Combine(_dir, "model.ckpt");
        var (trained, _, err) = await CliRunner.Run("train", "--stack", Path.Combine(_dir, "s0", "stack.npy"), "--stack",
            Path.Combine(_dir, "s1", "stack.npy"), "--references", Path.Combine(_dir, "s0", "references.csv"), "--model", model,
            "--strategy", "none", "--mrf-strength", "3", "-q");
        Assert.True(trained == 0, err);
        Assert.Equal(3.0, BeamtimeModel.Read(model).Header.Settings.MrfStrength);

        var (mapped, _, err2) = await CliRunner.Run("map", "--model", model, "--stack", Path.Combine(_dir, "s0", "stack.npy"),
            "--out", Path.Combine(_dir, "m"), "--no-figures", "-q");
        Assert.True(mapped == 0, err2);
        using JsonDocument summary = Summary(Path.Combine(_dir, "m"));
        Assert.Equal(3.0, summary.RootElement.GetProperty("options").GetProperty("mrf_strength").GetDouble());
        Assert.Equal(3.0, PottsStrength(summary));

        var (refused, _, err3) = await CliRunner.Run("map", "--model", model, "--stack", Path.Combine(_dir, "s0", "stack.npy"),
            "--mrf-strength", "auto", "--out", Path.Combine(_dir, "r"), "--no-figures", "-q");
        Assert.Equal(ExitCodes.InvalidArguments, refused);
        Assert.Contains("--mrf-strength", err3, StringComparison.Ordinal);
        Assert.Contains("fixes these settings", err3, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"paper\":false}", null)]
    [InlineData("{\"paper\":false,\"mrf\":true}", null)]
    [InlineData("{\"paper\":false,\"mrf\":true,\"mrf_strength\":2.5}", 2.5)]
    public void BeamtimeSettings_ModelWithoutStrengthField_LoadsAsAuto(string json, double? expected)
    {
        BeamtimeSettings settings = JsonSerializer.Deserialize(json, BeamtimeJsonContext.Default.BeamtimeSettings)!;

        Assert.Equal(expected, settings.MrfStrength);
        Assert.Equal(expected is null, !JsonSerializer.Serialize(settings, BeamtimeJsonContext.Default.BeamtimeSettings)
            .Contains("mrf_strength", StringComparison.Ordinal));
    }

    private static JsonDocument Summary(string folder) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "stack", "summary.json")));

    private static double PottsStrength(JsonDocument summary)
    {
        foreach (JsonProperty p in summary.RootElement.EnumerateObject())
        {
            if (p.Value.ValueKind == JsonValueKind.Object && p.Value.TryGetProperty("potts_strength", out JsonElement b))
            {
                return b.GetDouble();
            }
        }

        throw new InvalidOperationException("summary.json has no potts_strength");
    }
}
