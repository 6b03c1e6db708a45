namespace StxmPhase.IO.Tests;

/// <summary>Paths of the checked-in fixtures and a per-test temporary folder.</summary>
internal static class TestFiles
{
    private static readonly string s_root = CreateRoot();

    public static string Real(string relative) => Path.Combine(AppContext.BaseDirectory, "TestData", "io", "real", relative);

    public static string Synthetic(string name) => Path.Combine(AppContext.BaseDirectory, "TestData", "io", "synthetic", name);

    public static string NewTempDir()
    {
        string dir = Path.Combine(s_root, Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }

    public static float Cube(int e, int y, int x) => (100 * e) + (10 * y) + x;

    /// <summary>One folder per test run, deleted at exit unless a fuzz variant left a crash input behind.</summary>
    private static string CreateRoot()
    {
        string root = Path.Combine(Path.GetTempPath(), "stxmphase-io-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(root);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                if (!Directory.EnumerateFiles(root, "crash_*", SearchOption.AllDirectories).Any())
                {
                    Directory.Delete(root, recursive: true);
                }
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        };
        return root;
    }
}
