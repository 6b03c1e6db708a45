using System.Buffers.Binary;
using BitMiracle.LibTiff.Classic;
using StxmPhase.Spectra;

namespace StxmPhase.IO;

/// <summary>
/// Reads multi-page TIFF stacks (one page per energy, e.g. from MANTiS, aXis2000 or ImageJ). Energies come from
/// <see cref="StackReadOptions.Energies"/> or a sidecar (<c>{stem}.energies.csv</c>, <c>{stem}_energies.csv</c>,
/// <c>{stem}.txt</c> as MANTiS writes it, <c>{stem}.csv</c>, then <c>energies.csv</c> in the same folder as
/// <c>stxmphase synth</c> writes it; rules of <see cref="EnergyAxisCsv"/>); the metadata attribute <c>energies.source</c>
/// names the file used. The quantity is <see cref="StackReadOptions.Quantity"/> or, when that is not set, detected from
/// the values (counts, transmittance or OD); the attribute <c>quantity</c> says which and why.
/// </summary>
/// <remarks>
/// Pages must be single-sample grey images of equal size, striped (not tiled), with 8/16/32-bit unsigned or signed
/// integers or 32/64-bit floats, in any compression LibTiff supports. Page rows are image rows (y), unlike MANTiS,
/// which transposes. Frames in descending energy order are re-sorted. Before decoding, the uncompressed size of every
/// page is checked against the file length (at most 4096× for compressed pages). LibTiff.NET messages are kept off the
/// console by a process-wide quiet error handler installed on first use.
/// </remarks>
public sealed class TiffStackReader : IStackInspector
{
    /// <inheritdoc/>
    public string FormatName => "multi-page TIFF";

    /// <inheritdoc/>
    public bool CanRead(ReadOnlySpan<byte> header, string? fileName) =>
        header.StartsWith("II*\0"u8) || header.StartsWith("MM\0*"u8) || header.StartsWith("II+\0"u8) || header.StartsWith("MM\0+"u8);

    /// <inheritdoc/>
    public SpectralStack Read(Stream stream, StackReadOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(options);
        string? file = options.FileName;
        return TiffCore.WithTiff(stream, file, tif =>
        {
            (int w, int h, int pages, _) = TiffCore.Describe(tif, file, stream.Length);
            double[] energies = EnergyAxisCsv.ForStack(options, FormatName, out string? sidecar);
            var attributes = new Dictionary<string, string>();
            if (sidecar is not null)
            {
                attributes[QuantityDetection.EnergiesAttribute] = sidecar;
            }

            if (energies.Length != pages)
            {
                throw new IncompatibleEnergiesException(IoError.Where(file, "energies", null) +
                    IoError.Inv($"the TIFF has {pages} pages but {energies.Length} energies were ") +
                        IoError.Inv($"given{(sidecar is null ? string.Empty : $" (in '{sidecar}')")}."))
                {
                    FileName = file,
                    Field = "energies",
                };
            }

            int n = StackAssembly.CheckedCount(file, "pages", pages, w, h);
            float[] data = new float[n];
            for (int p = 0; p < pages; p++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                TiffCore.ReadPage(tif, p, file, w, h, data.AsSpan(p * w * h, w * h));
            }

            SpectralQuantity quantity = QuantityDetection.Resolve(file, options.Quantity, data, attributes);
            var meta = new StackMetadata { Name = Path.GetFileNameWithoutExtension(file), SourceFile = file, Attributes = attributes };
            return StackAssembly.Build(file, "energies", energies, w, h, data, quantity, meta);
        });
    }

    /// <inheritdoc/>
    public StackFileInfo Inspect(Stream stream, StackReadOptions options)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(options);
        string? file = options.FileName;
        return TiffCore.WithTiff(stream, file, tif =>
        {
            (int w, int h, int pages, string type) = TiffCore.Describe(tif, file, stream.Length);
            var attrs = new Dictionary<string, string>();
            double[] energies = EnergyAxisCsv.ForStackOrReason(options, FormatName, attrs);

            return new StackFileInfo
            {
                Format = FormatName,
                FileName = file,
                Width = w,
                Height = h,
                EnergyCount = pages,
                EnergiesEv = energies,
                DataType = type,
                Attributes = attrs,
            };
        });
    }
}

/// <summary>A LibTiff stream adapter that leaves the caller's stream open when the TIFF is disposed.</summary>
internal sealed class NonClosingTiffStream : TiffStream
{
    public override void Close(object clientData)
    {
    }
}

/// <summary>Shared LibTiff plumbing for the TIFF reader and writer.</summary>
internal static class TiffCore
{
    public static T WithTiff<T>(Stream stream, string? file, Func<Tiff, T> body)
    {
        QuietTiffErrorHandler.Install();
        QuietTiffErrorHandler.LastError = null;
        Tiff? tif = null;
        try
        {
            if (!stream.CanSeek)
            {
                throw IoError.Invalid(file, null, null, "TIFF reading needs a seekable stream.");
            }

            TiffStructure.Validate(stream, file);
            tif = Tiff.ClientOpen(file ?? "stream", "rm", stream, new NonClosingTiffStream());
            if (tif is null)
            {
                throw IoError.Invalid(file, "header", 0, "LibTiff could not open the file: " +
                    (QuietTiffErrorHandler.LastError ?? "unknown error") + ".");
            }

            return body(tif);
        }
        catch (Exception ex) when (ex is not StxmPhaseException and not OperationCanceledException)
        {
            throw IoError.Invalid(file, null, null, "the TIFF is malformed (" + ex.GetType().Name + ": " + ex.Message + ").", ex);
        }
        finally
        {
            tif?.Dispose();
        }
    }

    public static (int Width, int Height, int Pages, string Type) Describe(Tiff tif, string? file, long fileLength)
    {
        int pages = tif.NumberOfDirectories();
        if (pages <= 0 || pages > short.MaxValue)
        {
            throw IoError.Invalid(file, "IFD", null, IoError.Inv($"the file has {pages} pages."));
        }

        int w0 = 0, h0 = 0;
        string type = string.Empty;
        for (int p = 0; p < pages; p++)
        {
            if (!tif.SetDirectory((short)p))
            {
                throw IoError.Invalid(file, "IFD", p, IoError.Inv($"page {p} cannot be read: {QuietTiffErrorHandler.LastError}."));
            }

            (int w, int h, int bits, SampleFormat fmt) = PageInfo(tif, file, p);
            if (p == 0)
            {
                w0 = w;
                h0 = h;
                type = fmt + " " + bits.ToString(System.Globalization.CultureInfo.InvariantCulture) + "-bit";
                StackAssembly.CheckedCount(file, "ImageWidth/ImageLength", pages, w, h);
            }
            else if (w != w0 || h != h0)
            {
                throw IoError.Invalid(file, "ImageWidth/ImageLength", p, IoError.Inv($"page {p} is {w} × {h} but page 0 is {w0} × {h0}."));
            }

            Compression comp = (Compression)(tif.GetField(TiffTag.COMPRESSION)?[0].ToInt() ?? 1);
            long bytes = (long)w * h * (bits / 8);
            long limit = comp == Compression.NONE ? fileLength : fileLength * 4096;
            if (bytes > limit)
            {
                throw IoError.Invalid(file, "ImageWidth/ImageLength", p, IoError.Inv(
                    $"page {p} declares {w} × {h} × {bits} bits = {bytes} bytes, impossible in a {fileLength}-byte file ({comp})."));
            }
        }

        return (w0, h0, pages, type);
    }

    public static void ReadPage(Tiff tif, int page, string? file, int w, int h, Span<float> destination)
    {
        if (!tif.SetDirectory((short)page))
        {
            throw IoError.Invalid(file, "IFD", page, IoError.Inv($"page {page} cannot be read."));
        }

        (_, _, int bits, SampleFormat fmt) = PageInfo(tif, file, page);
        int bytesPer = bits / 8;
        int lineSize = tif.ScanlineSize();
        if (lineSize < w * bytesPer)
        {
            throw IoError.Invalid(file, "ScanlineSize", page, IoError.Inv($"page {page} has {lineSize}-byte rows; {w} samples need {w * bytesPer}."));
        }

        bool big = tif.IsBigEndian();
        byte[] line = new byte[lineSize];
        for (int y = 0; y < h; y++)
        {
            if (!tif.ReadScanline(line, y))
            {
                throw IoError.Invalid(file, "strip data", page,
                    IoError.Inv($"row {y} of page {page} cannot be decoded: {QuietTiffErrorHandler.LastError}."));
            }

            Span<float> row = destination.Slice(y * w, w);
            ReadOnlySpan<byte> b = line;
            for (int x = 0; x < w; x++)
            {
                ReadOnlySpan<byte> s = b.Slice(x * bytesPer, bytesPer);
                row[x] = (fmt, bits) switch
                {
                    (SampleFormat.UINT, 8) => s[0],
                    (SampleFormat.INT, 8) => (sbyte)s[0],
                    (SampleFormat.UINT, 16) => big ? BinaryPrimitives.ReadUInt16BigEndian(s) : BinaryPrimitives.ReadUInt16LittleEndian(s),
                    (SampleFormat.INT, 16) => big ? BinaryPrimitives.ReadInt16BigEndian(s) : BinaryPrimitives.ReadInt16LittleEndian(s),
                    (SampleFormat.UINT, 32) => big ? BinaryPrimitives.ReadUInt32BigEndian(s) : BinaryPrimitives.ReadUInt32LittleEndian(s),
                    (SampleFormat.INT, 32) => big ? BinaryPrimitives.ReadInt32BigEndian(s) : BinaryPrimitives.ReadInt32LittleEndian(s),
                    (SampleFormat.IEEEFP, 32) => big ? BinaryPrimitives.ReadSingleBigEndian(s) : BinaryPrimitives.ReadSingleLittleEndian(s),
                    _ => (float)(big ? BinaryPrimitives.ReadDoubleBigEndian(s) : BinaryPrimitives.ReadDoubleLittleEndian(s)),
                };
            }
        }
    }

    private static (int W, int H, int Bits, SampleFormat Format) PageInfo(Tiff tif, string? file, int page)
    {
        int w = tif.GetField(TiffTag.IMAGEWIDTH)?[0].ToInt() ?? 0;
        int h = tif.GetField(TiffTag.IMAGELENGTH)?[0].ToInt() ?? 0;
        int spp = tif.GetFieldDefaulted(TiffTag.SAMPLESPERPIXEL)?[0].ToInt() ?? 1;
        int bits = tif.GetFieldDefaulted(TiffTag.BITSPERSAMPLE)?[0].ToInt() ?? 1;
        var fmt = (SampleFormat)(tif.GetFieldDefaulted(TiffTag.SAMPLEFORMAT)?[0].ToInt() ?? 1);
        if (w <= 0 || h <= 0)
        {
            throw IoError.Invalid(file, "ImageWidth/ImageLength", page, IoError.Inv($"page {page} has invalid size {w} × {h}."));
        }

        if (spp != 1)
        {
            throw IoError.Invalid(file, "SamplesPerPixel", page,
                IoError.Inv($"page {page} has {spp} samples per pixel; stacks need grey images (1)."));
        }

        if (tif.IsTiled())
        {
            throw IoError.Invalid(file, "TileWidth", page, IoError.Inv($"page {page} is tiled; only striped TIFFs are supported."));
        }

        bool ok = (fmt, bits) switch
        {
            (SampleFormat.UINT or SampleFormat.INT, 8 or 16 or 32) => true,
            (SampleFormat.IEEEFP, 32 or 64) => true,
            _ => false,
        };
        if (!ok)
        {
            throw IoError.Invalid(file, "BitsPerSample/SampleFormat", page,
                IoError.Inv($"page {page} has {bits}-bit {fmt} samples; supported are 8/16/32-bit integers and 32/64-bit floats."));
        }

        return (w, h, bits, fmt);
    }
}
