using System.Buffers.Binary;
using StxmPhase.Spectra;

namespace StxmPhase.IO;

/// <summary>
/// Reads aXis2000 <c>.ncb</c> + <c>.dat</c> stacks. Either file may be given; the other is found beside it with the same
/// stem.
/// </summary>
/// <remarks>
/// <para>
/// <c>.dat</c>: line 1 <c>n_cols n_rows scale</c>; line 2 <c>x_start x_stop</c> (µm); line 3 <c>y_start y_stop</c>;
/// line 4 <c>n_ev</c>; then <c>n_ev</c> energies (eV), one per line; then optional <c>label energy dwell</c> lines.
/// </para>
/// <para>
/// <c>.ncb</c>: headerless little-endian binary, x fastest, then y, then energy. <c>scale &lt; 0</c>: float32 values as
/// stored. <c>scale ≥ 0</c>: int16, physical = stored / scale when scale &gt; 0 (stored as-is when scale = 0).
/// The file length must equal n_cols × n_rows × n_ev × (4 or 2) bytes; this is checked before allocating.
/// An axis whose start exceeds its stop is reversed so that x and y increase, as MANTiS does.
/// </para>
/// <para>The quantity is <see cref="StackReadOptions.Quantity"/> (default transmission); aXis2000 stacks hold either counts or OD.</para>
/// </remarks>
public sealed class NcbStackReader : IStackInspector
{
    /// <inheritdoc/>
    public string FormatName => "aXis2000 .ncb/.dat";

    /// <inheritdoc/>
    public bool CanRead(ReadOnlySpan<byte> header, string? fileName)
    {
        string ext = Path.GetExtension(fileName ?? string.Empty);
        if (ext.Equals(".ncb", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        return ext.Equals(".dat", StringComparison.OrdinalIgnoreCase) && NcbDat.LooksLikeDat(header);
    }

    /// <inheritdoc/>
    public SpectralStack Read(Stream stream, StackReadOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(options);
        (NcbDat dat, string datName, string ncbName, Stream ncb, bool ownsNcb) = Open(stream, options, cancellationToken);
        try
        {
            int n = StackAssembly.CheckedCount(datName, "n_cols n_rows n_ev", dat.Energies.Length, dat.Columns, dat.Rows);
            long expected = (long)n * dat.ElementSize;
            if (ncb.CanSeek && ncb.Length - ncb.Position != expected)
            {
                throw IoError.Invalid(ncbName, "length", 0,
                    IoError.Inv($"the .dat declares {dat.Columns} × {dat.Rows} × {dat.Energies.Length} {(dat.IsFloat ? "float32" : "int16")} ") +
                    IoError.Inv($"values = {expected} bytes, but the .ncb holds {ncb.Length - ncb.Position} bytes."));
            }

            byte[] raw = StackAssembly.ReadAll(ncb, ncbName, expected, cancellationToken);
            if (raw.Length != expected)
            {
                throw IoError.Invalid(ncbName, "length", raw.Length, IoError.Inv($"expected {expected} bytes; got {raw.Length}."));
            }

            float[] data = new float[n];
            if (dat.IsFloat)
            {
                for (int i = 0; i < n; i++)
                {
                    data[i] = BinaryPrimitives.ReadSingleLittleEndian(raw.AsSpan(i * 4, 4));
                }
            }
            else
            {
                double div = dat.Scale > 0 ? dat.Scale : 1;
                for (int i = 0; i < n; i++)
                {
                    data[i] = (float)(BinaryPrimitives.ReadInt16LittleEndian(raw.AsSpan(i * 2, 2)) / div);
                }
            }

            int w = dat.Columns;
            int h = dat.Rows;
            if (dat.XStart > dat.XStop)
            {
                FlipX(data, w, h);
            }

            if (dat.YStart > dat.YStop)
            {
                FlipY(data, w, h);
            }

            var meta = new StackMetadata
            {
                Name = Path.GetFileNameWithoutExtension(ncbName),
                SourceFile = options.FileName,
                PixelSizeXNm = PixelNm(dat.XStart, dat.XStop, w),
                PixelSizeYNm = PixelNm(dat.YStart, dat.YStop, h),
                DwellTimeMs = dat.DwellMs,
                Attributes = new Dictionary<string, string> { ["ncb.scale"] = StackAssembly.Format(dat.Scale) },
            };
            return StackAssembly.Build(datName, "energy", dat.Energies.ToArray(), w, h, data,
                options.Quantity ?? SpectralQuantity.Transmission, meta);
        }
        finally
        {
            if (ownsNcb)
            {
                ncb.Dispose();
            }
        }
    }

    /// <inheritdoc/>
    public StackFileInfo Inspect(Stream stream, StackReadOptions options)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(options);
        (NcbDat dat, string datName, _, Stream ncb, bool ownsNcb) = Open(stream, options, CancellationToken.None);
        if (ownsNcb)
        {
            ncb.Dispose();
        }

        StackAssembly.CheckedCount(datName, "n_cols n_rows n_ev", dat.Energies.Length, dat.Columns, dat.Rows);
        return new StackFileInfo
        {
            Format = FormatName,
            FileName = options.FileName,
            Width = dat.Columns,
            Height = dat.Rows,
            EnergyCount = dat.Energies.Length,
            EnergiesEv = dat.Energies,
            PixelSizeXNm = PixelNm(dat.XStart, dat.XStop, dat.Columns),
            PixelSizeYNm = PixelNm(dat.YStart, dat.YStop, dat.Rows),
            DwellTimeMs = dat.DwellMs,
            DataType = dat.IsFloat ? "float32 (scale = -1)" : "int16 / " + StackAssembly.Format(dat.Scale),
        };
    }

    private static (NcbDat Dat, string DatName, string NcbName, Stream Ncb, bool OwnsNcb) Open(Stream stream, StackReadOptions options,
        CancellationToken ct)
    {
        string? file = options.FileName;
        if (file is null)
        {
            throw IoError.Invalid(null, "FileName", null, "an .ncb stack needs StackReadOptions.FileName to find its .dat companion.");
        }

        bool isDat = Path.GetExtension(file).Equals(".dat", StringComparison.OrdinalIgnoreCase);
        string datName = isDat ? file : Path.ChangeExtension(file, ".dat");
        string ncbName = isDat ? Path.ChangeExtension(file, ".ncb") : file;
        string[] lines;
        if (isDat)
        {
            lines = TextLines.ReadAllLines(stream, datName, ct);
        }
        else
        {
            if (!File.Exists(datName))
            {
                throw IoError.Invalid(file, ".dat", null, $"the companion file '{datName}' with the dimensions and energies does not exist.");
            }

            lines = TextLines.ReadAllLines(datName);
        }

        NcbDat dat = NcbDat.Parse(lines, datName);
        if (isDat)
        {
            if (!File.Exists(ncbName))
            {
                throw IoError.Invalid(file, ".ncb", null, $"the binary file '{ncbName}' does not exist.");
            }

            return (dat, datName, ncbName, File.OpenRead(ncbName), true);
        }

        return (dat, datName, ncbName, stream, false);
    }

    private static double? PixelNm(double start, double stop, int n) =>
        n > 1 && stop != start ? Math.Abs(stop - start) / (n - 1) * 1000.0 : null;

    private static void FlipX(float[] data, int w, int h)
    {
        for (int r = 0; r < data.Length / w; r++)
        {
            Array.Reverse(data, r * w, w);
        }

        _ = h;
    }

    private static void FlipY(float[] data, int w, int h)
    {
        int plane = w * h;
        float[] tmp = new float[w];
        for (int p = 0; p < data.Length / plane; p++)
        {
            for (int y = 0; y < h / 2; y++)
            {
                Span<float> a = data.AsSpan((p * plane) + (y * w), w);
                Span<float> b = data.AsSpan((p * plane) + ((h - 1 - y) * w), w);
                a.CopyTo(tmp);
                b.CopyTo(a);
                tmp.CopyTo(b);
            }
        }
    }
}
