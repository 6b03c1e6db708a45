namespace StxmPhase.Spectra.Tests.Calibration;

/// <summary><see cref="SpectralBackground"/> on a fused two-edge axis: per-edge resampling, per-block projection, missing blocks.</summary>
public class SpectralBackgroundBlockTests
{
    private const int E1 = 6, E2 = 4, M = E1 + E2, W = 4, H = 3;

    private static readonly EnergyAxis s_axis = new([508.0, 512, 515, 516, 517.5, 520, 529, 530.5, 532, 535]);

    private static readonly SpectralBlocks s_blocks = new(["V L", "O K"], [E1, E2]);

    private static ReferenceSpectra Carbon(double from = 500, double to = 540)
    {
        int count = (int)Math.Round((to - from) / 0.1) + 1;
        double[] grid = [.. Enumerable.Range(0, count).Select(i => from + (0.1 * i))];
        double[] values = [.. grid.Select(x => Math.Pow(x / 532, -2.7) + Math.Exp(-0.5 * Math.Pow((x - 532) / 0.8, 2)))];
        return new ReferenceSpectra(new EnergyAxis(grid), ["carbon"], values);
    }

    /// <summary>Per block its constant and its slope (E − Ē_b)/(E_max,b − E_min,b), then the carbon spectrum on the axis.</summary>
    private static double[][] Columns(SpectralBackground background, bool[] has)
    {
        double[] g = Carbon().ResampleTo(s_axis).Spectrum(0).ToArray();
        var columns = new List<double[]>();
        foreach ((int start, int end, int b) in new[] { (0, E1, 0), (E1, M, 1) })
        {
            if (!has[b])
            {
                continue;
            }

            double mean = Enumerable.Range(start, end - start).Average(e => s_axis[e]);
            columns.Add([.. Enumerable.Range(0, M).Select(e => e >= start && e < end ? 1.0 : 0)]);
            if (background.IsLinear)
            {
                double span = s_axis[end - 1] - s_axis[start];
                columns.Add([.. Enumerable.Range(0, M).Select(e => e >= start && e < end ? (s_axis[e] - mean) / span : 0)]);
            }
        }

        columns.Add([.. g.Select((v, e) => has[e < E1 ? 0 : 1] ? v : 0)]);
        return [.. columns];
    }

    [Fact]
    public void OnAxis_Blocks_ReadsEachEdgeAtItsOwnOffset()
    {
        var background = new SpectralBackground(linear: true, Carbon());

        SpectralBackground on = background.OnAxis(s_axis, s_blocks, [0.1, -0.25]);

        Assert.True(on.IsLinear);
        Assert.True(on.Spectra!.Energies.Matches(s_axis));
        for (int b = 0; b < 2; b++)
        {
            EnergyAxis part = s_blocks.BlockEnergies(s_axis, b);
            double[] expected = background.OnAxis(part, b == 0 ? 0.1 : -0.25).Spectra!.Spectrum(0).ToArray();
            Assert.Equal(expected, on.Spectra.Spectrum(0).Slice(s_blocks.Starts[b], s_blocks.Counts[b]).ToArray());
        }
    }

    [Fact]
    public void OnAxis_SpectrumNotCoveringAnEdge_ThrowsNamingTheEdgeAndEnergy()
    {
        var background = new SpectralBackground(linear: false, Carbon(500, 531));

        IncompatibleEnergiesException ex = Assert.Throws<IncompatibleEnergiesException>(() => background.OnAxis(s_axis, s_blocks, null));

        Assert.Contains("edge 'O K'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("532 eV", ex.Message, StringComparison.Ordinal);
        Assert.Equal(532, ex.EnergyEv);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void ProjectOut_Blocks_MatchesPerBlockLeastSquaresResidualAndHandlesMissingBlocks(bool linear)
    {
        var background = new SpectralBackground(linear, Carbon());
        var rng = new Random(linear ? 3 : 4);
        int n = W * H;
        float[] data = new float[M * n];
        for (int i = 0; i < data.Length; i++)
        {
            data[i] = (float)(0.5 + rng.NextDouble());
        }

        // Pixel 5 misses the O K block, pixel 6 the V L block, pixel 7 has one NaN in the O K block (left as it is).
        for (int e = 0; e < M; e++)
        {
            data[(e * n) + 5] = e >= E1 ? float.NaN : data[(e * n) + 5];
            data[(e * n) + 6] = e < E1 ? float.NaN : data[(e * n) + 6];
        }

        data[((E1 + 1) * n) + 7] = float.NaN;
        var stack = new SpectralStack(s_axis, W, H, data);

        SpectralStack projected = background.ProjectOut(stack, s_blocks);

        for (int p = 0; p < n; p++)
        {
            bool[] has = [p != 6, p != 5];
            double[] x = [.. Enumerable.Range(0, M).Select(e => float.IsFinite(data[(e * n) + p]) ? data[(e * n) + p] : 0.0)];
            double[] expected = p == 7
                ? [.. Enumerable.Range(0, M).Select(e => (double)data[(e * n) + p])]
                : NormalEquationsOracle.Residual(x, Columns(background, has));
            for (int e = 0; e < M; e++)
            {
                bool missing = !has[e < E1 ? 0 : 1];
                if (missing || (p == 7 && e == E1 + 1))
                {
                    Assert.True(float.IsNaN(projected.Plane(e)[p]));
                }
                else
                {
                    Assert.Equal(expected[e], projected.Plane(e)[p], 2e-5);
                }
            }
        }
    }

    [Fact]
    public void ProjectOut_OneBlock_EqualsTheSingleBlockProjection()
    {
        var background = new SpectralBackground(linear: true, Carbon());
        var rng = new Random(8);
        float[] data = [.. Enumerable.Range(0, M * W * H).Select(_ => (float)rng.NextDouble())];
        var stack = new SpectralStack(s_axis, W, H, data);
        var refs = new ReferenceSpectra(s_axis, ["a"], [.. Enumerable.Range(0, M).Select(_ => rng.NextDouble())]);
        var one = new SpectralBlocks(["all"], [M]);

        Assert.Equal(background.ProjectOut(stack).Data.ToArray(), background.ProjectOut(stack, one).Data.ToArray());
        Assert.Equal(background.ProjectOut(refs).Values, background.ProjectOut(refs, one).Values);
    }

    [Fact]
    public void ProjectOut_ReferencesWithBlocks_MatchesPerBlockLeastSquaresResidual()
    {
        var background = new SpectralBackground(linear: true, Carbon());
        var rng = new Random(9);
        var refs = new ReferenceSpectra(s_axis, ["a", "b"], [.. Enumerable.Range(0, 2 * M).Select(_ => rng.NextDouble())]);

        ReferenceSpectra projected = background.ProjectOut(refs, s_blocks);

        for (int k = 0; k < 2; k++)
        {
            double[] expected = NormalEquationsOracle.Residual(refs.Spectrum(k).ToArray(), Columns(background, [true, true]));
            for (int e = 0; e < M; e++)
            {
                Assert.Equal(expected[e], projected.Spectrum(k)[e], 10);
            }
        }
    }
}
