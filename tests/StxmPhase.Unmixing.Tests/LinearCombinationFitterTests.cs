using System.Text.Json;
using MathNet.Numerics.LinearAlgebra;
using StxmPhase.Spectra;

namespace StxmPhase.Unmixing.Tests;

public class LinearCombinationFitterTests
{
    internal static readonly EnergyAxis s_axis13 = new(Enumerable.Range(0, 13).Select(i => 280.0 + i));

    internal static ReferenceSpectra V0Refs() =>
        new(s_axis13, new[] { "r0", "r1", "r2", "r3", "r4" }, TestData.V0References);

    /// <summary>A width × 1 stack whose pixels are the given spectra.</summary>
    internal static SpectralStack StackOf(double[][] pixels, int width = -1, int height = 1)
    {
        if (width < 0)
        {
            width = pixels.Length;
        }

        int n = width * height;
        float[] data = new float[13 * n];
        for (int p = 0; p < pixels.Length; p++)
        {
            for (int k = 0; k < 13; k++)
            {
                data[(k * n) + p] = (float)pixels[p][k];
            }
        }

        return new SpectralStack(s_axis13, width, height, data);
    }

    private static (double[][] Pixels, JsonElement Root) Variants()
    {
        JsonElement root = TestData.Load("lcf_variants.json");
        // The float64 pixels are compared with SciPy through the internal per-pixel solver; stack-level tests round
        // the pixels to float32 first and compare with Nnls.Solve on the rounded values.
        double[][] pixels = root.GetProperty("pixels").EnumerateArray().Select(TestData.Vector).ToArray();
        return (pixels, root);
    }

    [Theory]
    [InlineData(OffsetMode.None, false, "none")]
    [InlineData(OffsetMode.Free, false, "free_offset")]
    [InlineData(OffsetMode.NonNegative, false, "nonnegative_offset")]
    [InlineData(OffsetMode.None, true, "sum_to_one")]
    public void Fit_VariantsOnFloat64Pixels_MatchScipy(OffsetMode offset, bool sumToOne, string key)
    {
        (double[][] pixels, JsonElement root) = Variants();
        double[][] expected = root.GetProperty(key).EnumerateArray().Select(TestData.Vector).ToArray();
        var options = new LinearCombinationFitOptions { Offset = offset, SumToOne = sumToOne };
        var system = new LinearCombinationFitter.LcfSystem(V0Refs(), options);
        var state = new LinearCombinationFitter.LcfBlockState(system, 13);
        for (int i = 0; i < pixels.Length; i++)
        {
            system.SolvePixel(pixels[i], state, out double c, out _, out _);
            double scale = Math.Max(expected[i].Max(Math.Abs), 1e-3);
            for (int p = 0; p < 5; p++)
            {
                TestData.Close(expected[i][p], state.Coefficients[p], 1e-8, 1e-9 * scale, $"{key} pixel {i} weight {p}");
            }

            if (offset != OffsetMode.None)
            {
                TestData.Close(expected[i][5], c, 1e-8, 1e-9 * scale, $"{key} pixel {i} offset");
            }
        }
    }

    [Fact]
    public void Fit_StackWithInvalidAndMaskedPixels_ReportsMapsAndCounts()
    {
        (double[][] pixels, _) = Variants();
        var all = pixels.ToList();
        double[] nanPixel = (double[])pixels[0].Clone();
        nanPixel[4] = double.NaN;
        all.Add(nanPixel);
        all.Add(pixels[1]);
        SpectralStack stack = StackOf(all.ToArray());
        bool[] maskValues = Enumerable.Repeat(true, all.Count).ToArray();
        maskValues[^1] = false;
        var mask = PixelMask.FromArray(all.Count, 1, maskValues);

        LinearCombinationFitResult fit = new LinearCombinationFitter().Fit(stack, V0Refs(), mask);

        Assert.Equal(1, fit.InvalidCount);
        Assert.Equal(1, fit.MaskedCount);
        Assert.Equal(PixelStatus.Invalid, fit.Status[11]);
        Assert.Equal(PixelStatus.Masked, fit.Status[12]);
        Assert.Equal(PhaseMap.Unassigned, fit.PhaseMap.Labels[11]);
        Assert.Equal(PhaseMap.Unassigned, fit.PhaseMap.Labels[12]);
        Assert.Equal(0.0, fit.Weight(0, 11));

        // Pixel 10 is −r1 (V6c): all weights 0 → unassigned, R-factor 1.
        Assert.Equal(PhaseMap.Unassigned, fit.PhaseMap.Labels[10]);
        Assert.Equal(1, fit.ZeroWeightCount);
        TestData.Close(1.0, fit.RFactors[10], 1e-12);
        TestData.Close(1.8989470766717012, fit.ResidualNorms[10], 1e-6);

        // Every other pixel: weights equal a float32-input NNLS solve, label = argmax, residual consistent.
        double[] x = new double[5];
        for (int i = 0; i < 10; i++)
        {
            double[] b = pixels[i].Select(v => (double)(float)v).ToArray();
            NnlsSolution s = Nnls.Solve(NnlsTests.ReferencesAsColumns(), 13, 5, b, x);
            for (int p = 0; p < 5; p++)
            {
                TestData.Close(x[p], fit.Weight(p, i), 1e-9, 1e-12, $"pixel {i} phase {p}");
            }

            int argmax = x.Max() > 0 ? Array.IndexOf(x, x.Max()) : -1;
            Assert.Equal(argmax, fit.PhaseMap.Labels[i]);
            TestData.Close(s.ResidualNorm, fit.ResidualNorms[i], 1e-9, 1e-14);
            TestData.Close(s.ResidualNorm * s.ResidualNorm / b.Sum(v => v * v), fit.RFactors[i], 1e-9, 1e-15);
        }

        Assert.True(fit.ConditionNumber > 100 && fit.ConditionNumber < 200, $"cond = {fit.ConditionNumber}");
    }

    [Fact]
    public void Fit_UnconstrainedWithFreeOffset_MatchesOrdinaryLeastSquares()
    {
        (double[][] pixels, _) = Variants();
        SpectralStack stack = StackOf(pixels);
        var ols = new LinearCombinationFitter(new LinearCombinationFitOptions { NonNegative = false, Offset = OffsetMode.Free });
        LinearCombinationFitResult fit = ols.Fit(stack, V0Refs(), null);
        Matrix<double> a = Matrix<double>.Build.Dense(13, 6, (i, j) => j < 5 ? TestData.V0References[(j * 13) + i] : 1.0);
        for (int i = 0; i < pixels.Length; i++)
        {
            Vector<double> b = Vector<double>.Build.Dense(pixels[i].Select(v => (double)(float)v).ToArray());
            Vector<double> sol = a.QR().Solve(b);
            for (int p = 0; p < 5; p++)
            {
                TestData.Close(sol[p], fit.Weight(p, i), 1e-8, 1e-8);
            }

            TestData.Close(sol[5], fit.Offsets[i], 1e-8, 1e-8);
        }
    }

    [Fact]
    public void Fit_ManyBlocks_IndependentOfParallelism()
    {
        var rng = new Random(3);
        int w = 97, h = 83; // 8051 px: two blocks, ragged
        double[][] pixels = new double[w * h][];
        for (int i = 0; i < pixels.Length; i++)
        {
            double[] a = Enumerable.Range(0, 5).Select(_ => rng.NextDouble() * (rng.NextDouble() > 0.5 ? 1 : 0)).ToArray();
            pixels[i] = Enumerable.Range(0, 13)
                .Select(k => Enumerable.Range(0, 5).Sum(p => a[p] * TestData.V0References[(p * 13) + k]) +
                    (0.01 * (rng.NextDouble() - 0.5))).ToArray();
        }

        SpectralStack stack = StackOf(pixels, w, h);
        LinearCombinationFitResult one = new LinearCombinationFitter(new LinearCombinationFitOptions { MaxDegreeOfParallelism = 1 })
            .Fit(stack, V0Refs(), null);
        LinearCombinationFitResult many = new LinearCombinationFitter().Fit(stack, V0Refs());
        Assert.True(one.Weights.SequenceEqual(many.Weights));
        Assert.True(one.PhaseMap.Labels.SequenceEqual(many.PhaseMap.Labels));
        Assert.Equal(0, many.NonConvergedCount);
        Assert.Equal(w * h, many.Status.Length);
    }

    [Fact]
    public void Fit_SumToOne_WeightsSumToOne()
    {
        (double[][] pixels, _) = Variants();
        LinearCombinationFitResult fit = new LinearCombinationFitter(new LinearCombinationFitOptions { SumToOne = true })
            .Fit(StackOf(pixels), V0Refs(), null);
        for (int i = 0; i < pixels.Length; i++)
        {
            double sum = Enumerable.Range(0, 5).Sum(p => fit.Weight(p, i));
            TestData.Close(1.0, sum, 1e-4);
        }
    }

    [Fact]
    public void Fit_ReferencesOnOtherEnergies_ThrowsIncompatibleEnergies()
    {
        var shifted = new EnergyAxis(Enumerable.Range(0, 13).Select(i => 280.5 + i));
        var refs = new ReferenceSpectra(shifted, new[] { "a", "b", "c", "d", "e" }, TestData.V0References);
        SpectralStack stack = StackOf(new[] { TestData.V0References[..13] });
        var ex = Assert.Throws<IncompatibleEnergiesException>(() => new LinearCombinationFitter().Fit(stack, refs));
        Assert.Equal(280.0, ex.EnergyEv);
    }

    [Fact]
    public void Fit_MaskOfOtherSize_ThrowsIncompatibleInput()
    {
        SpectralStack stack = StackOf(new[] { TestData.V0References[..13], TestData.V0References[..13] });
        Assert.Throws<IncompatibleInputException>(() => new LinearCombinationFitter().Fit(stack, V0Refs(), PixelMask.Uniform(3, 1)));
    }

    [Fact]
    public void Fit_DependentReferencesUnconstrained_ThrowsArgumentException()
    {
        double[] values = TestData.V0References[..26].Concat(TestData.V0References[..13]).ToArray();
        var refs = new ReferenceSpectra(s_axis13, new[] { "a", "b", "a2" }, values);
        SpectralStack stack = StackOf(new[] { TestData.V0References[..13] });
        Assert.Throws<ArgumentException>(() => new LinearCombinationFitter(new LinearCombinationFitOptions { NonNegative = false })
            .Fit(stack, refs, null));
        LinearCombinationFitResult nn = new LinearCombinationFitter().Fit(stack, refs);
        Assert.Equal(0, nn.NonConvergedCount);
        TestData.Close(0.0, nn.ResidualNorms[0], 0, 1e-6); // float32 rounding of the pixel
    }

    [Fact]
    public void Fit_Cancelled_Throws()
    {
        SpectralStack stack = StackOf(new[] { TestData.V0References[..13] });
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => new LinearCombinationFitter().Fit(stack, V0Refs(), null, cts.Token));
    }
}
