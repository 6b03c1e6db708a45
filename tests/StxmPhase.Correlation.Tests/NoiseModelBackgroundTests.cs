using StxmPhase.Spectra;

namespace StxmPhase.Correlation.Tests;

/// <summary>The background components of the noise model (issue 16) against a double-precision oracle.</summary>
public class NoiseModelBackgroundTests
{
    private const int W = 9, H = 8, E = 9, K = 3;

    private static readonly EnergyAxis s_axis = new(Enumerable.Range(0, E).Select(e => 510.0 + (1.5 * e)));

    /// <summary>A "carbon" spectrum with a peak, tabulated on a fine grid that covers s_axis.</summary>
    private static ReferenceSpectra Carbon()
    {
        double[] grid = [.. Enumerable.Range(0, 141).Select(i => 508.0 + (0.1 * i))];
        double[] v = [.. grid.Select(x => 0.3 + Math.Exp(-0.5 * Math.Pow((x - 519.0) / 1.2, 2)))];
        return new ReferenceSpectra(new EnergyAxis(grid), ["carbon"], v);
    }

    private static (SpectralStack Od, ReferenceSpectra Refs, PixelMask Sample, PixelMask Free) Data(int seed, bool withBackground)
    {
        var rng = new Random(seed);
        double[] refValues = new double[K * E];
        for (int i = 0; i < refValues.Length; i++)
        {
            refValues[i] = 0.2 + rng.NextDouble();
        }

        var refs = new ReferenceSpectra(s_axis, ["a", "b", "c"], refValues);
        double[] g = new SpectralBackground(linear: true, Carbon()).Basis(s_axis);
        float[] data = new float[E * W * H];
        bool[] free = new bool[W * H];
        for (int p = 0; p < W * H; p++)
        {
            free[p] = p % W < 3;
            int k = rng.Next(K);
            double t = free[p] ? 0 : 0.3 + rng.NextDouble();
            double slope = free[p] || !withBackground ? 0 : 0.2 * (rng.NextDouble() - 0.5);
            double carbon = free[p] || !withBackground || rng.Next(3) == 0 ? 0 : 0.4 * rng.NextDouble(); // a third without carbon: d ≥ 0 binds
            for (int e = 0; e < E; e++)
            {
                double x = (t * refValues[(k * E) + e]) + 0.05 + (slope * g[e]) + (carbon * g[E + e]) + (0.03 * (rng.NextDouble() - 0.5));
                data[(e * W * H) + p] = (float)x;
            }
        }

        var sample = new PixelMask(W, H, [.. free.Select(f => !f)]);
        return (new SpectralStack(s_axis, W, H, data), refs, sample, new PixelMask(W, H, free));
    }

    /// <summary>The weights of the documented model: 1 / (σ²_e · exp(clamp(x̃ − m_e, −1, 10))), x̃ the 3×3 mean inside the image.</summary>
    private static double[] Weights(SpectralStack od, double[] background, double[] variance, int p)
    {
        int n = W * H, px = p % W, py = p / W;
        double[] w = new double[E];
        for (int e = 0; e < E; e++)
        {
            ReadOnlySpan<float> plane = od.Plane(e);
            double smooth = plane[p];
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

            w[e] = 1 / (variance[e] * Math.Exp(Math.Clamp(smooth - background[e], -1, 10)));
        }

        return w;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Classify_LinearAndCarbonBackground_MatchesConstrainedLeastSquaresOracle(int seed)
    {
        var background = new SpectralBackground(linear: true, Carbon());
        (SpectralStack od, ReferenceSpectra refs, PixelMask sample, PixelMask free) = Data(seed, withBackground: true);
        var classifier = new NoiseModelClassifier(new NoiseModelOptions { CalibrateScale = false, EstimatePrior = false, NoMatchQuantile = null })
        {
            Background = background,
        };

        PhasePosteriors post = classifier.Classify(od, refs, sample, free);

        Assert.Equal(E - 2 - 2, post.DegreesOfFreedom);
        int n = W * H, carbonBound = 0;
        double[] g = background.Basis(s_axis);
        double[][] columns = [[.. Enumerable.Repeat(1.0, E)], g[..E], g[E..], []];
        bool[] nonNegative = [false, false, true, true];
        for (int p = 0; p < n; p++)
        {
            if (!sample[p])
            {
                continue;
            }

            double[] x = [.. Enumerable.Range(0, E).Select(e => (double)od.Plane(e)[p])];
            double[] w = Weights(od, [.. post.BackgroundOd], [.. post.NoiseVariance], p);
            double[] chi = new double[K];
            for (int k = 0; k < K; k++)
            {
                columns[3] = refs.Spectrum(k).ToArray();
                chi[k] = ConstrainedLeastSquaresOracle.ChiSquare(columns, nonNegative, x, w);
                carbonBound += ConstrainedLeastSquaresOracle.ChiSquare(columns, [false, false, false, true], x, w) < chi[k] - 1e-6 ? 1 : 0;
            }

            double min = chi.Min();
            Assert.Equal(min, post.ChiSquare[p], Math.Max(1e-3, 1e-4 * min));
            for (int k = 0; k < K; k++)
            {
                Assert.Equal(Math.Exp(-(chi[k] - min) / 2) / chi.Sum(c => Math.Exp(-(c - min) / 2)), post.Posteriors[(k * n) + p], 1e-3);
            }
        }

        Assert.True(carbonBound > 0, "no pixel exercised the d ≥ 0 constraint");
    }

    [Fact]
    public void Classify_CarbonLayer_KeepsThePhaseTheModelWithoutBackgroundLoses()
    {
        // One pixel per phase column block, each with a strong carbon layer: without the background term the layer's peak
        // is read as a phase difference.
        var carbonOnly = new SpectralBackground(linear: false, Carbon());
        (SpectralStack od, ReferenceSpectra refs, PixelMask sample, PixelMask free) = Data(7, withBackground: false);
        double[] g = carbonOnly.Basis(s_axis);
        float[] data = od.Data.ToArray();
        int n = W * H;
        for (int p = 0; p < n; p++)
        {
            for (int e = 0; e < E; e++)
            {
                data[(e * n) + p] += sample[p] ? (float)(1.5 * g[e]) : 0f;
            }
        }

        var heavy = new SpectralStack(s_axis, W, H, data);
        var options = new NoiseModelOptions { CalibrateScale = false, EstimatePrior = false, NoMatchQuantile = null };
        PhasePosteriors plain = new NoiseModelClassifier(options).Classify(heavy, refs, sample, free);
        PhasePosteriors fitted = new NoiseModelClassifier(options) { Background = carbonOnly }.Classify(heavy, refs, sample, free);
        PhasePosteriors clean = new NoiseModelClassifier(options) { Background = carbonOnly }.Classify(od, refs, sample, free);

        int agreeFitted = 0, agreePlain = 0;
        for (int p = 0; p < n; p++)
        {
            if (sample[p])
            {
                agreeFitted += fitted.Labels[p] == clean.Labels[p] ? 1 : 0;
                agreePlain += plain.Labels[p] == clean.Labels[p] ? 1 : 0;
            }
        }

        Assert.Equal(sample.Count, agreeFitted);
        Assert.True(agreePlain < sample.Count, $"the carbon layer did not change any label without the background term ({agreePlain})");
    }

    [Fact]
    public void Classify_TooFewEnergiesForTheBackground_Throws()
    {
        var axis = new EnergyAxis([510.0, 511, 512, 513]);
        var refs = new ReferenceSpectra(axis, ["a"], [1.0, 2, 3, 1]);
        var od = new SpectralStack(axis, 2, 2, new float[16]);
        var classifier = new NoiseModelClassifier { Background = new SpectralBackground(linear: true, Carbon()) };

        ArgumentException ex = Assert.Throws<ArgumentException>(() => classifier.Classify(od, refs));
        Assert.Contains("2 background component", ex.Message, StringComparison.Ordinal);
    }
}
