namespace StxmPhase.Spectra.Tests;

public class BlockNormalizationTests
{
    private const int E1 = 5, E2 = 3, E = E1 + E2, N = 40;

    /// <summary>N spectra: block 1 with an OD around 1, block 2 (a weaker edge) around 0.05.</summary>
    private static float[] Spectra(int seed)
    {
        var rng = new Random(seed);
        float[] x = new float[N * E];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = (float)((i % E) < E1 ? 0.5 + rng.NextDouble() : 0.02 + (0.06 * rng.NextDouble()));
        }

        return x;
    }

    private static float[] ScaleBlock(float[] x, int start, int count, float factor, int? row = null)
    {
        float[] y = [.. x];
        for (int r = 0; r < N; r++)
        {
            for (int j = start; j < start + count && (row is null || row == r); j++)
            {
                y[(r * E) + j] *= factor;
            }
        }

        return y;
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void GlobalScale_OneBlockScaledTenfold_TransformIsUnchanged(int block)
    {
        var blocks = new SpectralBlocks(["V L", "O K"], [E1, E2], [0.7, 0.3]);
        float[] x = Spectra(1), y = ScaleBlock(x, blocks.Starts[block], blocks.Counts[block], 10);
        float[] tx = new float[x.Length], ty = new float[y.Length];

        BlockNormalization nx = BlockNormalization.Fit(blocks, BlockScaling.GlobalScale, x, []);
        BlockNormalization ny = BlockNormalization.Fit(blocks, BlockScaling.GlobalScale, y, []);
        nx.Apply(x, tx, N);
        ny.Apply(y, ty, N);

        Assert.Equal(10 * nx.Scales[block], ny.Scales[block], 1e-6 * ny.Scales[block]);
        for (int i = 0; i < tx.Length; i++)
        {
            Assert.Equal(tx[i], ty[i], 1e-5f);
        }
    }

    [Fact]
    public void PerSpectrum_OnePixelsBlockScaledAndShifted_ItsTransformIsUnchanged()
    {
        var blocks = new SpectralBlocks(["V L", "O K"], [E1, E2]);
        float[] x = Spectra(2), y = ScaleBlock(x, E1, E2, 10, row: 7);
        float[] tx = new float[x.Length], ty = new float[y.Length];
        var norm = new BlockNormalization(blocks, BlockScaling.PerSpectrum);

        norm.Apply(x, tx, N);
        norm.Apply(y, ty, N);

        for (int i = 0; i < tx.Length; i++)
        {
            Assert.Equal(tx[i], ty[i], 1e-5f);
        }
    }

    [Theory]
    [InlineData(BlockScaling.GlobalScale)]
    [InlineData(BlockScaling.PerSpectrum)]
    public void Apply_SquaredDistances_WeightTheBlocksByTheirWeights(BlockScaling scaling)
    {
        double[] w = [0.8, 0.2];
        var blocks = new SpectralBlocks(["V L", "O K"], [E1, E2], w);
        float[] x = Spectra(3), t = new float[x.Length];
        BlockNormalization norm = BlockNormalization.Fit(blocks, scaling, x, []);
        norm.Apply(x, t, N);

        // Double-precision oracle: ‖T(p) − T(q)‖² = Σ_b B·w_b ‖u_b(p) − u_b(q)‖², u_b the block scaled on its own.
        double[] Unit(int row, int b)
        {
            double[] v = [.. Enumerable.Range(blocks.Starts[b], blocks.Counts[b]).Select(j => (double)x[(row * E) + j])];
            if (scaling == BlockScaling.GlobalScale)
            {
                return [.. v.Select(a => a / norm.Scales[b])];
            }

            double mean = v.Average(), sd = Math.Sqrt(v.Select(a => (a - mean) * (a - mean)).Average());
            return [.. v.Select(a => (a - mean) / sd)];
        }

        for (int p = 0; p < 5; p++)
        {
            int q = p + 11;
            double expected = 0;
            for (int b = 0; b < 2; b++)
            {
                double[] up = Unit(p, b), uq = Unit(q, b);
                expected += 2 * w[b] * up.Zip(uq, (a, c) => (a - c) * (a - c)).Sum();
            }

            double actual = Enumerable.Range(0, E).Sum(j => Math.Pow(t[(p * E) + j] - (double)t[(q * E) + j], 2));
            Assert.Equal(expected, actual, expected * 1e-5);
        }
    }

    [Fact]
    public void Invert_GlobalScale_ReturnsTheInput()
    {
        var blocks = new SpectralBlocks(["V L", "O K"], [E1, E2], [0.6, 0.4]);
        float[] x = Spectra(4), t = new float[x.Length];
        BlockNormalization norm = BlockNormalization.Fit(blocks, BlockScaling.GlobalScale, x, []);

        norm.Apply(x, t, N);
        norm.Invert(t, N);

        for (int i = 0; i < x.Length; i++)
        {
            Assert.Equal(x[i], t[i], 1e-5f);
        }
    }

    [Fact]
    public void Constructor_BadScale_ThrowsNamingTheBlock()
    {
        var ex = Assert.Throws<ArgumentException>(
            () => new BlockNormalization(new SpectralBlocks(["V L", "O K"], [E1, E2]), BlockScaling.GlobalScale, [1.0, 0.0]));

        Assert.Contains("1 (O K)", ex.Message, StringComparison.Ordinal);
    }
}
