using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using StxmPhase.Spectra;

namespace StxmPhase.IO;

/// <summary>
/// Reads and writes NumPy <c>.npy</c> files (format versions 1.0, 2.0 and 3.0).
/// </summary>
/// <remarks>
/// <para>
/// Reading accepts bool, int8–int64, uint8–uint64 and float16/32/64 in either byte order, C or Fortran order
/// (Fortran-ordered arrays are transposed to C order on reading). The header's shape × item size must equal the
/// number of data bytes exactly; this is checked before any data buffer is allocated.
/// </para>
/// <para>Writing produces version 1.0 files, little-endian, C order, written atomically (temporary file + rename).</para>
/// </remarks>
/// <example>
/// <code>
/// NpyFile.Write("labels.npy", phaseMap.Labels, phaseMap.Height, phaseMap.Width);
/// NpyArray a = NpyFile.Read("labels.npy"); // a.Shape = [height, width]
/// </code>
/// </example>
public static class NpyFile
{
    private static readonly byte[] s_magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    /// <summary>Returns whether <paramref name="header"/> starts with the <c>.npy</c> magic string.</summary>
    /// <param name="header">The first bytes of a file.</param>
    /// <returns><see langword="true"/> for a NumPy file.</returns>
    public static bool IsNpy(ReadOnlySpan<byte> header) => header.StartsWith(s_magic);

    /// <summary>Reads a <c>.npy</c> file.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The array, in C order.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidStackContentException">The header is malformed or disagrees with the file length.</exception>
    public static NpyArray Read(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        using FileStream fs = File.OpenRead(path);
        return Read(fs, path);
    }

    /// <summary>Reads a <c>.npy</c> array from a stream.</summary>
    /// <param name="stream">A readable stream positioned at the magic string.</param>
    /// <param name="fileName">The file name for error messages.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The array, in C order.</returns>
    /// <exception cref="InvalidStackContentException">The header is malformed or disagrees with the stream length.</exception>
    public static NpyArray Read(Stream stream, string? fileName, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        NpyHeader h = ReadHeader(stream, fileName);
        long bytes = CheckDataLength(stream, h, fileName);
        byte[] raw = new byte[bytes];
        int read = 0;
        while (read < bytes)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int n = stream.Read(raw, read, (int)Math.Min(bytes - read, 1 << 20));
            if (n == 0)
            {
                throw IoError.Invalid(fileName, "data", h.DataOffset + read, IoError.Inv($"the data ends after {read} of {bytes} bytes."));
            }

            read += n;
        }

        if (h.FortranOrder && h.Shape.Length > 1)
        {
            raw = FortranToC(raw, h.Shape, h.DType.Size);
        }

        return new NpyArray(h.Shape, h.DType, raw);
    }

    /// <summary>Checks that the stream holds exactly the data the header declares; returns the data length in bytes.</summary>
    internal static long CheckDataLength(Stream stream, NpyHeader h, string? fileName)
    {
        long available = stream.CanSeek ? stream.Length - stream.Position : long.MaxValue;
        long bytes = h.Count * h.DType.Size;
        if (stream.CanSeek && available != bytes)
        {
            throw IoError.Invalid(fileName, "shape", h.DataOffset,
                IoError.Inv($"the header declares shape ({string.Join(", ", h.Shape)}) of {h.DType.Descr} = {bytes} data bytes, ") +
                IoError.Inv($"but the file holds {available} bytes after the header."));
        }

        if (bytes > Array.MaxLength)
        {
            throw IoError.Invalid(fileName, "shape", h.DataOffset, IoError.Inv($"the array has {bytes} data bytes, more than this reader supports."));
        }

        return bytes;
    }

    /// <summary>
    /// Reads the data of an array as float32. Little-endian float32 C-order data (the common case) is read straight into
    /// the result, so reading needs one copy of the data in memory, not two.
    /// </summary>
    internal static float[] ReadSingles(Stream stream, string? fileName, CancellationToken cancellationToken)
    {
        long start = stream.CanSeek ? stream.Position : -1;
        NpyHeader h = ReadHeader(stream, fileName);
        bool direct = h.DType.Kind == 'f' && h.DType.Size == 4 && !h.DType.BigEndian && (!h.FortranOrder || h.Shape.Length <= 1)
            && BitConverter.IsLittleEndian && stream.CanSeek;
        if (!direct)
        {
            if (start < 0)
            {
                throw IoError.Invalid(fileName, "data", h.DataOffset,
                    IoError.Inv($"a non-seekable stream can only be read as little-endian float32 in C order, not {h.DType.Descr}."));
            }

            stream.Position = start;
            return Read(stream, fileName, cancellationToken).ToSingleArray();
        }

        long bytes = CheckDataLength(stream, h, fileName);
        float[] data = GC.AllocateUninitializedArray<float>((int)h.Count);
        Span<byte> target = System.Runtime.InteropServices.MemoryMarshal.AsBytes(data.AsSpan());
        int read = 0;
        while (read < bytes)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int n = stream.Read(target.Slice(read, (int)Math.Min(bytes - read, 1 << 20)));
            if (n == 0)
            {
                throw IoError.Invalid(fileName, "data", h.DataOffset + read, IoError.Inv($"the data ends after {read} of {bytes} bytes."));
            }

            read += n;
        }

        return data;
    }

    /// <summary>Writes a float32 array of the given shape (C order, e.g. (height, width) or (energies, height, width)).</summary>
    /// <param name="path">The destination file; replaced atomically.</param>
    /// <param name="data">The values in C order.</param>
    /// <param name="shape">The dimensions, slowest first; their product must equal <paramref name="data"/>'s length.</param>
    /// <exception cref="ArgumentException">The shape is empty, has a non-positive dimension, or does not match the data length.</exception>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public static void Write(string path, ReadOnlySpan<float> data, params ReadOnlySpan<int> shape) =>
        WriteCore(path, "<f4", MemoryMarshal.AsBytes(data), data.Length, shape);

    /// <summary>Writes an int32 array of the given shape (e.g. a phase-label map of shape (height, width)).</summary>
    /// <param name="path">The destination file; replaced atomically.</param>
    /// <param name="data">The values in C order.</param>
    /// <param name="shape">The dimensions, slowest first; their product must equal <paramref name="data"/>'s length.</param>
    /// <exception cref="ArgumentException">The shape is empty, has a non-positive dimension, or does not match the data length.</exception>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public static void Write(string path, ReadOnlySpan<int> data, params ReadOnlySpan<int> shape) =>
        WriteCore(path, "<i4", MemoryMarshal.AsBytes(data), data.Length, shape);

    /// <summary>Writes a uint8 array of the given shape (e.g. a mask or status map).</summary>
    /// <param name="path">The destination file; replaced atomically.</param>
    /// <param name="data">The values in C order.</param>
    /// <param name="shape">The dimensions, slowest first; their product must equal <paramref name="data"/>'s length.</param>
    /// <exception cref="ArgumentException">The shape is empty, has a non-positive dimension, or does not match the data length.</exception>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public static void Write(string path, ReadOnlySpan<byte> data, params ReadOnlySpan<int> shape) =>
        WriteCore(path, "|u1", data, data.Length, shape);

    /// <summary>Writes a float64 array of the given shape.</summary>
    /// <param name="path">The destination file; replaced atomically.</param>
    /// <param name="data">The values in C order.</param>
    /// <param name="shape">The dimensions, slowest first; their product must equal <paramref name="data"/>'s length.</param>
    /// <exception cref="ArgumentException">The shape is empty, has a non-positive dimension, or does not match the data length.</exception>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public static void Write(string path, ReadOnlySpan<double> data, params ReadOnlySpan<int> shape) =>
        WriteCore(path, "<f8", MemoryMarshal.AsBytes(data), data.Length, shape);

    /// <summary>Writes a stack as float32 of shape (energies, height, width); the energies are not stored (write them with
    /// <see cref="EnergyAxisCsv.Write"/>).</summary>
    /// <param name="path">The destination file; replaced atomically.</param>
    /// <param name="stack">The stack.</param>
    /// <exception cref="ArgumentNullException"><paramref name="stack"/> is <see langword="null"/>.</exception>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public static void Write(string path, SpectralStack stack)
    {
        ArgumentNullException.ThrowIfNull(stack);
        Write(path, stack.Data.Span, stack.EnergyCount, stack.Height, stack.Width);
    }

    /// <summary>Writes a phase map as int32 labels of shape (height, width); unassigned pixels are −1.</summary>
    /// <param name="path">The destination file; replaced atomically.</param>
    /// <param name="map">The phase map.</param>
    /// <exception cref="ArgumentNullException"><paramref name="map"/> is <see langword="null"/>.</exception>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public static void Write(string path, PhaseMap map)
    {
        ArgumentNullException.ThrowIfNull(map);
        Write(path, map.Labels, map.Height, map.Width);
    }

    internal static NpyHeader ReadHeader(Stream stream, string? fileName)
    {
        Span<byte> pre = stackalloc byte[12];
        int got = ReadUpTo(stream, pre[..10]);
        if (got < 10 || !pre.StartsWith(s_magic))
        {
            throw IoError.Invalid(fileName, "magic", 0, "the file does not start with the NumPy magic string \\x93NUMPY.");
        }

        byte major = pre[6];
        int headerLen;
        int prefix;
        if (major == 1)
        {
            headerLen = BinaryPrimitives.ReadUInt16LittleEndian(pre[8..10]);
            prefix = 10;
        }
        else if (major is 2 or 3)
        {
            if (ReadUpTo(stream, pre[10..12]) < 2)
            {
                throw IoError.Invalid(fileName, "header_len", 8, "the file ends inside the header length.");
            }

            uint len = BinaryPrimitives.ReadUInt32LittleEndian(pre[8..12]);
            if (len > 1 << 20)
            {
                throw IoError.Invalid(fileName, "header_len", 8, IoError.Inv($"the header length {len} is implausibly large."));
            }

            headerLen = (int)len;
            prefix = 12;
        }
        else
        {
            throw IoError.Invalid(fileName, "version", 6, IoError.Inv($"format version {major}.{pre[7]} is not supported (1.0, 2.0 and 3.0 are)."));
        }

        if (stream.CanSeek && stream.Length - stream.Position < headerLen)
        {
            throw IoError.Invalid(fileName, "header", prefix, IoError.Inv($"the header declares {headerLen} bytes but the file is shorter."));
        }

        byte[] hb = new byte[headerLen];
        if (ReadUpTo(stream, hb) < headerLen)
        {
            throw IoError.Invalid(fileName, "header", prefix, "the file ends inside the header.");
        }

        string text = major == 3 ? Encoding.UTF8.GetString(hb) : Encoding.Latin1.GetString(hb);
        return ParseHeader(text, fileName, prefix + headerLen);
    }

    private static NpyHeader ParseHeader(string text, string? fileName, long dataOffset)
    {
        string descr = DictValue(text, "descr", fileName).Trim().Trim('\'', '"');
        string fortran = DictValue(text, "fortran_order", fileName).Trim();
        string shapeText = DictValue(text, "shape", fileName).Trim();
        if (!NpyDType.TryParse(descr, out NpyDType dtype))
        {
            throw IoError.Invalid(fileName, "descr", 0,
                $"the element type '{descr}' is not supported (bool, int8–64, uint8–64, float16/32/64 are).");
        }

        bool fortranOrder = fortran switch
        {
            "True" => true,
            "False" => false,
            _ => throw IoError.Invalid(fileName, "fortran_order", 0, $"expected True or False; got '{fortran}'."),
        };
        if (!shapeText.StartsWith('(') || !shapeText.EndsWith(')'))
        {
            throw IoError.Invalid(fileName, "shape", 0, $"expected a tuple; got '{shapeText}'.");
        }

        string[] parts = shapeText[1..^1].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        int[] shape = new int[parts.Length];
        long count = 1;
        for (int i = 0; i < parts.Length; i++)
        {
            string p = parts[i].TrimEnd('L');
            if (!long.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out long d) || d > int.MaxValue)
            {
                throw IoError.Invalid(fileName, "shape", 0, IoError.Inv($"dimension {i} ('{parts[i]}') is not a non-negative int32."));
            }

            shape[i] = (int)d;
            count = d == 0 ? 0 : (count > long.MaxValue / d ? long.MaxValue : count * d);
        }

        if (count == long.MaxValue || count > Array.MaxLength)
        {
            throw IoError.Invalid(fileName, "shape", 0,
                IoError.Inv($"the shape ({string.Join(", ", shape)}) has more elements than this reader supports."));
        }

        return new NpyHeader(shape, dtype, fortranOrder, count, dataOffset);
    }

    private static string DictValue(string text, string key, string? fileName)
    {
        int k = text.IndexOf("'" + key + "'", StringComparison.Ordinal);
        if (k < 0)
        {
            k = text.IndexOf("\"" + key + "\"", StringComparison.Ordinal);
        }

        if (k < 0)
        {
            throw IoError.Invalid(fileName, key, 0, $"the header dictionary has no '{key}' key.");
        }

        int colon = text.IndexOf(':', k + key.Length + 2);
        if (colon < 0)
        {
            throw IoError.Invalid(fileName, key, 0, $"the header dictionary has no value for '{key}'.");
        }

        int start = colon + 1;
        int end;
        int paren = text.IndexOf('(', start);
        int comma = text.IndexOf(',', start);
        int brace = text.IndexOf('}', start);
        if (paren >= 0 && (comma < 0 || paren < comma) && text.AsSpan(start, paren - start).Trim().IsEmpty)
        {
            end = text.IndexOf(')', paren);
            if (end < 0)
            {
                throw IoError.Invalid(fileName, key, 0, $"the value of '{key}' has no closing parenthesis.");
            }

            end++;
        }
        else
        {
            end = comma >= 0 ? comma : brace;
            if (end < 0)
            {
                throw IoError.Invalid(fileName, key, 0, $"the value of '{key}' is not terminated.");
            }
        }

        return text[start..end];
    }

    private static byte[] FortranToC(byte[] raw, int[] shape, int size)
    {
        int rank = shape.Length;
        byte[] result = new byte[raw.Length];
        long[] fStride = new long[rank];
        long s = 1;
        for (int d = 0; d < rank; d++)
        {
            fStride[d] = s;
            s *= shape[d];
        }

        int[] index = new int[rank];
        long total = raw.Length / size;
        for (long c = 0; c < total; c++)
        {
            long f = 0;
            for (int d = 0; d < rank; d++)
            {
                f += index[d] * fStride[d];
            }

            Buffer.BlockCopy(raw, (int)(f * size), result, (int)(c * size), size);
            for (int d = rank - 1; d >= 0; d--)
            {
                if (++index[d] < shape[d])
                {
                    break;
                }

                index[d] = 0;
            }
        }

        return result;
    }

    private static void WriteCore(string path, string descr, ReadOnlySpan<byte> bytes, int length, ReadOnlySpan<int> shape)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (shape.IsEmpty)
        {
            throw new ArgumentException("At least one dimension is required.", nameof(shape));
        }

        long count = 1;
        for (int i = 0; i < shape.Length; i++)
        {
            if (shape[i] <= 0)
            {
                throw new ArgumentOutOfRangeException(nameof(shape), shape[i], IoError.Inv($"Dimension {i} must be positive; got {shape[i]}."));
            }

            count *= shape[i];
        }

        if (count != length)
        {
            throw new ArgumentException(
                IoError.Inv($"Shape ({string.Join(", ", shape.ToArray())}) holds {count} elements but the data has {length}."), nameof(shape));
        }

        string dims = shape.Length == 1
            ? IoError.Inv($"({shape[0]},)")
            : "(" + string.Join(", ", shape.ToArray().Select(d => d.ToString(CultureInfo.InvariantCulture))) + ")";
        string dict = $"{{'descr': '{descr}', 'fortran_order': False, 'shape': {dims}, }}";
        int total = 10 + dict.Length + 1;
        int pad = (64 - (total % 64)) % 64;
        string header = dict + new string(' ', pad) + "\n";
        byte[] headerBytes = Encoding.ASCII.GetBytes(header);
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("Writing .npy files requires a little-endian machine.");
        }

        // Streams the caller's span straight into the temporary file: no copy of the data is made.
        using AtomicFileWriter file = AtomicFile.Create(path);
        Stream s = file.Stream;
        s.Write(s_magic);
        s.WriteByte(1);
        s.WriteByte(0);
        Span<byte> len = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(len, (ushort)headerBytes.Length);
        s.Write(len);
        s.Write(headerBytes);
        s.Write(bytes);
        file.Commit();
    }

    private static int ReadUpTo(Stream stream, Span<byte> buffer)
    {
        int total = 0;
        while (total < buffer.Length)
        {
            int n = stream.Read(buffer[total..]);
            if (n == 0)
            {
                break;
            }

            total += n;
        }

        return total;
    }
}

/// <summary>A parsed <c>.npy</c> header.</summary>
internal readonly record struct NpyHeader(int[] Shape, NpyDType DType, bool FortranOrder, long Count, long DataOffset);
