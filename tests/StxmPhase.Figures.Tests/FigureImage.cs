using SkiaSharp;

namespace StxmPhase.Figures.Tests;

/// <summary>A decoded PNG with pixel-counting helpers.</summary>
internal sealed class FigureImage
{
    private readonly SKColor[] _pixels;

    public FigureImage(byte[] png)
    {
        Assert.True(png.Length > 8 && png[0] == 0x89 && png[1] == (byte)'P' && png[2] == (byte)'N' && png[3] == (byte)'G', "Not a PNG signature.");
        using SKBitmap bitmap = SKBitmap.Decode(png) ?? throw new InvalidOperationException("SkiaSharp could not decode the PNG.");
        Width = bitmap.Width;
        Height = bitmap.Height;
        _pixels = bitmap.Pixels;
    }

    public int Width { get; }

    public int Height { get; }

    public int PixelCount => _pixels.Length;

    public SKColor this[int x, int y] => _pixels[(y * Width) + x];

    /// <summary>Counts pixels exactly equal to <paramref name="color"/> (opaque).</summary>
    public int Count(FigureColor color) => Count(color, 0);

    /// <summary>Counts pixels within ±<paramref name="tolerance"/> per channel of <paramref name="color"/>.</summary>
    public int Count(FigureColor color, int tolerance, int yFrom = 0, int yTo = int.MaxValue)
    {
        int n = 0;
        yTo = Math.Min(yTo, Height);
        for (int y = yFrom; y < yTo; y++)
        {
            for (int x = 0; x < Width; x++)
            {
                SKColor c = _pixels[(y * Width) + x];
                if (Math.Abs(c.Red - color.R) <= tolerance && Math.Abs(c.Green - color.G) <= tolerance && Math.Abs(c.Blue - color.B) <= tolerance)
                {
                    n++;
                }
            }
        }

        return n;
    }

    /// <summary>Mean (x, y) of the pixels exactly equal to <paramref name="color"/>.</summary>
    public (double X, double Y) Centroid(FigureColor color)
    {
        double sx = 0, sy = 0;
        int n = 0;
        for (int y = 0; y < Height; y++)
        {
            for (int x = 0; x < Width; x++)
            {
                SKColor c = _pixels[(y * Width) + x];
                if (c.Red == color.R && c.Green == color.G && c.Blue == color.B)
                {
                    sx += x;
                    sy += y;
                    n++;
                }
            }
        }

        Assert.True(n > 0, $"Colour {color} does not occur in the image.");
        return (sx / n, sy / n);
    }

    /// <summary>Counts dark pixels (all channels below 96) in rows [yFrom, yTo) and columns [xFrom, Width).</summary>
    public int CountDark(int yFrom, int yTo, int xFrom = 0)
    {
        int n = 0;
        for (int y = yFrom; y < Math.Min(yTo, Height); y++)
        {
            for (int x = xFrom; x < Width; x++)
            {
                SKColor c = _pixels[(y * Width) + x];
                if (c.Red < 96 && c.Green < 96 && c.Blue < 96)
                {
                    n++;
                }
            }
        }

        return n;
    }

    /// <summary>
    /// Whether some run of at least <paramref name="minLength"/> consecutive pure-black pixels in a row is repeated in
    /// at least <paramref name="minRows"/> consecutive rows (a thick horizontal black bar, e.g. a scale bar).
    /// </summary>
    public bool HasThickBlackBar(int minLength, int minRows)
    {
        int stacked = 0;
        for (int y = 0; y < Height; y++)
        {
            int run = 0;
            int best = 0;
            for (int x = 0; x < Width; x++)
            {
                SKColor c = _pixels[(y * Width) + x];
                run = c.Red < 16 && c.Green < 16 && c.Blue < 16 ? run + 1 : 0;
                best = Math.Max(best, run);
            }

            stacked = best >= minLength ? stacked + 1 : 0;
            if (stacked >= minRows)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Compares two images of the same size channel by channel (R, G, B): the fraction of pixels whose largest channel
    /// difference exceeds <paramref name="threshold"/>, and the mean absolute channel difference over all pixels.
    /// </summary>
    public (double DifferingFraction, double MeanAbsoluteDifference) CompareTo(FigureImage other, int threshold)
    {
        Assert.True(Width == other.Width && Height == other.Height, $"size {Width}×{Height} differs from {other.Width}×{other.Height}");
        long differing = 0;
        double sum = 0;
        for (int i = 0; i < _pixels.Length; i++)
        {
            SKColor a = _pixels[i], b = other._pixels[i];
            int dr = Math.Abs(a.Red - b.Red), dg = Math.Abs(a.Green - b.Green), db = Math.Abs(a.Blue - b.Blue);
            sum += dr + dg + db;
            if (Math.Max(dr, Math.Max(dg, db)) > threshold)
            {
                differing++;
            }
        }

        return (differing / (double)_pixels.Length, sum / (3.0 * _pixels.Length));
    }
}
