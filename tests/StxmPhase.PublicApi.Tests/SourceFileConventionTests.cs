using StxmPhase.TestUtilities;

namespace StxmPhase.PublicApi.Tests;

/// <summary>
/// The size rules of docs/adr/0006 and issue 19: every C# line under src/, tests/ and benchmarks/ is at most
/// <see cref="MaxLineLength"/> characters (.editorconfig's <c>max_line_length</c>, which no Roslyn analyzer enforces), and
/// every C# file under src/ is at most <see cref="MaxSourceFileLines"/> lines, except the SIMD kernel. Build output
/// (bin/, obj/) is not source and is skipped.
/// </summary>
public class SourceFileConventionTests
{
    /// <summary>The longest line allowed, in UTF-16 characters (.editorconfig <c>max_line_length</c>).</summary>
    public const int MaxLineLength = 150;

    /// <summary>The most lines one file under src/ may have.</summary>
    public const int MaxSourceFileLines = 500;

    private static readonly string[] s_lineLengthRoots = ["src", "tests", "benchmarks"];

    /// <summary>Files allowed past <see cref="MaxSourceFileLines"/>: the SIMD kernel, whose vector-width variants stay together.</summary>
    private static readonly string[] s_longFileExceptions = ["src/StxmPhase.Correlation/PearsonKernel.cs"];

    [Fact]
    public void SourceLines_AreAtMost150Characters()
    {
        string[] offenders = SourceFiles(s_lineLengthRoots).SelectMany(LongLines).ToArray();
        Assert.True(offenders.Length == 0,
            $"{offenders.Length} C# lines are longer than {MaxLineLength} characters; wrap them at natural points (file:line (length)):\n"
            + string.Join("\n", offenders));
    }

    [Fact]
    public void SourceFilesUnderSrc_AreAtMost500Lines_ExceptTheSimdKernel()
    {
        string[] offenders = SourceFiles(["src"])
            .Where(f => !s_longFileExceptions.Contains(Relative(f), StringComparer.Ordinal))
            .Select(f => (File: f, Lines: File.ReadLines(f).Count()))
            .Where(x => x.Lines > MaxSourceFileLines)
            .Select(x => $"{Relative(x.File)}: {x.Lines} lines")
            .ToArray();
        Assert.True(offenders.Length == 0,
            $"Files under src/ longer than {MaxSourceFileLines} lines; split them by responsibility (or into partial classes):\n"
            + string.Join("\n", offenders));
    }

    [Fact]
    public void LongLines_ReportsFileAndLineOfEveryLinePastTheLimit_CountingCharactersNotBytes()
    {
        string file = Path.Combine(Path.GetTempPath(), $"stxmphase-line-length-{Guid.NewGuid():N}.cs");
        try
        {
            // 150 characters of which 50 are two-byte in UTF-8 (allowed), then 151 and 200 characters (reported).
            File.WriteAllLines(file, [new string('×', 50) + new string('a', 100), new string('b', 151), "", new string('c', 200)]);
            string name = Path.GetFileName(file);
            Assert.Equal(new[] { $"{name}:2 (151)", $"{name}:4 (200)" }, LongLines(file).Select(Path.GetFileName).ToArray());
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void SourceFiles_FindTheSourcesOfEveryRoot_AndSkipBuildOutput()
    {
        string[] files = SourceFiles(s_lineLengthRoots).Select(Relative).ToArray();
        Assert.Contains("src/StxmPhase.Correlation/PearsonKernel.cs", files);
        Assert.Contains("tests/StxmPhase.PublicApi.Tests/SourceFileConventionTests.cs", files);
        Assert.Contains(files, f => f.StartsWith("benchmarks/", StringComparison.Ordinal));
        Assert.DoesNotContain(files, f => f.Contains("/obj/", StringComparison.Ordinal) || f.Contains("/bin/", StringComparison.Ordinal));
    }

    /// <summary>"file:line (length)" for every line of <paramref name="file"/> longer than <see cref="MaxLineLength"/>.</summary>
    private static IEnumerable<string> LongLines(string file) =>
        File.ReadLines(file)
            .Select((line, index) => (Length: line.Length, Number: index + 1))
            .Where(l => l.Length > MaxLineLength)
            .Select(l => $"{Relative(file)}:{l.Number} ({l.Length})");

    /// <summary>The .cs files under the given repository folders, without build output (bin/, obj/).</summary>
    private static IEnumerable<string> SourceFiles(IEnumerable<string> roots) =>
        roots.Select(r => RepositoryPaths.Combine(r))
            .Where(Directory.Exists)
            .SelectMany(d => Directory.EnumerateFiles(d, "*.cs", SearchOption.AllDirectories))
            .Where(f => !IsBuildOutput(f))
            .Order(StringComparer.Ordinal);

    private static bool IsBuildOutput(string path) =>
        Path.GetRelativePath(RepositoryPaths.Root, path).Split(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar)
            .Any(segment => segment is "bin" or "obj");

    /// <summary>The path relative to the repository root with '/' separators, or the path itself when it is outside.</summary>
    private static string Relative(string path)
    {
        string relative = Path.GetRelativePath(RepositoryPaths.Root, path);
        return relative.StartsWith("..", StringComparison.Ordinal) ? path : relative.Replace(Path.DirectorySeparatorChar, '/');
    }
}
