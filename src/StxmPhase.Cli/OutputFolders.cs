using System.Globalization;

namespace StxmPhase.Cli;

/// <summary>
/// The output folder of one run: an exclusive lock (<c>OUT/.stxmphase.lock</c> holding the process id), removal of
/// stale temporary files and folders from interrupted runs, and result sets written into a temporary sibling folder
/// that is renamed into place only when complete, so that a reader sees either the old complete set or the new one.
/// </summary>
/// <remarks>
/// The lock is an exclusive <see cref="FileShare.None"/> open of the lock file (an advisory <c>flock</c> on Linux and
/// macOS, a share lock on Windows); the operating system releases it when the process ends in any way (also
/// <c>kill -9</c>), so a lock file left behind by a killed run does not block the next one.
/// </remarks>
internal sealed class OutputFolders : IDisposable
{
    /// <summary>The name of the lock file in the output folder.</summary>
    public const string LockFileName = ".stxmphase.lock";

    /// <summary>
    /// The files the tool writes into a result folder. With --overwrite, every other file of the earlier folder is the user's own
    /// and moves into the new one, so a file missing here would survive from an earlier run as if the new run had written it.
    /// </summary>
    public static readonly string[] KnownFiles =
    [
        "phase-map.npy", "pcc-phase-map.npy", "reliability.npy", "ambiguous.npy", "correlations.npy", "latent.npy",
        "false-positives.npy", "second-phase.npy", "truth.npy", "summary.json", "phase-map.png", "pcc-phase-map.png",
        "ambiguity-map.png", "correlation-maps.png", "latent-space.png", "loss-curves.png", "spectra.png", "weights.npy",
        "r-factor.npy", "nmf-components.png", "stack.npy", "energies.csv", "references.csv", "boundary.npy", "model.gmvae",
        "posterior.npy", "saturated.npy", "particles.csv", "particles.png", "composition.npy", "composition-sd.npy",
        "composition.png", "reliability-diagram.png", Beamtime.StackStatus.FileName,
    ];

    /// <summary>
    /// Whether <paramref name="name"/> is one of the files the tool writes once per run (<see cref="OutputWriter.WriteRun"/>):
    /// <c>latent-paths.csv</c>, <c>latent-all-stacks.png</c> or <c>latent-path-P-Q.png</c>.
    /// </summary>
    /// <param name="name">A file name without folder.</param>
    /// <returns>Whether the tool writes a file of that name once per run.</returns>
    public static bool IsRunFile(string name) =>
        name is "latent-paths.csv" or "latent-all-stacks.png"
        || (name.StartsWith("latent-path-", StringComparison.Ordinal) && name.EndsWith(".png", StringComparison.Ordinal));

    /// <summary>
    /// The HResult of an open refused because another handle holds the file (ERROR_SHARING_VIOLATION; also used for a held lock on Unix).
    /// </summary>
    private const int SharingViolation = unchecked((int)0x80070020);

    /// <summary>EWOULDBLOCK on Linux: .NET reports a lock held elsewhere with the raw errno as the HResult.</summary>
    private const int LinuxWouldBlock = 11;

    /// <summary>EWOULDBLOCK on macOS.</summary>
    private const int MacWouldBlock = 35;

    private readonly string _root;
    private readonly bool _createdRoot;
    private readonly FileStream _lock;
    private readonly Dictionary<string, string> _staging = new(StringComparer.Ordinal);
    private bool _disposed;

    private OutputFolders(string root, bool createdRoot, FileStream lockFile)
    {
        _root = root;
        _createdRoot = createdRoot;
        _lock = lockFile;
    }

    /// <summary>Gets the full path of the output folder.</summary>
    public string Root => _root;

    /// <summary>
    /// Opens <paramref name="root"/> for one run: creates it, takes the lock, deletes stale temporary files, and checks that
    /// the result folders <paramref name="names"/> (or, when <see langword="null"/>, the folder itself) hold no earlier
    /// results unless <paramref name="overwrite"/>. Nothing is deleted before the new results are complete.
    /// </summary>
    /// <param name="root">The --out folder.</param>
    /// <param name="names">The result sub-folders, or <see langword="null"/> when the results go into the folder itself.</param>
    /// <param name="overwrite">Whether earlier results may be replaced.</param>
    /// <returns>The open output folder; dispose it to release the lock.</returns>
    /// <exception cref="UsageException">
    /// The path is empty, cannot be created or written, is locked by another run, or holds results and <paramref name="overwrite"/> is false.
    /// </exception>
    public static OutputFolders Open(string root, IReadOnlyList<string>? names, bool overwrite)
    {
        if (string.IsNullOrWhiteSpace(root))
        {
            throw new UsageException("--out must name a folder; got an empty path.");
        }

        string full = Path.GetFullPath(root);
        if (File.Exists(full))
        {
            throw new UsageException($"--out '{root}' is a file, not a folder.");
        }

        bool created = !Directory.Exists(full);
        try
        {
            Directory.CreateDirectory(full);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"--out '{root}': the folder cannot be created ({ex.Message}).", ex);
        }

        FileStream lockFile = TakeLock(root, full, created);
        var folders = new OutputFolders(full, created, lockFile);
        try
        {
            folders.RemoveStaleTemporaries(names);
            IEnumerable<string> targets = names is null ? [full] : names.Select(n => Path.Combine(full, n));
            foreach (string folder in targets)
            {
                if (!overwrite && Directory.Exists(folder)
                    && Directory.EnumerateFileSystemEntries(folder).Any(e => Path.GetFileName(e) != LockFileName))
                {
                    throw new UsageException(
                        $"The output folder '{folder}' already contains files; choose another --out or pass --overwrite to replace earlier results.");
                }
            }

            return folders;
        }
        catch
        {
            folders.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Checks before any work that a file can be created at <paramref name="path"/> (for <c>--save-model</c>): its folder
    /// exists and is writable, it is not a folder, and it does not exist unless <paramref name="overwrite"/>.
    /// </summary>
    /// <param name="path">The file.</param>
    /// <param name="option">The option name for messages.</param>
    /// <param name="overwrite">Whether an existing file may be replaced.</param>
    /// <exception cref="UsageException">The file cannot be written.</exception>
    public static void CheckWritableFile(string path, string option, bool overwrite)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new UsageException($"{option} must name a file; got an empty path.");
        }

        string full = Path.GetFullPath(path);
        if (Directory.Exists(full))
        {
            throw new UsageException($"{option} '{path}' is a folder; give a file name.");
        }

        if (File.Exists(full) && !overwrite)
        {
            throw new UsageException($"{option} '{path}' already exists; choose another file or pass --overwrite to replace it.");
        }

        string dir = Path.GetDirectoryName(full) ?? ".";
        if (!Directory.Exists(dir))
        {
            throw new UsageException($"{option} '{path}': the folder '{dir}' does not exist.");
        }

        string probe = Path.Combine(dir,
            string.Create(CultureInfo.InvariantCulture, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp"));
        try
        {
            using (new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose))
            {
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"{option} '{path}' cannot be written ({ex.Message}).", ex);
        }
        finally
        {
            TryDelete(probe);
        }
    }

    /// <summary>Returns the temporary folder into which the result set <paramref name="name"/> is written (created empty).</summary>
    /// <param name="name">The result sub-folder name, or <see langword="null"/> for results written into the folder itself.</param>
    /// <returns>The temporary folder.</returns>
    public string Stage(string? name)
    {
        string key = name ?? string.Empty;
        string temp = Path.Combine(_root, TemporaryName(name ?? "results", "tmp"));
        Directory.CreateDirectory(temp);
        _staging[key] = temp;
        return temp;
    }

    /// <summary>
    /// Moves the complete result set <paramref name="name"/> into place, replacing earlier results (only once the new set
    /// is complete), and returns its final folder.
    /// </summary>
    /// <param name="name">The name given to <see cref="Stage"/>.</param>
    /// <returns>The final folder.</returns>
    /// <exception cref="OutputWriteException">The results cannot be moved into place.</exception>
    public string Commit(string? name)
    {
        string key = name ?? string.Empty;
        string temp = _staging[key];
        try
        {
            if (name is null)
            {
                // Results written into the folder itself: replace the tool's files one by one.
                foreach (string file in KnownFiles)
                {
                    string target = Path.Combine(_root, file);
                    string source = Path.Combine(temp, file);
                    if (File.Exists(source))
                    {
                        File.Move(source, target, overwrite: true);
                    }
                }

                Directory.Delete(temp, recursive: true);
                _staging.Remove(key);
                return _root;
            }

            string final = Path.Combine(_root, name);
            string? old = null;
            if (Directory.Exists(final))
            {
                old = Path.Combine(_root, TemporaryName(name, "old.tmp"));
                Directory.Move(final, old);
            }

            Directory.Move(temp, final);
            _staging.Remove(key);
            if (old is not null)
            {
                // Files of the user's own in the earlier folder (not written by the tool) move into the new one.
                foreach (string entry in Directory.EnumerateFileSystemEntries(old))
                {
                    string entryName = Path.GetFileName(entry);
                    string target = Path.Combine(final, entryName);
                    if (Array.IndexOf(KnownFiles, entryName) >= 0 || IsRunFile(entryName) || entryName.EndsWith(".tmp", StringComparison.Ordinal)
                        || Path.Exists(target))
                    {
                        continue;
                    }

                    if (Directory.Exists(entry))
                    {
                        Directory.Move(entry, target);
                    }
                    else
                    {
                        File.Move(entry, target);
                    }
                }

                Directory.Delete(old, recursive: true);
            }

            return final;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new OutputWriteException($"cannot move the results into '{Path.Combine(_root, name ?? string.Empty)}': {ex.Message}", ex);
        }
    }

    /// <summary>
    /// Deletes uncommitted result sets, releases the lock, and removes the output folder when this run created it and left it empty.
    /// </summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        foreach (string temp in _staging.Values)
        {
            TryDeleteFolder(temp);
        }

        _staging.Clear();
        TryDelete(Path.Combine(_root, LockFileName));
        _lock.Dispose();
        if (_createdRoot)
        {
            try
            {
                if (Directory.Exists(_root) && !Directory.EnumerateFileSystemEntries(_root).Any())
                {
                    Directory.Delete(_root);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Best effort: an empty folder left behind is harmless.
            }
        }
    }

    /// <summary>Returns <c>.{name}.{pid}.{guid}.{suffix}</c>, the name shortened so that the whole stays within 255 characters.</summary>
    private static string TemporaryName(string name, string suffix)
    {
        string stem = name.Length > 120 ? name[..120] : name;
        return string.Create(CultureInfo.InvariantCulture, $".{stem}.{Environment.ProcessId}.{Guid.NewGuid():N}.{suffix}");
    }

    private static FileStream TakeLock(string root, string full, bool created)
    {
        string path = Path.Combine(full, LockFileName);
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException ex) when (ex.HResult is SharingViolation or LinuxWouldBlock or MacWouldBlock)
        {
            string holder = ReadPid(path);
            throw new UsageException(
                $"The output folder '{root}' is in use by another stxmphase run{holder}; wait for it to finish or choose another --out.", ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            if (created)
            {
                TryDeleteFolder(full);
            }

            throw new UsageException($"--out '{root}' cannot be written ({ex.Message}).", ex);
        }

        try
        {
            stream.SetLength(0);
            byte[] pid = System.Text.Encoding.ASCII.GetBytes(Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "\n");
            stream.Write(pid);
            stream.Flush();
        }
        catch (IOException ex)
        {
            stream.Dispose();
            throw new OutputWriteException($"cannot write the lock file '{path}': {ex.Message}", ex);
        }

        return stream;
    }

    private static string ReadPid(string path)
    {
        try
        {
            using var s = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var r = new StreamReader(s);
            string? line = r.ReadLine();
            return int.TryParse(line, NumberStyles.Integer, CultureInfo.InvariantCulture, out int pid) ? $" (process {pid})" : string.Empty;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return string.Empty;
        }
    }

    /// <summary>Deletes temporary files and folders (<c>.*.tmp</c>) that interrupted runs left; safe because this run holds the lock.</summary>
    private void RemoveStaleTemporaries(IReadOnlyList<string>? names)
    {
        IEnumerable<string> folders = names is null ? [_root] : [_root, .. names.Select(n => Path.Combine(_root, n))];
        foreach (string folder in folders)
        {
            if (!Directory.Exists(folder))
            {
                continue;
            }

            foreach (string entry in Directory.EnumerateFileSystemEntries(folder, ".*.tmp"))
            {
                if (Directory.Exists(entry))
                {
                    TryDeleteFolder(entry);
                }
                else
                {
                    TryDelete(entry);
                }
            }
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Best effort.
        }
    }

    private static void TryDeleteFolder(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Best effort.
        }
    }
}

/// <summary>The results could not be written (disk full, permissions, a vanished folder): an output error, not bad input.</summary>
internal sealed class OutputWriteException : Exception
{
    /// <summary>Initializes a new instance.</summary>
    public OutputWriteException()
        : base("The outputs could not be written.")
    {
    }

    /// <summary>Initializes a new instance.</summary>
    /// <param name="message">A one-line message.</param>
    public OutputWriteException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance.</summary>
    /// <param name="message">A one-line message.</param>
    /// <param name="innerException">The cause.</param>
    public OutputWriteException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
