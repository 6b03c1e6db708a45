namespace StxmPhase.Spectra.Tests;

public class I0EstimatorTests
{
    /// <summary>
    /// 96 × 96 px, 8 energies. Planted I0(e) = 8000 + 1500 sin(e) counts. Nine hemispherical particles
    /// (thickness √(1 − (r/R)²), R 8–16 px, so rims are thin) cover about a third of the field; OD(p, e) = t(p) · μ(e),
    /// μ from 0.3 (pre-edge) to 2.0. Counts are Gaussian-approximated Poisson. Seeded.
    /// </summary>
    internal static (SpectralStack Stack, double[] I0, bool[] Particle) SyntheticTransmission(int seed, int w = 96, int h = 96)
    {
        const int Energies = 8;
        var rng = new Random(seed);
        double[] i0 = Enumerable.Range(0, Energies).Select(e => 8000 + (1500 * Math.Sin(e))).ToArray();
        double[] mu = [0.3, 0.35, 1.2, 2.0, 1.5, 0.9, 1.1, 1.0];
        double[] thickness = new double[w * h];
        for (int b = 0; b < 9; b++)
        {
            double cx = rng.NextDouble() * w;
            double cy = rng.NextDouble() * h;
            double r = 8 + (8 * rng.NextDouble());
            for (int y = 0; y < h; y++)
            {
                for (int x = 0; x < w; x++)
                {
                    double d2 = (((x - cx) * (x - cx)) + ((y - cy) * (y - cy))) / (r * r);
                    if (d2 < 1)
                    {
                        thickness[(y * w) + x] = Math.Max(thickness[(y * w) + x], Math.Sqrt(1 - d2));
                    }
                }
            }
        }

        float[] data = new float[Energies * w * h];
        for (int e = 0; e < Energies; e++)
        {
            for (int p = 0; p < w * h; p++)
            {
                data[(e * w * h) + p] = SyntheticImages.Counts(rng, i0[e] * Math.Exp(-thickness[p] * mu[e]));
            }
        }

        var axis = new EnergyAxis(Enumerable.Range(0, Energies).Select(e => 280.0 + (2 * e)));
        var stack = new SpectralStack(axis, w, h, data, SpectralQuantity.Transmission, new StackMetadata { Name = "synthetic" });
        return (stack, i0, thickness.Select(t => t > 0).ToArray());
    }

    /// <summary>The rule as first implemented: a full sort of the means, then binary searches for the bin edges.</summary>
    private static (double Threshold, bool[] Region) SortedReference(SpectralStack stack, I0EstimationOptions options)
    {
        int n = stack.PixelCount;
        ReadOnlySpan<float> data = stack.Data.Span;
        double[] mean = new double[n];
        bool[] eligible = Enumerable.Repeat(true, n).ToArray();
        for (int e = 0; e < stack.EnergyCount; e++)
        {
            for (int p = 0; p < n; p++)
            {
                float v = data[(e * n) + p];
                if (v > 0 && float.IsFinite(v))
                {
                    mean[p] += v;
                }
                else
                {
                    eligible[p] = false;
                }
            }
        }

        double[] values = Enumerable.Range(0, n).Where(p => eligible[p]).Select(p => mean[p] / stack.EnergyCount).ToArray();
        for (int p = 0; p < n; p++)
        {
            mean[p] /= stack.EnergyCount;
        }

        Array.Sort(values);
        double min = values[0];
        int upperRank = (int)Math.Ceiling(options.RangeUpperPercentile / 100.0 * values.Length) - 1;
        double upper = values[Math.Clamp(upperRank, 0, values.Length - 1)];
        int bins = options.HistogramBinCount;
        double width = (upper - min) / bins;
        int required = Math.Max(1, (int)Math.Ceiling(options.MinimumRegionFraction * values.Length));
        double threshold = upper;
        for (int b = bins - 1; b >= 0; b--)
        {
            threshold = min + (b * width);
            int below = values.Count(v => v < threshold);
            if (values.Length - below >= required)
            {
                break;
            }
        }

        return (threshold, Enumerable.Range(0, n).Select(p => eligible[p] && mean[p] >= threshold).ToArray());
    }

    [Theory]
    [InlineData(1, 1, 99.9, 0.01)]
    [InlineData(2, 5, 99.9, 0.01)]
    [InlineData(3, 5, 100, 0.5)]
    [InlineData(4, 17, 95, 0.2)]
    [InlineData(5, 256, 99, 0.05)]
    [InlineData(6, 3, 50, 0.9)]
    public void Estimate_SelectionAndOnePassCounts_MatchTheSortedRuleExactly(int seed, int bins, double percentile, double fraction)
    {
        // Random stacks whose means tie often (few distinct values) or never, with invalid pixels: the threshold and the
        // region must be exactly those of a full sort and binary searches.
        // The third kind puts every mean exactly on a bin edge: each pixel is one whole number 1 … bins + 1 at every
        // energy, so with the percentile at 100 the edges are min + b · 1.
        var rng = new Random(seed);
        foreach (int kind in new[] { 0, 1, 2 })
        {
            const int W = 97;
            const int H = 61;
            const int E = 7;
            float[] data = new float[E * W * H];
            int[] level = Enumerable.Range(0, W * H).Select(_ => 1 + rng.Next(bins + 1)).ToArray();
            for (int i = 0; i < data.Length; i++)
            {
                data[i] = kind switch
                {
                    0 => 1 + rng.Next(6),
                    1 => (float)(0.5 + (100 * rng.NextDouble())),
                    _ => level[i % (W * H)],
                };
            }

            for (int k = 0; k < 50; k++)
            {
                data[rng.Next(data.Length)] = k % 2 == 0 ? 0f : float.NaN;
            }

            var stack = new SpectralStack(new EnergyAxis(Enumerable.Range(0, E).Select(e => 700.0 + e)), W, H, data, SpectralQuantity.Transmission);
            var options = new I0EstimationOptions
            {
                HistogramBinCount = bins,
                RangeUpperPercentile = kind == 2 ? 100 : percentile,
                MinimumRegionFraction = fraction,
            };
            (double threshold, bool[] region) = SortedReference(stack, options);
            I0Estimate est = I0Estimator.Estimate(stack, options);
            Assert.Equal(threshold, est.Threshold);
            Assert.Equal(region, est.SampleFreeMask.AsSpan().ToArray());
        }
    }

    [Theory]
    [InlineData(1, I0Statistic.Median)]
    [InlineData(2, I0Statistic.Median)]
    [InlineData(3, I0Statistic.Mean)]
    public void Estimate_SampleFreeRegionAndParticles_RecoversPlantedI0Within1Percent(int seed, I0Statistic statistic)
    {
        (SpectralStack stack, double[] i0, bool[] particle) = SyntheticTransmission(seed);

        I0Estimate est = I0Estimator.Estimate(stack, new I0EstimationOptions { Statistic = statistic });

        for (int e = 0; e < i0.Length; e++)
        {
            Assert.True(Math.Abs(est.I0[e] - i0[e]) / i0[e] < 0.01, $"e={e}: {est.I0[e]} vs planted {i0[e]}");
        }

        // The region is mostly empty field and holds enough pixels.
        int inParticles = est.SampleFreeMask.IncludedIndices().Count(p => particle[p]);
        Assert.True(est.SampleFreeMask.Count > 500, $"region has {est.SampleFreeMask.Count} pixels");
        Assert.True(inParticles < 0.05 * est.SampleFreeMask.Count, $"{inParticles} of {est.SampleFreeMask.Count} region pixels are particle pixels");
        Assert.False(double.IsNaN(est.Threshold));
    }

    [Fact]
    public void FromTransmission_AutoI0_GivesNearZeroOdOutsideParticles()
    {
        (SpectralStack stack, _, bool[] particle) = SyntheticTransmission(4);

        OpticalDensityResult r = OpticalDensity.FromTransmission(stack);

        Assert.NotNull(r.SampleFreeMask);
        Assert.Equal(0, r.InvalidPixelCount);
        ReadOnlySpan<float> plane = r.OpticalDensity.Plane(3);
        double sum = 0;
        int count = 0;
        for (int p = 0; p < plane.Length; p++)
        {
            if (!particle[p])
            {
                sum += plane[p];
                count++;
            }
        }

        Assert.True(Math.Abs(sum / count) < 0.01, $"mean OD of empty field {sum / count}");
    }

    [Theory]
    [InlineData(0.01, 82.0, 2, 95.0)]  // top bin of [10, 100] in 5 bins: m ≥ 10 + 4 · 18 = 82 → {90, 100}
    [InlineData(0.5, 46.0, 6, 75.0)]   // needs 5 pixels: lowered twice to 10 + 2 · 18 = 46 → {50, …, 100}
    public void Estimate_DocumentedRule_GivesExpectedThresholdAndRegion(double minimumFraction, double threshold, int count, double i0)
    {
        var stack = new SpectralStack(new EnergyAxis([1.0]), 10, 1, Enumerable.Range(1, 10).Select(i => 10f * i).ToArray(),
            SpectralQuantity.Transmission);

        I0Estimate est = I0Estimator.Estimate(stack, new I0EstimationOptions { RangeUpperPercentile = 100, MinimumRegionFraction = minimumFraction });

        Assert.Equal(threshold, est.Threshold, 9);
        Assert.Equal(count, est.SampleFreeMask.Count);
        Assert.Equal(i0, est.I0[0], 9);
    }

    [Fact]
    public void Estimate_HotPixels_DoNotCaptureTheRegion()
    {
        (SpectralStack stack, double[] i0, _) = SyntheticTransmission(5);
        Span<float> data = stack.Data.Span;
        int n = stack.PixelCount;
        for (int e = 0; e < stack.EnergyCount; e++)
        {
            data[(e * n) + 17] = 1e6f;   // two hot pixels, 100× brighter than I0
            data[(e * n) + 4000] = 5e5f;
        }

        I0Estimate est = I0Estimator.Estimate(stack);

        Assert.True(est.SampleFreeMask.Count > 500);
        Assert.True(Math.Abs(est.I0[0] - i0[0]) / i0[0] < 0.01, $"{est.I0[0]} vs {i0[0]}");
    }

    [Fact]
    public void Estimate_InvalidPixels_AreNotEligible()
    {
        var axis = new EnergyAxis([1.0, 2.0]);
        // Pixel 0 is the brightest on average but has a NaN; pixels 1..3 are valid.
        float[] data = [1e5f, 100, 100, 10, float.NaN, 100, 100, 10];
        var stack = new SpectralStack(axis, 4, 1, data, SpectralQuantity.Transmission);

        I0Estimate est = I0Estimator.Estimate(stack, new I0EstimationOptions { RangeUpperPercentile = 100 });

        Assert.False(est.SampleFreeMask[0]);
        Assert.True(est.SampleFreeMask[1]);
        Assert.Equal(100, est.I0[0]);
    }

    [Fact]
    public void Estimate_NoValidPixel_ThrowsInvalidStackContent()
    {
        var stack = new SpectralStack(new EnergyAxis([1.0]), 2, 1, new float[] { 0, -1 }, SpectralQuantity.Transmission,
            new StackMetadata { Name = "empty" });

        var ex = Assert.Throws<InvalidStackContentException>(() => I0Estimator.Estimate(stack));

        Assert.Contains("empty", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-2)]
    public void EstimateAndFromRegion_BadMaxDegreeOfParallelism_ThrowArgumentOutOfRange(int threads)
    {
        var stack = new SpectralStack(new EnergyAxis([1.0]), 2, 1, new float[] { 1, 2 }, SpectralQuantity.Transmission);
        var options = new I0EstimationOptions { MaxDegreeOfParallelism = threads };
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => I0Estimator.Estimate(stack, options));
        Assert.Contains("MaxDegreeOfParallelism", ex.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => I0Estimator.FromRegion(stack, PixelMask.Uniform(2, 1), options));
    }

    [Fact]
    public void Estimate_OneThreadOrAll_IdenticalResults()
    {
        // 300 × 200 pixels: several chunks of the parallel pixel means.
        var (stack, _, _) = SyntheticTransmission(8, 300, 200);
        I0Estimate all = I0Estimator.Estimate(stack);
        I0Estimate one = I0Estimator.Estimate(stack, new I0EstimationOptions { MaxDegreeOfParallelism = 1 });
        Assert.Equal(all.I0, one.I0);
        Assert.Equal(all.Threshold, one.Threshold);
        Assert.Equal(all.SampleFreeMask.AsSpan().ToArray(), one.SampleFreeMask.AsSpan().ToArray());
        OpticalDensityResult od = OpticalDensity.FromTransmission(stack, new OpticalDensityOptions { MaxDegreeOfParallelism = 1 });
        Assert.Equal(all.I0, od.I0);
    }

    [Theory]
    [InlineData(0, 99.9, 0.01)]
    [InlineData(5, 0.0, 0.01)]
    [InlineData(5, 101.0, 0.01)]
    [InlineData(5, 99.9, 0.0)]
    [InlineData(5, 99.9, 1.5)]
    public void Estimate_BadOptions_ThrowArgumentOutOfRange(int bins, double percentile, double fraction)
    {
        var stack = new SpectralStack(new EnergyAxis([1.0]), 2, 1, new float[] { 1, 2 }, SpectralQuantity.Transmission);

        Assert.Throws<ArgumentOutOfRangeException>(() => I0Estimator.Estimate(stack,
            new I0EstimationOptions { HistogramBinCount = bins, RangeUpperPercentile = percentile, MinimumRegionFraction = fraction }));
    }

    [Fact]
    public void FromRegion_MeanAndMedian_SkipInvalidValues()
    {
        var stack = new SpectralStack(new EnergyAxis([1.0]), 4, 1, new float[] { 10, 20, 90, float.NaN }, SpectralQuantity.Transmission);
        var region = new PixelMask(4, 1, [true, true, true, true]);

        double median = I0Estimator.FromRegion(stack, region).I0[0];
        double mean = I0Estimator.FromRegion(stack, region, new I0EstimationOptions { Statistic = I0Statistic.Mean }).I0[0];

        Assert.Equal(20, median);
        Assert.Equal(40, mean);
    }

    [Fact]
    public void FromRegion_WrongSize_Throws()
    {
        var stack = new SpectralStack(new EnergyAxis([1.0]), 4, 1, new float[4], SpectralQuantity.Transmission);

        var ex = Assert.Throws<ArgumentException>(() => I0Estimator.FromRegion(stack, PixelMask.Uniform(2, 2)));

        Assert.Equal("sampleFree", ex.ParamName);
        Assert.Contains("4×1", ex.Message, StringComparison.Ordinal);
    }
}
