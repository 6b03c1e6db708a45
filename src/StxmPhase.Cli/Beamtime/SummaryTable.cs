using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace StxmPhase.Cli.Beamtime;

/// <summary>Counts of a collected batch.</summary>
/// <param name="Ok">Stacks mapped.</param>
/// <param name="Failed">Stacks that failed.</param>
/// <param name="Missing">Stacks with no complete folder.</param>
internal sealed record CollectCounts(int Ok, int Failed, int Missing);

/// <summary>
/// Builds <c>ROOT/summary.csv</c> from the per-stack folders (their <c>status.json</c>): one row per manifest line (or,
/// without a manifest, per stack folder), in manifest order: name, status (ok, failed, missing), error, the metadata
/// columns, path, pixels, sample pixels, coverage (share of sample pixels with a phase), ambiguous, resolved, no-match
/// and unassigned counts, the phase fractions, seconds, model and input hashes, tool version and command line.
/// </summary>
internal static class SummaryTable
{
    /// <summary>The file name under ROOT.</summary>
    public const string FileName = "summary.csv";

    private static readonly string[] s_counts = ["pixels", "sample_pixels", "coverage", "ambiguous", "resolved", "no_match", "unassigned"];
    private static readonly string[] s_provenance = ["seconds", "model_sha256", "input_sha256", "tool_version", "command_line"];

    /// <summary>Writes ROOT/summary.csv (atomically).</summary>
    /// <param name="root">The output root.</param>
    /// <param name="manifest">The manifest, or <see langword="null"/> for every stack folder under ROOT: a folder with a
    /// <c>status.json</c>, or a staging folder of this tool whose stack has no folder yet (a row that says missing); any other
    /// folder is ignored with a note.</param>
    /// <param name="note">Receives one line per folder ignored without a manifest, or <see langword="null"/>.</param>
    /// <returns>The counts.</returns>
    /// <exception cref="DirectoryNotFoundException">ROOT does not exist.</exception>
    public static CollectCounts Write(string root, BeamtimeManifest? manifest, Action<string>? note = null)
    {
        if (!Directory.Exists(root))
        {
            throw new DirectoryNotFoundException($"The batch folder '{Path.GetFullPath(root)}' does not exist.");
        }

        var rows = new List<(string Name, JsonObject? Status, IReadOnlyList<KeyValuePair<string, string>>? Metadata, string? Path)>();
        if (manifest is not null)
        {
            foreach (ManifestEntry e in manifest.Entries)
            {
                rows.Add((e.Name, StackStatus.Read(Path.Combine(root, e.Name)), e.Metadata, e.Path));
            }
        }
        else
        {
            string[] dirs = [.. Directory.EnumerateDirectories(root).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal)];
            foreach (string name in dirs)
            {
                if (name.Contains(".old-", StringComparison.Ordinal) || name == SlurmScripts.LogFolderName)
                {
                    continue; // this tool's own: a replaced stack folder not yet deleted, the Slurm logs
                }

                if (StagedStackName(name) is { } staged)
                {
                    if (!dirs.Contains(staged, StringComparer.Ordinal) && !rows.Any(r => r.Name == staged))
                    {
                        rows.Add((staged, null, null, null)); // being mapped, or its run was killed: missing
                    }

                    continue;
                }

                if (!File.Exists(Path.Combine(root, name, StackStatus.FileName)))
                {
                    note?.Invoke($"stxmphase: note: ignoring the folder '{Path.Combine(root, name)}': it has no {StackStatus.FileName}, "
                        + "so it is not a stack's output folder.");
                    continue;
                }

                JsonObject? status = StackStatus.Read(Path.Combine(root, name));
                rows.Add((name, status, null, (string?)status?["path"]));
            }

            rows.Sort((a, b) => ((int?)a.Status?["index"] ?? int.MaxValue).CompareTo((int?)b.Status?["index"] ?? int.MaxValue));
        }

        string[] metadataColumns = manifest?.MetadataColumns.ToArray()
            ?? rows.SelectMany(r => (r.Status?["metadata"] as JsonObject)?.Select(kv => kv.Key) ?? []).Distinct().ToArray();
        string[] phases = rows.SelectMany(r => (r.Status?["fractions"] as JsonObject)?.Select(kv => kv.Key) ?? []).Distinct().ToArray();
        var csv = new StringBuilder();
        string[] header =
            ["name", "status", "error", .. metadataColumns, "path", .. s_counts, .. phases.Select(p => "fraction_" + p), .. s_provenance];
        csv.AppendLine(string.Join(',', header.Select(Quote)));
        int ok = 0, failed = 0, missing = 0;
        foreach (var (name, status, metadata, path) in rows)
        {
            string state = (string?)status?["status"] ?? StackStatus.Missing;
            ok += state == StackStatus.Ok ? 1 : 0;
            failed += state == StackStatus.Failed ? 1 : 0;
            missing += state is not (StackStatus.Ok or StackStatus.Failed) ? 1 : 0;
            string error = status is null
                ? $"no complete folder '{Path.Combine(root, name)}' (not mapped yet, still running, or killed)"
                : (string?)status["error"] ?? string.Empty;
            var fields = new List<string> { name, state, error };
            JsonObject? statusMetadata = status?["metadata"] as JsonObject;
            foreach (string column in metadataColumns)
            {
                fields.Add(metadata?.FirstOrDefault(kv => kv.Key == column).Value ?? Text(statusMetadata?[column]));
            }

            fields.Add(path ?? string.Empty);
            fields.AddRange(s_counts.Select(c => Text(status?[c])));
            fields.AddRange(phases.Select(p => Text((status?["fractions"] as JsonObject)?[p])));
            fields.AddRange(s_provenance.Select(c => Text(status?[c])));
            csv.AppendLine(string.Join(',', fields.Select(Quote)));
        }

        AtomicFile.WriteText(Path.Combine(root, FileName), csv.ToString());
        return new CollectCounts(ok, failed, missing);
    }

    /// <summary>The stack of a staging folder (<c>.staging-&lt;name&gt;-&lt;pid&gt;</c>), or <see langword="null"/> for any other name.</summary>
    private static string? StagedStackName(string folder)
    {
        if (!folder.StartsWith(StackJob.StagingPrefix, StringComparison.Ordinal))
        {
            return null;
        }

        int dash = folder.LastIndexOf('-');
        return dash > StackJob.StagingPrefix.Length && int.TryParse(folder.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out _)
            ? folder[StackJob.StagingPrefix.Length..dash]
            : null;
    }

    private static string Text(JsonNode? node) => node switch
    {
        null => string.Empty,
        JsonValue v when v.TryGetValue(out double d) => d.ToString("R", CultureInfo.InvariantCulture),
        JsonValue v when v.TryGetValue(out string? s) => s ?? string.Empty,
        _ => node.ToJsonString(),
    };

    private static string Quote(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
}
