using System.Buffers.Binary;

namespace StxmPhase.IO;

/// <summary>
/// Checks the IFD chain of a (Big)TIFF before LibTiff sees it: every IFD and every out-of-line tag value must lie
/// inside the file, and the chain must not loop. LibTiff.NET spends minutes on tags that declare billions of values,
/// so such files are rejected here in microseconds.
/// </summary>
internal static class TiffStructure
{
    private const int MaxPages = short.MaxValue;

    public static void Validate(Stream stream, string? file)
    {
        long length = stream.Length;
        long start = stream.Position;
        try
        {
            Span<byte> head = stackalloc byte[16];
            stream.Position = 0;
            if (ReadFully(stream, head[..8]) < 8)
            {
                throw IoError.Invalid(file, "header", 0, "the file is shorter than a TIFF header.");
            }

            bool little = head[0] == (byte)'I';
            ushort magic = U16(head[2..], little);
            bool big = magic == 43;
            long ifd;
            if (big)
            {
                if (ReadFully(stream, head[8..16]) < 8)
                {
                    throw IoError.Invalid(file, "header", 8, "the file ends inside the BigTIFF header.");
                }

                ifd = (long)Math.Min(U64(head[8..], little), long.MaxValue);
            }
            else
            {
                ifd = U32(head[4..], little);
            }

            int entrySize = big ? 20 : 12;
            int countSize = big ? 8 : 2;
            int inline = big ? 8 : 4;
            var seen = new HashSet<long>();
            byte[] entry = new byte[entrySize];
            Span<byte> cnt = stackalloc byte[8];
            int pages = 0;
            while (ifd != 0)
            {
                if (ifd < 0 || ifd + countSize > length || !seen.Add(ifd) || ++pages > MaxPages)
                {
                    throw IoError.Invalid(file, "IFD", ifd,
                        IoError.Inv($"IFD {pages} at offset {ifd} lies outside the {length}-byte file, repeats an earlier IFD, or exceeds ") +
                            IoError.Inv($"{MaxPages} pages."));
                }

                stream.Position = ifd;
                ReadFully(stream, cnt[..countSize]);
                long n = big ? (long)Math.Min(U64(cnt, little), long.MaxValue) : U16(cnt, little);
                long tableEnd = ifd + countSize + (n * entrySize) + (big ? 8 : 4);
                if (n > 4096 || tableEnd > length)
                {
                    throw IoError.Invalid(file, "IFD", ifd, IoError.Inv($"the IFD declares {n} entries, which do not fit in the file."));
                }

                for (long i = 0; i < n; i++)
                {
                    ReadFully(stream, entry);
                    ushort tag = U16(entry, little);
                    ushort type = U16(entry.AsSpan(2), little);
                    ulong count = big ? U64(entry.AsSpan(4), little) : U32(entry.AsSpan(4), little);
                    int size = TypeSize(type);
                    if (size == 0)
                    {
                        continue;
                    }

                    if (count > (ulong)length)
                    {
                        throw IoError.Invalid(file, IoError.Inv($"tag {tag}"), ifd,
                            IoError.Inv($"the tag declares {count} values, more than the file has bytes."));
                    }

                    long bytes = (long)count * size;
                    if (bytes > inline)
                    {
                        long offset = big ? (long)Math.Min(U64(entry.AsSpan(12), little), long.MaxValue) : U32(entry.AsSpan(8), little);
                        if (offset < 0 || offset + bytes > length)
                        {
                            throw IoError.Invalid(file, IoError.Inv($"tag {tag}"), ifd,
                                IoError.Inv($"the tag's {count} values ({bytes} bytes at offset {offset}) lie outside the {length}-byte file."));
                        }
                    }
                }

                ReadFully(stream, cnt[..(big ? 8 : 4)]);
                ifd = big ? (long)Math.Min(U64(cnt, little), long.MaxValue) : U32(cnt, little);
            }
        }
        finally
        {
            stream.Position = start;
        }
    }

    private static int TypeSize(ushort type) => type switch
    {
        1 or 2 or 6 or 7 => 1,
        3 or 8 => 2,
        4 or 9 or 11 or 13 => 4,
        5 or 10 or 12 or 16 or 17 or 18 => 8,
        _ => 0,
    };

    private static ushort U16(ReadOnlySpan<byte> b, bool little) =>
        little ? BinaryPrimitives.ReadUInt16LittleEndian(b) : BinaryPrimitives.ReadUInt16BigEndian(b);

    private static uint U32(ReadOnlySpan<byte> b, bool little) =>
        little ? BinaryPrimitives.ReadUInt32LittleEndian(b) : BinaryPrimitives.ReadUInt32BigEndian(b);

    private static ulong U64(ReadOnlySpan<byte> b, bool little) =>
        little ? BinaryPrimitives.ReadUInt64LittleEndian(b) : BinaryPrimitives.ReadUInt64BigEndian(b);

    private static int ReadFully(Stream s, Span<byte> buffer)
    {
        int total = 0;
        while (total < buffer.Length)
        {
            int n = s.Read(buffer[total..]);
            if (n == 0)
            {
                buffer[total..].Clear();
                break;
            }

            total += n;
        }

        return total;
    }
}
