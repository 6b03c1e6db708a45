using BitMiracle.LibTiff.Classic;
using StxmPhase.Spectra;

namespace StxmPhase.IO;

/// <summary>Writes float32 TIFF images (result maps) and multi-page float32 stacks, atomically.</summary>
/// <remarks>Uncompressed, little-endian, one strip per row block, <c>SampleFormat = IEEEFP</c>, min-is-black; readable by ImageJ/Fiji, tifffile and
/// <see cref="TiffStackReader"/>.</remarks>
public static class TiffFile
{
    /// <summary>Writes one float32 image (e.g. a correlation or ambiguity map).</summary>
    /// <param name="path">The destination file.</param>
    /// <param name="data">Row-major values, <paramref name="width"/> × <paramref name="height"/>.</param>
    /// <param name="width">Image width in pixels.</param>
    /// <param name="height">Image height in pixels.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="width"/> or <paramref name="height"/> is not positive.</exception>
    /// <exception cref="ArgumentException"><paramref name="data"/> does not hold width × height values.</exception>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public static void WriteFloatMap(string path, ReadOnlySpan<float> data, int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        if (data.Length != (long)width * height)
        {
            throw new ArgumentException(IoError.Inv($"Expected width × height = {(long)width * height} values; got {data.Length}."), nameof(data));
        }

        WritePages(path, [data.ToArray()], width, height);
    }

    /// <summary>Writes a stack as a multi-page float32 TIFF (one page per energy) plus its energies as <c>{stem}.energies.csv</c>.</summary>
    /// <param name="path">The destination TIFF.</param>
    /// <param name="stack">The stack.</param>
    /// <exception cref="ArgumentNullException"><paramref name="stack"/> is <see langword="null"/>.</exception>
    /// <exception cref="IOException">A file cannot be written.</exception>
    public static void WriteStack(string path, SpectralStack stack)
    {
        ArgumentNullException.ThrowIfNull(stack);
        float[][] pages = new float[stack.EnergyCount][];
        for (int e = 0; e < pages.Length; e++)
        {
            pages[e] = stack.Plane(e).ToArray();
        }

        WritePages(path, pages, stack.Width, stack.Height);
        string dir = Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".";
        EnergyAxisCsv.Write(Path.Combine(dir, Path.GetFileNameWithoutExtension(path) + ".energies.csv"), stack.Energies);
    }

    private static void WritePages(string path, float[][] pages, int width, int height)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        QuietTiffErrorHandler.Install();
        using var buffer = new MemoryStream();
        WriteTo(buffer, path, pages, width, height);
        byte[] bytes = buffer.ToArray();
        AtomicFile.Write(path, s => s.Write(bytes));
    }

    private static void WriteTo(MemoryStream stream, string path, float[][] pages, int width, int height)
    {
        {
            using Tiff tif = Tiff.ClientOpen(path, "w", stream, new TiffStream())
                ?? throw new IOException($"LibTiff could not create '{path}': {QuietTiffErrorHandler.LastError}");
            byte[] row = new byte[width * 4];
            for (int p = 0; p < pages.Length; p++)
            {
                tif.SetField(TiffTag.IMAGEWIDTH, width);
                tif.SetField(TiffTag.IMAGELENGTH, height);
                tif.SetField(TiffTag.SAMPLESPERPIXEL, 1);
                tif.SetField(TiffTag.BITSPERSAMPLE, 32);
                tif.SetField(TiffTag.SAMPLEFORMAT, SampleFormat.IEEEFP);
                tif.SetField(TiffTag.PHOTOMETRIC, Photometric.MINISBLACK);
                tif.SetField(TiffTag.PLANARCONFIG, PlanarConfig.CONTIG);
                tif.SetField(TiffTag.COMPRESSION, Compression.NONE);
                tif.SetField(TiffTag.ROWSPERSTRIP, Math.Max(1, Math.Min(height, (64 * 1024) / Math.Max(1, width * 4))));
                if (pages.Length > 1)
                {
                    tif.SetField(TiffTag.SUBFILETYPE, FileType.PAGE);
                    tif.SetField(TiffTag.PAGENUMBER, p, pages.Length);
                }

                for (int y = 0; y < height; y++)
                {
                    Buffer.BlockCopy(pages[p], y * width * 4, row, 0, width * 4);
                    if (!BitConverter.IsLittleEndian)
                    {
                        throw new PlatformNotSupportedException("Writing TIFF requires a little-endian machine.");
                    }

                    if (!tif.WriteScanline(row, y))
                    {
                        throw new IOException($"LibTiff failed writing row {y} of page {p} of '{path}': {QuietTiffErrorHandler.LastError}");
                    }
                }

                if (!tif.WriteDirectory())
                {
                    throw new IOException($"LibTiff failed writing page {p} of '{path}': {QuietTiffErrorHandler.LastError}");
                }
            }
        }
    }
}
