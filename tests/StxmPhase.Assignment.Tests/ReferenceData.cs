using System.Text.Json;

namespace StxmPhase.Assignment.Tests;

/// <summary>
/// Loads tests/TestData/assignment/sklearn_cases.json, written by tests/TestData/Generators/assignment_sklearn.py
/// (scikit-learn 1.2.1, SciPy 1.10.1, NumPy 1.24.2).
/// </summary>
internal static class ReferenceData
{
    private static readonly Lazy<JsonElement> s_root = new(() =>
    {
        string path = Path.Combine(AppContext.BaseDirectory, "TestData", "assignment", "sklearn_cases.json");
        using var stream = File.OpenRead(path);
        using var doc = JsonDocument.Parse(stream);
        return doc.RootElement.Clone();
    });

    public static JsonElement Root => s_root.Value;

    public static JsonElement Get(string name) => Root.GetProperty(name);

    public static double[] Vector(JsonElement e) => e.EnumerateArray().Select(v => v.GetDouble()).ToArray();

    public static int[] Ints(JsonElement e) => e.EnumerateArray().Select(v => v.GetInt32()).ToArray();

    public static double[][] Matrix(JsonElement e) => e.EnumerateArray().Select(Vector).ToArray();

    public static double[] Flat(JsonElement e) => Matrix(e).SelectMany(r => r).ToArray();

    public static float[] FlatFloat(JsonElement e) => Flat(e).Select(v => (float)v).ToArray();

    /// <summary>A labelled set from JSON rows (values must be float32-representable to be exact).</summary>
    public static LatentSet Set(JsonElement points, int[] labels, int phaseCount)
    {
        float[] flat = FlatFloat(points);
        return new LatentSet(flat, flat.Length / labels.Length, labels, Names(phaseCount));
    }

    public static string[] Names(int count) => Enumerable.Range(0, count).Select(i => "phase" + i).ToArray();

    /// <summary>Within <paramref name="relative"/> · max(1, |expected|).</summary>
    public static void Close(double expected, double actual, double relative, string what) =>
        NumericAssert.Close(expected, actual, relative, relative, what);

    /// <summary>Element-wise <see cref="Close(double, double, double, string)"/>.</summary>
    public static void Close(ReadOnlySpan<double> expected, ReadOnlySpan<double> actual, double relative, string what) =>
        NumericAssert.AllClose(expected, actual, relative, relative, what);
}
