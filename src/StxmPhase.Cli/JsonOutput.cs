using System.Text.Encodings.Web;
using System.Text.Json;

namespace StxmPhase.Cli;

/// <summary>
/// How the tool writes its JSON files (summary.json, status.json): indented, and with non-ASCII text such as "±", "χ²" and
/// "Å" kept as UTF-8 rather than escaped as \u00B1, so that a reader of the file in a text editor sees the messages as
/// printed. The files are data, never embedded in HTML, so the relaxed encoder's HTML-sensitive characters do not matter.
/// </summary>
internal static class JsonOutput
{
    /// <summary>Gets the options of <see cref="Utf8JsonWriter"/>s that write result files.</summary>
    public static JsonWriterOptions Writer { get; } = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Gets the options of <c>JsonNode.ToJsonString</c> for result files.</summary>
    public static JsonSerializerOptions Serializer { get; } =
        new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
