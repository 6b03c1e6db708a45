using System.Globalization;

namespace StxmPhase.Spectra;

/// <summary>An immutable Width × Height boolean image (row-major, x fastest). <see langword="true"/> = included.</summary>
public sealed class PixelMask
{
    private readonly bool[] _values;

    /// <summary>Initializes a mask from a copy of <paramref name="values"/>.</summary>
    /// <param name="width">Width in pixels.</param>
    /// <param name="height">Height in pixels.</param>
    /// <param name="values">Width × Height values, row-major.</param>
    /// <exception cref="ArgumentOutOfRangeException">A dimension is not positive.</exception>
    /// <exception cref="ArgumentException">The length of <paramref name="values"/> is not Width × Height.</exception>
    public PixelMask(int width, int height, ReadOnlySpan<bool> values)
        : this(width, height, values.ToArray())
    {
    }

    private PixelMask(int width, int height, bool[] values, int count)
    {
        Width = width;
        Height = height;
        _values = values;
        Count = count;
    }

    private PixelMask(int width, int height, bool[] values)
    {
        ThrowHelper.ThrowIfNotPositive(width, nameof(width));
        ThrowHelper.ThrowIfNotPositive(height, nameof(height));
        if (values.Length != (long)width * height)
        {
            ThrowHelper.LengthMismatch(nameof(values), (long)width * height, values.Length);
        }

        Width = width;
        Height = height;
        _values = values;
        Count = values.AsSpan().Count(true);
    }

    /// <summary>Gets the width in pixels.</summary>
    public int Width { get; }

    /// <summary>Gets the height in pixels.</summary>
    public int Height { get; }

    /// <summary>Gets the number of pixels (Width × Height).</summary>
    public int PixelCount => _values.Length;

    /// <summary>Gets the number of included (<see langword="true"/>) pixels.</summary>
    public int Count { get; }

    /// <summary>Gets the value of pixel <paramref name="index"/> (<c>y · Width + x</c>).</summary>
    /// <param name="index">Pixel index.</param>
    public bool this[int index] => _values[index];

    /// <summary>Gets the value of pixel (<paramref name="x"/>, <paramref name="y"/>).</summary>
    /// <param name="x">Column.</param>
    /// <param name="y">Row.</param>
    public bool this[int x, int y] => _values[(y * Width) + x];

    /// <summary>Creates a mask whose every pixel is <paramref name="value"/>.</summary>
    /// <param name="width">Width in pixels.</param>
    /// <param name="height">Height in pixels.</param>
    /// <param name="value">The value of every pixel (default included).</param>
    /// <returns>The mask.</returns>
    public static PixelMask Uniform(int width, int height, bool value = true)
    {
        ThrowHelper.ThrowIfNotPositive(width, nameof(width));
        ThrowHelper.ThrowIfNotPositive(height, nameof(height));
        bool[] v = new bool[(long)width * height];
        if (value)
        {
            Array.Fill(v, true);
        }

        return new PixelMask(width, height, v);
    }

    /// <summary>
    /// Creates a mask that takes ownership of <paramref name="values"/> without copying. The caller must not modify the
    /// array afterwards (use this to avoid a copy of large masks produced by kernels).
    /// </summary>
    /// <param name="width">Width in pixels.</param>
    /// <param name="height">Height in pixels.</param>
    /// <param name="values">Width × Height values, row-major.</param>
    /// <returns>The mask.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="values"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The length of <paramref name="values"/> is not Width × Height.</exception>
    public static PixelMask FromArray(int width, int height, bool[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return new PixelMask(width, height, values);
    }

    /// <summary>
    /// Wraps a kernel's output without checks: <paramref name="values"/> has Width × Height elements, each 0 or 1, and
    /// <paramref name="count"/> of them are true. Used where the producer already counted (the correlator's bands).
    /// </summary>
    /// <param name="width">Width in pixels (positive).</param>
    /// <param name="height">Height in pixels (positive).</param>
    /// <param name="values">Width × Height values, owned from now on.</param>
    /// <param name="count">The number of true values.</param>
    /// <returns>The mask.</returns>
    internal static PixelMask WrapCounted(int width, int height, bool[] values, int count) => new(width, height, values, count);

    /// <summary>Returns the values as a read-only span.</summary>
    /// <returns>Width × Height values, row-major.</returns>
    public ReadOnlySpan<bool> AsSpan() => _values;

    /// <summary>Returns the pixel indices of the included pixels, in increasing order.</summary>
    /// <returns>The indices.</returns>
    public int[] IncludedIndices()
    {
        int[] result = new int[Count];
        int k = 0;
        for (int i = 0; i < _values.Length; i++)
        {
            if (_values[i])
            {
                result[k++] = i;
            }
        }

        return result;
    }

    /// <summary>Returns the pixel-wise AND of two masks of the same size.</summary>
    /// <param name="other">The other mask.</param>
    /// <returns>The intersection.</returns>
    /// <exception cref="ArgumentException">The sizes differ.</exception>
    public PixelMask And(PixelMask other) => Combine(other, static (a, b) => a && b);

    /// <summary>Returns the pixel-wise OR of two masks of the same size.</summary>
    /// <param name="other">The other mask.</param>
    /// <returns>The union.</returns>
    /// <exception cref="ArgumentException">The sizes differ.</exception>
    public PixelMask Or(PixelMask other) => Combine(other, static (a, b) => a || b);

    /// <summary>Returns the complement of this mask.</summary>
    /// <returns>A mask that includes exactly the pixels this one excludes.</returns>
    public PixelMask Not()
    {
        bool[] v = new bool[_values.Length];
        for (int i = 0; i < v.Length; i++)
        {
            v[i] = !_values[i];
        }

        return new PixelMask(Width, Height, v);
    }

    /// <summary>Returns a description such as "256×256 mask, 1234 included".</summary>
    /// <returns>The description.</returns>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Width}×{Height} mask, {Count} included");

    private PixelMask Combine(PixelMask other, Func<bool, bool, bool> op)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.Width != Width || other.Height != Height)
        {
            ThrowHelper.SizeMismatch(nameof(other), Width, Height, other.Width, other.Height);
        }

        bool[] v = new bool[_values.Length];
        for (int i = 0; i < v.Length; i++)
        {
            v[i] = op(_values[i], other._values[i]);
        }

        return new PixelMask(Width, Height, v);
    }
}
