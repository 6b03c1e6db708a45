using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using StxmPhase.Spectra;

namespace StxmPhase.Cli;

/// <summary>
/// <c>stxmphase slurm</c>: writes the job-array and collect scripts of a beamtime into the output root and, with
/// <c>--submit</c>, submits both with <c>sbatch --parsable</c>. No scheduler code of our own: sbatch does the work.
/// </summary>
internal static partial class SlurmCommand
{
    /// <summary>CPUs per array task when <c>--cpus-per-task</c> is not given.</summary>
    internal const int DefaultCpusPerTask = 2;

    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var manifest = new Option<string>("--manifest", "-m")
        {
            Description = "The beamtime manifest (CSV with a header: path, optional name, metadata columns); one array task per line.",
            Required = true,
        };
        var model = new Option<string>("--model") { Description = "The model checkpoint written by `stxmphase train`.", Required = true };
        var outDir = new Option<string>("--out", "-o")
        {
            Description = "Output root: ROOT/<name>/ per stack, ROOT/summary.csv, the scripts.",
            Required = true,
        };
        var submit = new Option<bool>("--submit") { Description = "Submit the array and the collect job with sbatch and print their job ids." };
        var cpus = ValidatedOption.Int("--cpus-per-task", "CPUs per array task; each map uses this many threads (SLURM_CPUS_PER_TASK).",
            DefaultCpusPerTask, 1, 4096);
        var maxParallel = ValidatedOption.OptionalInt("--max-parallel", "At most this many array tasks at once (--array=0-(N-1)%M).", 1,
            1_000_000);
        var partition = SbatchValue("--partition", "The partition (default: the cluster's default partition).", PartitionPattern(),
            "a partition name");
        var time = SbatchValue("--time", "Time limit per task, in a form sbatch accepts (minutes, HH:MM:SS, D-HH:MM).", TimePattern(),
            "a time limit");
        var memory = SbatchValue("--mem", "Memory per task, as sbatch takes it (e.g. 4G, 8000M).", MemoryPattern(), "a memory size");
        var account = SbatchValue("--account", "The account to charge (where the site requires one).", PartitionPattern(), "an account name");
        var sbatch = new Option<string>("--sbatch")
        {
            Description = "The sbatch program to call with --submit.",
            DefaultValueFactory = _ => "sbatch",
        };
        var noFigures = new Option<bool>("--no-figures") { Description = "The map tasks write no PNG figures (as map --no-figures)." };
        var verbose = new Option<bool>("--verbose", "-v") { Description = "Show stack traces on errors." };
        var cmd = new Command("slurm", "Write a Slurm job array (one `map --manifest-index` task per manifest line, --model) and a collect " +
            "job that builds ROOT/summary.csv after it (--dependency=afterany) into ROOT; --submit submits both with sbatch. " +
            "See docs/cluster.md.")
        {
            manifest, model, outDir, submit, cpus, maxParallel, partition, time, memory, account, noFigures, sbatch, verbose,
        };
        cmd.SetAction((ParseResult p, CancellationToken ct) =>
        {
            using var ctx = new CliContext(stdout, stderr, p.GetValue(verbose), quiet: true);
            return Task.FromResult(CliApp.Guarded(ctx, () => Run(ctx, new SlurmJobSettings(
                Path.GetFullPath(p.GetValue(manifest)!), 0, Path.GetFullPath(p.GetValue(model)!), Path.GetFullPath(p.GetValue(outDir)!),
                Directory.GetCurrentDirectory(), p.GetValue(cpus), p.GetValue(maxParallel), p.GetValue(partition), p.GetValue(time),
                p.GetValue(memory), p.GetValue(account), p.GetValue(noFigures)), p.GetValue(submit) ? p.GetValue(sbatch)! : null, ct)));
        });
        return cmd;
    }

    /// <summary>Writes the scripts and, when <paramref name="sbatch"/> is given, submits them.</summary>
    /// <param name="ctx">The command context.</param>
    /// <param name="settings">The settings (the stack count is read from the manifest here).</param>
    /// <param name="sbatch">The sbatch program, or null to write the scripts only.</param>
    /// <param name="ct">Cancels the submission.</param>
    /// <returns>The exit code.</returns>
    internal static int Run(CliContext ctx, SlurmJobSettings settings, string? sbatch, CancellationToken ct)
    {
        if (!File.Exists(settings.Model))
        {
            throw new FileNotFoundException($"{settings.Model}: the model does not exist (train one with `stxmphase train`).", settings.Model);
        }

        if (!Beamtime.BeamtimeModel.IsBeamtimeModel(settings.Model))
        {
            throw new CheckpointFormatException($"{settings.Model}: not a model written by `stxmphase train`, which the array's map tasks need.")
            {
                FileName = settings.Model,
            };
        }

        CheckRoot(settings.OutputRoot);
        SlurmJobSettings s = settings with { StackCount = Beamtime.BeamtimeManifest.Read(settings.Manifest).Entries.Count };
        IReadOnlyList<string> launcher = SlurmScripts.CurrentLauncher();
        Directory.CreateDirectory(Path.Combine(s.OutputRoot, SlurmScripts.LogFolderName));
        string mapScript = Path.Combine(s.OutputRoot, SlurmScripts.MapScriptName);
        string collectScript = Path.Combine(s.OutputRoot, SlurmScripts.CollectScriptName);
        AtomicFile.WriteText(mapScript, SlurmScripts.MapScript(s, launcher));
        AtomicFile.WriteText(collectScript, SlurmScripts.CollectScript(s, launcher));
        string limit = s.MaxParallel is int m ? string.Create(CultureInfo.InvariantCulture, $", at most {m} at once") : string.Empty;
        ctx.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Wrote {mapScript} (job array: {s.StackCount} task{(s.StackCount == 1 ? "" : "s")}{limit}, ") +
            string.Create(CultureInfo.InvariantCulture, $"{s.CpusPerTask} CPU{(s.CpusPerTask == 1 ? "" : "s")} each) and {collectScript}."));
        if (sbatch is null)
        {
            ctx.Out.WriteLine("Submit them (the collect job after the whole array) with --submit, or by hand:");
            ctx.Out.WriteLine("  " + SlurmScripts.SubmitCommand(s.OutputRoot));
            return ExitCodes.Success;
        }

        string arrayJob = Sbatch.Submit(sbatch, [mapScript], ct);
        ctx.Out.WriteLine($"Submitted map array job {arrayJob} ({s.StackCount} task{(s.StackCount == 1 ? "" : "s")}).");
        string collectJob;
        try
        {
            collectJob = Sbatch.Submit(sbatch, ["--dependency=afterany:" + arrayJob, collectScript], ct);
        }
        catch (SubmissionException e)
        {
            throw new SubmissionException(
                $"{e.Message} The map array job {arrayJob} is submitted; submit the collect job by hand once it is fixed: " +
                $"sbatch --dependency=afterany:{arrayJob} {SlurmScripts.ShellQuote(collectScript)}", e);
        }

        ctx.Out.WriteLine($"Submitted collect job {collectJob} (--dependency=afterany:{arrayJob}): it writes " +
            Path.Combine(s.OutputRoot, "summary.csv") + " when every task has ended.");
        ctx.Out.WriteLine($"Follow them with: squeue -j {arrayJob},{collectJob}");
        return ExitCodes.Success;
    }

    /// <summary>An output root the scripts can name: not a file, no character that a #SBATCH line or Slurm's file
    /// name patterns cannot carry (a newline ends the line; a backslash turns off Slurm's %A/%a replacement).</summary>
    private static void CheckRoot(string root)
    {
        if (root.AsSpan().IndexOfAny("\\\n\r\0") >= 0)
        {
            throw new UsageException($"--out '{root.ReplaceLineEndings(" ")}' holds a backslash or a line break, which a Slurm script cannot name; " +
                "choose another folder.");
        }

        if (File.Exists(root))
        {
            throw new UsageException($"--out '{root}' is a file, not a folder.");
        }
    }

    private static Option<string?> SbatchValue(string name, string description, Regex pattern, string what)
    {
        var option = new Option<string?>(name) { Description = description };
        option.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<string?>() is { } v && !pattern.IsMatch(v))
            {
                r.AddError($"{name} '{v}' is not {what} that sbatch accepts.");
            }
        });
        return option;
    }

    /// <summary>Partition and account names (a comma separates several partitions).</summary>
    [GeneratedRegex(@"^[\w.,\-]+\z")]
    private static partial Regex PartitionPattern();

    /// <summary>sbatch's time formats: minutes, M:S, H:M:S, D-H, D-H:M, D-H:M:S.</summary>
    [GeneratedRegex(@"^[\d:\-]+\z")]
    private static partial Regex TimePattern();

    /// <summary>A size with an optional unit (K, M, G, T).</summary>
    [GeneratedRegex(@"^\d+[KMGTkmgt]?\z")]
    private static partial Regex MemoryPattern();
}

/// <summary>Calls sbatch.</summary>
internal static class Sbatch
{
    /// <summary>Runs <c>sbatch --parsable ARGS</c> and returns the job id it prints (without a <c>;cluster</c> suffix).</summary>
    /// <param name="program">The sbatch program (a name on PATH or a path).</param>
    /// <param name="arguments">Options and the script.</param>
    /// <param name="ct">Cancels the wait (the process is killed).</param>
    /// <returns>The job id.</returns>
    /// <exception cref="SubmissionException">sbatch cannot be started, fails, or prints no job id.</exception>
    public static string Submit(string program, IReadOnlyList<string> arguments, CancellationToken ct)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("--parsable");
        foreach (string a in arguments)
        {
            start.ArgumentList.Add(a);
        }

        string line = program + " --parsable " + string.Join(' ', arguments.Select(SlurmScripts.ShellQuote));
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new SubmissionException($"{line}: the process did not start.");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new SubmissionException($"cannot run '{program}' ({e.Message}): is Slurm installed here and sbatch on PATH? " +
                "Run stxmphase slurm without --submit on a login node, or name the program with --sbatch.", e);
        }

        using (process)
        {
            Task<string> stdout = process.StandardOutput.ReadToEndAsync(ct);
            Task<string> stderr = process.StandardError.ReadToEndAsync(ct);
            try
            {
                process.WaitForExitAsync(ct).GetAwaiter().GetResult();
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw;
            }

            string output = stdout.GetAwaiter().GetResult().Trim();
            string error = stderr.GetAwaiter().GetResult().Trim().ReplaceLineEndings(" ");
            if (process.ExitCode != 0)
            {
                throw new SubmissionException(string.Create(CultureInfo.InvariantCulture,
                    $"{line} failed with exit code {process.ExitCode}: {(error.Length > 0 ? error : output)}"));
            }

            string id = output.Split('\n')[^1].Split(';')[0].Trim();
            if (id.Length == 0 || !id.All(char.IsAsciiDigit))
            {
                throw new SubmissionException($"{line} printed no job id: '{output.ReplaceLineEndings(" ")}' {error}".TrimEnd());
            }

            return id;
        }
    }
}

/// <summary>sbatch is missing, fails or prints no job id (exit code <see cref="ExitCodes.SubmissionFailed"/>).</summary>
internal sealed class SubmissionException : Exception
{
    /// <summary>Initializes a new instance.</summary>
    public SubmissionException()
        : base("The Slurm submission failed.")
    {
    }

    /// <summary>Initializes a new instance.</summary>
    /// <param name="message">A one-line message with sbatch's own error.</param>
    public SubmissionException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance.</summary>
    /// <param name="message">A one-line message.</param>
    /// <param name="innerException">The cause.</param>
    public SubmissionException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
