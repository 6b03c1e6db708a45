using System.CommandLine;
using System.Text.Json;
using StxmPhase.Cli.Beamtime;
using StxmPhase.IO;
using StxmPhase.Synthetic;

namespace StxmPhase.Cli.Tests;

/// <summary><c>--mrf on|off</c>: the Potts MRF of the final map as a science option (not <c>--spatial-prior</c>).</summary>
public sealed class MrfCliTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "stxmphase-mrf-" + Guid.NewGuid().ToString("N")[..8]);

    public MrfCliTests() => Directory.CreateDirectory(_dir);

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    [Theory]
    [InlineData(new string[0], true)]
    [InlineData(new[] { "--mrf", "on" }, true)]
    [InlineData(new[] { "--mrf", "off" }, false)]
    [InlineData(new[] { "--paper" }, false)]
    [InlineData(new[] { "--paper", "--mrf", "off" }, false)]
    public void Bind_Mrf_ReachesTheWorkflowOptions(string[] args, bool expected)
    {
        var command = new Command("x");
        ModelOptions options = ModelOptions.Create();
        options.AddTo(command);
        ParseResult p = command.Parse(args);
        Assert.Empty(p.Errors);

        ModelSettings m = options.Bind(p, 1);

        Assert.Equal(expected, m.SpatialRegularization && !m.PaperPipeline);
        Assert.Equal(expected, Pipelines.OptionsFor(m).SpatialRegularization);
        Assert.Equal(args.Contains("--mrf"), options.ExplicitScienceOptions(p).Contains("--mrf"));
    }

    [Fact]
    public async Task Map_MrfNeitherOnNorOff_ExitsWithInvalidArguments()
    {
        var (code, _, err) = await CliRunner.Run("map", "--stack", "x.npy", "--references", "r.csv", "--mrf", "maybe", "--out", _dir);

        Assert.Equal(ExitCodes.InvalidArguments, code);
        Assert.Contains("maybe", err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Evaluate_PaperWithMrfOn_ExitsWithInvalidArgumentsNamingBoth()
    {
        var (code, _, err) = await CliRunner.Run("evaluate", "--synthetic", "--paper", "--mrf", "on", "--size", "16", "--seeds", "1");

        Assert.Equal(ExitCodes.InvalidArguments, code);
        Assert.Contains("--mrf on", err, StringComparison.Ordinal);
        Assert.Contains("--paper", err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MapHelp_Mrf_SaysHowItDiffersFromTheSpatialPrior()
    {
        var (code, stdout, _) = await CliRunner.Run("map", "--help");

        Assert.Equal(0, code);
        string help = stdout.ReplaceLineEndings(" ");
        Assert.Contains("--mrf", help, StringComparison.Ordinal);
        Assert.Contains("Unlike --spatial-prior", string.Join(' ', help.Split(' ', StringSplitOptions.RemoveEmptyEntries)),
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task Map_MrfOff_EqualsTheLibraryRunWithoutSpatialRegularization()
    {
        (SyntheticDataset data, string[] common) = MrfTestInputs.WriteStack(_dir);

        var (off, _, err) = await CliRunner.Run([.. common, "--mrf", "off", "--out", Path.Combine(_dir, "off")]);
        Assert.True(off == 0, err);
        var (on, _, err2) = await CliRunner.Run([.. common, "--out", Path.Combine(_dir, "on")]);
        Assert.True(on == 0, err2);

        using PhaseMappingRun library = new PhaseMappingWorkflow
        {
            EncoderTrainer = new PcaEncoderTrainer(),
            Options = new PhaseMappingOptions { Seed = 1, SpatialRegularization = false },
        }.Run(new PhaseMappingInput(data.OpticalDensity, "stack"), data.References);
        int[] cliOff = NpyFile.Read(Path.Combine(_dir, "off", "stack", "phase-map.npy")).ToInt32Array();
        int[] cliOn = NpyFile.Read(Path.Combine(_dir, "on", "stack", "phase-map.npy")).ToInt32Array();
        Assert.Equal(library.Results[0].FinalMap.Labels.ToArray(), cliOff);
        Assert.NotEqual(cliOn, cliOff); // the MRF changes this noisy field, so the equality above is not the default's
        Assert.Equal("off", Option(Path.Combine(_dir, "off"), "mrf"));
        Assert.Equal("on", Option(Path.Combine(_dir, "on"), "mrf"));
    }

    [Fact]
    public async Task BeamtimeModel_FixesMrf_TrainedOffMapsOffAndRefusesTheOption()
    {
        await MrfTestInputs.SynthTwoStacks(_dir);

        string model = Path.Combine(_dir, "model.ckpt");
        var (trained, _, err) = await CliRunner.Run("train", "--stack", Path.Combine(_dir, "s0", "stack.npy"), "--stack",
            Path.Combine(_dir, "s1", "stack.npy"), "--references", Path.Combine(_dir, "s0", "references.csv"), "--model", model,
            "--strategy", "none", "--mrf", "off", "-q");
        Assert.True(trained == 0, err);
        Assert.False(BeamtimeModel.Read(model).Header.Settings.Mrf);

        var (mapped, _, err2) = await CliRunner.Run("map", "--model", model, "--stack", Path.Combine(_dir, "s0", "stack.npy"),
            "--out", Path.Combine(_dir, "m"), "--no-figures", "-q");
        Assert.True(mapped == 0, err2);
        Assert.Equal("off", Option(Path.Combine(_dir, "m"), "mrf"));

        var (refused, _, err3) = await CliRunner.Run("map", "--model", model, "--stack", Path.Combine(_dir, "s0", "stack.npy"),
            "--mrf", "on", "--out", Path.Combine(_dir, "r"), "--no-figures", "-q");
        Assert.Equal(ExitCodes.InvalidArguments, refused);
        Assert.Contains("--mrf", err3, StringComparison.Ordinal);
        Assert.Contains("fixes these settings", err3, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"paper\":false}", true)]
    [InlineData("{\"paper\":true}", false)]
    [InlineData("{\"paper\":false,\"mrf\":false}", false)]
    [InlineData("{\"paper\":false,\"mrf\":true}", true)]
    public void BeamtimeSettings_ModelWithoutMrfField_MapsAsItWasTrained(string json, bool expected)
    {
        BeamtimeSettings settings = JsonSerializer.Deserialize(json, BeamtimeJsonContext.Default.BeamtimeSettings)!;

        Assert.Equal(expected, BeamtimeModel.MrfOf(settings));
    }

    private static string? Option(string folder, string name)
    {
        using JsonDocument summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "stack", "summary.json")));
        return summary.RootElement.GetProperty("options").GetProperty(name).GetString();
    }
}
