namespace StxmPhase.IO.Tests;

/// <summary>Paths of the checked-in fixtures and a per-test temporary folder.</summary>
internal static class TestFiles
{
    public static string Real(string relative) => Path.Combine(AppContext.BaseDirectory, "TestData", "io", "real", relative);

    public static string Synthetic(string name) => Path.Combine(AppContext.BaseDirectory, "TestData", "io", "synthetic", name);

    public static string NewTempDir()
    {
        string dir = Path.Combine(Path.GetTempPath(), "stxmphase-io-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }

    public static float Cube(int e, int y, int x) => (100 * e) + (10 * y) + x;
}
