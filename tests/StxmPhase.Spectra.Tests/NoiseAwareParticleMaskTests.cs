namespace StxmPhase.Spectra.Tests;

public class NoiseAwareParticleMaskTests
{
    private static readonly double[] s_mu = [0.5, 1.0, 1.5, 1.0];

    /// <summary>OD(p, e) = thickness(p) · μ_e + 0.05 film + N(0, σ²) per energy (σ_s = 2σ for the integrated OD).</summary>
    private static SpectralStack Stack(int w, int h, double[] thickness, double sigma, int seed)
    {
        var rng = new Random(seed);
        float[] data = new float[s_mu.Length * w * h];
        for (int e = 0; e < s_mu.Length; e++)
        {
            for (int p = 0; p < w * h; p++)
            {
                data[(e * w * h) + p] = (float)((thickness[p] * s_mu[e]) + 0.05 + (sigma * SyntheticImages.Gaussian(rng)));
            }
        }

        return new SpectralStack(new EnergyAxis([1.0, 2.0, 3.0, 4.0]), w, h, data);
    }

    private static void Dome(double[] thickness, int w, double cx, double cy, double radius, double peak)
    {
        for (int p = 0; p < thickness.Length; p++)
        {
            double dx = (p % w) - cx, dy = (p / w) - cy;
            double rho2 = ((dx * dx) + (dy * dy)) / (radius * radius);
            if (rho2 < 1)
            {
                thickness[p] = Math.Max(thickness[p], peak * Math.Sqrt(1 - rho2));
            }
        }
    }

    /// <summary>Two dome particles, the first with a 3-px rim of thickness 0.1 (integrated OD 0.4 = 10 σ of the noise).</summary>
    private static (double[] Thickness, bool[] Rim) DomesWithThinRim(int w, int h)
    {
        double[] thickness = new double[w * h];
        bool[] rim = new bool[w * h];
        for (int p = 0; p < w * h; p++)
        {
            double dx = (p % w) - 30.0, dy = (p / w) - 48.0;
            double r = Math.Sqrt((dx * dx) + (dy * dy));
            if (r >= 20 && r < 23)
            {
                thickness[p] = 0.1;
                rim[p] = true;
            }
        }

        Dome(thickness, w, 30, 48, 20, 2.0);
        Dome(thickness, w, 72, 28, 12, 1.5);
        return (thickness, rim);
    }

    [Fact]
    public void Compute_DomeWithThinEdge_KeepsEdgeAndNoBackground()
    {
        const int W = 96, H = 96;
        (double[] thickness, bool[] rim) = DomesWithThinRim(W, H);
        SpectralStack od = Stack(W, H, thickness, 0.02, 3);

        ParticleMaskResult r = ParticleMask.Compute(od);

        int particle = thickness.Count(t => t > 0);
        int kept = Enumerable.Range(0, W * H).Count(p => thickness[p] > 0 && r.Mask[p]);
        int rimMissed = Enumerable.Range(0, W * H).Count(p => rim[p] && !r.Mask[p]);
        int falseInclusion = Enumerable.Range(0, W * H).Count(p => thickness[p] == 0 && r.Mask[p]);
        Assert.Equal(ParticleMaskMethod.NoiseAware, r.Method);
        Assert.Equal(0, rimMissed);
        Assert.True(kept >= 0.995 * particle, $"{kept} of {particle} particle pixels kept");
        Assert.True(falseInclusion <= 0.01 * particle, $"{falseInclusion} background pixels included");

        // The noise estimate is the planted one: σ_s = 2 · 0.02 at background level 4 · 0.05.
        Assert.InRange(r.NoiseLevel, 0.036, 0.044);
        Assert.InRange(r.BackgroundLevel, 0.19, 0.21);
        Assert.Equal(r.BackgroundLevel + (4 * r.NoiseLevel), r.Threshold, 12);
        Assert.Equal(r.BackgroundLevel + (2 * r.NoiseLevel), r.GrowThreshold, 12);
    }

    [Fact]
    public void Compute_Otsu_DropsTheThinEdgeTheNoiseAwareMaskKeeps()
    {
        // The contrast the default exists for: Otsu's threshold on the same stack cuts the rim.
        const int W = 96, H = 96;
        (double[] thickness, bool[] rim) = DomesWithThinRim(W, H);
        SpectralStack od = Stack(W, H, thickness, 0.02, 3);

        ParticleMaskResult r = ParticleMask.Compute(od, new ParticleMaskOptions { Method = ParticleMaskMethod.Otsu });

        Assert.True(Enumerable.Range(0, W * H).Count(p => rim[p] && !r.Mask[p]) > 100);
        Assert.True(double.IsNaN(r.NoiseLevel));
    }

    [Fact]
    public void Compute_IsolatedSpike_RemovedByAreaOpening()
    {
        const int W = 32, H = 32;
        double[] thickness = new double[W * H];
        thickness[(10 * W) + 10] = 5; // one bright pixel: a hot pixel or dust, not a particle
        Dome(thickness, W, 22, 22, 6, 1.0);
        SpectralStack od = Stack(W, H, thickness, 0.01, 5);

        ParticleMaskResult opened = ParticleMask.Compute(od);
        ParticleMaskResult kept = ParticleMask.Compute(od, new ParticleMaskOptions { MinimumParticleArea = 1 });

        Assert.False(opened.Mask[10, 10]);
        Assert.True(opened.Mask[22, 22]);
        Assert.True(kept.Mask[10, 10]);
    }

    [Fact]
    public void Compute_HoleInParticle_FilledWhereEligible()
    {
        const int W = 40, H = 40;
        double[] thickness = new double[W * H];
        for (int p = 0; p < W * H; p++)
        {
            double dx = (p % W) - 20.0, dy = (p / W) - 20.0;
            double r = Math.Sqrt((dx * dx) + (dy * dy));
            thickness[p] = r >= 3 && r < 12 ? 1.0 : 0.0;
        }

        SpectralStack od = Stack(W, H, thickness, 0.01, 9);
        bool[] include = Enumerable.Repeat(true, W * H).ToArray();
        include[(20 * W) + 21] = false;

        ParticleMaskResult filled = ParticleMask.Compute(od, include: new PixelMask(W, H, include));
        ParticleMaskResult open = ParticleMask.Compute(od, new ParticleMaskOptions { FillHoles = false });

        Assert.True(filled.Mask[20, 20]);
        Assert.False(filled.Mask[21, 20]); // excluded by the caller: never a particle pixel
        Assert.False(open.Mask[20, 20]);
        Assert.False(filled.Mask[0, 0]);
    }

    [Fact]
    public void Compute_NaNPixel_IsNeverParticle()
    {
        const int W = 32, H = 32;
        double[] thickness = new double[W * H];
        Dome(thickness, W, 16, 16, 8, 1.0);
        SpectralStack od = Stack(W, H, thickness, 0.01, 2);
        od.Data.Span[(16 * W) + 16] = float.NaN;

        ParticleMaskResult r = ParticleMask.Compute(od);

        Assert.False(r.Mask[16, 16]);
        Assert.True(r.Mask[15, 16]);
    }

    [Fact]
    public void Compute_NoEligiblePixel_EmptyMaskNaNThresholds()
    {
        SpectralStack od = Stack(4, 4, new double[16], 0.01, 1);

        ParticleMaskResult r = ParticleMask.Compute(od, include: PixelMask.Uniform(4, 4, false));

        Assert.Equal(0, r.Mask.Count);
        Assert.True(double.IsNaN(r.Threshold));
        Assert.True(double.IsNaN(r.NoiseLevel));
    }

    public static TheoryData<int, int> BackgroundSizes() => new() { { 1001, 200 }, { 1000, 201 }, { 64, 3 } };

    [Theory]
    [MemberData(nameof(BackgroundSizes))]
    public void BackgroundStatistics_MatchesDoubleOracle(int background, int outliers)
    {
        var rng = new Random(background + outliers);
        var values = new List<float>();
        for (int i = 0; i < background; i++)
        {
            values.Add((float)(0.3 + (0.05 * SyntheticImages.Gaussian(rng))));
        }

        for (int i = 0; i < outliers; i++)
        {
            values.Add((float)(0.5 + (5 * rng.NextDouble()))); // thin edges and particles
        }

        float[] sorted = [.. values.Order()];
        double otsu = ParticleMask.OtsuThreshold(sorted);

        (double median, double sigma) = ParticleMask.BackgroundStatistics(sorted, otsu);
        (double oracleMedian, double oracleSigma) = Oracle(values.Select(v => (double)v).ToArray(), otsu);

        Assert.Equal(oracleMedian, median, 12);
        Assert.Equal(oracleSigma, sigma, 12);
        if (background > 100)
        {
            Assert.InRange(median, 0.29, 0.31);
            Assert.InRange(sigma, 0.045, 0.055);
        }
    }

    /// <summary>The documented rule, written naively in double precision with full sorts.</summary>
    private static (double Median, double Sigma) Oracle(double[] values, double cap)
    {
        static double Median(double[] v)
        {
            double[] s = [.. v.Order()];
            return s.Length % 2 == 1 ? s[s.Length / 2] : (s[(s.Length / 2) - 1] + s[s.Length / 2]) / 2;
        }

        double[] b = values.Where(v => v <= cap).ToArray();
        double m = 0, sigma = 0;
        for (int i = 0; i < 20; i++)
        {
            m = Median(b);
            double mm = m;
            sigma = 1.482602218505602 * Median(b.Select(v => Math.Abs(v - mm)).ToArray());
            double clip = Math.Min(cap, m + (3 * sigma));
            double[] next = values.Where(v => v <= clip).ToArray();
            if (next.Length == b.Length)
            {
                break;
            }

            b = next;
        }

        return (m, sigma);
    }

    [Fact]
    public void Compute_BadNoiseOptions_ThrowWithOptionName()
    {
        SpectralStack od = Stack(4, 4, new double[16], 0.01, 1);

        var a = Assert.Throws<ArgumentOutOfRangeException>(() => ParticleMask.Compute(od, new ParticleMaskOptions { NoiseSigmas = 0 }));
        var b = Assert.Throws<ArgumentOutOfRangeException>(() => ParticleMask.Compute(od, new ParticleMaskOptions { GrowSigmas = 5 }));
        var c = Assert.Throws<ArgumentOutOfRangeException>(() => ParticleMask.Compute(od, new ParticleMaskOptions { MinimumParticleArea = 0 }));
        var d = Assert.Throws<ArgumentOutOfRangeException>(
            () => ParticleMask.Compute(od, new ParticleMaskOptions { Method = (ParticleMaskMethod)7 }));

        Assert.Contains("NoiseSigmas", a.Message, StringComparison.Ordinal);
        Assert.Contains("GrowSigmas", b.Message, StringComparison.Ordinal);
        Assert.Contains("MinimumParticleArea", c.Message, StringComparison.Ordinal);
        Assert.Contains("Method", d.Message, StringComparison.Ordinal);
        Assert.Equal("options", a.ParamName);
    }
}
