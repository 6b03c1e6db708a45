using System.Diagnostics;
using System.Globalization;

namespace StxmPhase.Cli.Beamtime;

/// <summary>What became of one manifest line.</summary>
/// <param name="Entry">The line.</param>
/// <param name="Status">ok, skipped (complete for the same input and model) or failed.</param>
/// <param name="ExitCode">0, or the exit code the error maps to.</param>
/// <param name="Message">The error message of a failed stack.</param>
/// <param name="Seconds">Wall time.</param>
internal sealed record StackOutcome(ManifestEntry Entry, string Status, int ExitCode, string? Message, double Seconds);

/// <summary>
/// Maps one manifest line into <c>ROOT/&lt;name&gt;/</c>, the unit of <c>batch</c> and of <c>map --manifest-index</c> (a
/// Slurm array task): skipped when the folder is complete for the same input and model hashes; otherwise the outputs are
/// written into <c>ROOT/.staging-&lt;name&gt;-&lt;pid&gt;</c>, <c>status.json</c> last, and the folder is renamed into place, so a
/// killed run leaves at most a staging folder (removed by the next run) and never a partial <c>ROOT/&lt;name&gt;/</c>.
/// A stack that fails gets a folder holding only <c>status.json</c> with the error; the next run tries it again.
/// </summary>
internal static class StackJob
{
    /// <summary>The prefix of staging folders under ROOT.</summary>
    public const string StagingPrefix = ".staging-";

    /// <summary>Maps one line.</summary>
    /// <param name="ctx">The command context (its output gets one line per stack).</param>
    /// <param name="mapper">The opened model.</param>
    /// <param name="settings">The settings (threads for this job).</param>
    /// <param name="entry">The line.</param>
    /// <param name="root">The output root.</param>
    /// <param name="ct">Cancels the stack (the staging folder is removed; nothing is recorded).</param>
    /// <returns>The outcome.</returns>
    public static StackOutcome Run(
        CliContext ctx, BeamtimeMapper mapper, ModelSettings settings, ManifestEntry entry, string root, CancellationToken ct)
    {
        var sw = Stopwatch.StartNew();
        string folder = Path.Combine(root, entry.Name);
        string? inputHash = File.Exists(entry.Path) ? Provenance.FileSha256(entry.Path) : null;
        if (inputHash is not null && StackStatus.IsComplete(folder, inputHash, mapper.Model.Sha256))
        {
            return new StackOutcome(entry, "skipped", ExitCodes.Success, null, sw.Elapsed.TotalSeconds);
        }

        RemoveStaleStaging(root, entry.Name);
        string staging = Path.Combine(root, string.Create(CultureInfo.InvariantCulture, $"{StagingPrefix}{entry.Name}-{Environment.ProcessId}"));
        var provenance = new Provenance(inputHash, mapper.Model.Sha256, Provenance.Version, Provenance.CurrentCommandLine);
        try
        {
            entry.CheckExists();
            Directory.CreateDirectory(staging);
            mapper.Map(ctx, entry.Path, entry.Name, entry.Energies, settings, run =>
            {
                PhaseMappingResult r = run.Results[0];
                OutputWriter.Write(ctx, run, r, staging, settings, evaluation: null, provenance);
                StackStatus.Write(staging, StackStatus.Success(entry, r, provenance, sw.Elapsed.TotalSeconds,
                    ThreadsOption.Resolve(settings.Threads)));
            }, ct);
            Replace(staging, folder);
            return new StackOutcome(entry, StackStatus.Ok, ExitCodes.Success, null, sw.Elapsed.TotalSeconds);
        }
        catch (OperationCanceledException)
        {
            TryDelete(staging);
            throw;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            TryDelete(staging);
            ct.ThrowIfCancellationRequested(); // an error while the run is being cancelled is not the stack's failure
            Directory.CreateDirectory(staging);
            StackStatus.Write(staging, StackStatus.Failure(entry, ex, provenance, sw.Elapsed.TotalSeconds));
            Replace(staging, folder);
            return new StackOutcome(entry, StackStatus.Failed, ErrorMapper.ExitCodeFor(ex), ErrorMapper.Describe(ex), sw.Elapsed.TotalSeconds);
        }
    }

    /// <summary>Moves a finished staging folder to its final name, replacing an older (incomplete, failed or outdated) one.</summary>
    private static void Replace(string staging, string folder)
    {
        if (Directory.Exists(folder))
        {
            string trash = folder + string.Create(CultureInfo.InvariantCulture, $".old-{Environment.ProcessId}");
            TryDelete(trash);
            Directory.Move(folder, trash);
            Directory.Move(staging, folder);
            TryDelete(trash);
        }
        else
        {
            Directory.Move(staging, folder);
        }
    }

    /// <summary>Removes what a killed run left for this name: staging folders and replaced folders not yet deleted.</summary>
    private static void RemoveStaleStaging(string root, string name)
    {
        if (!Directory.Exists(root))
        {
            return;
        }

        foreach (string dir in Directory.EnumerateDirectories(root, StagingPrefix + name + "-*")
            .Concat(Directory.EnumerateDirectories(root, name + ".old-*")))
        {
            // Exactly "<prefix><name>-<pid>" or "<name>.old-<pid>": not the staging folder of a longer name such as "<name>-2".
            string leaf = Path.GetFileName(dir);
            int dash = leaf.LastIndexOf('-');
            string stem = leaf[..dash];
            bool ours = stem == StagingPrefix + name || stem == name + ".old";
            if (ours && int.TryParse(leaf[(dash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out _))
            {
                TryDelete(dir);
            }
        }
    }

    private static void TryDelete(string dir)
    {
        try
        {
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, recursive: true);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Left for the next run's clean-up.
        }
    }
}
