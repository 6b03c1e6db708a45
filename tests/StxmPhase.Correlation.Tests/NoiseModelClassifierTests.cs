using StxmPhase.Spectra;

namespace StxmPhase.Correlation.Tests;

public class NoiseModelClassifierTests
{
    private const int W = 9, H = 7, E = 6, K = 3;

    private static (SpectralStack Od, ReferenceSpectra Refs, PixelMask SampleFree) Data(int seed)
    {
        var rng = new Random(seed);
        var axis = new EnergyAxis(Enumerable.Range(0, E).Select(e => 500.0 + e));
        double[] refValues = new double[K * E];
        for (int i = 0; i < refValues.Length; i++)
        {
            refValues[i] = 0.2 + rng.NextDouble();
        }

        var refs = new ReferenceSpectra(axis, ["a", "b", "c"], refValues);
        float[] data = new float[E * W * H];
        bool[] free = new bool[W * H];
        for (int p = 0; p < W * H; p++)
        {
            free[p] = p % W < 3; // the left three columns are sample-free
            int k = rng.Next(K);
            double t = free[p] ? 0 : 0.3 + rng.NextDouble();
            for (int e = 0; e < E; e++)
            {
                data[(e * W * H) + p] = (float)((t * refValues[(k * E) + e]) + 0.05 + (0.03 * (rng.NextDouble() - 0.5)));
            }
        }

        return (new SpectralStack(axis, W, H, data), refs, new PixelMask(W, H, free));
    }

    /// <summary>The documented model, written per pixel in double precision with an explicit 2×2 weighted least-squares
    /// solve and the a ≥ 0 constraint handled by refitting b alone.</summary>
    private static double[] OracleChiSquares(SpectralStack od, ReferenceSpectra refs, double[] background, double[] variance, int p,
        double[]? counts = null, double share = 0)
    {
        int n = W * H;
        double[] w = new double[E];
        double[] x = new double[E];
        for (int e = 0; e < E; e++)
        {
            ReadOnlySpan<float> plane = od.Plane(e);
            x[e] = plane[p];
            int px = p % W, py = p / W;
            double smooth = x[e];
            if (p - W - 1 >= 0 && p + W + 1 < n && px != 0 && px != W - 1)
            {
                smooth = 0;
                for (int dy = -1; dy <= 1; dy++)
                {
                    for (int dx = -1; dx <= 1; dx++)
                    {
                        smooth += plane[((py + dy) * W) + px + dx];
                    }
                }

                smooth /= 9;
            }

            w[e] = counts is null
                ? 1 / (variance[e] * Math.Exp(Math.Clamp(smooth - background[e], -1, 10)))
                : counts[e] / (Math.Exp(Math.Clamp(smooth, -1, 10)) + share); // σ²(OD) = (e^OD + c)/N₀
        }

        double[] chi = new double[K];
        for (int k = 0; k < K; k++)
        {
            ReadOnlySpan<double> r = refs.Spectrum(k);
            double s = 0, sr = 0, srr = 0, sx = 0, sxr = 0;
            for (int e = 0; e < E; e++)
            {
                s += w[e];
                sr += w[e] * r[e];
                srr += w[e] * r[e] * r[e];
                sx += w[e] * x[e];
                sxr += w[e] * x[e] * r[e];
            }

            double det = (srr * s) - (sr * sr);
            double a = ((sxr * s) - (sr * sx)) / det;
            double b = ((srr * sx) - (sr * sxr)) / det;
            if (a < 0)
            {
                a = 0;
                b = sx / s;
            }

            double c = 0;
            for (int e = 0; e < E; e++)
            {
                double d = x[e] - (a * r[e]) - b;
                c += w[e] * d * d;
            }

            chi[k] = c;
        }

        return chi;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Classify_MatchesDoublePrecisionOracle(int seed)
    {
        (SpectralStack od, ReferenceSpectra refs, PixelMask free) = Data(seed);
        PixelMask sample = free.Not();
        var classifier = new NoiseModelClassifier(new NoiseModelOptions { CalibrateScale = false, EstimatePrior = false, NoMatchQuantile = null });

        PhasePosteriors post = classifier.Classify(od, refs, sample, free);

        int n = W * H;
        double[] background = [.. post.BackgroundOd];
        double[] variance = [.. post.NoiseVariance];
        Assert.All(variance, v => Assert.InRange(v, 1e-5, 1e-3)); // uniform ±0.015 noise: σ² ≈ 0.0173² · (MAD scaling)
        for (int p = 0; p < n; p++)
        {
            if (!sample[p])
            {
                Assert.Equal(PhaseMap.Unassigned, post.Labels[p]);
                Assert.True(float.IsNaN(post.Posteriors[p]));
                continue;
            }

            double[] chi = OracleChiSquares(od, refs, background, variance, p);
            double min = chi.Min();
            double z = chi.Sum(c => Math.Exp(-(c - min) / 2));
            Assert.Equal(min, post.ChiSquare[p], Math.Max(1e-3, 1e-4 * min));
            double sum = 0;
            for (int k = 0; k < K; k++)
            {
                double expected = Math.Exp(-(chi[k] - min) / 2) / z;
                Assert.Equal(expected, post.Posteriors[(k * n) + p], 1e-3);
                sum += post.Posteriors[(k * n) + p];
            }

            Assert.Equal(1.0, sum, 5);
            Assert.Equal(Array.IndexOf(chi, min), post.Labels[p]);
        }
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    public void Classify_IncidentCounts_CountingVarianceMatchesDoublePrecisionOracle(double share)
    {
        (SpectralStack od, ReferenceSpectra refs, PixelMask free) = Data(3);
        PixelMask sample = free.Not();
        double[] counts = [.. Enumerable.Range(0, E).Select(e => 250.0 + (40 * e))];
        var classifier = new NoiseModelClassifier(new NoiseModelOptions
        {
            CalibrateScale = false, EstimatePrior = false, NoMatchQuantile = null, IncidentCounts = counts, IncidentVarianceShare = share,
        });

        PhasePosteriors post = classifier.Classify(od, refs, sample, null); // no sample-free field needed

        int n = W * H;
        Assert.Equal(counts.Select(c => 1 / c), post.NoiseVariance);
        for (int p = 0; p < n; p++)
        {
            if (!sample[p])
            {
                continue;
            }

            double[] chi = OracleChiSquares(od, refs, new double[E], new double[E], p, counts, share);
            double min = chi.Min();
            Assert.Equal(min, post.ChiSquare[p], Math.Max(1e-4, 1e-5 * min));
            double z = chi.Sum(c => Math.Exp(-(c - min) / 2));
            for (int k = 0; k < K; k++)
            {
                Assert.Equal(Math.Exp(-(chi[k] - min) / 2) / z, post.Posteriors[(k * n) + p], 1e-3);
            }
        }
    }

    [Fact]
    public void WithIncidentCounts_SetsTheCounts_AndKeepsEveryOtherSetting()
    {
        var options = new NoiseModelOptions
        {
            EnergyWeights = [1, 2, 3], EstimatePrior = false, CalibrateScale = false, NoMatchQuantile = 0.99,
            IncidentVarianceShare = 0.5, OffsetBlocks = [2, 1],
        };
        double[] counts = [100, 200, 300];

        NoiseModelOptions copy = options.WithIncidentCounts(counts);

        Assert.Same(counts, copy.IncidentCounts);
        Assert.Null(options.IncidentCounts);
        Assert.Same(options.EnergyWeights, copy.EnergyWeights);
        Assert.Same(options.OffsetBlocks, copy.OffsetBlocks);
        Assert.False(copy.EstimatePrior);
        Assert.False(copy.CalibrateScale);
        Assert.Equal(0.99, copy.NoMatchQuantile);
        Assert.Equal(0.5, copy.IncidentVarianceShare);
    }

    [Fact]
    public void Classify_SpectrumOfNoReference_IsNoMatch()
    {
        (SpectralStack od, ReferenceSpectra refs, PixelMask free) = Data(3);
        // Pixel (5, 3): an oscillating spectrum unlike any positive reference.
        int p = (3 * W) + 5;
        for (int e = 0; e < E; e++)
        {
            od.Plane(e)[p] = e % 2 == 0 ? 1.5f : 0.1f;
        }

        PhasePosteriors post = new NoiseModelClassifier(new NoiseModelOptions { CalibrateScale = false }).Classify(od, refs, free.Not(), free);
        PhasePosteriors off = new NoiseModelClassifier(new NoiseModelOptions { CalibrateScale = false, NoMatchQuantile = null })
            .Classify(od, refs, free.Not(), free);

        Assert.Equal(NoiseModelClassifier.NoMatch, post.Labels[p]);
        Assert.True(post.NoMatchCount >= 1);
        Assert.True(off.Labels[p] >= 0);
        Assert.Equal(0, off.NoMatchCount);
    }

    [Theory]
    [InlineData(0.999, 11, 31.264)]
    [InlineData(0.5, 11, 10.341)]
    [InlineData(0.99, 3, 11.345)]
    public void ChiSquareQuantile_MatchesScipyWithinWilsonHilfertyError(double q, int nu, double scipy)
    {
        // scipy.stats.chi2.ppf(q, nu); Wilson–Hilferty is within 1 % for ν ≥ 3 at these quantiles.
        Assert.Equal(scipy, NoiseModelClassifier.ChiSquareQuantile(nu, q), scipy * 0.01);
    }

    [Fact]
    public void Classify_BadOptions_Throw()
    {
        (SpectralStack od, ReferenceSpectra refs, PixelMask free) = Data(1);

        var a = Assert.Throws<ArgumentException>(() => new NoiseModelClassifier(new NoiseModelOptions { EnergyWeights = [1, 1] }).Classify(od, refs));
        var b = Assert.Throws<ArgumentOutOfRangeException>(
            () => new NoiseModelClassifier(new NoiseModelOptions { NoMatchQuantile = 1.5 }).Classify(od, refs));
        var c = Assert.Throws<ArgumentException>(
            () => new NoiseModelClassifier(new NoiseModelOptions { EnergyWeights = [1, 1, 0, 0, 0, 0] }).Classify(od, refs));

        Assert.Contains("EnergyWeights", a.Message, StringComparison.Ordinal);
        Assert.Contains("NoMatchQuantile", b.Message, StringComparison.Ordinal);
        Assert.Contains("3 weighted energies", c.Message, StringComparison.Ordinal);
    }
}
