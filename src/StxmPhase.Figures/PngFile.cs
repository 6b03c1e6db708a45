using System.Buffers.Binary;
using System.Globalization;

namespace StxmPhase.Figures;

/// <summary>PNG helpers: write the physical resolution (pHYs chunk) and save files atomically.</summary>
internal static class PngFile
{
    private static readonly uint[] s_crcTable = BuildCrcTable();

    /// <summary>
    /// Returns <paramref name="png"/> with a pHYs chunk (pixels per metre = round(dpi / 0.0254)) inserted after IHDR,
    /// or replacing an existing pHYs chunk.
    /// </summary>
    public static byte[] WithResolution(byte[] png, double dpi)
    {
        const int ihdrEnd = 8 + 4 + 4 + 13 + 4;
        if (png.Length < ihdrEnd || png[12] != (byte)'I' || png[13] != (byte)'H')
        {
            throw new InvalidOperationException("The PNG encoder returned data without an IHDR chunk.");
        }

        uint ppm = (uint)Math.Round(dpi / 0.0254);
        byte[] chunk = new byte[4 + 4 + 9 + 4];
        BinaryPrimitives.WriteUInt32BigEndian(chunk, 9);
        "pHYs"u8.CopyTo(chunk.AsSpan(4));
        BinaryPrimitives.WriteUInt32BigEndian(chunk.AsSpan(8), ppm);
        BinaryPrimitives.WriteUInt32BigEndian(chunk.AsSpan(12), ppm);
        chunk[16] = 1; // unit: metre
        BinaryPrimitives.WriteUInt32BigEndian(chunk.AsSpan(17), Crc32(chunk.AsSpan(4, 4 + 9)));

        // Drop any pHYs chunk the encoder wrote, then insert ours after IHDR.
        using var output = new MemoryStream(png.Length + chunk.Length);
        output.Write(png, 0, ihdrEnd);
        output.Write(chunk);
        int offset = ihdrEnd;
        while (offset + 12 <= png.Length)
        {
            int length = (int)BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(offset));
            int total = 12 + length;
            bool isPhys = png.AsSpan(offset + 4, 4).SequenceEqual("pHYs"u8);
            if (!isPhys)
            {
                output.Write(png, offset, Math.Min(total, png.Length - offset));
            }

            offset += total;
        }

        return output.ToArray();
    }

    /// <summary>Reads the horizontal resolution in dots per inch from a pHYs chunk, or returns null.</summary>
    public static double? ReadDpi(ReadOnlySpan<byte> png)
    {
        int offset = 8;
        while (offset + 12 <= png.Length)
        {
            int length = (int)BinaryPrimitives.ReadUInt32BigEndian(png[offset..]);
            if (png.Slice(offset + 4, 4).SequenceEqual("pHYs"u8) && length == 9 && png[offset + 16] == 1)
            {
                return BinaryPrimitives.ReadUInt32BigEndian(png[(offset + 8)..]) * 0.0254;
            }

            offset += 12 + length;
        }

        return null;
    }

    /// <summary>
    /// Writes <paramref name="bytes"/> atomically (<see cref="AtomicFile"/>); unlike the data writers, a figure's
    /// folder must already exist.
    /// </summary>
    public static void WriteAtomic(string path, ReadOnlySpan<byte> bytes)
    {
        string full = Path.GetFullPath(path);
        string directory = Path.GetDirectoryName(full)
            ?? throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"'{path}' has no parent folder."), nameof(path));
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException(
                string.Create(CultureInfo.InvariantCulture, $"The folder '{directory}' for figure '{path}' does not exist."));
        }

        AtomicFile.WriteBytes(full, bytes);
    }

    private static uint Crc32(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFFu;
        foreach (byte b in data)
        {
            crc = s_crcTable[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }

        return crc ^ 0xFFFFFFFFu;
    }

    private static uint[] BuildCrcTable()
    {
        uint[] table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            }

            table[n] = c;
        }

        return table;
    }
}
