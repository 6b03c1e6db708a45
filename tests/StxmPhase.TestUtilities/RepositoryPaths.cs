namespace StxmPhase.TestUtilities;

/// <summary>Locates files of this repository from a test's output folder (tests never depend on anything outside it).</summary>
public static class RepositoryPaths
{
    private static readonly Lazy<string> s_root = new(FindRoot);

    /// <summary>The repository root: the nearest folder above the test assembly that holds <c>StxmPhase.sln</c>.</summary>
    /// <exception cref="InvalidOperationException">No folder above the test assembly holds <c>StxmPhase.sln</c>.</exception>
    public static string Root => s_root.Value;

    /// <summary>A path under the repository root, e.g. <c>RepositoryPaths.Combine("docs", "algorithms.md")</c>.</summary>
    /// <param name="parts">Path segments below the root.</param>
    /// <returns>The combined absolute path (which need not exist).</returns>
    public static string Combine(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        string? dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "StxmPhase.sln")))
        {
            dir = Path.GetDirectoryName(dir);
        }

        return dir ?? throw new InvalidOperationException($"StxmPhase.sln not found in any folder above {AppContext.BaseDirectory}.");
    }
}
