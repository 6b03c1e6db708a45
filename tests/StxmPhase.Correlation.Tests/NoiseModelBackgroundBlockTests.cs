using StxmPhase.Spectra;

namespace StxmPhase.Correlation.Tests;

/// <summary>
/// Background components with several offset blocks (a fused two-edge stack): per block an offset and a slope, one amount per
/// background spectrum shared by the blocks, against a double-precision constrained least-squares oracle.
/// </summary>
public class NoiseModelBackgroundBlockTests
{
    private const int W = 48, E1 = 7, E2 = 5, E = E1 + E2, K = 3;

    /// <summary>Two edges: 7 energies 505–520 eV and 5 energies 529–536 eV.</summary>
    private static readonly EnergyAxis s_axis = new([505.0, 510, 514, 516.5, 517.3, 518.2, 520, 529, 530.5, 531.5, 533, 536]);

    /// <summary>Per-energy incident counts: with them and a one-row image the weights are t_b·N₀,e / exp(clamp(x_e, −1, 10)).</summary>
    private static readonly double[] s_counts = [.. Enumerable.Range(0, E).Select(e => 3000.0 + (50 * e))];

    /// <summary>A carbon/CEI-like layer on a fine grid covering both edges: a smooth decay and a peak at 532 eV.</summary>
    private static ReferenceSpectra Carbon()
    {
        double[] grid = [.. Enumerable.Range(0, 401).Select(i => 500.0 + (0.1 * i))];
        double[] v = [.. grid.Select(x => Math.Pow(x / 532, -2.7) + (0.8 * Math.Exp(-0.5 * Math.Pow((x - 532) / 0.8, 2))))];
        return new ReferenceSpectra(new EnergyAxis(grid), ["carbon"], v);
    }

    /// <summary>The model's nuisance columns, built here from their documented definitions: 1_b, (E − Ē_b)/(E_max,b − E_min,b), g.</summary>
    private static double[][] Columns(bool[] include)
    {
        double[] g = Carbon().ResampleTo(s_axis).Spectrum(0).ToArray();
        var columns = new List<double[]>();
        foreach ((int start, int end) in new[] { (0, E1), (E1, E) })
        {
            if (!include[start == 0 ? 0 : 1])
            {
                continue;
            }

            double mean = 0;
            for (int e = start; e < end; e++)
            {
                mean += s_axis[e] / (end - start);
            }

            double span = s_axis[end - 1] - s_axis[start];
            columns.Add([.. Enumerable.Range(0, E).Select(e => e >= start && e < end ? 1.0 : 0)]);
            columns.Add([.. Enumerable.Range(0, E).Select(e => e >= start && e < end ? (s_axis[e] - mean) / span : 0)]);
        }

        columns.Add(g);
        return [.. columns];
    }

    /// <summary>
    /// x = a·r_k + b_i + c_i·lin_i + d·g + noise per pixel, b, c per block, d shared (0 on a third of the pixels so that d ≥ 0
    /// binds); pixels 40–43 miss the second block (NaN at all its energies), 44 has one NaN in it, 45 misses the first block.
    /// </summary>
    private static (SpectralStack Od, ReferenceSpectra Refs) Data(int seed)
    {
        var rng = new Random(seed);
        double[] refValues = [.. Enumerable.Range(0, K * E).Select(_ => 0.2 + rng.NextDouble())];
        var refs = new ReferenceSpectra(s_axis, ["a", "b", "c"], refValues);
        double[][] nuisance = Columns([true, true]);
        float[] data = new float[E * W];
        for (int p = 0; p < W; p++)
        {
            int k = rng.Next(K);
            double a = 0.3 + rng.NextDouble();
            double[] beta =
            [
                0.05 + (0.05 * rng.NextDouble()), 0.1 * (rng.NextDouble() - 0.5),
                0.2 + (0.1 * rng.NextDouble()), 0.1 * (rng.NextDouble() - 0.5),
                rng.Next(3) == 0 ? 0 : 0.4 * rng.NextDouble(),
            ];
            for (int e = 0; e < E; e++)
            {
                double x = (a * refValues[(k * E) + e]) + (0.02 * (rng.NextDouble() - 0.5));
                for (int j = 0; j < nuisance.Length; j++)
                {
                    x += beta[j] * nuisance[j][e];
                }

                bool missing = (p is >= 40 and <= 43 && e >= E1) || (p == 44 && e == E1 + 2) || (p == 45 && e < E1);
                data[(e * W) + p] = missing ? float.NaN : (float)x;
            }
        }

        return (new SpectralStack(s_axis, W, 1, data), refs);
    }

    private static NoiseModelOptions Exact(SpectralBlocks blocks) =>
        new NoiseModelOptions { CalibrateScale = false, EstimatePrior = false, NoMatchQuantile = null, IncidentCounts = s_counts }.WithBlocks(blocks);

    [Theory]
    [InlineData(1, 0.5)]
    [InlineData(2, 0.5)]
    [InlineData(3, 0.8)]
    public void Classify_TwoBlocksWithLinearAndSharedCarbon_MatchesConstrainedLeastSquaresOracle(int seed, double firstWeight)
    {
        (SpectralStack od, ReferenceSpectra refs) = Data(seed);
        var blocks = new SpectralBlocks(["V L", "O K"], [E1, E2], [firstWeight, 1 - firstWeight]);
        var classifier = new NoiseModelClassifier(Exact(blocks)) { Background = new SpectralBackground(linear: true, Carbon()) };

        PhasePosteriors post = classifier.Classify(od, refs);

        Assert.Equal(E - 1 - 2 - 2 - 1, post.DegreesOfFreedom); // a; b and c per block; one carbon amount
        double[] t = [2 * firstWeight, 2 * (1 - firstWeight)];
        int carbonBound = 0, sharedMatters = 0;
        for (int p = 0; p < W; p++)
        {
            double[] x = [.. Enumerable.Range(0, E).Select(e => (double)od.Plane(e)[p])];
            if (p == 44)
            {
                // A block only partly NaN: corrupt data, not analysed (as without a background).
                Assert.True(float.IsNaN(post.ChiSquare[p]));
                Assert.Equal(PhaseMap.Unassigned, post.Labels[p]);
                continue;
            }

            bool[] has = [p != 45, p is < 40 or > 43];
            double[] w = [.. Enumerable.Range(0, E).Select(
                e => double.IsNaN(x[e]) ? 0 : t[e < E1 ? 0 : 1] * s_counts[e] / Math.Exp(Math.Clamp(x[e], -1, 10)))];
            x = [.. x.Select(v => double.IsNaN(v) ? 0 : v)];
            double[][] nuisance = Columns(has);
            double[][] columns = [.. nuisance, []];
            bool[] nonNegative = [.. nuisance.Select(_ => false), true];
            nonNegative[^2] = true; // the carbon amount
            double[] chi = new double[K];
            for (int k = 0; k < K; k++)
            {
                columns[^1] = refs.Spectrum(k).ToArray();
                chi[k] = ConstrainedLeastSquaresOracle.ChiSquare(columns, nonNegative, x, w);
                bool[] carbonFree = [.. nonNegative];
                carbonFree[^2] = false;
                carbonBound += ConstrainedLeastSquaresOracle.ChiSquare(columns, carbonFree, x, w) < chi[k] - 1e-6 ? 1 : 0;
                if (has[0] && has[1])
                {
                    // One carbon amount per block instead of one shared: a different (smaller) χ² where the data disagree.
                    double[] g = nuisance[^1];
                    double[][] split =
                        [.. nuisance[..^1], [.. g.Select((v, e) => e < E1 ? v : 0)], [.. g.Select((v, e) => e >= E1 ? v : 0)], columns[^1]];
                    double perBlock = ConstrainedLeastSquaresOracle.ChiSquare(split, [false, false, false, false, true, true, true], x, w);
                    sharedMatters += perBlock < chi[k] - (1e-3 * chi[k]) ? 1 : 0;
                }
            }

            double min = chi.Min();
            Assert.Equal(min, post.ChiSquare[p], Math.Max(1e-4, 1e-5 * min));
            double z = chi.Sum(c => Math.Exp(-(c - min) / 2));
            for (int k = 0; k < K; k++)
            {
                Assert.Equal(Math.Exp(-(chi[k] - min) / 2) / z, post.Posteriors[(k * W) + p], 1e-4);
            }
        }

        Assert.True(carbonBound > 0, "no pixel exercised the d ≥ 0 constraint");
        Assert.True(sharedMatters > 0, "no pixel told one shared carbon amount from one per block");
    }

    [Fact]
    public void Classify_OneOffsetBlock_IsBitIdenticalToNoBlocks()
    {
        (SpectralStack od, ReferenceSpectra refs) = Data(4);
        float[] values = od.Data.ToArray();
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = float.IsNaN(values[i]) ? 0.3f : values[i];
        }

        var stack = new SpectralStack(s_axis, W, 1, values);
        var background = new SpectralBackground(linear: true, Carbon());
        var options = new NoiseModelOptions { IncidentCounts = s_counts };

        PhasePosteriors plain = new NoiseModelClassifier(options) { Background = background }.Classify(stack, refs);
        PhasePosteriors one = new NoiseModelClassifier(options.WithOffsetBlocks([E])) { Background = background }.Classify(stack, refs);

        Assert.Equal(plain.DegreesOfFreedom, one.DegreesOfFreedom);
        Assert.Equal(plain.ChiSquare.ToArray(), one.ChiSquare.ToArray());
        Assert.Equal(plain.Posteriors.ToArray(), one.Posteriors.ToArray());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void Classify_ZeroUserWeightBlock_EqualsTheOtherBlockAloneWithItsBackground(int kept)
    {
        (SpectralStack od, ReferenceSpectra refs) = Data(5);
        var blocks = new SpectralBlocks(["V L", "O K"], [E1, E2], kept == 0 ? [1.0, 0.0] : [0.0, 1.0]);
        int start = blocks.Starts[kept], count = blocks.Counts[kept];
        EnergyAxis axis = blocks.BlockEnergies(s_axis, kept);
        var alone = new SpectralStack(axis, W, 1, od.Data.Slice(start * W, count * W).ToArray());
        var background = new SpectralBackground(linear: false, Carbon());
        var options = new NoiseModelOptions { IncidentCounts = s_counts };
        var aloneOptions = new NoiseModelOptions { IncidentCounts = s_counts.AsSpan(start, count).ToArray() };

        PhasePosteriors fused = new NoiseModelClassifier(options.WithBlocks(blocks)) { Background = background }.Classify(od, refs);
        PhasePosteriors single = new NoiseModelClassifier(aloneOptions) { Background = background }.Classify(alone, refs.ResampleTo(axis));

        OracleAssert.SamePosteriors(single, fused);
    }

    [Fact]
    public void Classify_TwoBlocksTooFewEnergiesForTheBackground_ThrowsNamingTheBlocks()
    {
        var axis = new EnergyAxis([505.0, 510, 515, 529, 531]);
        var refs = new ReferenceSpectra(axis, ["a"], [1.0, 2, 3, 1, 2]);
        var od = new SpectralStack(axis, 2, 1, new float[10]);
        var classifier = new NoiseModelClassifier(new NoiseModelOptions().WithOffsetBlocks([3, 2]))
        {
            Background = new SpectralBackground(linear: true, Carbon()),
        };

        ArgumentException ex = Assert.Throws<ArgumentException>(() => classifier.Classify(od, refs));
        Assert.Contains("2 blocks", ex.Message, StringComparison.Ordinal);
        Assert.Contains("got 5", ex.Message, StringComparison.Ordinal);
    }
}
