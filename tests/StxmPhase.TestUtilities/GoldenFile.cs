using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace StxmPhase.TestUtilities;

/// <summary>
/// Golden files: expected outputs committed under <c>tests/TestData/golden/</c> and compared with what the code
/// produces now, so that a change of behaviour shows up as a failing test and, once intended, as a reviewed diff of
/// the golden file.
/// </summary>
/// <remarks>
/// To regenerate after an intended change, run the tests with the environment variable
/// <c>STXMPHASE_UPDATE_GOLDEN=1</c>, e.g.
/// <c>STXMPHASE_UPDATE_GOLDEN=1 dotnet test tests/StxmPhase.Cli.Tests -c Release --filter Golden</c>; the checks then
/// write the files into the source tree instead of comparing, and pass. Review and commit the diff.
/// </remarks>
public static class GoldenFile
{
    /// <summary>The environment variable that switches the checks from comparing to (re)writing the golden files.</summary>
    public const string UpdateVariable = "STXMPHASE_UPDATE_GOLDEN";

    /// <summary>Whether <see cref="UpdateVariable"/> is set to <c>1</c> or <c>true</c>.</summary>
    public static bool UpdateRequested =>
        Environment.GetEnvironmentVariable(UpdateVariable) is { } v && (v == "1" || v.Equals("true", StringComparison.OrdinalIgnoreCase));

    /// <summary>The path of a golden file in the source tree: <c>tests/TestData/golden/&lt;parts&gt;</c>.</summary>
    /// <param name="parts">Path segments below the golden folder.</param>
    /// <returns>The absolute path.</returns>
    public static string PathOf(params string[] parts) => RepositoryPaths.Combine(["tests", "TestData", "golden", .. parts]);

    /// <summary>
    /// Compares a JSON document with its golden file: the same properties in the same order, equal strings, booleans
    /// and nulls, and numbers within <c>max(absolute, relative · |golden|)</c>. Properties named in
    /// <paramref name="ignored"/> (at any depth) are dropped from both sides first: use it for what legitimately
    /// varies between runs (timings, dates, versions, absolute paths). With <see cref="UpdateRequested"/> the
    /// golden file is rewritten from <paramref name="actualJson"/> (less the ignored properties) instead.
    /// </summary>
    /// <param name="goldenPath">The golden file (see <see cref="PathOf"/>).</param>
    /// <param name="actualJson">The document produced now.</param>
    /// <param name="relative">Relative tolerance for numbers.</param>
    /// <param name="absolute">Absolute tolerance for numbers.</param>
    /// <param name="ignored">Property names to leave out of the comparison.</param>
    public static void AssertJson(string goldenPath, string actualJson, double relative, double absolute, params string[] ignored)
    {
        ArgumentNullException.ThrowIfNull(goldenPath);
        ArgumentNullException.ThrowIfNull(ignored);
        JsonNode actual = Strip(
            JsonNode.Parse(actualJson) ?? throw new ArgumentException("The document is the JSON literal null.", nameof(actualJson)), ignored);
        if (UpdateRequested)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(goldenPath)!);
            var json = new JsonSerializerOptions { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
            string text = actual.ToJsonString(json).ReplaceLineEndings("\n") + "\n";
            File.WriteAllText(goldenPath, text, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
            return;
        }

        Assert.True(File.Exists(goldenPath), $"Golden file {goldenPath} does not exist; create it with {UpdateVariable}=1 (see GoldenFile).");
        JsonNode expected = Strip(JsonNode.Parse(File.ReadAllText(goldenPath))!, ignored);
        var differences = new List<string>();
        Compare(expected, actual, "$", relative, absolute, differences);
        Assert.True(differences.Count == 0,
            $"The document differs from golden file {goldenPath} at {differences.Count} place(s):\n  "
            + string.Join("\n  ", differences.Take(20))
            + $"\nIf the change is intended, regenerate with {UpdateVariable}=1 and commit the diff.");
    }

    private static JsonNode Strip(JsonNode node, string[] ignored)
    {
        if (node is JsonObject o)
        {
            foreach (string name in o.Select(p => p.Key).Where(ignored.Contains).ToArray())
            {
                o.Remove(name);
            }

            foreach (JsonNode? child in o.Select(p => p.Value).ToArray())
            {
                if (child is not null)
                {
                    Strip(child, ignored);
                }
            }
        }
        else if (node is JsonArray a)
        {
            foreach (JsonNode? child in a)
            {
                if (child is not null)
                {
                    Strip(child, ignored);
                }
            }
        }

        return node;
    }

    private static void Compare(JsonNode? expected, JsonNode? actual, string path, double relative, double absolute, List<string> differences)
    {
        JsonValueKind ek = expected?.GetValueKind() ?? JsonValueKind.Null;
        JsonValueKind ak = actual?.GetValueKind() ?? JsonValueKind.Null;
        if (ek != ak)
        {
            differences.Add($"{path}: expected {Show(expected)} ({ek}), got {Show(actual)} ({ak})");
            return;
        }

        switch (ek)
        {
            case JsonValueKind.Object:
                string[] en = expected!.AsObject().Select(p => p.Key).ToArray();
                string[] an = actual!.AsObject().Select(p => p.Key).ToArray();
                if (!en.SequenceEqual(an, StringComparer.Ordinal))
                {
                    differences.Add($"{path}: expected properties [{string.Join(", ", en)}], got [{string.Join(", ", an)}]");
                }

                foreach (string name in en.Intersect(an, StringComparer.Ordinal))
                {
                    Compare(expected[name], actual[name], $"{path}.{name}", relative, absolute, differences);
                }

                break;
            case JsonValueKind.Array:
                JsonArray ea = expected!.AsArray(), aa = actual!.AsArray();
                if (ea.Count != aa.Count)
                {
                    differences.Add($"{path}: expected {ea.Count} elements, got {aa.Count}");
                }

                for (int i = 0; i < Math.Min(ea.Count, aa.Count); i++)
                {
                    Compare(ea[i], aa[i], $"{path}[{i}]", relative, absolute, differences);
                }

                break;
            case JsonValueKind.Number:
                double e = expected!.GetValue<double>(), v = actual!.GetValue<double>();
                double tolerance = Math.Max(absolute, relative * Math.Abs(e));
                if (!(Math.Abs(e - v) <= tolerance))
                {
                    differences.Add(
                        string.Create(CultureInfo.InvariantCulture,
                            $"{path}: expected {e:R}, got {v:R} (|diff| {Math.Abs(e - v):E2} > {tolerance:E2})"));
                }

                break;
            default:
                if (!JsonNode.DeepEquals(expected, actual))
                {
                    differences.Add($"{path}: expected {Show(expected)}, got {Show(actual)}");
                }

                break;
        }
    }

    private static string Show(JsonNode? node) => node?.ToJsonString() ?? "null";
}
