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

    public static bool IsString(IH5DataType t) => t.Class is H5DataTypeClass.String or H5DataTypeClass.VariableLength;

    public static string? AttrString(IH5Object obj, string name)
    {
        try
        {
            if (!obj.AttributeExists(name))
            {
                return null;
            }

            IH5Attribute a = obj.Attribute(name);
            if (!IsString(a.Type))
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
            if (!IsString(a.Type))
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
        if (!group.LinkExists(name) || group.Get(name) is not IH5Dataset d || !IsString(d.Type))
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
