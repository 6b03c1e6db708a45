using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using StxmPhase.Gmvae;
using TorchSharp;

namespace StxmPhase.Gmvae.Tests;

[Collection("Torch")]
public sealed class TorchNativeTests
{
    private const string RequiredVersion = "GLIBCXX_3.4.32";

    private static string PackagedLibrary =>
        Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");

    /// <summary>Whether the system's libstdc++ lacks the version TorchSharp 0.107 requires (true on Debian 12).</summary>
    private static bool SystemLacksRequiredVersion()
    {
        string[] candidates = ["/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib64/libstdc++.so.6"];
        string? path = candidates.FirstOrDefault(File.Exists);
        return path is not null && File.ReadAllBytes(path).AsSpan().IndexOf(Encoding.ASCII.GetBytes(RequiredVersion + "\0")) < 0;
    }

    [Fact]
    public void EnsureLoaded_OnThisMachine_TorchSharpComputesAndPatchesOnlyWhenNeeded()
    {
        TorchNative.EnsureLoaded(NullLogger.Instance);
        using var a = torch.ones(3, 3);
        using var b = a.matmul(a);
        Assert.Equal(3f, b[0, 0].item<float>());
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        Assert.NotNull(TorchNative.LoadedLibraryPath);
        if (SystemLacksRequiredVersion())
        {
            // This machine (Debian 12) exercises the fallback in every normal test run.
            Assert.True(TorchNative.UsesPatchedCopy);
            Assert.Contains(RequiredVersion, TorchNative.WeakenedVersions);
            Assert.DoesNotContain(AppContext.BaseDirectory, TorchNative.LoadedLibraryPath!, StringComparison.Ordinal);
            string maps = File.ReadAllText("/proc/self/maps");
            Assert.Contains(TorchNative.LoadedLibraryPath!, maps, StringComparison.Ordinal);

            // libtorch_cpu is mapped once, from the application's own file (two copies abort the process).
            string[] torchCpu = maps.Split('\n').Where(l => l.EndsWith("/libtorch_cpu.so", StringComparison.Ordinal))
                .Select(l => l[(l.IndexOf('/', StringComparison.Ordinal))..]).Distinct().ToArray();
            Assert.Single(torchCpu);
        }
        else
        {
            Assert.False(TorchNative.UsesPatchedCopy);
        }
    }

    [Fact]
    public void ReadRequirements_PackagedLibrary_FindsGlibcxx3432BoundOnlyToIosBaseLibraryInit()
    {
        if (!File.Exists(PackagedLibrary))
        {
            return; // not a linux-x64 output folder
        }

        byte[] data = File.ReadAllBytes(PackagedLibrary);
        var requirements = ElfVersionPatcher.ReadRequirements(data);
        var glibcxx = Assert.Single(requirements, r => r.Version == RequiredVersion);
        Assert.Equal("libstdc++.so.6", glibcxx.File);
        Assert.False(glibcxx.IsWeak);
        Assert.Equal(["_ZSt21ios_base_library_initv"], glibcxx.Symbols);
        Assert.Contains(requirements, r => r.Version == "GLIBC_2.2.5");
    }

    [Fact]
    public void MarkWeak_PackagedLibrary_ChangesOnlyTheFlagBytesAndIsIdempotent()
    {
        if (!File.Exists(PackagedLibrary))
        {
            return;
        }

        byte[] original = File.ReadAllBytes(PackagedLibrary);
        byte[] patched = (byte[])original.Clone();
        Assert.Equal(1, ElfVersionPatcher.MarkWeak(patched, RequiredVersion));
        Assert.Equal(0, ElfVersionPatcher.MarkWeak(patched, RequiredVersion));
        int[] differing = Enumerable.Range(0, original.Length).Where(i => original[i] != patched[i]).ToArray();
        Assert.Single(differing);
        var requirement = ElfVersionPatcher.ReadRequirements(patched).Single(r => r.Version == RequiredVersion);
        Assert.True(requirement.IsWeak);
        Assert.Equal(requirement.FlagsOffset, differing[0]);
        Assert.All(ElfVersionPatcher.ReadRequirements(patched).Where(r => r.Version != RequiredVersion), r => Assert.False(r.IsWeak));
    }

    [Fact]
    public void ReadRequirements_TruncatedOrForeignFile_ThrowsInvalidData()
    {
        Assert.Throws<InvalidDataException>(() => ElfVersionPatcher.ReadRequirements(new byte[100]));
        if (!File.Exists(PackagedLibrary))
        {
            return;
        }

        byte[] data = File.ReadAllBytes(PackagedLibrary);
        Assert.Throws<InvalidDataException>(() => ElfVersionPatcher.ReadRequirements(data.AsSpan(0, 4096)));
    }

    [Theory]
    [InlineData(
        "/x/libLibTorchSharp.so: /lib/x86_64-linux-gnu/libstdc++.so.6: version `GLIBCXX_3.4.32' not found (required by /x/libLibTorchSharp.so)",
        "GLIBCXX_3.4.32")]
    [InlineData("libfoo.so: cannot open shared object file: No such file or directory", null)]
    public void MissingGlibcxxVersion_LoaderMessages_ParsesVersion(string message, string? expected) =>
        Assert.Equal(expected, TorchNative.MissingGlibcxxVersion(message));

    [Fact]
    public void PreparePatchedCopy_PrivateCache_WritesOnceWithLinksAndLeavesOriginalUntouched()
    {
        if (!File.Exists(PackagedLibrary))
        {
            return;
        }

        string cache = Path.Combine(Path.GetTempPath(), "gmvae-cache-" + Guid.NewGuid().ToString("N"));
        string? previous = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        byte[] hashBefore = SHA256.HashData(File.ReadAllBytes(PackagedLibrary));
        try
        {
            Environment.SetEnvironmentVariable("XDG_CACHE_HOME", cache);
            string nativeDirectory = Path.GetDirectoryName(PackagedLibrary)!;
            string copy = TorchNative.PreparePatchedCopy(PackagedLibrary, [nativeDirectory], [RequiredVersion], NullLogger.Instance);
            Assert.StartsWith(Path.Combine(cache, "stxmphase", "torchsharp"), copy, StringComparison.Ordinal);
            Assert.True(ElfVersionPatcher.ReadRequirements(File.ReadAllBytes(copy)).Single(r => r.Version == RequiredVersion).IsWeak);
            var link = new FileInfo(Path.Combine(Path.GetDirectoryName(copy)!, "libtorch_cpu.so"));
            Assert.Equal(Path.Combine(nativeDirectory, "libtorch_cpu.so"), link.LinkTarget);
            DateTime written = File.GetLastWriteTimeUtc(copy);

            string again = TorchNative.PreparePatchedCopy(PackagedLibrary, [nativeDirectory], [RequiredVersion], NullLogger.Instance);
            Assert.Equal(copy, again);
            Assert.Equal(written, File.GetLastWriteTimeUtc(again));
            Assert.Empty(Directory.GetDirectories(Path.Combine(cache, "stxmphase", "torchsharp"), ".*"));
            Assert.Equal(hashBefore, SHA256.HashData(File.ReadAllBytes(PackagedLibrary)));
        }
        finally
        {
            Environment.SetEnvironmentVariable("XDG_CACHE_HOME", previous);
            if (Directory.Exists(cache))
            {
                Directory.Delete(cache, recursive: true);
            }
        }
    }
}
