using StxmPhase.Spectra;

namespace StxmPhase.IO;

/// <summary>
/// Reads STXM stacks from any supported file format, detected from the file's first bytes and its extension.
/// </summary>
/// <remarks>
/// <para>Built-in readers, tried in this order: NeXus NXstxm HDF5 (<see cref="NxstxmStackReader"/>), SDF
/// <c>.hdr</c>/<c>.xim</c> (<see cref="SdfStackReader"/>), aXis2000 <c>.ncb</c>/<c>.dat</c> (<see cref="NcbStackReader"/>),
/// multi-page TIFF (<see cref="TiffStackReader"/>) and NumPy <c>.npy</c> (<see cref="NpyStackReader"/>).</para>
/// <para>Every reader checks declared dimensions against the file length before allocating, never returns a partially
/// filled stack, and reports content problems as <see cref="InvalidStackContentException"/> naming the file, the field
/// and the offset or line.</para>
/// </remarks>
/// <example>
/// <code>
/// StackFileInfo info = StackFile.Inspect("Sample_Stack.hdf5");
/// SpectralStack stack = StackFile.Read("Sample_Stack.hdf5", new StackReadOptions { Channel = "counter0" });
/// </code>
/// </example>
public static class StackFile
{
    private const int HeaderBytes = 4096;

    /// <summary>Gets the built-in readers, in detection order.</summary>
    public static IReadOnlyList<IStackReader> Readers { get; } =
    [
        new NxstxmStackReader(),
        new SdfStackReader(),
        new NcbStackReader(),
        new TiffStackReader(),
        new NpyStackReader(),
    ];

    /// <summary>Reads a stack with the built-in readers.</summary>
    /// <param name="path">The stack file (for SDF the <c>.hdr</c>, for aXis2000 the <c>.ncb</c> or <c>.dat</c>).</param>
    /// <param name="options">Entry, channel, region, energies for formats without them; <see cref="StackReadOptions.FileName"/> defaults to
    /// <paramref name="path"/>.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The stack, energy-major, energies ascending.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="UnknownStackFormatException">No reader recognises the file; the message lists the formats tried.</exception>
    /// <exception cref="InvalidStackContentException">The file is recognised but its contents are invalid.</exception>
    /// <exception cref="IncompatibleEnergiesException">A format without energies (.npy, TIFF) got a different number of energies than it has
    /// planes.</exception>
    /// <exception cref="OperationCanceledException">The read was cancelled.</exception>
    public static SpectralStack Read(string path, StackReadOptions? options = null, CancellationToken cancellationToken = default) =>
        Read(path, options, Readers, cancellationToken);

    /// <summary>Reads a stack with the given readers (e.g. the built-in ones plus a <see cref="NxstxmStackReader"/> configured to normalise by a
    /// monitor, placed first).</summary>
    /// <param name="path">The stack file.</param>
    /// <param name="options">What to read; <see cref="StackReadOptions.FileName"/> defaults to <paramref name="path"/>.</param>
    /// <param name="readers">The readers to try, in order.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The stack.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="readers"/> is <see langword="null"/>.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="UnknownStackFormatException">No reader recognises the file.</exception>
    /// <exception cref="InvalidStackContentException">The file is recognised but its contents are invalid.</exception>
    /// <exception cref="IncompatibleEnergiesException">A format without energies (.npy, TIFF) got a different number of energies than it has
    /// planes.</exception>
    /// <exception cref="OperationCanceledException">The read was cancelled.</exception>
    public static SpectralStack Read(string path, StackReadOptions? options, IReadOnlyList<IStackReader> readers,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(readers);
        (IStackReader reader, StackReadOptions opts) = Detect(path, options, readers);
        using FileStream fs = OpenRead(path);
        return reader.Read(fs, opts, cancellationToken);
    }

    /// <summary>Describes a stack file without reading all of its pixel data (for <c>stxmphase info</c>).</summary>
    /// <param name="path">The stack file.</param>
    /// <param name="options">Which entry, channel and region to describe.</param>
    /// <returns>Format, dimensions, energies, channels, entries, pixel size and dwell.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="UnknownStackFormatException">No reader recognises the file.</exception>
    /// <exception cref="InvalidStackContentException">The file is recognised but its header is invalid.</exception>
    public static StackFileInfo Inspect(string path, StackReadOptions? options = null)
    {
        (IStackReader reader, StackReadOptions opts) = Detect(path, options, Readers);
        using FileStream fs = OpenRead(path);
        if (reader is IStackInspector inspector)
        {
            return inspector.Inspect(fs, opts);
        }

        SpectralStack s = reader.Read(fs, opts);
        return new StackFileInfo
        {
            Format = reader.GetType().Name,
            FileName = path,
            Width = s.Width,
            Height = s.Height,
            EnergyCount = s.EnergyCount,
            EnergiesEv = s.Energies.ToArray(),
            PixelSizeXNm = s.Metadata.PixelSizeXNm,
            PixelSizeYNm = s.Metadata.PixelSizeYNm,
            DwellTimeMs = s.Metadata.DwellTimeMs,
        };
    }

    /// <summary>Returns the first of <paramref name="readers"/> that recognises the file.</summary>
    /// <param name="path">The file.</param>
    /// <param name="readers">The readers to try, or <see langword="null"/> for <see cref="Readers"/>.</param>
    /// <returns>The reader.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="UnknownStackFormatException">No reader recognises the file.</exception>
    public static IStackReader Detect(string path, IReadOnlyList<IStackReader>? readers = null) =>
        Detect(path, null, readers ?? Readers).Reader;

    private static (IStackReader Reader, StackReadOptions Options) Detect(string path, StackReadOptions? options, IReadOnlyList<IStackReader> readers)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        byte[] header = new byte[HeaderBytes];
        int n;
        using (FileStream fs = OpenRead(path))
        {
            n = 0;
            int k;
            while (n < header.Length && (k = fs.Read(header, n, header.Length - n)) > 0)
            {
                n += k;
            }
        }

        foreach (IStackReader r in readers)
        {
            if (r.CanRead(header.AsSpan(0, n), path))
            {
                return (r, WithFileName(options, path));
            }
        }

        string tried = string.Join(", ", readers.Select(r => r is IStackInspector i ? i.FormatName : r.GetType().Name));
        throw new UnknownStackFormatException($"'{path}': no reader recognises this file (tried: {tried}).") { FileName = path };
    }

    private static FileStream OpenRead(string path)
    {
        if (Directory.Exists(path))
        {
            throw new FileNotFoundException($"'{path}' is a folder, not a stack file (an SDF stack is read from its .hdr file).", path);
        }

        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Stack file '{path}' does not exist.", path);
        }

        return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
    }

    private static StackReadOptions WithFileName(StackReadOptions? o, string path) =>
        o is null
            ? new StackReadOptions { FileName = path }
            : new StackReadOptions
            {
                FileName = o.FileName ?? path,
                Channel = o.Channel,
                Entry = o.Entry,
                Region = o.Region,
                Energies = o.Energies,
                Quantity = o.Quantity,
            };
}
