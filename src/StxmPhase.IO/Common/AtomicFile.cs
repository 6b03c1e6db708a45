using System.Globalization;

namespace StxmPhase.IO;

/// <summary>Writes files atomically: a temporary file in the destination folder, then a rename over the target.</summary>
internal static class AtomicFile
{
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        using AtomicFileWriter file = Create(path);
        write(file.Stream);
        file.Commit();
    }

    /// <summary>
    /// Opens a temporary file beside <paramref name="path"/> for writing; <see cref="AtomicFileWriter.Commit"/> flushes it
    /// to disk and renames it over the target, disposing without committing deletes it. For writers that stream data
    /// they cannot capture in a delegate (spans), so that nothing has to be copied first.
    /// </summary>
    /// <param name="path">The destination file.</param>
    /// <returns>The open writer.</returns>
    public static AtomicFileWriter Create(string path) => new(path);

    public static void WriteText(string path, Action<TextWriter> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        Write(path, s =>
        {
            using var w = new StreamWriter(s, new System.Text.UTF8Encoding(false), 1 << 16, leaveOpen: true) { NewLine = "\n" };
            write(w);
            w.Flush();
        });
    }
}

/// <summary>A temporary file that replaces its target only when committed (see <see cref="AtomicFile.Create"/>).</summary>
internal sealed class AtomicFileWriter : IDisposable
{
    private readonly string _full;
    private readonly string _temp;
    private bool _committed;

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
