using StxmPhase.Spectra;

namespace StxmPhase.Correlation.Tests;

/// <summary><see cref="NoiseModelOptions.WithBlocks"/>: user-given block weights temper the per-block χ² terms, noise weights do not.</summary>
public class NoiseModelBlockWeightTests
{
    private const int W = TwoEdgeTestStack.W, H = TwoEdgeTestStack.H, E1 = TwoEdgeTestStack.E1, E2 = TwoEdgeTestStack.E2;
    private const int E = TwoEdgeTestStack.E, K = TwoEdgeTestStack.K;

    /// <summary>Two edges (blocks of 5 and 4 energies) with their own film offsets; the left three columns are sample-free.</summary>
    private static (SpectralStack Od, ReferenceSpectra Refs, PixelMask SampleFree) Data(int seed) =>
        TwoEdgeTestStack.Make(seed, e => e < E1 ? 0.05 : 0.2, 0.08);

    private static PhasePosteriors Classify(NoiseModelOptions options, SpectralStack od, ReferenceSpectra refs, PixelMask free) =>
        new NoiseModelClassifier(options).Classify(od, refs, free.Not(), free);

    [Fact]
    public void WithBlocks_EqualUserWeights_PosteriorsEqualTheUnweightedOnes()
    {
        (SpectralStack od, ReferenceSpectra refs, PixelMask free) = Data(1);
        var blocks = new SpectralBlocks(["V L", "O K"], [E1, E2], [0.3, 0.3]);

        PhasePosteriors weighted = Classify(new NoiseModelOptions().WithBlocks(blocks), od, refs, free);
        PhasePosteriors plain = Classify(new NoiseModelOptions().WithOffsetBlocks([E1, E2]), od, refs, free);

        Assert.Equal(BlockWeightSource.User, blocks.WeightSource);
        Assert.Equal(plain.Posteriors.ToArray(), weighted.Posteriors.ToArray());
        Assert.Equal(plain.ChiSquare.ToArray(), weighted.ChiSquare.ToArray());
    }

    [Fact]
    public void WithBlocks_NoiseDerivedWeights_AreNotAppliedAgain()
    {
        (SpectralStack od, ReferenceSpectra refs, PixelMask free) = Data(2);
        SpectralBlocks noise = new SpectralBlocks(["V L", "O K"], [E1, E2]).WithWeights([0.98, 0.02], BlockWeightSource.Noise);
        SpectralBlocks user = noise.WithWeights([0.98, 0.02]);

        PhasePosteriors fromNoise = Classify(new NoiseModelOptions().WithBlocks(noise), od, refs, free);
        PhasePosteriors fromUser = Classify(new NoiseModelOptions().WithBlocks(user), od, refs, free);
        PhasePosteriors plain = Classify(new NoiseModelOptions().WithOffsetBlocks([E1, E2]), od, refs, free);

        Assert.Equal(plain.Posteriors.ToArray(), fromNoise.Posteriors.ToArray());
        Assert.NotEqual(plain.ChiSquare.ToArray(), fromUser.ChiSquare.ToArray());
    }

    [Fact]
    public void ForBlock_PerEnergyOptionsOfTheFusedStack_FitTheBlockAsIfGivenForItAlone()
    {
        (SpectralStack od, ReferenceSpectra refs, PixelMask free) = Data(4);
        var blocks = new SpectralBlocks(["V L", "O K"], [E1, E2], [0.3, 0.7]);
        double[] weights = [.. Enumerable.Range(0, E).Select(e => 0.5 + (0.1 * e))];
        double[] counts = [.. Enumerable.Range(0, E).Select(e => 1000.0 + (50.0 * e))];
        NoiseModelOptions fused = new NoiseModelOptions { EnergyWeights = weights, IncidentCounts = counts }.WithBlocks(blocks);
        int n = W * H;
        EnergyAxis axis = blocks.BlockEnergies(od.Energies, 1);
        var alone = new SpectralStack(axis, W, H, od.Data.Slice(E1 * n, E2 * n).ToArray());

        NoiseModelOptions cut = fused.ForBlock(blocks, 1);
        PhasePosteriors fromCut = Classify(cut, alone, refs.ResampleTo(axis), free);
        PhasePosteriors given = Classify(new NoiseModelOptions { EnergyWeights = weights[E1..], IncidentCounts = counts[E1..] }, alone,
            refs.ResampleTo(axis), free);

        Assert.Equal(weights[E1..], cut.EnergyWeights);
        Assert.Equal(counts[E1..], cut.IncidentCounts);
        Assert.Null(cut.OffsetBlocks);
        Assert.Equal(given.ChiSquare.ToArray(), fromCut.ChiSquare.ToArray()); // no block tempering (t = 1.4) left over
        Assert.Throws<ArgumentOutOfRangeException>(() => fused.ForBlock(blocks, 2));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void WithBlocks_ZeroUserWeight_PosteriorsEqualThoseOfTheOtherBlockAlone(int kept)
    {
        (SpectralStack od, ReferenceSpectra refs, PixelMask free) = Data(3);
        var blocks = new SpectralBlocks(["V L", "O K"], [E1, E2], kept == 0 ? [1.0, 0.0] : [0.0, 1.0]);
        int n = W * H, start = blocks.Starts[kept], count = blocks.Counts[kept];
        EnergyAxis axis = blocks.BlockEnergies(od.Energies, kept);
        var alone = new SpectralStack(axis, W, H, od.Data.Slice(start * n, count * n).ToArray());
        ReferenceSpectra aloneRefs = refs.ResampleTo(axis);

        PhasePosteriors fused = Classify(new NoiseModelOptions().WithBlocks(blocks), od, refs, free);
        PhasePosteriors single = Classify(new NoiseModelOptions(), alone, aloneRefs, free);

        OracleAssert.SamePosteriors(single, fused);
    }

    [Fact]
    public void WithBlocks_UserWeights_MatchTheTemperedChiSquareOracle()
    {
        // One pixel (its 3×3 smoothing keeps its own value) with counting noise: w_e = t_b·N₀,e / e^{x_e}.
        var rng = new Random(5);
        var axis = new EnergyAxis(Enumerable.Range(0, E).Select(e => 500.0 + e));
        double[] refValues = [.. Enumerable.Range(0, K * E).Select(_ => 0.2 + rng.NextDouble())];
        var refs = new ReferenceSpectra(axis, ["a", "b", "c"], refValues);
        float[] x = [.. Enumerable.Range(0, E).Select(e => (float)((0.7 * refValues[E + e]) + (e < E1 ? 0.05 : 0.3) + (0.05 * rng.NextDouble())))];
        double[] counts = [.. Enumerable.Range(0, E).Select(e => 2000.0 + (100 * e))];
        var stack = new SpectralStack(axis, 1, 1, x);
        var blocks = new SpectralBlocks(["V L", "O K"], [E1, E2], [0.8, 0.2]);
        var options = new NoiseModelOptions { CalibrateScale = false, EstimatePrior = false, NoMatchQuantile = null, IncidentCounts = counts };

        PhasePosteriors post = new NoiseModelClassifier(options.WithBlocks(blocks)).Classify(stack, refs);

        double[] t = [1.6, 0.4];
        double[] chi = new double[K];
        for (int k = 0; k < K; k++)
        {
            chi[k] = OracleChiSquare(x, refValues.AsSpan(k * E, E), [.. Enumerable.Range(0, E).Select(
                e => t[e < E1 ? 0 : 1] * counts[e] / Math.Exp(x[e]))]);
        }

        double min = chi.Min();
        double z = chi.Sum(c => Math.Exp(-(c - min) / 2));
        Assert.Equal(min, post.ChiSquare[0], min * 1e-5);
        for (int k = 0; k < K; k++)
        {
            Assert.Equal(Math.Exp(-(chi[k] - min) / 2) / z, post.Posterior(k)[0], 1e-5);
        }
    }

    /// <summary>min over a ≥ 0, c₁, c₂ of Σ_e w_e (x_e − a r_e − c_{b(e)})², by the normal equations in double precision.</summary>
    private static double OracleChiSquare(float[] x, ReadOnlySpan<double> r, double[] w)
    {
        // For fixed a the offsets are the weighted block means of x − a r; the residual is quadratic in a.
        double sxx = 0, sxr = 0, srr = 0;
        foreach ((int start, int end) in new[] { (0, E1), (E1, E) })
        {
            double sw = 0, mx = 0, mr = 0;
            for (int e = start; e < end; e++)
            {
                sw += w[e];
                mx += w[e] * x[e];
                mr += w[e] * r[e];
            }

            mx /= sw;
            mr /= sw;
            for (int e = start; e < end; e++)
            {
                sxx += w[e] * (x[e] - mx) * (x[e] - mx);
                sxr += w[e] * (x[e] - mx) * (r[e] - mr);
                srr += w[e] * (r[e] - mr) * (r[e] - mr);
            }
        }

        double a = Math.Max(0, sxr / srr);
        return sxx - (2 * a * sxr) + (a * a * srr);
    }
}
