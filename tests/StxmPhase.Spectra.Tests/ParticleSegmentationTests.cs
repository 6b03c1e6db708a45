namespace StxmPhase.Spectra.Tests;

public class ParticleSegmentationTests
{
    private static PixelMask Discs(int w, int h, params (double X, double Y, double R)[] discs)
    {
        bool[] v = new bool[w * h];
        for (int y = 0; y < h; y++)
        {
            for (int x = 0; x < w; x++)
            {
                foreach ((double cx, double cy, double r) in discs)
                {
                    if (((x - cx) * (x - cx)) + ((y - cy) * (y - cy)) <= r * r)
                    {
                        v[(y * w) + x] = true;
                    }
                }
            }
        }

        return PixelMask.FromArray(w, h, v);
    }

    [Fact]
    public void Segment_SeparatedDiscs_CountsAndSizesExact()
    {
        PixelMask mask = Discs(40, 30, (8, 8, 5), (28, 10, 6), (15, 22, 4));

        ParticleLabels p = ParticleSegmentation.Segment(mask, new ParticleSegmentationOptions { MinimumPixels = 1 });

        Assert.Equal(3, p.Count);
        Assert.Equal(mask.Count, p.PixelCountOf(1) + p.PixelCountOf(2) + p.PixelCountOf(3));
        Assert.Equal(Discs(40, 30, (8, 8, 5)).Count, p.PixelCountOf(1)); // raster order: the disc at y = 8 first
        Assert.Equal(Discs(40, 30, (28, 10, 6)).Count, p.PixelCountOf(2));
        Assert.Equal(Discs(40, 30, (15, 22, 4)).Count, p.PixelCountOf(3));
        for (int i = 0; i < mask.PixelCount; i++)
        {
            Assert.Equal(mask[i], p.Labels[i] != 0);
        }
    }

    [Fact]
    public void Segment_MinimumSize_DropsSmallComponents()
    {
        PixelMask mask = Discs(30, 30, (8, 8, 5), (22, 22, 1));

        ParticleLabels p = ParticleSegmentation.Segment(mask, new ParticleSegmentationOptions { MinimumPixels = 10 });

        Assert.Equal(1, p.Count);
        Assert.Equal(0, p.Labels[(22 * 30) + 22]);
    }

    [Fact]
    public void Segment_DiagonalNeighbours_JoinOnlyWithEightConnectivity()
    {
        bool[] v = new bool[16];
        v[0] = true;
        v[5] = true; // (1, 1): diagonal to (0, 0)
        PixelMask mask = PixelMask.FromArray(4, 4, v);

        Assert.Equal(1, ParticleSegmentation.Segment(mask, new ParticleSegmentationOptions { MinimumPixels = 1 }).Count);
        Assert.Equal(2, ParticleSegmentation.Segment(mask, new ParticleSegmentationOptions { MinimumPixels = 1, EightConnected = false }).Count);
    }

    [Fact]
    public void Segment_TouchingDiscs_SplitOnlyWhenRequested()
    {
        // Two discs of radius 8 whose centres are 14 px apart: one component joined by a neck.
        PixelMask mask = Discs(50, 30, (15, 15, 8), (29, 15, 8));

        ParticleLabels whole = ParticleSegmentation.Segment(mask);
        ParticleLabels split = ParticleSegmentation.Segment(mask, new ParticleSegmentationOptions { SplitDistance = 5 });

        Assert.Equal(1, whole.Count);
        Assert.Equal(2, split.Count);
        Assert.Equal(mask.Count, split.PixelCountOf(1) + split.PixelCountOf(2));
        Assert.NotEqual(split.Labels[(15 * 50) + 15], split.Labels[(15 * 50) + 29]);
        Assert.InRange(split.PixelCountOf(1), (mask.Count / 2) - 10, (mask.Count / 2) + 10);
    }

    [Fact]
    public void Segment_SplitOnSeparatedDiscs_KeepsSmallDiscWithoutCoreWhole()
    {
        PixelMask mask = Discs(40, 30, (8, 8, 6), (30, 20, 2));

        ParticleLabels split = ParticleSegmentation.Segment(mask, new ParticleSegmentationOptions { SplitDistance = 4, MinimumPixels = 1 });

        Assert.Equal(2, split.Count);
        Assert.Equal(mask.Count, split.PixelCountOf(1) + split.PixelCountOf(2));
    }

    [Fact]
    public void SquaredDistanceToBackground_RandomMask_MatchesBruteForce()
    {
        var rng = new Random(3);
        int w = 23, h = 17;
        bool[] v = new bool[w * h];
        for (int i = 0; i < v.Length; i++)
        {
            v[i] = rng.NextDouble() < 0.8;
        }

        double[] d2 = ParticleSegmentation.SquaredDistanceToBackground(v, w, h);

        for (int y = 0; y < h; y++)
        {
            for (int x = 0; x < w; x++)
            {
                // Background: every unset pixel and the one-pixel frame around the image.
                double best = double.PositiveInfinity;
                for (int by = -1; by <= h; by++)
                {
                    for (int bx = -1; bx <= w; bx++)
                    {
                        bool background = bx < 0 || by < 0 || bx >= w || by >= h || !v[(by * w) + bx];
                        if (background)
                        {
                            best = Math.Min(best, ((double)(x - bx) * (x - bx)) + ((double)(y - by) * (y - by)));
                        }
                    }
                }

                Assert.Equal(best, d2[(y * w) + x]);
            }
        }
    }

    [Fact]
    public void Segment_InvalidOptions_ThrowNamingTheOption()
    {
        PixelMask mask = PixelMask.Uniform(4, 4);

        var a = Assert.Throws<ArgumentOutOfRangeException>(
            () => ParticleSegmentation.Segment(mask, new ParticleSegmentationOptions { MinimumPixels = 0 }));
        var b = Assert.Throws<ArgumentOutOfRangeException>(
            () => ParticleSegmentation.Segment(mask, new ParticleSegmentationOptions { SplitDistance = double.NaN }));

        Assert.Contains("MinimumPixels", a.Message, StringComparison.Ordinal);
        Assert.Contains("SplitDistance", b.Message, StringComparison.Ordinal);
    }
}
