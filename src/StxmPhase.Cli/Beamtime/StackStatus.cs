using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using StxmPhase.Spectra;

namespace StxmPhase.Cli.Beamtime;

/// <summary>
/// <c>ROOT/&lt;name&gt;/status.json</c>: the completion marker of one stack of a batch (written last, inside the staged
/// folder, so a folder with <c>"status": "ok"</c> is complete) or, for a stack that failed, its error. It carries the row
/// of <c>summary.csv</c>: metadata, counts, fractions, provenance and timing.
/// </summary>
internal static class StackStatus
{
    /// <summary>The file name.</summary>
    public const string FileName = "status.json";

    /// <summary>Status of a complete stack.</summary>
    public const string Ok = "ok";

    /// <summary>Status of a stack that failed.</summary>
    public const string Failed = "failed";

    /// <summary>Status in summary.csv of a stack with no folder (or no status file).</summary>
    public const string Missing = "missing";

    /// <summary>Builds the status of a mapped stack.</summary>
    /// <param name="entry">The manifest line.</param>
    /// <param name="r">The result.</param>
    /// <param name="provenance">Hashes, version, command line.</param>
    /// <param name="seconds">Wall time of the stack.</param>
    /// <param name="threads">The threads the stack was mapped with (its share of the budget).</param>
    /// <returns>The JSON object.</returns>
    public static JsonObject Success(ManifestEntry entry, PhaseMappingResult r, Provenance provenance, double seconds, int threads)
    {
        JsonObject o = Common(entry, Ok, provenance, seconds);
        o["threads"] = threads;
        ReadOnlySpan<int> labels = r.FinalMap.Labels;
        PixelMask sample = r.SampleMask;
        int samplePixels = 0, assigned = 0;
        for (int i = 0; i < labels.Length; i++)
        {
            if (sample[i])
            {
                samplePixels++;
                assigned += labels[i] >= 0 ? 1 : 0;
            }
        }

        o["pixels"] = r.Correlation.PixelCount;
        o["sample_pixels"] = samplePixels;
        o["coverage"] = samplePixels == 0 ? 0 : (double)assigned / samplePixels;
        o["ambiguous"] = r.AmbiguousCount;
        o["resolved"] = r.Resolved.Count;
        o["no_match"] = r.NoMatchCount;
        o["unassigned"] = samplePixels - assigned;
        var fractions = new JsonObject();
        for (int p = 0; p < r.PhaseNames.Count; p++)
        {
            fractions[r.PhaseNames[p]] = r.FractionsAfter[p];
        }

        o["fractions"] = fractions;
        return o;
    }

    /// <summary>Builds the status of a stack that failed.</summary>
    /// <param name="entry">The manifest line.</param>
    /// <param name="error">The exception.</param>
    /// <param name="provenance">Hashes (as far as known), version, command line.</param>
    /// <param name="seconds">Wall time until the failure.</param>
    /// <returns>The JSON object.</returns>
    public static JsonObject Failure(ManifestEntry entry, Exception error, Provenance provenance, double seconds)
    {
        JsonObject o = Common(entry, Failed, provenance, seconds);
        o["error"] = ErrorMapper.Describe(error);
        o["exit_code"] = ErrorMapper.ExitCodeFor(error);
        return o;
    }

    /// <summary>Reads a status file; <see langword="null"/> when it is absent or unreadable (an incomplete folder).</summary>
    /// <param name="folder">The stack's folder.</param>
    /// <returns>The object, or <see langword="null"/>.</returns>
    public static JsonObject? Read(string folder)
    {
        string path = Path.Combine(folder, FileName);
        try
        {
            return File.Exists(path) ? JsonNode.Parse(File.ReadAllText(path)) as JsonObject : null;
        }
        catch (Exception ex) when (ex is JsonException or IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Writes a status file (atomically).</summary>
    /// <param name="folder">The folder.</param>
    /// <param name="status">The object.</param>
    public static void Write(string folder, JsonObject status) =>
        AtomicFile.WriteText(Path.Combine(folder, FileName), status.ToJsonString(JsonOutput.Serializer));

    /// <summary>Returns whether a folder holds a complete result for this input and model.</summary>
    /// <param name="folder">The stack's folder.</param>
    /// <param name="inputSha256">The input file's hash.</param>
    /// <param name="modelSha256">The model's hash.</param>
    /// <returns><see langword="true"/> when the status is ok and both hashes match.</returns>
    public static bool IsComplete(string folder, string inputSha256, string modelSha256) =>
        Read(folder) is { } s
        && (string?)s["status"] == Ok
        && (string?)s["input_sha256"] == inputSha256
        && (string?)s["model_sha256"] == modelSha256;

    private static JsonObject Common(ManifestEntry entry, string status, Provenance provenance, double seconds)
    {
        var metadata = new JsonObject();
        foreach (KeyValuePair<string, string> kv in entry.Metadata)
        {
            metadata[kv.Key] = kv.Value;
        }

        return new JsonObject
        {
            ["name"] = entry.Name,
            ["status"] = status,
            ["index"] = entry.Index,
            ["path"] = entry.Path,
            ["metadata"] = metadata,
            ["input_sha256"] = provenance.InputSha256,
            ["model_sha256"] = provenance.ModelSha256,
            ["tool_version"] = provenance.ToolVersion,
            ["command_line"] = provenance.CommandLine,
            ["seconds"] = Math.Round(seconds, 3),
            ["finished_utc"] = DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture),
        };
    }
}
