namespace StxmPhase.Spectra.Tests.Calibration;

/// <summary><see cref="SpectralBackground"/>: basis, energy shift and projection against a double-precision least-squares oracle.</summary>
public class SpectralBackgroundTests
{
    private static readonly EnergyAxis s_axis = new([512.0, 514, 515, 516, 517, 518.5, 520, 523]);

    private static ReferenceSpectra Carbon()
    {
        double[] grid = [.. Enumerable.Range(0, 201).Select(i => 508.0 + (0.1 * i))];
        return new ReferenceSpectra(new EnergyAxis(grid), ["carbon"], [.. grid.Select(x => 0.2 + Math.Exp(-0.5 * Math.Pow((x - 517.3) / 0.9, 2)))]);
    }

    [Fact]
    public void Basis_LinearAndSpectrum_CentredSlopeThenResampledSpectrum()
    {
        var background = new SpectralBackground(linear: true, Carbon());

        double[] basis = background.Basis(s_axis);

        Assert.Equal(2, background.ComponentCount);
        double mean = s_axis.AsSpan().ToArray().Average();
        for (int e = 0; e < s_axis.Count; e++)
        {
            Assert.Equal((s_axis[e] - mean) / (523.0 - 512.0), basis[e], 12);
            Assert.Equal(0.2 + Math.Exp(-0.5 * Math.Pow((s_axis[e] - 517.3) / 0.9, 2)), basis[s_axis.Count + e], 2);
        }
    }

    [Fact]
    public void OnAxis_Offset_ReadsTheSpectrumAtEPlusOffset()
    {
        var background = new SpectralBackground(linear: false, Carbon());

        double[] shifted = background.OnAxis(s_axis, 0.4).Basis(s_axis);
        double[] reference = background.Basis(new EnergyAxis([.. s_axis.AsSpan().ToArray().Select(e => e + 0.4)]));

        Assert.Equal(reference, shifted);
    }

    [Fact]
    public void ProjectOut_Stack_MatchesLeastSquaresResidualAndIgnoresAddedBackground()
    {
        var background = new SpectralBackground(linear: true, Carbon());
        double[] g = background.Basis(s_axis);
        int m = s_axis.Count, n = 12;
        var rng = new Random(5);
        float[] data = new float[m * n];
        float[] withLayer = new float[m * n];
        for (int p = 0; p < n; p++)
        {
            double amount = 2 * rng.NextDouble(), slope = rng.NextDouble() - 0.5;
            for (int e = 0; e < m; e++)
            {
                data[(e * n) + p] = (float)(rng.NextDouble() + 0.5);
                withLayer[(e * n) + p] = (float)(data[(e * n) + p] + 0.3 + (slope * g[e]) + (amount * g[m + e]));
            }
        }

        SpectralStack projected = background.ProjectOut(new SpectralStack(s_axis, 4, 3, data));
        SpectralStack projectedLayer = background.ProjectOut(new SpectralStack(s_axis, 4, 3, withLayer));

        double[][] columns = [[.. Enumerable.Repeat(1.0, m)], g[..m], g[m..]];
        for (int p = 0; p < n; p++)
        {
            double[] expected = NormalEquationsOracle.Residual([.. Enumerable.Range(0, m).Select(e => (double)data[(e * n) + p])], columns);
            for (int e = 0; e < m; e++)
            {
                Assert.Equal(expected[e], projected.Plane(e)[p], 2e-5);
                Assert.Equal(expected[e], projectedLayer.Plane(e)[p], 2e-5);
            }
        }
    }

    [Fact]
    public void ProjectOut_References_MatchesLeastSquaresResidual()
    {
        var background = new SpectralBackground(linear: true, Carbon());
        var refs = new ReferenceSpectra(s_axis, ["a", "b"], [1.0, 2, 3, 5, 4, 2, 1, 1, 0.5, 0.5, 0.7, 2, 3, 2.5, 2, 1]);
        double[] g = background.Basis(s_axis);
        int m = s_axis.Count;

        ReferenceSpectra projected = background.ProjectOut(refs);

        for (int k = 0; k < 2; k++)
        {
            double[] expected = NormalEquationsOracle.Residual(refs.Spectrum(k).ToArray(), [[.. Enumerable.Repeat(1.0, m)], g[..m], g[m..]]);
            for (int e = 0; e < m; e++)
            {
                Assert.Equal(expected[e], projected.Spectrum(k)[e], 10);
            }
        }
    }

    [Fact]
    public void Constructor_MoreThanMaxSpectra_Throws()
    {
        var four = new ReferenceSpectra(s_axis, ["a", "b", "c", "d"], new double[4 * s_axis.Count]);

        ArgumentException ex = Assert.Throws<ArgumentException>(() => new SpectralBackground(linear: false, four));
        Assert.Contains("at most 3", ex.Message, StringComparison.Ordinal);
    }
}
