using System.Reflection;
using StxmPhase.TestUtilities;

namespace StxmPhase.PublicApi.Tests;

/// <summary>
/// Architecture rules from docs: namespaces, TorchSharp confinement, no console output in libraries (XML doc examples
/// and comments may mention it), package readmes.
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

    [Fact]
    public void LibrarySources_NeverWriteToTheConsole()
    {
        string src = Path.Combine(RepositoryPaths.Root, "src");
        var offenders = Directory.EnumerateFiles(src, "*.cs", SearchOption.AllDirectories)
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
        foreach (string dir in Directory.GetDirectories(Path.Combine(RepositoryPaths.Root, "src")))
        {
            Assert.True(File.Exists(Path.Combine(dir, "PACKAGE.md")), $"{dir} has no PACKAGE.md");
        }
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
