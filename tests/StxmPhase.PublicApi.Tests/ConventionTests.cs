using System.Reflection;
using System.Text.RegularExpressions;
using StxmPhase.TestUtilities;

namespace StxmPhase.PublicApi.Tests;

/// <summary>
/// Architecture rules from docs, for every library including IO and Figures: namespaces, the assembly dependency
/// table, TorchSharp confinement, no console output in libraries (XML doc examples and comments may mention it),
/// package readmes, citations of docs/algorithms.md.
/// </summary>
public class ConventionTests
{
    private static readonly Assembly[] s_libraries =
    [
        typeof(Spectra.SpectralStack).Assembly,
        typeof(Correlation.PearsonPhaseCorrelator).Assembly,
        typeof(Gmvae.GmvaeModel).Assembly,
        typeof(Assignment.MahalanobisAssigner).Assembly,
        typeof(Unmixing.Nnls).Assembly,
        typeof(Synthetic.SyntheticStackGenerator).Assembly,
        typeof(PhaseMappingWorkflow).Assembly,
        typeof(IO.StackFile).Assembly,
        typeof(Figures.PhaseFigures).Assembly,
    ];

    [Fact]
    public void PublicTypes_LiveInTheNamespaceOfTheirAssembly()
    {
        foreach (Assembly a in s_libraries)
        {
            string name = a.GetName().Name!;
            foreach (Type t in a.GetExportedTypes())
            {
                Assert.True(t.Namespace == name, $"{t.FullName} is public in assembly {name} but in namespace {t.Namespace}.");
            }
        }
    }

    [Fact]
    public void TorchSharpTypes_AppearInPublicSignaturesOnlyInGmvae()
    {
        foreach (Assembly a in s_libraries.Where(a => a.GetName().Name != "StxmPhase.Gmvae"))
        {
            foreach (Type t in a.GetExportedTypes())
            {
                foreach (MemberInfo m in t.GetMembers(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
                {
                    foreach (Type used in SignatureTypes(m))
                    {
                        Assert.False(used.Namespace?.StartsWith("TorchSharp", StringComparison.Ordinal) == true,
                            $"{t.FullName}.{m.Name} exposes {used.FullName}.");
                    }
                }
            }
        }
    }

    /// <summary>The "may depend on" column of docs/architecture.md (StxmPhase assemblies only).</summary>
    private static readonly Dictionary<string, string[]> s_allowedDependencies = new()
    {
        ["StxmPhase.Spectra"] = [],
        ["StxmPhase.Correlation"] = ["StxmPhase.Spectra"],
        ["StxmPhase.Gmvae"] = ["StxmPhase.Spectra"],
        ["StxmPhase.Assignment"] = ["StxmPhase.Spectra"],
        ["StxmPhase.Unmixing"] = ["StxmPhase.Spectra"],
        ["StxmPhase.IO"] = ["StxmPhase.Spectra"],
        ["StxmPhase.Synthetic"] = ["StxmPhase.Spectra"],
        ["StxmPhase"] = ["StxmPhase.Spectra", "StxmPhase.Correlation", "StxmPhase.Gmvae", "StxmPhase.Assignment", "StxmPhase.Unmixing",
            "StxmPhase.Synthetic"],
        ["StxmPhase.Figures"] = ["StxmPhase.Spectra", "StxmPhase"],
    };

    [Fact]
    public void Libraries_ReferenceOnlyTheAssembliesTheArchitectureAllows()
    {
        foreach (Assembly a in s_libraries)
        {
            string name = a.GetName().Name!;
            Assert.True(s_allowedDependencies.TryGetValue(name, out string[]? allowed), $"{name} has no row in the dependency table of this test.");
            foreach (AssemblyName used in a.GetReferencedAssemblies().Where(r => r.Name!.StartsWith("StxmPhase", StringComparison.Ordinal)))
            {
                Assert.True(allowed.Contains(used.Name), $"{name} references {used.Name}, which docs/architecture.md does not allow.");
            }

            bool torch = a.GetReferencedAssemblies().Any(r => r.Name!.StartsWith("TorchSharp", StringComparison.Ordinal));
            Assert.False(torch && name != "StxmPhase.Gmvae", $"{name} references TorchSharp; only StxmPhase.Gmvae may.");
        }
    }

    [Fact]
    public void LibrarySources_NeverWriteToTheConsole()
    {
        string src = Path.Combine(RepositoryPaths.Root, "src");
        string[] offenders = Directory.EnumerateFiles(src, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}StxmPhase.Cli{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Where(f => File.ReadLines(f).Any(line => !line.TrimStart().StartsWith("//", StringComparison.Ordinal)
                && line.Contains("Console.", StringComparison.Ordinal)))
            .ToArray();
        Assert.Empty(offenders);
    }

    [Fact]
    public void EveryPackableProject_HasAPackageReadme()
    {
        foreach (string dir in Directory.GetDirectories(Path.Combine(RepositoryPaths.Root, "src"))
            .Where(d => Directory.EnumerateFiles(d, "*.csproj").Any()))
        {
            Assert.True(File.Exists(Path.Combine(dir, "PACKAGE.md")), $"{dir} has no PACKAGE.md");
        }
    }

    [Fact]
    public void AlgorithmCitations_ResolveToSectionsOfDocsAlgorithms()
    {
        string[] doc = File.ReadAllLines(RepositoryPaths.Combine("docs", "algorithms.md"));
        var citation = new Regex(@"algorithms\.md\s*(?:§\s*(?<section>\d+(?:\.\d+)*))?\s*(?:vectors?\s*)?(?<vector>V\d+[a-z]?)?",
            RegexOptions.CultureInvariant);
        int seen = 0;
        var broken = new List<string>();
        foreach (string file in CitingFiles())
        {
            foreach (Match m in citation.Matches(File.ReadAllText(file)))
            {
                seen++;
                string at = Path.GetRelativePath(RepositoryPaths.Root, file);
                if (m.Groups["section"].Success && !HasSection(doc, m.Groups["section"].Value))
                {
                    broken.Add($"{at}: §{m.Groups["section"].Value}");
                }

                if (m.Groups["vector"].Success && !HasVector(doc, m.Groups["vector"].Value))
                {
                    broken.Add($"{at}: {m.Groups["vector"].Value}");
                }
            }
        }

        Assert.True(seen >= 20, $"only {seen} citations of algorithms.md found; has the search gone wrong?");
        Assert.True(broken.Count == 0, "Citations of docs/algorithms.md that name no section or test vector there:\n" + string.Join("\n", broken));
    }

    [Theory]
    [InlineData("1.4.3", true)]
    [InlineData("0", true)]
    [InlineData("1.4.9", false)]
    [InlineData("8", false)]
    public void AlgorithmSections_ExistingAndMissing_AreToldApart(string section, bool exists) =>
        Assert.Equal(exists, HasSection(File.ReadAllLines(RepositoryPaths.Combine("docs", "algorithms.md")), section));

    /// <summary>A heading "## 3. …", "### 3.1 …" or "#### 1.4.3 …".</summary>
    private static bool HasSection(string[] doc, string section) =>
        doc.Any(l => Regex.IsMatch(l, @"^#+\s+" + Regex.Escape(section) + @"(\.|\s)", RegexOptions.CultureInvariant));

    /// <summary>A test vector heading "### V3 — …" or an item "**V3c.**".</summary>
    private static bool HasVector(string[] doc, string vector) =>
        doc.Any(l => l.StartsWith("### " + vector + " ", StringComparison.Ordinal) || l.Contains("**" + vector + ".**", StringComparison.Ordinal));

    private static IEnumerable<string> CitingFiles()
    {
        string[] extensions = [".cs", ".md", ".py", ".sh", ".c"];
        return new[] { "src", "tests", "benchmarks", "docs" }
            .SelectMany(d => Directory.EnumerateFiles(RepositoryPaths.Combine(d), "*", SearchOption.AllDirectories))
            .Concat([RepositoryPaths.Combine("README.md")])
            .Where(f => extensions.Contains(Path.GetExtension(f), StringComparer.Ordinal))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal));
    }

    private static IEnumerable<Type> SignatureTypes(MemberInfo m) => m switch
    {
        MethodBase mb => mb.GetParameters().Select(p => p.ParameterType)
            .Concat(mb is MethodInfo mi ? [mi.ReturnType] : []),
        PropertyInfo p => [p.PropertyType],
        FieldInfo f => [f.FieldType],
        EventInfo e => e.EventHandlerType is null ? [] : [e.EventHandlerType],
        _ => [],
    };
}
