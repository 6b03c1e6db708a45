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

    /// <summary>
    /// One folder per test run. The test host may end without running exit handlers, so each run deletes the folders
    /// of earlier runs that are older than an hour, unless a fuzz variant left a crash input there.
    /// </summary>
    private static string CreateRoot()
    {
        string parent = Path.Combine(Path.GetTempPath(), "stxmphase-io-tests");
        Directory.CreateDirectory(parent);
        foreach (string old in Directory.EnumerateDirectories(parent))
        {
            try
            {
                if (Directory.GetCreationTimeUtc(old) < DateTime.UtcNow.AddHours(-1)
                    && !Directory.EnumerateFiles(old, "crash_*", SearchOption.AllDirectories).Any())
                {
                    Directory.Delete(old, recursive: true);
                }
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        string root = Path.Combine(parent, Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(root);
        return root;
    }
}
