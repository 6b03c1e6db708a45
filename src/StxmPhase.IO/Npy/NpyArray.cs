using System.Buffers.Binary;
using StxmPhase.Spectra;

namespace StxmPhase.IO;

/// <summary>
/// An n-dimensional array read from a NumPy <c>.npy</c> file: its shape (C order, slowest axis first) and its values,
/// already converted to C (row-major) order and native byte order.
/// </summary>
/// <remarks>Supported element types: bool, int8/16/32/64, uint8/16/32/64, float16/32/64, either byte order.</remarks>
public sealed class NpyArray
{
    private readonly byte[] _raw;
    private readonly int[] _shape;

    internal NpyArray(int[] shape, NpyDType dtype, byte[] raw)
    {
        _shape = shape;
        DType = dtype;
        _raw = raw;
    }

    /// <summary>Gets the shape, slowest-varying axis first (NumPy C order).</summary>
    public IReadOnlyList<int> Shape => _shape;

    /// <summary>Gets the NumPy type string as it appeared in the header (e.g. <c>&lt;f4</c>).</summary>
    public string TypeString => DType.Descr;

    /// <summary>Gets the number of elements.</summary>
    public int Length => _raw.Length / DType.Size;

    internal NpyDType DType { get; }

    /// <summary>Returns the values converted to float32 in C order.</summary>
    /// <returns>A new array of <see cref="Length"/> values.</returns>
    public float[] ToSingleArray()
    {
        float[] result = new float[Length];
        DType.Decode(_raw, result);
        return result;
    }

    /// <summary>Returns the values converted to float64 in C order.</summary>
    /// <returns>A new array of <see cref="Length"/> values.</returns>
    public double[] ToDoubleArray()
    {
        double[] result = new double[Length];
        int size = DType.Size;
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = DType.ReadDouble(_raw.AsSpan(i * size, size));
        }

        return result;
    }

    /// <summary>Returns the values as int32 in C order (for label maps and masks).</summary>
    /// <returns>A new array of <see cref="Length"/> values.</returns>
    /// <exception cref="InvalidStackContentException">The array holds floating-point values or integers outside the int32 range.</exception>
    public int[] ToInt32Array()
    {
        if (DType.Kind == 'f')
        {
            throw new InvalidStackContentException(
                IoError.Inv($"The .npy array holds floating-point values ({DType.Descr}); an integer array was expected."));
        }

        int[] result = new int[Length];
        int size = DType.Size;
        for (int i = 0; i < result.Length; i++)
        {
            double v = DType.ReadDouble(_raw.AsSpan(i * size, size));
            if (v < int.MinValue || v > int.MaxValue)
            {
                throw new InvalidStackContentException(IoError.Inv($"The .npy element {i} ({v}) is outside the int32 range."));
            }

            result[i] = (int)v;
        }

        return result;
    }
}

/// <summary>A parsed NumPy dtype descriptor.</summary>
internal readonly record struct NpyDType(string Descr, char Kind, int Size, bool BigEndian)
{
    public double ReadDouble(ReadOnlySpan<byte> b) => (Kind, Size) switch
    {
        ('b', 1) => b[0] != 0 ? 1 : 0,
        ('u', 1) => b[0],
        ('i', 1) => (sbyte)b[0],
        ('i', 2) => BigEndian ? BinaryPrimitives.ReadInt16BigEndian(b) : BinaryPrimitives.ReadInt16LittleEndian(b),
        ('u', 2) => BigEndian ? BinaryPrimitives.ReadUInt16BigEndian(b) : BinaryPrimitives.ReadUInt16LittleEndian(b),
        ('i', 4) => BigEndian ? BinaryPrimitives.ReadInt32BigEndian(b) : BinaryPrimitives.ReadInt32LittleEndian(b),
        ('u', 4) => BigEndian ? BinaryPrimitives.ReadUInt32BigEndian(b) : BinaryPrimitives.ReadUInt32LittleEndian(b),
        ('i', 8) => BigEndian ? BinaryPrimitives.ReadInt64BigEndian(b) : BinaryPrimitives.ReadInt64LittleEndian(b),
        ('u', 8) => BigEndian ? BinaryPrimitives.ReadUInt64BigEndian(b) : BinaryPrimitives.ReadUInt64LittleEndian(b),
        ('f', 2) => (double)(BigEndian ? BinaryPrimitives.ReadHalfBigEndian(b) : BinaryPrimitives.ReadHalfLittleEndian(b)),
        ('f', 4) => BigEndian ? BinaryPrimitives.ReadSingleBigEndian(b) : BinaryPrimitives.ReadSingleLittleEndian(b),
        ('f', 8) => BigEndian ? BinaryPrimitives.ReadDoubleBigEndian(b) : BinaryPrimitives.ReadDoubleLittleEndian(b),
        _ => throw new InvalidOperationException("Unsupported dtype."),
    };

    public void Decode(ReadOnlySpan<byte> raw, Span<float> destination)
    {
        if (Kind == 'f' && Size == 4 && BigEndian == !BitConverter.IsLittleEndian)
        {
            System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(raw).CopyTo(destination);
            return;
        }

        for (int i = 0; i < destination.Length; i++)
        {
            destination[i] = (float)ReadDouble(raw.Slice(i * Size, Size));
        }
    }

    public static bool TryParse(string descr, out NpyDType dtype)
    {
        dtype = default;
        if (descr.Length < 3)
        {
            return false;
        }

        char order = descr[0];
        char kind = descr[1];
        if (order is not ('<' or '>' or '|' or '=')
            || !int.TryParse(descr.AsSpan(2), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture,
                out int size))
        {
            return false;
        }

        bool ok = (kind, size) switch
        {
            ('b', 1) or ('u', 1) or ('i', 1) => true,
            ('i' or 'u', 2 or 4 or 8) => true,
            ('f', 2 or 4 or 8) => true,
            _ => false,
        };
        if (!ok)
        {
            return false;
        }

        dtype = new NpyDType(descr, kind, size, order == '>');
        return true;
    }
}
