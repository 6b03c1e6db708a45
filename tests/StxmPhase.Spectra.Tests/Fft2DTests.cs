using System.Numerics;

namespace StxmPhase.Spectra.Tests;

public class Fft2DTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 4)]
    [InlineData(8, 4)]
    [InlineData(16, 32)]
    public void Forward_MatchesNaiveDftAndInverseRoundTrips(int rows, int columns)
    {
        var rng = new Random(rows * 100 + columns);
        var x = new Complex[rows * columns];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = new Complex(rng.NextDouble() - 0.5, rng.NextDouble() - 0.5);
        }

        var f = (Complex[])x.Clone();
        Fft2D.Forward(f, rows, columns);

        for (int k = 0; k < rows; k++)
        {
            for (int l = 0; l < columns; l++)
            {
                Complex sum = Complex.Zero;
                for (int y = 0; y < rows; y++)
                {
                    for (int c = 0; c < columns; c++)
                    {
                        double phase = -2 * Math.PI * (((double)k * y / rows) + ((double)l * c / columns));
                        sum += x[(y * columns) + c] * new Complex(Math.Cos(phase), Math.Sin(phase));
                    }
                }

                Assert.True((f[(k * columns) + l] - sum).Magnitude < 1e-9, $"({k},{l})");
            }
        }

        Fft2D.Inverse(f, rows, columns);
        for (int i = 0; i < x.Length; i++)
        {
            Assert.True(((f[i] / x.Length) - x[i]).Magnitude < 1e-12);
        }
    }

    [Fact]
    public void Forward_NonPowerOfTwo_Throws()
    {
        Assert.Throws<ArgumentException>(() => Fft2D.Forward(new Complex[12], 3, 4));
    }
}
