using System.Globalization;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using StxmPhase.Spectra;
using TorchSharp;

namespace StxmPhase.Gmvae;

/// <summary>
/// Makes TorchSharp's native backend load reliably, including on Linux distributions whose libstdc++ is older than
/// the one TorchSharp 0.107's <c>libLibTorchSharp.so</c> was linked against (Debian 12, Ubuntu 22.04, RHEL 9).
/// <see cref="GmvaeTrainer"/> and <see cref="GmvaeModel"/> call <see cref="EnsureLoaded"/> before their first
/// TorchSharp call; applications that use TorchSharp directly should call it once at start-up, before touching
/// any <c>TorchSharp</c> type.
/// </summary>
/// <remarks>
/// <para>What it does on Linux x64 (elsewhere it only initialises TorchSharp's CPU backend):</para>
/// <list type="number">
/// <item>Finds the folder holding <c>libLibTorchSharp.so</c> among the runtime's native search directories
/// (<c>NATIVE_DLL_SEARCH_DIRECTORIES</c>), the application folder and its <c>runtimes/linux-x64/native</c> folder.</item>
/// <item>Loads that file. On success nothing else happens.</item>
/// <item>If the loader reports a missing <c>GLIBCXX_*</c> version, and every dynamic symbol bound to that version is
/// one that the loader never needs to resolve (only <c>_ZSt21ios_base_library_initv</c>, GCC 13's iostream
/// initialisation anchor), it writes once, atomically (temporary folder + rename), a copy of the file whose
/// requirement is flagged weak (<c>VER_FLG_WEAK</c> in <c>.gnu.version_r</c>) to
/// <c>$XDG_CACHE_HOME/stxmphase/torchsharp/&lt;key&gt;/</c> (default <c>~/.cache</c>), with symbolic links beside it
/// to every other native library of the application, so that libtorch resolves to the very files TorchSharp
/// itself loads (two copies of <c>libtorch_cpu.so</c> in one process abort it). The key hashes the file contents,
/// the native folder and the weakened versions. It then loads that copy; TorchSharp's later loads of
/// <c>LibTorchSharp</c> by name bind to it through its <c>DT_SONAME</c>.</item>
/// <item>Initialises TorchSharp's CPU backend. Any failure raises <see cref="NativeLibraryLoadException"/> naming
/// the library, the loader's error and the remedy.</item>
/// </list>
/// <para>Files in the NuGet cache or the application folder are never modified. The method is thread-safe and
/// does its work once per process; later calls return immediately.</para>
/// </remarks>
public static partial class TorchNative
{
    private const string LibraryFileName = "libLibTorchSharp.so";
    private const int MaxPatchRounds = 4;

    /// <summary>Dynamic symbols that may be left unresolved when their version requirement is weakened.</summary>
    private static readonly HashSet<string> s_symbolsSafeToWeaken = new(StringComparer.Ordinal) { "_ZSt21ios_base_library_initv" };

    private static readonly Lock s_lock = new();
    private static bool s_loaded;

    /// <summary>Gets the path of the <c>libLibTorchSharp.so</c> that was loaded by <see cref="EnsureLoaded"/>, or
    /// <see langword="null"/> when nothing was preloaded (not Linux x64, not yet called, or the library lives where
    /// only TorchSharp's own probing finds it).</summary>
    public static string? LoadedLibraryPath { get; private set; }

    /// <summary>Gets whether <see cref="EnsureLoaded"/> had to load a patched copy from the per-user cache.</summary>
    public static bool UsesPatchedCopy { get; private set; }

    /// <summary>Gets the GLIBCXX versions whose requirement was flagged weak in the patched copy (empty when none).</summary>
    public static IReadOnlyList<string> WeakenedVersions { get; private set; } = Array.Empty<string>();

    /// <summary>
    /// Loads TorchSharp's native backend, patching a private copy of <c>libLibTorchSharp.so</c> when the system's
    /// libstdc++ is too old (see the type remarks), and initialises the CPU backend.
    /// </summary>
    /// <param name="logger">Receives one information message when a patched copy is created or used, and debug
    /// messages otherwise; <see langword="null"/> for none.</param>
    /// <exception cref="NativeLibraryLoadException">The native library cannot be loaded; the message says what is
    /// missing (e.g. a newer libstdc++ or a <c>libtorch-cpu-linux-x64</c> / <c>TorchSharp-cpu</c> package reference).</exception>
    public static void EnsureLoaded(ILogger? logger = null)
    {
        if (Volatile.Read(ref s_loaded))
        {
            return;
        }

        logger ??= NullLogger.Instance;
        lock (s_lock)
        {
            if (s_loaded)
            {
                return;
            }

            ApplyOpenMpEnvironment();
            if (OperatingSystem.IsLinux() && RuntimeInformation.ProcessArchitecture == Architecture.X64)
            {
                PreloadLinux(logger);
            }

            InitializeTorch(logger);
            Volatile.Write(ref s_loaded, true);
        }
    }

    private static void PreloadLinux(ILogger logger)
    {
        string[] searchDirectories = NativeSearchDirectories();
        string? nativeDirectory = searchDirectories.FirstOrDefault(d => File.Exists(Path.Combine(d, LibraryFileName)));
        if (nativeDirectory is null)
        {
            string searched = string.Join(", ", searchDirectories);
            LogNotFound(logger, LibraryFileName, searched);
            return;
        }

        string original = Path.Combine(nativeDirectory, LibraryFileName);
        string? error = TryLoad(original);
        if (error is null)
        {
            LoadedLibraryPath = original;
            LogLoadedPackaged(logger, original);
            return;
        }

        var weakened = new SortedSet<string>(StringComparer.Ordinal);
        for (int round = 0; round < MaxPatchRounds; round++)
        {
            string? missing = MissingGlibcxxVersion(error);
            if (missing is null || !weakened.Add(missing))
            {
                throw new NativeLibraryLoadException(
                    $"TorchSharp's native library '{original}' could not be loaded: {error}. " +
                    (weakened.Count == 0
                        ? "This is not a missing libstdc++ version, so no automatic workaround applies; check that the application references a " +
                            "native libtorch bundle (e.g. the libtorch-cpu-linux-x64 or TorchSharp-cpu package) and that its files are complete."
                        : $"A private copy with {string.Join(", ", weakened)} flagged weak was tried and still failed; install a newer libstdc++ " +
                            $"(GCC 13 or later) or run on a newer distribution."))
                {
                    LibraryPath = original,
                };
            }

            string copy = PreparePatchedCopy(original, searchDirectories, weakened, logger);
            error = TryLoad(copy);
            if (error is null)
            {
                LoadedLibraryPath = copy;
                UsesPatchedCopy = true;
                WeakenedVersions = weakened.ToArray();
                string versions = string.Join(", ", weakened);
                LogLoadedPatched(logger, copy, versions, original);
                return;
            }
        }

        throw new NativeLibraryLoadException(
            $"TorchSharp's native library '{original}' could not be loaded even after flagging {string.Join(", ", weakened)} weak: {error}. " +
            $"Install a newer libstdc++ (GCC 13 or later) or run on a newer distribution.")
        {
            LibraryPath = original,
        };
    }

    private static void InitializeTorch(ILogger logger)
    {
        try
        {
            torch.InitializeDeviceType(DeviceType.CPU);
        }
        catch (Exception ex) when (ex is NotSupportedException or DllNotFoundException or TypeInitializationException or InvalidOperationException
            or EntryPointNotFoundException)
        {
            throw new NativeLibraryLoadException(
                "TorchSharp's native backend could not be initialised: " + ex.Message +
                " Reference a native libtorch bundle from the application (e.g. the libtorch-cpu-linux-x64 package next to TorchSharp, or " +
                "TorchSharp-cpu)." +
                (LoadedLibraryPath is null ? string.Empty : $" libLibTorchSharp was preloaded from '{LoadedLibraryPath}'."),
                ex)
            {
                LibraryPath = LoadedLibraryPath,
            };
        }

        ApplyThreadDefaults();
        int threads = torch.get_num_threads();
        int interOp = torch.get_num_interop_threads();
        LogTorchReady(logger, threads, interOp, OpenMpWaitPolicy ?? "default");
    }

    /// <summary>Returns the runtime's native search directories, then the application's and TorchSharp's folders.</summary>
    internal static string[] NativeSearchDirectories()
    {
        var result = new List<string>();
        void Add(string? directory)
        {
            if (string.IsNullOrWhiteSpace(directory))
            {
                return;
            }

            string full = Path.GetFullPath(directory);
            if (Directory.Exists(full) && !result.Contains(full, StringComparer.Ordinal))
            {
                result.Add(full);
            }
        }

        if (AppContext.GetData("NATIVE_DLL_SEARCH_DIRECTORIES") is string native)
        {
            foreach (string d in native.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            {
                Add(d);
            }
        }

        string rid = Path.Combine("runtimes", "linux-x64", "native");
        Add(Path.Combine(AppContext.BaseDirectory, rid));
        Add(AppContext.BaseDirectory);
        string? torchDirectory = Path.GetDirectoryName(typeof(torch).Assembly.Location);
        if (!string.IsNullOrEmpty(torchDirectory))
        {
            Add(Path.Combine(torchDirectory, rid));
            Add(torchDirectory);
            Add(Path.Combine(torchDirectory, "cpu"));
        }

        return result.ToArray();
    }

    /// <summary>Returns the missing GLIBCXX version named by a loader error, or <see langword="null"/>.</summary>
    internal static string? MissingGlibcxxVersion(string loaderError)
    {
        Match m = MissingVersionRegex().Match(loaderError);
        return m.Success ? m.Groups[1].Value : null;
    }

    /// <summary>Writes (once, atomically) the patched copy and its symbolic links; returns the copy's path.</summary>
    internal static string PreparePatchedCopy(string original, IReadOnlyList<string> searchDirectories, IReadOnlyCollection<string> weaken,
        ILogger logger)
    {
        byte[] data = File.ReadAllBytes(original);
        var requirements = ElfVersionPatcher.ReadRequirements(data);
        foreach (string version in weaken)
        {
            var bound = requirements.Where(r => r.Version == version).ToArray();
            if (bound.Length == 0)
            {
                throw new NativeLibraryLoadException(
                    $"The system's libstdc++ lacks {version}, which '{original}' requires indirectly (not in its own .gnu.version_r); install a " +
                    $"newer libstdc++ (GCC 13 or later) or run on a newer distribution.")
                {
                    LibraryPath = original,
                };
            }

            string[] unsafeSymbols = bound.SelectMany(r => r.Symbols).Where(s => !s_symbolsSafeToWeaken.Contains(s)).Distinct().ToArray();
            if (unsafeSymbols.Length > 0)
            {
                throw new NativeLibraryLoadException(
                    $"The system's libstdc++ lacks {version}, which '{original}' needs for {unsafeSymbols.Length} symbol(s) (e.g. " +
                    $"{unsafeSymbols[0]}); flagging it weak would leave them unresolved. Install a newer libstdc++ (GCC 13 or later) or run on a " +
                    $"newer distribution.")
                {
                    LibraryPath = original,
                };
            }
        }

        string nativeDirectory = Path.GetDirectoryName(original)!;
        string key = CacheKey(data, nativeDirectory, weaken);
        string root = CacheRoot();
        string final = Path.Combine(root, key);
        string copy = Path.Combine(final, LibraryFileName);
        if (File.Exists(copy))
        {
            LogReusingCopy(logger, copy);
            return copy;
        }

        foreach (string version in weaken)
        {
            ElfVersionPatcher.MarkWeak(data, version);
        }

        Directory.CreateDirectory(root);
        string temp = Path.Combine(root, $".{key}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        Directory.CreateDirectory(temp);
        try
        {
            File.WriteAllBytes(Path.Combine(temp, LibraryFileName), data);
            var linked = new HashSet<string>(StringComparer.Ordinal) { LibraryFileName };
            // Link the libtorch files TorchSharp itself loads: those beside libLibTorchSharp.so, and those of a
            // separate libtorch package folder (when natives are resolved from the NuGet cache).
            foreach (string directory in searchDirectories.Prepend(nativeDirectory).Where(d => d == nativeDirectory || IsLibtorchDirectory(d)))
            {
                foreach (string file in Directory.EnumerateFiles(directory))
                {
                    string name = Path.GetFileName(file);
                    if (SharedObjectRegex().IsMatch(name) && linked.Add(name))
                    {
                        File.CreateSymbolicLink(Path.Combine(temp, name), file);
                    }
                }
            }

            try
            {
                Directory.Move(temp, final);
                string versions = string.Join(", ", weaken);
                LogCreatedCopy(logger, copy, versions, linked.Count - 1);
            }
            catch (IOException) when (File.Exists(copy))
            {
                // Another process won the race; its copy is identical.
                LogReusingCopy(logger, copy);
            }
        }
        finally
        {
            if (Directory.Exists(temp))
            {
                Directory.Delete(temp, recursive: true);
            }
        }

        return copy;
    }

    private static bool IsLibtorchDirectory(string directory) =>
        File.Exists(Path.Combine(directory, "libtorch_cpu.so")) || File.Exists(Path.Combine(directory, "libc10.so"));

    private static string CacheRoot()
    {
        string? xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        string baseDirectory = !string.IsNullOrWhiteSpace(xdg) && Path.IsPathRooted(xdg)
            ? xdg
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        return Path.Combine(baseDirectory, "stxmphase", "torchsharp");
    }

    private static string CacheKey(byte[] data, string nativeDirectory, IEnumerable<string> weaken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(data);
        hash.AppendData(Encoding.UTF8.GetBytes("\0" + Path.GetFullPath(nativeDirectory) + "\0" + string.Join(",", weaken)));
        return Convert.ToHexStringLower(hash.GetHashAndReset().AsSpan(0, 12));
    }

    private static string? TryLoad(string path)
    {
        try
        {
            NativeLibrary.Load(path);
            return null;
        }
        catch (DllNotFoundException ex)
        {
            return ex.Message;
        }
        catch (BadImageFormatException ex)
        {
            return ex.Message;
        }
    }

    [GeneratedRegex(@"version [`'‘]?(GLIBCXX_[0-9.]+)['’]? not found", RegexOptions.CultureInvariant)]
    private static partial Regex MissingVersionRegex();

    [GeneratedRegex(@"\.so(\.[0-9]+)*$", RegexOptions.CultureInvariant)]
    private static partial Regex SharedObjectRegex();

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Library} was not found in {Directories}; leaving native loading to TorchSharp.")]
    private static partial void LogNotFound(ILogger logger, string library, string directories);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Loaded TorchSharp's native library {Path} as packaged.")]
    private static partial void LogLoadedPackaged(ILogger logger, string path);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Loaded a patched copy of TorchSharp's native library from {Path} ({Versions} flagged weak because the system libstdc++ lacks " +
            "them; original {Original} unchanged).")]
    private static partial void LogLoadedPatched(ILogger logger, string path, string versions, string original);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Created patched copy {Path} ({Versions} flagged weak) with symbolic links to {LinkCount} native libraries.")]
    private static partial void LogCreatedCopy(ILogger logger, string path, string versions, int linkCount);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Reusing patched copy {Path}.")]
    private static partial void LogReusingCopy(ILogger logger, string path);

    [LoggerMessage(Level = LogLevel.Debug,
        Message = "TorchSharp CPU backend ready ({Threads} intra-op threads, {InterOp} inter-op threads, " +
            "OpenMP wait policy {WaitPolicy}).")]
    private static partial void LogTorchReady(ILogger logger, int threads, int interOp, string waitPolicy);
}
