using System.Globalization;
using System.Text;

namespace StxmPhase.Shared;

/// <summary>
/// The one way StxmPhase writes a file: a temporary file in the destination folder, flushed to disk, then renamed
/// over the target; on failure the temporary file is deleted and the target is left as it was. Compiled into each
/// assembly that writes files (linked source, see src/Shared/README.md).
/// </summary>
internal static class AtomicFile
{
    /// <summary>Writes the file through <paramref name="write"/>, which gets the temporary file's stream.</summary>
    /// <param name="path">The destination file; its folder is created when missing.</param>
    /// <param name="write">Writes the whole content.</param>
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        using AtomicFileWriter file = Create(path);
        write(file.Stream);
        file.Commit();
    }

    /// <summary>Writes <paramref name="bytes"/> as the whole file.</summary>
    /// <param name="path">The destination file; its folder is created when missing.</param>
    /// <param name="bytes">The content.</param>
    public static void WriteBytes(string path, ReadOnlySpan<byte> bytes)
    {
        using AtomicFileWriter file = Create(path);
        file.Stream.Write(bytes);
        file.Commit();
    }

    /// <summary>Writes <paramref name="text"/> as UTF-8 without a byte-order mark.</summary>
    /// <param name="path">The destination file; its folder is created when missing.</param>
    /// <param name="text">The content.</param>
    public static void WriteText(string path, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        WriteText(path, w => w.Write(text));
    }

    /// <summary>Writes text through <paramref name="write"/> (UTF-8 without a byte-order mark, "\n" line ends).</summary>
    /// <param name="path">The destination file; its folder is created when missing.</param>
    /// <param name="write">Writes the whole content.</param>
    public static void WriteText(string path, Action<TextWriter> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        Write(path, s =>
        {
            using var w = new StreamWriter(s, new UTF8Encoding(false), 1 << 16, leaveOpen: true) { NewLine = "\n" };
            write(w);
            w.Flush();
        });
    }

    /// <summary>
    /// Opens a temporary file beside <paramref name="path"/> for writing; <see cref="AtomicFileWriter.Commit"/> flushes it
    /// to disk and renames it over the target, disposing without committing deletes it. For writers that stream data
    /// they cannot capture in a delegate (spans), so that nothing has to be copied first.
    /// </summary>
    /// <param name="path">The destination file; its folder is created when missing.</param>
    /// <returns>The open writer.</returns>
    public static AtomicFileWriter Create(string path) => new(path);
}

/// <summary>A temporary file that replaces its target only when committed (see <see cref="AtomicFile.Create"/>).</summary>
internal sealed class AtomicFileWriter : IDisposable
{
    private readonly string _full;
    private readonly string _temp;
    private bool _committed;

    /// <summary>Creates the destination folder when missing and opens a new temporary file in it.</summary>
    /// <param name="path">The destination file.</param>
    public AtomicFileWriter(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        _full = Path.GetFullPath(path);
        string dir = Path.GetDirectoryName(_full) ?? ".";
        Directory.CreateDirectory(dir);
        _temp = Path.Combine(dir, string.Create(CultureInfo.InvariantCulture,
            $".{Path.GetFileName(_full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp"));
        Stream = new FileStream(_temp, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16);
    }

    /// <summary>Gets the stream of the temporary file.</summary>
    public FileStream Stream { get; }

    /// <summary>Gets the full path of the temporary file (for tests and diagnostics).</summary>
    public string TemporaryPath => _temp;

    /// <summary>Flushes the temporary file to disk and renames it over the target.</summary>
    public void Commit()
    {
        ObjectDisposedException.ThrowIf(_committed, this);
        Stream.Flush(flushToDisk: true);
        Stream.Dispose();
        File.Move(_temp, _full, overwrite: true);
        _committed = true;
    }

    /// <summary>Closes the temporary file and, unless committed, deletes it.</summary>
    public void Dispose()
    {
        if (_committed)
        {
            return;
        }

        Stream.Dispose();
        try
        {
            File.Delete(_temp);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
