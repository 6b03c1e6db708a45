using System.Text.Json;
using StxmPhase.TestUtilities;

namespace StxmPhase.Unmixing.Tests;

/// <summary>Loads the reference numbers written by tests/TestData/Generators/unmixing_sklearn.py.</summary>
internal static class TestData
{
    public static JsonElement Load(string fileName)
    {
        string path = Path.Combine(AppContext.BaseDirectory, "TestData", "unmixing", fileName);
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        return doc.RootElement.Clone();
    }

    public static double[] Vector(JsonElement e) => e.EnumerateArray().Select(v => v.GetDouble()).ToArray();

    /// <summary>A JSON list of rows → row-major array.</summary>
    public static double[] Matrix(JsonElement e, out int rows, out int cols)
    {
        double[][] r = e.EnumerateArray().Select(Vector).ToArray();
        rows = r.Length;
        cols = r[0].Length;
        return r.SelectMany(x => x).ToArray();
    }

    public static double[] Matrix(JsonElement e) => Matrix(e, out _, out _);

    public static void Close(double expected, double actual, double rel, double abs = 0, string? what = null) =>
        NumericAssert.Close(expected, actual, rel, abs, what);

    public static void AllClose(ReadOnlySpan<double> expected, ReadOnlySpan<double> actual, double rel, double abs = 0, string? what = null) =>
        NumericAssert.AllClose(expected, actual, rel, abs, what);

    /// <summary>The V0 references of docs/algorithms.md (phase-major, 5 × 13).</summary>
    public static readonly double[] V0References =
    {
        0.10, 0.20, 0.40, 0.90, 1.00, 0.70, 0.50, 0.45, 0.40, 0.38, 0.36, 0.35, 0.34,
        0.10, 0.15, 0.30, 0.60, 1.00, 0.90, 0.60, 0.50, 0.42, 0.39, 0.37, 0.35, 0.34,
        0.10, 0.12, 0.20, 0.40, 0.80, 1.00, 0.80, 0.55, 0.45, 0.40, 0.37, 0.35, 0.34,
        0.10, 0.11, 0.15, 0.30, 0.60, 0.95, 1.00, 0.70, 0.50, 0.42, 0.38, 0.36, 0.34,
        0.10, 0.10, 0.12, 0.20, 0.40, 0.80, 1.00, 0.90, 0.60, 0.45, 0.39, 0.36, 0.35,
    };
}
