using System.Reflection;
using System.Runtime.Loader;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using StxmPhase.IO;
using StxmPhase.Spectra;
using StxmPhase.Synthetic;

namespace StxmPhase.Examples.Tests;

/// <summary>
/// Every <c>```csharp</c> block of README.md, docs/**/*.md and src/*/PACKAGE.md is compiled as written (its <c>using</c>
/// directives hoisted, its statements as the body of a method; one compilation for all blocks) and run in a folder that
/// holds the files the blocks name: <c>particle.hdf5</c> (a 48 × 48 synthetic NXstxm transmission stack),
/// <c>references.csv</c> (its references), <c>Sample_Stack_2021-03-16_128.hdf5</c> (the committed real NXstxm file) and
/// an <c>out/</c> folder. Blocks tagged <c>```cs</c> are design sketches that are not meant to compile (only
/// docs/algorithms.md, the specification, has them: TorchSharp idioms in outline).
/// </summary>
public sealed partial class DocumentationSnippetsTests
{
    private sealed record Snippet(string File, int Line, string Code)
    {
        public string Location => $"{File}:{Line}";
    }

    private static string RepositoryRoot()
    {
        string? dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "StxmPhase.sln")))
        {
            dir = Path.GetDirectoryName(dir);
        }

        return dir ?? throw new InvalidOperationException("StxmPhase.sln not found above the test folder.");
    }

    private static List<Snippet> Snippets()
    {
        string root = RepositoryRoot();
        var files = new List<string> { Path.Combine(root, "README.md") };
        files.AddRange(Directory.GetFiles(Path.Combine(root, "docs"), "*.md", SearchOption.AllDirectories).Order(StringComparer.Ordinal));
        files.AddRange(Directory.GetDirectories(Path.Combine(root, "src"))
            .Select(d => Path.Combine(d, "PACKAGE.md"))
            .Where(File.Exists)
            .Order(StringComparer.Ordinal));
        var result = new List<Snippet>();
        foreach (string file in files)
        {
            string text = File.ReadAllText(file).Replace("\r\n", "\n", StringComparison.Ordinal);
            foreach (Match m in CSharpBlock().Matches(text))
            {
                int line = text.AsSpan(0, m.Index).Count('\n') + 2;
                result.Add(new Snippet(Path.GetRelativePath(root, file).Replace('\\', '/'), line, m.Groups[1].Value));
            }
        }

        return result;
    }

    /// <summary>Turns a block into a class with a static Run method: using directives first, statements in the method.</summary>
    private static string Wrap(Snippet s, int index)
    {
        var usings = new StringBuilder();
        var body = new StringBuilder();
        foreach (string line in s.Code.Split('\n'))
        {
            if (UsingDirective().IsMatch(line))
            {
                usings.AppendLine(line);
            }
            else
            {
                body.AppendLine(line);
            }
        }

        return $"{usings}\npublic static class Snippet{index}\n{{\n#line {s.Line} \"{s.File}\"\n"
            + $"public static void Run()\n{{\n#line {s.Line} \"{s.File}\"\n{body}\n}}\n}}\n";
    }

    private static (Assembly? Assembly, string Errors) Compile(List<Snippet> snippets)
    {
        var parse = new CSharpParseOptions(LanguageVersion.Latest);
        var trees = snippets.Select((s, i) => CSharpSyntaxTree.ParseText(Wrap(s, i), parse, path: s.File, encoding: Encoding.UTF8)).ToList();
        trees.Add(CSharpSyntaxTree.ParseText(
            "global using System; global using System.IO; global using System.Linq; global using System.Collections.Generic; "
            + "global using System.Threading; global using System.Threading.Tasks;",
            parse));
        string tpa = (string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!;
        var references = tpa.Split(Path.PathSeparator)
            .Concat(Directory.GetFiles(AppContext.BaseDirectory, "*.dll"))
            .Where(p => !Path.GetFileName(p).StartsWith("libtorch", StringComparison.Ordinal))
            .DistinctBy(Path.GetFileName)
            .Select(p => MetadataReference.CreateFromFile(p));
        var compilation = CSharpCompilation.Create("DocumentationSnippets", trees, references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        using var pe = new MemoryStream();
        var emit = compilation.Emit(pe);
        string errors = string.Join("\n", emit.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.ToString()));
        return emit.Success ? (AssemblyLoadContext.Default.LoadFromStream(new MemoryStream(pe.ToArray())), errors) : (null, errors);
    }

    private static string PrepareFolder()
    {
        string dir = Path.Combine(Path.GetTempPath(), "stxmphase-snippets-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(Path.Combine(dir, "out"));
        SyntheticDataset data = SyntheticStackGenerator.Generate(new SyntheticStackOptions { Width = 48, Height = 48, Seed = 3, Dose = 400 });
        NxstxmResultWriter.Write(Path.Combine(dir, "particle.hdf5"), data.Transmission, new Dictionary<string, float[]>(), null);
        ReferenceSpectraCsv.Write(Path.Combine(dir, "references.csv"), data.References);
        File.Copy(Path.Combine(RepositoryRoot(), "tests", "TestData", "io", "real", "exampledata", "Sample_Stack_2021-03-16_128.hdf5"),
            Path.Combine(dir, "Sample_Stack_2021-03-16_128.hdf5"));
        return dir;
    }

    [Fact]
    public void Snippets_AreFoundInReadmeDocsAndEveryPackagePage()
    {
        List<Snippet> snippets = Snippets();
        string root = RepositoryRoot();

        Assert.Contains(snippets, s => s.File == "README.md");
        foreach (string package in Directory.GetDirectories(Path.Combine(root, "src"))
            .Where(d => File.Exists(Path.Combine(d, "PACKAGE.md")) && !d.EndsWith(".Cli", StringComparison.Ordinal)))
        {
            string page = Path.GetRelativePath(root, Path.Combine(package, "PACKAGE.md")).Replace('\\', '/');
            Assert.True(snippets.Any(s => s.File == page), $"{page} has no C# example");
        }
    }

    [Fact]
    public void Snippets_CompileAsWrittenAndRun()
    {
        List<Snippet> snippets = Snippets();
        (Assembly? assembly, string errors) = Compile(snippets);
        Assert.True(assembly is not null, "Documentation code blocks do not compile:\n" + errors);

        string folder = PrepareFolder();
        string previous = Environment.CurrentDirectory;
        var failures = new List<string>();
        try
        {
            Environment.CurrentDirectory = folder; // the collection runs serially (xunit.runner.json)
            for (int i = 0; i < snippets.Count; i++)
            {
                try
                {
                    assembly!.GetType($"Snippet{i}")!.GetMethod("Run")!.Invoke(null, null);
                }
                catch (TargetInvocationException ex)
                {
                    failures.Add($"{snippets[i].Location}: {ex.InnerException!.GetType().Name}: {ex.InnerException.Message}");
                }
            }
        }
        finally
        {
            Environment.CurrentDirectory = previous;
            Directory.Delete(folder, recursive: true);
        }

        Assert.True(failures.Count == 0, "Documentation code blocks fail when run:\n" + string.Join("\n", failures));
    }

    [Fact]
    public void Compile_ABlockWithAMissingUsing_Fails()
    {
        // The README block of issue 21, without 'using StxmPhase.Spectra;': the test must catch exactly this.
        var broken = new Snippet(
            "README.md", 1, "using StxmPhase;\nusing StxmPhase.IO;\n\nSpectralStack stack = StackFile.Read(\"particle.hdf5\");\n");

        (Assembly? assembly, string errors) = Compile([broken]);

        Assert.Null(assembly);
        Assert.Contains("SpectralStack", errors, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"^```csharp[ \t]*\n(.*?)^```", RegexOptions.Singleline | RegexOptions.Multiline)]
    private static partial Regex CSharpBlock();

    [GeneratedRegex(@"^using\s+(static\s+)?[A-Za-z_][\w.]*(\s*=\s*[\w.<>]+)?\s*;\s*(//.*)?$")]
    private static partial Regex UsingDirective();
}
