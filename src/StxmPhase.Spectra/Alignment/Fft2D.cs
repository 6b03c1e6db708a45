using System.Numerics;

namespace StxmPhase.Spectra;

/// <summary>
/// Unscaled 2-D DFT of a row-major complex image whose dimensions are powers of two, as iterative radix-2 row then
/// column transforms. Forward: X[k, l] = Σ x[y, x] e^(−2πi(k y/H + l x/W)); Inverse uses e^(+…) without the 1/(W·H).
/// </summary>
internal static class Fft2D
{
    public static bool IsPowerOfTwo(int n) => n > 0 && (n & (n - 1)) == 0;

    public static int NextPowerOfTwo(int n) => (int)BitOperations.RoundUpToPowerOf2((uint)n);

    public static void Forward(Complex[] data, int rows, int columns) => Transform(data, rows, columns, -1);

    public static void Inverse(Complex[] data, int rows, int columns) => Transform(data, rows, columns, +1);

    private static void Transform(Complex[] data, int rows, int columns, int sign)
    {
        if (!IsPowerOfTwo(rows) || !IsPowerOfTwo(columns) || data.Length != rows * columns)
        {
            throw new ArgumentException("FFT sizes must be powers of two and match the data.", nameof(data));
        }

        Complex[] twRow = Twiddles(columns, sign);
        for (int y = 0; y < rows; y++)
        {
            Radix2(data.AsSpan(y * columns, columns), twRow);
        }

        Complex[] twCol = Twiddles(rows, sign);
        var column = new Complex[rows];
        for (int x = 0; x < columns; x++)
        {
            for (int y = 0; y < rows; y++)
            {
                column[y] = data[(y * columns) + x];
            }

            Radix2(column, twCol);
            for (int y = 0; y < rows; y++)
            {
                data[(y * columns) + x] = column[y];
            }
        }
    }

    private static Complex[] Twiddles(int n, int sign)
    {
        var tw = new Complex[Math.Max(1, n / 2)];
        for (int k = 0; k < tw.Length; k++)
        {
            double phase = sign * 2 * Math.PI * k / n;
            tw[k] = new Complex(Math.Cos(phase), Math.Sin(phase));
        }

        return tw;
    }

    /// <summary>In-place iterative Cooley–Tukey (bit reversal, then log2 n butterfly stages).</summary>
    private static void Radix2(Span<Complex> a, Complex[] twiddles)
    {
        int n = a.Length;
        for (int i = 1, j = 0; i < n; i++)
        {
            int bit = n >> 1;
            for (; (j & bit) != 0; bit >>= 1)
            {
                j ^= bit;
            }

            j ^= bit;
            if (i < j)
            {
                (a[i], a[j]) = (a[j], a[i]);
            }
        }

        for (int len = 2; len <= n; len <<= 1)
        {
            int half = len >> 1;
            int step = n / len;
            for (int start = 0; start < n; start += len)
            {
                for (int k = 0; k < half; k++)
                {
                    Complex t = twiddles[k * step] * a[start + k + half];
                    Complex u = a[start + k];
                    a[start + k] = u + t;
                    a[start + k + half] = u - t;
                }
            }
        }
    }
}
