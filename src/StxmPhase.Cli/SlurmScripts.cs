using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace StxmPhase.Cli;

/// <summary>What a Slurm submission of a beamtime asks for (the options of <c>stxmphase slurm</c>, paths absolute).</summary>
/// <param name="Manifest">The manifest (absolute path).</param>
/// <param name="StackCount">Its number of stacks (data lines): the array has one task per stack.</param>
/// <param name="Model">The trained model checkpoint (absolute path).</param>
/// <param name="OutputRoot">The output root (absolute path): stacks go to ROOT/&lt;name&gt;/, summary.csv to ROOT.</param>
/// <param name="WorkingDirectory">The folder the tasks run in (relative manifest paths resolve as they did here).</param>
/// <param name="CpusPerTask">CPUs per array task (<c>--cpus-per-task</c>); each map uses this many threads.</param>
/// <param name="MaxParallel">At most this many tasks at once (<c>%M</c> of <c>--array</c>), or null for no limit.</param>
/// <param name="Partition">The partition, or null for the cluster's default.</param>
/// <param name="Time">The time limit per task, or null for the partition's default.</param>
/// <param name="Memory">The memory per task (<c>--mem</c>), or null for the cluster's default.</param>
/// <param name="Account">The account to charge, or null.</param>
/// <param name="NoFigures">Whether the map tasks skip the PNG figures (<c>--no-figures</c>).</param>
internal sealed record SlurmJobSettings(
    string Manifest,
    int StackCount,
    string Model,
    string OutputRoot,
    string WorkingDirectory,
    int CpusPerTask,
    int? MaxParallel,
    string? Partition,
    string? Time,
    string? Memory,
    string? Account,
    bool NoFigures = false);

/// <summary>
/// Writes the two batch scripts of a Slurm submission: a job array with one <c>stxmphase map --manifest-index</c> task
/// per manifest line, and the <c>stxmphase collect</c> job that runs after all of them (<c>--dependency=afterany</c>,
/// given when it is submitted). Pure text generation; <see cref="SlurmCommand"/> writes and submits them.
/// </summary>
internal static partial class SlurmScripts
{
    /// <summary>The array's script, in the output root.</summary>
    public const string MapScriptName = "stxmphase.sbatch";

    /// <summary>The collect job's script, in the output root.</summary>
    public const string CollectScriptName = "stxmphase-collect.sbatch";

    /// <summary>The folder of the jobs' standard output and error files, in the output root (Slurm does not create it).</summary>
    public const string LogFolderName = "slurm-logs";

    /// <summary>The array job's script.</summary>
    /// <param name="s">The settings.</param>
    /// <param name="launcher">How to start stxmphase (the executable, or dotnet and the tool's dll).</param>
    /// <returns>The script text ("\n" line ends).</returns>
    public static string MapScript(SlurmJobSettings s, IReadOnlyList<string> launcher)
    {
        ArgumentNullException.ThrowIfNull(s);
        ArgumentNullException.ThrowIfNull(launcher);
        string array = string.Create(CultureInfo.InvariantCulture, $"0-{s.StackCount - 1}") +
                       (s.MaxParallel is int m ? string.Create(CultureInfo.InvariantCulture, $"%{m}") : string.Empty);
        var b = new StringBuilder();
        b.Append("#!/bin/bash\n");
        b.Append(CultureInfo.InvariantCulture, $"# Written by stxmphase slurm: one array task per stack of the manifest ({s.StackCount} stacks).\n");
        b.Append("# Submit with `stxmphase slurm ... --submit`, or by hand (then the collect job after the array):\n");
        b.Append(CultureInfo.InvariantCulture, $"#   {SubmitCommand(s.OutputRoot)}\n");
        b.Append("#SBATCH --job-name=stxmphase-map\n");
        b.Append(CultureInfo.InvariantCulture, $"#SBATCH --array={array}\n");
        b.Append("#SBATCH --ntasks=1\n");
        b.Append(CultureInfo.InvariantCulture, $"#SBATCH --cpus-per-task={s.CpusPerTask}\n");
        AppendCommon(b, s, s.Memory);
        b.Append("#SBATCH --output=").Append(SbatchQuote(LogPattern(s.OutputRoot, "map-%A_%a.out"))).Append('\n');
        b.Append("set -euo pipefail\n");
        b.Append("cd ").Append(ShellQuote(s.WorkingDirectory)).Append('\n');
        b.Append("# Every stage (TorchSharp's pools included) uses the task's CPUs: stxmphase reads SLURM_CPUS_PER_TASK.\n");
        b.Append("exec ").Append(Launch(launcher))
            .Append(" map --manifest ").Append(ShellQuote(s.Manifest))
            .Append(" --manifest-index \"$SLURM_ARRAY_TASK_ID\"")
            .Append(" --model ").Append(ShellQuote(s.Model))
            .Append(" --out ").Append(ShellQuote(s.OutputRoot))
            .Append(s.NoFigures ? " --no-figures" : string.Empty)
            .Append(" --quiet\n");
        return b.ToString();
    }

    /// <summary>The collect job's script (its dependency on the array is given to sbatch when it is submitted).</summary>
    /// <param name="s">The settings.</param>
    /// <param name="launcher">How to start stxmphase.</param>
    /// <returns>The script text.</returns>
    public static string CollectScript(SlurmJobSettings s, IReadOnlyList<string> launcher)
    {
        ArgumentNullException.ThrowIfNull(s);
        ArgumentNullException.ThrowIfNull(launcher);
        var b = new StringBuilder();
        b.Append("#!/bin/bash\n");
        b.Append("# Written by stxmphase slurm: builds summary.csv once every array task has ended (submit with\n");
        b.Append("# --dependency=afterany:<array job id>; `stxmphase slurm --submit` does).\n");
        b.Append("#SBATCH --job-name=stxmphase-collect\n");
        b.Append("#SBATCH --ntasks=1\n");
        b.Append("#SBATCH --cpus-per-task=1\n");
        AppendCommon(b, s, memory: null);
        b.Append("#SBATCH --output=").Append(SbatchQuote(LogPattern(s.OutputRoot, "collect-%j.out"))).Append('\n');
        b.Append("set -euo pipefail\n");
        b.Append("cd ").Append(ShellQuote(s.WorkingDirectory)).Append('\n');
        b.Append("exec ").Append(Launch(launcher)).Append(" collect ").Append(ShellQuote(s.OutputRoot))
            .Append(" --manifest ").Append(ShellQuote(s.Manifest)).Append('\n');
        return b.ToString();
    }

    /// <summary>The shell commands that submit both scripts by hand, the collect job depending on the array.</summary>
    /// <param name="outputRoot">The output root (absolute).</param>
    /// <returns>One line for bash.</returns>
    public static string SubmitCommand(string outputRoot) =>
        "jobid=$(sbatch --parsable " + ShellQuote(Path.Combine(outputRoot, MapScriptName)) + ") && sbatch --dependency=afterany:${jobid%%;*} " +
        ShellQuote(Path.Combine(outputRoot, CollectScriptName));

    /// <summary>Quotes a word for bash: single quotes, with each single quote written as <c>'\''</c>.</summary>
    /// <param name="value">The word.</param>
    /// <returns>The quoted word.</returns>
    public static string ShellQuote(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.Length > 0 && SafeWord().IsMatch(value) ? value : "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
    }

    /// <summary>Quotes the value of an <c>#SBATCH</c> option as sbatch reads it: double quotes, with <c>\</c> and <c>"</c>
    /// escaped by a backslash (sbatch also ends an unquoted value at whitespace or <c>#</c>).</summary>
    /// <param name="value">The value.</param>
    /// <returns>The quoted value.</returns>
    public static string SbatchQuote(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
    }

    /// <summary>A log file pattern in the output root's log folder: the root's own <c>%</c> doubled so that Slurm
    /// does not read it as a replacement symbol (<c>%A</c>, <c>%a</c>, <c>%j</c> in <paramref name="file"/> are).</summary>
    /// <param name="outputRoot">The output root (absolute).</param>
    /// <param name="file">The file name pattern.</param>
    /// <returns>The pattern.</returns>
    public static string LogPattern(string outputRoot, string file) =>
        Path.Combine(outputRoot, LogFolderName).Replace("%", "%%", StringComparison.Ordinal) + "/" + file;

    /// <summary>How this process was started, as the words that start it again: the executable (the tool's apphost or a
    /// single-file build), or <c>dotnet</c> and the tool's dll when it runs through the dotnet host.</summary>
    /// <returns>Absolute paths.</returns>
    public static IReadOnlyList<string> CurrentLauncher()
    {
        string dll = Path.Combine(AppContext.BaseDirectory, typeof(SlurmScripts).Assembly.GetName().Name + ".dll");
        string? process = Environment.ProcessPath;
        string name = Path.GetFileName(process) ?? string.Empty;
        name = name.EndsWith(".exe", StringComparison.OrdinalIgnoreCase) ? name[..^4] : name; // "StxmPhase.Cli" has a dot
        if (process is not null && (!File.Exists(dll) || name == "stxmphase" || name + ".dll" == Path.GetFileName(dll)))
        {
            return [process]; // the tool's shim, its apphost or a single-file build (no dll on disk)
        }

        // The dotnet host itself, or another host (a test runner) that loaded the tool's dll.
        string host = name == "dotnet" ? process! : Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
        return [host, dll];
    }

    private static string Launch(IReadOnlyList<string> launcher) => string.Join(' ', launcher.Select(ShellQuote));

    private static void AppendCommon(StringBuilder b, SlurmJobSettings s, string? memory)
    {
        if (s.Partition is { } p)
        {
            b.Append("#SBATCH --partition=").Append(p).Append('\n');
        }

        if (s.Account is { } a)
        {
            b.Append("#SBATCH --account=").Append(a).Append('\n');
        }

        if (s.Time is { } t)
        {
            b.Append("#SBATCH --time=").Append(t).Append('\n');
        }

        if (memory is { } m)
        {
            b.Append("#SBATCH --mem=").Append(m).Append('\n');
        }
    }

    /// <summary>Words bash reads literally without quotes.</summary>
    [GeneratedRegex(@"^[A-Za-z0-9_./=:@%+,-]+\z")]
    private static partial Regex SafeWord();
}
