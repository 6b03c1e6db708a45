using System.Buffers.Binary;
using PureHDF;

namespace StxmPhase.IO;

/// <summary>Tolerant helpers over PureHDF: strings as scalars or one-element arrays, numbers of any stored type.</summary>
internal static class H5Util
{
    public static readonly byte[] Signature = [0x89, (byte)'H', (byte)'D', (byte)'F', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>Finds the HDF5 superblock: offset 0, 512, 1024, 2048, … (after a user block).</summary>
    public static long FindSuperblock(Stream stream)
    {
        Span<byte> sig = stackalloc byte[8];
        for (long off = 0; off + 8 <= stream.Length; off = off == 0 ? 512 : off * 2)
        {
            stream.Position = off;
            int got = 0;
            while (got < 8)
            {
                int n = stream.Read(sig[got..]);
                if (n == 0)
                {
                    break;
                }

                got += n;
            }

            if (got == 8 && sig.SequenceEqual(Signature))
            {
                return off;
            }
        }

        return -1;
    }

    /// <summary>Most string values a metadata attribute or dataset may hold before it is ignored (guards against corrupt dimensions).</summary>
    private const ulong MaxStrings = 4096;

    public static bool IsString(IH5DataType t) => t.Class is H5DataTypeClass.String or H5DataTypeClass.VariableLength;

    private static bool SmallStringSpace(IH5Dataspace space, IH5DataType type)
    {
        if (type.Size > 65536)
        {
            return false;
        }

        ulong n = 1;
        foreach (ulong d in space.Dimensions)
        {
            if (d > MaxStrings)
            {
                return false;
            }

            n *= Math.Max(1UL, d);
            if (n > MaxStrings)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Scans the first <paramref name="maxScan"/> bytes for global heap collections ("GCOL", which hold
    /// variable-length strings) and rejects any whose declared size runs past the end of the file: PureHDF allocates
    /// the declared size before reading, so a corrupt size would cost gigabytes.
    /// </summary>
    public static void CheckGlobalHeaps(Stream stream, long superblock, string file, long maxScan = 256L << 20)
    {
        long length = stream.Length;
        long end = Math.Min(length, superblock + maxScan);
        byte[] buffer = new byte[1 << 20];
        long pos = superblock;
        while (pos < end)
        {
            stream.Position = pos;
            int want = (int)Math.Min(buffer.Length, end - pos);
            int got = 0;
            while (got < want)
            {
                int n = stream.Read(buffer, got, want - got);
                if (n == 0)
                {
                    break;
                }

                got += n;
            }

            ReadOnlySpan<byte> span = buffer.AsSpan(0, got);
            int i = 0;
            while (true)
            {
                int k = span[i..].IndexOf("GCOL"u8);
                if (k < 0)
                {
                    break;
                }

                int at = i + k;
                // A real collection header is "GCOL", version 1, three zero bytes, then the size: checking all eight
                // bytes makes a false match inside raw data (p ≈ 2⁻⁶⁴ per position) negligible.
                if (at + 16 <= got && span[at + 4] == 1 && span[at + 5] == 0 && span[at + 6] == 0 && span[at + 7] == 0)
                {
                    ulong size = BinaryPrimitives.ReadUInt64LittleEndian(span.Slice(at + 8, 8));
                    long start = pos + at;
                    if (size > (ulong)(length - start))
                    {
                        throw IoError.Invalid(file, "global heap", start, IoError.Inv(
                            $"a global heap collection declares {size} bytes but only {length - start} remain in the file."));
                    }

                    CheckHeapObjects(stream, start, (long)size, file);
                    stream.Position = pos + got;
                }

                i = at + 4;
            }

            if (got < want || pos + got >= end)
            {
                break;
            }

            pos += got - 15; // overlap so that a signature and its size field spanning two reads are seen
        }

        stream.Position = superblock;
    }

    /// <summary>Walks the objects of one global heap collection and checks that each fits inside it.</summary>
    private static void CheckHeapObjects(Stream stream, long start, long size, string file)
    {
        Span<byte> head = stackalloc byte[16];
        long at = start + 16;
        long end = start + size;
        while (at + 16 <= end)
        {
            stream.Position = at;
            if (stream.Read(head) < 16)
            {
                return;
            }

            ushort index = BinaryPrimitives.ReadUInt16LittleEndian(head);
            ulong objectSize = BinaryPrimitives.ReadUInt64LittleEndian(head[8..]);
            if (objectSize > (ulong)(end - at - 16) && index != 0)
            {
                throw IoError.Invalid(file, "global heap", at, IoError.Inv(
                    $"heap object {index} declares {objectSize} bytes but its collection has only {end - at - 16} left."));
            }

            if (index == 0)
            {
                return; // free space: the rest of the collection
            }

            at += 16 + (long)((objectSize + 7) & ~7UL);
        }
    }

    public static string? AttrString(IH5Object obj, string name)
    {
        try
        {
            if (!obj.AttributeExists(name))
            {
                return null;
            }

            IH5Attribute a = obj.Attribute(name);
            if (!IsString(a.Type) || !SmallStringSpace(a.Space, a.Type))
            {
                return null;
            }

            return a.Space.Rank == 0 ? a.Read<string>() : a.Read<string[]>().FirstOrDefault();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return null;
        }
    }

    public static string[] AttrStrings(IH5Object obj, string name)
    {
        try
        {
            if (!obj.AttributeExists(name))
            {
                return [];
            }

            IH5Attribute a = obj.Attribute(name);
            if (!IsString(a.Type) || !SmallStringSpace(a.Space, a.Type))
            {
                return [];
            }

            if (a.Space.Rank == 0)
            {
                string s = a.Read<string>();
                return s.Split([':', ',', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            }

            return a.Read<string[]>();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return [];
        }
    }

    public static string? DatasetString(IH5Group group, string name)
    {
        if (!group.LinkExists(name) || group.Get(name) is not IH5Dataset d || !IsString(d.Type) || !SmallStringSpace(d.Space, d.Type))
        {
            return null;
        }

        return d.Space.Rank == 0 ? d.Read<string>() : d.Read<string[]>().FirstOrDefault();
    }

    public static IH5Dataset? Dataset(IH5Group group, string name) =>
        group.LinkExists(name) ? group.Get(name) as IH5Dataset : null;

    public static ulong[] Dims(IH5Dataset d) => d.Space.Type == H5DataspaceType.Scalar ? [1] : d.Space.Dimensions;

    public static long ElementCount(IH5Dataset d)
    {
        long n = 1;
        foreach (ulong x in Dims(d))
        {
            if (x > int.MaxValue)
            {
                return long.MaxValue;
            }

            n = n > long.MaxValue / Math.Max(1L, (long)x) ? long.MaxValue : n * (long)x;
        }

        return n;
    }

    /// <summary>Reads a numeric dataset of any integer or float type as doubles.</summary>
    public static double[] ReadDoubles(IH5Dataset d)
    {
        IH5DataType t = d.Type;
        if (t.Class == H5DataTypeClass.FloatingPoint)
        {
            return t.Size switch
            {
                8 => d.Read<double[]>(),
                4 => Array.ConvertAll(d.Read<float[]>(), v => (double)v),
                _ => throw new NotSupportedException($"{t.Size}-byte floats are not supported."),
            };
        }

        if (t.Class == H5DataTypeClass.FixedPoint)
        {
            bool signed = t.FixedPoint.IsSigned;
            return (t.Size, signed) switch
            {
                (1, false) => Array.ConvertAll(d.Read<byte[]>(), v => (double)v),
                (1, true) => Array.ConvertAll(d.Read<sbyte[]>(), v => (double)v),
                (2, false) => Array.ConvertAll(d.Read<ushort[]>(), v => (double)v),
                (2, true) => Array.ConvertAll(d.Read<short[]>(), v => (double)v),
                (4, false) => Array.ConvertAll(d.Read<uint[]>(), v => (double)v),
                (4, true) => Array.ConvertAll(d.Read<int[]>(), v => (double)v),
                (8, false) => Array.ConvertAll(d.Read<ulong[]>(), v => (double)v),
                (8, true) => Array.ConvertAll(d.Read<long[]>(), v => (double)v),
                _ => throw new NotSupportedException($"{t.Size}-byte integers are not supported."),
            };
        }

        throw new NotSupportedException($"HDF5 type class {t.Class} is not numeric.");
    }

    /// <summary>Reads a numeric dataset as float32 (the stack data path; avoids a double copy for float32 files).</summary>
    public static float[] ReadSingles(IH5Dataset d) =>
        d.Type.Class == H5DataTypeClass.FloatingPoint && d.Type.Size == 4
            ? d.Read<float[]>()
            : Array.ConvertAll(ReadDoubles(d), v => (float)v);

    public static int ElementSize(IH5Dataset d) => d.Type.Size <= 0 ? 1 : d.Type.Size;
}
