using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using StxmPhase.Cli;
using StxmPhase.Spectra;

namespace StxmPhase.Cli.Tests;

/// <summary>
/// <c>stxmphase slurm</c> without a Slurm: the scripts' content, quoting, array range and dependency, and the
/// submission's errors with real programs in sbatch's place. The scripts running on a real Slurm:
/// scripts/slurm-integration-test.sh (from .ci/run).
/// </summary>
public sealed class SlurmCliTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "stxmphase-slurm-" + Guid.NewGuid().ToString("N")[..8]);

    public SlurmCliTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static SlurmJobSettings Settings(string root, int stacks = 6, int? maxParallel = 4) =>
        new("/data/beam time/manifest.csv", stacks, "/models/it's.ckpt", root, "/home/user/run", 3, maxParallel, "cpu", "0-02:00:00", "8G", null);

    [Fact]
    public void MapScript_SixStacksAtMostFour_ArrayRangeResourcesAndLogPattern()
    {
        string script = SlurmScripts.MapScript(Settings("/scratch/out 100%"), ["/opt/stxmphase"]);
        string[] lines = script.Split('\n');

        Assert.Equal("#!/bin/bash", lines[0]);
        Assert.Contains("#SBATCH --array=0-5%4", lines);
        Assert.Contains("#SBATCH --cpus-per-task=3", lines);
        Assert.Contains("#SBATCH --ntasks=1", lines);
        Assert.Contains("#SBATCH --partition=cpu", lines);
        Assert.Contains("#SBATCH --time=0-02:00:00", lines);
        Assert.Contains("#SBATCH --mem=8G", lines);
        Assert.DoesNotContain(lines, l => l.StartsWith("#SBATCH --account", StringComparison.Ordinal));

        // The root's own % doubled (Slurm would read "%/" as a pattern), %A_%a kept; quoted for sbatch's parser.
        Assert.Contains("#SBATCH --output=\"/scratch/out 100%%/slurm-logs/map-%A_%a.out\"", lines);

        // sbatch reads #SBATCH lines only before the first command.
        int firstCommand = Array.FindIndex(lines, l => l.Length > 0 && !l.StartsWith('#'));
        Assert.True(Array.FindLastIndex(lines, l => l.StartsWith("#SBATCH", StringComparison.Ordinal)) < firstCommand);
    }

    [Fact]
    public void MapScript_NoMaxParallel_ArrayWithoutLimit()
    {
        string script = SlurmScripts.MapScript(Settings("/r", stacks: 1, maxParallel: null), ["/opt/stxmphase"]);
        Assert.Contains("#SBATCH --array=0-0\n", script, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MapScript_RunByBash_PassesEveryPathAsOneWordAndTheTaskIdAsIndex()
    {
        // The launcher replaced by printf shows the words bash hands to stxmphase.
        string root = Path.Combine(_dir, "root with 'quotes' $HOME `x` \"dq\" 50%");
        SlurmJobSettings s = Settings(root) with { WorkingDirectory = _dir };
        string script = SlurmScripts.MapScript(s, ["printf", "<%s>\\n"]);

        string output = await RunBash(script, ("SLURM_ARRAY_TASK_ID", "4"));

        Assert.Equal(
            "<map>\n<--manifest>\n</data/beam time/manifest.csv>\n<--manifest-index>\n<4>\n<--model>\n</models/it's.ckpt>\n" +
            $"<--out>\n<{root}>\n<--quiet>\n", output);
    }

    [Fact]
    public async Task CollectScript_RunByBash_CollectsTheRootInTheWorkingDirectory()
    {
        string root = Path.Combine(_dir, "a b'c");
        string script = SlurmScripts.CollectScript(Settings(root) with { WorkingDirectory = _dir }, ["printf", "<%s>\\n"]);

        Assert.Contains("#SBATCH --cpus-per-task=1\n", script, StringComparison.Ordinal);
        Assert.DoesNotContain("--mem", script, StringComparison.Ordinal);
        Assert.Contains($"#SBATCH --output=\"{Path.Combine(root, "slurm-logs")}/collect-%j.out\"", script, StringComparison.Ordinal);
        Assert.Equal($"<collect>\n<{root}>\n<--manifest>\n</data/beam time/manifest.csv>\n", await RunBash(script));
        Assert.Equal(_dir, (await RunBash(script.Replace("exec printf '<%s>\\n' collect", "pwd #", StringComparison.Ordinal))).TrimEnd());
    }

    [Fact]
    public void SbatchQuote_QuotesAndBackslashes_EscapedForSbatchsParser() =>
        Assert.Equal("\"a \\\"b\\\" c\\\\d 'e'\"", SlurmScripts.SbatchQuote("a \"b\" c\\d 'e'"));

    [Fact]
    public async Task SubmitCommand_RunByBash_SubmitsTheCollectJobAfterTheArraysId()
    {
        // A real program in sbatch's place: a function that prints its arguments and a "<id>;<cluster>" job id.
        string line = SlurmScripts.SubmitCommand("/r o'ot");
        string output = await RunBash("sbatch() { printf '[%s]' \"$@\" >&2; echo >&2; echo '41;cluster'; }\n" + line + "\n");

        // Standard output (the collect job's id) first, then the arguments of both calls from standard error.
        Assert.Equal("41;cluster\n[--parsable][/r o'ot/stxmphase.sbatch]\n[--dependency=afterany:41][/r o'ot/stxmphase-collect.sbatch]\n", output);
    }

    [Fact]
    public void CurrentLauncher_UnderTheTestHost_IsADotnetHostAndTheToolsDll()
    {
        IReadOnlyList<string> launcher = SlurmScripts.CurrentLauncher();

        Assert.Equal(2, launcher.Count);
        Assert.Equal("StxmPhase.Cli.dll", Path.GetFileName(launcher[1]));
        Assert.True(File.Exists(launcher[1]));
        Assert.True(Path.IsPathFullyQualified(launcher[1]));
    }

    [Fact]
    public async Task Slurm_SixStackManifest_WritesBothScriptsAndPrintsHowToSubmit()
    {
        string manifest = WriteManifest(6);
        string model = Touch("model.ckpt");
        string root = Path.Combine(_dir, "out");

        var (code, stdout, err) = await CliRunner.Run("slurm", "--manifest", manifest, "--model", model, "--out", root, "--max-parallel", "2",
            "--no-figures");

        Assert.True(code == 0, err);
        string map = await File.ReadAllTextAsync(Path.Combine(root, "stxmphase.sbatch"));
        Assert.Contains("#SBATCH --array=0-5%2\n", map, StringComparison.Ordinal);
        Assert.Contains($"#SBATCH --cpus-per-task={SlurmCommand.DefaultCpusPerTask}\n", map, StringComparison.Ordinal);
        Assert.Contains($" map --manifest {manifest} --manifest-index \"$SLURM_ARRAY_TASK_ID\" --model {model} --out {root} --no-figures " +
            "--quiet\n", map, StringComparison.Ordinal);
        Assert.Contains($"cd {Directory.GetCurrentDirectory()}\n", map, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(root, "stxmphase-collect.sbatch")));
        Assert.True(Directory.Exists(Path.Combine(root, "slurm-logs")), "Slurm does not create the log folder itself");
        Assert.Contains(SlurmScripts.SubmitCommand(root), stdout, StringComparison.Ordinal);
        Assert.Contains("(job array: 6 tasks, at most 2 at once, ", stdout, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(root, "*.tmp*"));
    }

    [Fact]
    public async Task Slurm_OneStackManifest_SaysOneTaskNotOneTasks()
    {
        string root = Path.Combine(_dir, "one");

        var (code, stdout, err) = await CliRunner.Run("slurm", "--manifest", WriteManifest(1), "--model", Touch("m.ckpt"), "--out", root,
            "--cpus-per-task", "1");

        Assert.True(code == 0, err);
        Assert.Contains("(job array: 1 task, 1 CPU each) and ", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Collect_RootWithSlurmsLogFolderAndNoManifest_TakesTheLogFolderForNoStack()
    {
        string root = Path.Combine(_dir, "out");
        Assert.Equal(0, (await CliRunner.Run("slurm", "--manifest", WriteManifest(2), "--model", Touch("m.ckpt"), "--out", root)).Code);

        var (code, stdout, err) = await CliRunner.Run("collect", root);

        Assert.True(code == 0, stdout + err);
        Assert.Single(File.ReadAllLines(Path.Combine(root, "summary.csv"))); // the header only: no 'missing' stack "slurm-logs"
    }

    [Theory]
    [InlineData("path,name\n", 3, "lists no stack")]
    [InlineData("file,name\na.npy,a\n", 3, "has no 'path' column")]
    [InlineData("path,name\na.npy,x\nb.npy,x\n", 3, "has the name 'x' of line 2")]
    [InlineData("", 3, "is empty")]
    [InlineData("path\n\"a.npy\n", 3, "line 2 has an unclosed quote")]
    public async Task Slurm_BadManifest_ExitsWithInvalidInputNamingTheFile(string text, int expected, string message)
    {
        string manifest = Path.Combine(_dir, "m.csv");
        await File.WriteAllTextAsync(manifest, text);

        var (code, _, err) = await CliRunner.Run("slurm", "--manifest", manifest, "--model", Touch("m.ckpt"), "--out", Path.Combine(_dir, "o"));

        Assert.Equal(expected, code);
        Assert.Contains(manifest, err, StringComparison.Ordinal);
        Assert.Contains(message, err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Slurm_MissingModel_ExitsWithInvalidInputAndWritesNothing()
    {
        string root = Path.Combine(_dir, "o");
        var (code, _, err) = await CliRunner.Run("slurm", "--manifest", WriteManifest(2), "--model", Path.Combine(_dir, "none.ckpt"), "--out", root);

        Assert.Equal(3, code);
        Assert.Contains("none.ckpt", err, StringComparison.Ordinal);
        Assert.False(Directory.Exists(root));
    }

    [Fact]
    public async Task Slurm_ModelNotFromTrain_ExitsWithInvalidInput()
    {
        string model = Path.Combine(_dir, "gmvae.ckpt");
        await File.WriteAllTextAsync(model, "not a beamtime model");
        var (code, _, err) = await CliRunner.Run("slurm", "--manifest", WriteManifest(2), "--model", model, "--out", Path.Combine(_dir, "o"));

        Assert.Equal(3, code);
        Assert.Contains("not a model written by `stxmphase train`", err, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--max-parallel", "0")]
    [InlineData("--cpus-per-task", "0")]
    [InlineData("--partition", "a b")]
    [InlineData("--partition", "x\n#SBATCH --exclusive")]
    [InlineData("--time", "2h")]
    [InlineData("--mem", "8 G")]
    [InlineData("--account", "a;rm")]
    public async Task Slurm_ValueSbatchCannotTake_ExitsWithInvalidArguments(string option, string value)
    {
        var (code, _, err) = await CliRunner.Run("slurm", "--manifest", WriteManifest(2), "--model", Touch("m.ckpt"), "--out",
            Path.Combine(_dir, "o"), option, value);

        Assert.Equal(2, code);
        Assert.Contains(option, err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Slurm_RootWithALineBreak_ExitsWithInvalidArguments()
    {
        var (code, _, err) = await CliRunner.Run("slurm", "--manifest", WriteManifest(2), "--model", Touch("m.ckpt"), "--out",
            Path.Combine(_dir, "a\nb"));

        Assert.Equal(2, code);
        Assert.Contains("line break", err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SlurmSubmit_SbatchMissing_ExitsWithSubmissionFailedAndSaysWhy()
    {
        var (code, _, err) = await CliRunner.Run("slurm", "--manifest", WriteManifest(2), "--model", Touch("m.ckpt"), "--out",
            Path.Combine(_dir, "o"), "--submit", "--sbatch", Path.Combine(_dir, "no-sbatch-here"));

        Assert.Equal(6, code);
        Assert.Contains("cannot run", err, StringComparison.Ordinal);
        Assert.Contains("no-sbatch-here", err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SlurmSubmit_ProgramFails_ExitsWithSubmissionFailedAndShowsItsStandardError()
    {
        // ls in sbatch's place rejects --parsable on its standard error with exit code 2.
        var (code, stdout, err) = await CliRunner.Run("slurm", "--manifest", WriteManifest(2), "--model", Touch("m.ckpt"), "--out",
            Path.Combine(_dir, "o"), "--submit", "--sbatch", "ls");

        Assert.Equal(6, code);
        Assert.Contains("failed with exit code 2", err, StringComparison.Ordinal);
        Assert.Contains("ls: ", err, StringComparison.Ordinal); // ls's own message, "ls: unrecognized option ..."
        Assert.DoesNotContain("Submitted", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SlurmSubmit_ProgramPrintsNoJobId_ExitsWithSubmissionFailed()
    {
        var (code, _, err) = await CliRunner.Run("slurm", "--manifest", WriteManifest(2), "--model", Touch("m.ckpt"), "--out",
            Path.Combine(_dir, "o"), "--submit", "--sbatch", "true");

        Assert.Equal(6, code);
        Assert.Contains("printed no job id", err, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(1)]
    public async Task Map_Summary_RecordsTheThreadsItUsed(int? threads)
    {
        string data = Path.Combine(_dir, "d");
        Assert.Equal(0, (await CliRunner.Run("synth", "--out", data, "--width", "24", "--height", "24", "--dose", "300")).Code);
        string[] extra = threads is int t ? ["--threads", t.ToString(CultureInfo.InvariantCulture)] : [];

        var (code, _, err) = await CliRunner.Run(["map", "--stack", Path.Combine(data, "stack.npy"), "--references",
            Path.Combine(data, "references.csv"), "--encoder", "pca", "--no-figures", "--out", Path.Combine(_dir, "o"), .. extra]);

        Assert.True(code == 0, err);
        using JsonDocument summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(_dir, "o", "stack", "summary.json")));
        JsonElement execution = summary.RootElement.GetProperty("execution");
        Assert.Equal(threads ?? ProcessorBudget.Available, execution.GetProperty("threads").GetInt32());
        Assert.Equal(ProcessorBudget.Available, execution.GetProperty("cpu_budget").GetInt32());
    }

    private string WriteManifest(int stacks)
    {
        string path = Path.Combine(_dir, "manifest.csv");
        File.WriteAllLines(path, ["path,name,soc", .. Enumerable.Range(0, stacks).Select(i => $"s{i}.npy,s{i},0.{i}")]);
        return path;
    }

    /// <summary>A file that starts as a model of <c>stxmphase train</c> does (what slurm checks; the tasks read the rest).</summary>
    private string Touch(string name)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllText(path, "STXMBEAM and the rest");
        return path;
    }

    private static async Task<string> RunBash(string script, params (string Name, string Value)[] environment)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach ((string name, string value) in environment)
        {
            start.Environment[name] = value;
        }

        using Process bash = Process.Start(start)!;
        await bash.StandardInput.WriteAsync(script);
        bash.StandardInput.Close();
        Task<string> stderr = bash.StandardError.ReadToEndAsync();
        string stdout = await bash.StandardOutput.ReadToEndAsync();
        await bash.WaitForExitAsync();
        string err = await stderr;
        Assert.True(bash.ExitCode == 0, err);
        return stdout + err;
    }
}
