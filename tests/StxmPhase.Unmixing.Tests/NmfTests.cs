using System.Text.Json;

namespace StxmPhase.Unmixing.Tests;

public class NmfTests
{
    /// <summary>V5: X[i][j] = 1 + ((3i + 5j) mod 7), 8 × 6.</summary>
    internal static double[] V5Matrix()
    {
        double[] x = new double[48];
        for (int i = 0; i < 8; i++)
        {
            for (int j = 0; j < 6; j++)
            {
                x[(i * 6) + j] = 1 + (((3 * i) + (5 * j)) % 7);
            }
        }

        return x;
    }

    [Theory]
    [InlineData(NmfInitialization.Nndsvd, "nndsvd")]
    [InlineData(NmfInitialization.NndsvdA, "nndsvda")]
    public void Initialize_V5_MatchesSklearn(NmfInitialization init, string key)
    {
        JsonElement root = TestData.Load("nmf_sklearn.json");
        NmfFactors f = new Nmf(new NmfOptions { ComponentCount = 3, Initialization = init }).Initialize(V5Matrix(), 8, 6);
        TestData.AllClose(TestData.Matrix(root.GetProperty(key).GetProperty("W")), f.W, 1e-9, 1e-12, "W0");
        TestData.AllClose(TestData.Matrix(root.GetProperty(key).GetProperty("H")), f.H, 1e-9, 1e-12, "H0");
    }

    [Fact]
    public void Initialize_V5Nndsvd_MatchesDocumentedDigits()
    {
        NmfFactors f = new Nmf(new NmfOptions { ComponentCount = 3, Initialization = NmfInitialization.Nndsvd }).Initialize(V5Matrix(), 8, 6);
        TestData.Close(2.0006429184, f.W[0], 1e-10);
        TestData.Close(1.6381648425, f.W[(3 * 3) + 2], 1e-10);
        TestData.Close(2.2280481203, f.H[5], 1e-10);
        Assert.Equal(0.0, f.H[6 + 1]);
    }

    [Theory]
    [InlineData(1, 13.1558847017)]
    [InlineData(2, 11.038870081)]
    [InlineData(10, 7.72558659376)]
    [InlineData(100, 7.32374004938)]
    public void Fit_V5HalsWFirst_ReconstructionErrorMatchesSklearn(int iterations, double documented)
    {
        JsonElement root = TestData.Load("nmf_sklearn.json");
        NmfResult r = new Nmf(new NmfOptions { ComponentCount = 3, Tolerance = 0, MaxIterations = iterations }).Fit(V5Matrix(), 8, 6);
        double expected = root.GetProperty("cd_errors")
            .GetProperty(iterations.ToString(System.Globalization.CultureInfo.InvariantCulture)).GetDouble();
        TestData.Close(expected, r.ReconstructionError, 1e-9);
        TestData.Close(documented, r.ReconstructionError, 1e-10);
        Assert.Equal(iterations, r.Iterations);
        Assert.False(r.Converged);
        TestData.Close(0.5 * expected * expected, r.ObjectiveHistory[^1], 1e-9);
    }

    [Fact]
    public void Fit_V5After10Iterations_HMatchesSklearn()
    {
        JsonElement root = TestData.Load("nmf_sklearn.json");
        NmfResult r = new Nmf(new NmfOptions { ComponentCount = 3, Tolerance = 0, MaxIterations = 10 }).Fit(V5Matrix(), 8, 6);
        TestData.AllClose(TestData.Matrix(root.GetProperty("H_after_10")), r.H, 1e-9, 1e-10, "H");
        TestData.AllClose(TestData.Matrix(root.GetProperty("W_after_10")), r.W, 1e-9, 1e-10, "W");
    }

    [Fact]
    public void Fit_V5Tolerance1e4_StopsAt96LikeSklearn()
    {
        NmfResult r = new Nmf(new NmfOptions { ComponentCount = 3 }).Fit(V5Matrix(), 8, 6);
        Assert.Equal(96, r.Iterations);
        Assert.True(r.Converged);
        TestData.Close(7.32376624987, r.ReconstructionError, 1e-10);
    }

    [Fact]
    public void Fit_V5_ObjectiveIsMonotone()
    {
        NmfResult r = new Nmf(new NmfOptions { ComponentCount = 3, Tolerance = 0, MaxIterations = 60 }).Fit(V5Matrix(), 8, 6);
        for (int i = 1; i < r.ObjectiveHistory.Count; i++)
        {
            Assert.True(r.ObjectiveHistory[i] <= r.ObjectiveHistory[i - 1] * (1 + 1e-12), $"iteration {i + 1} increased the objective");
        }
    }

    [Fact]
    public void Fit_RandomCaseNndsvd_MatchesSklearn()
    {
        JsonElement c = TestData.Load("nmf_sklearn.json").GetProperty("random_case");
        double[] x = TestData.Matrix(c.GetProperty("X"), out int m, out int n);
        var baseOptions = new NmfOptions { ComponentCount = 4, Initialization = NmfInitialization.Nndsvd, Tolerance = 0 };
        NmfFactors f = new Nmf(baseOptions).Initialize(x, m, n);
        TestData.AllClose(TestData.Matrix(c.GetProperty("nndsvd").GetProperty("W")), f.W, 1e-9, 1e-12, "W0");
        foreach (int t in new[] { 1, 5, 50 })
        {
            NmfResult r = new Nmf(new NmfOptions { ComponentCount = 4, Initialization = NmfInitialization.Nndsvd, Tolerance = 0, MaxIterations = t })
                .Fit(x, m, n);
            TestData.Close(c.GetProperty($"err_{t}").GetDouble(), r.ReconstructionError, 1e-9, 0, $"err {t}");
            if (t == 5)
            {
                TestData.AllClose(TestData.Matrix(c.GetProperty("H_after_5")), r.H, 1e-8, 1e-10, "H5");
            }
        }
    }

    [Fact]
    public void Fit_Regularised_MatchesSklearn()
    {
        JsonElement c = TestData.Load("nmf_sklearn.json").GetProperty("random_case");
        double[] x = TestData.Matrix(c.GetProperty("X"), out int m, out int n);
        JsonElement reg = c.GetProperty("reg");
        NmfResult r = new Nmf(new NmfOptions
        {
            ComponentCount = 4, Initialization = NmfInitialization.Nndsvd, Tolerance = 0, MaxIterations = 20,
            AlphaW = reg.GetProperty("alpha_W").GetDouble(), L1Ratio = reg.GetProperty("l1_ratio").GetDouble(),
        }).Fit(x, m, n);
        TestData.Close(reg.GetProperty("err").GetDouble(), r.ReconstructionError, 1e-9);
        TestData.AllClose(TestData.Matrix(reg.GetProperty("H")), r.H, 1e-8, 1e-10, "H");
    }

    [Fact]
    public void Fit_ComponentCountAboveMinDimension_Throws()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new Nmf(new NmfOptions { ComponentCount = 7 }).Fit(V5Matrix(), 8, 6));
        Assert.Equal("options", ex.ParamName);
        Assert.Contains("7", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Fit_NegativeValues_ClippedAndCountedOrShiftedOrThrown()
    {
        double[] x = V5Matrix();
        x[3] = -0.5;
        x[10] = -2;
        NmfResult clip = new Nmf(new NmfOptions { ComponentCount = 2, MaxIterations = 5 }).Fit(x, 8, 6);
        Assert.Equal(2, clip.ClippedCount);
        Assert.Equal(0.0, clip.Shift);
        NmfResult shift = new Nmf(new NmfOptions { ComponentCount = 2, MaxIterations = 5, NegativeValues = NegativeValueHandling.SubtractMinimum })
            .Fit(x, 8, 6);
        Assert.Equal(2.0, shift.Shift);
        Assert.Equal(0, shift.ClippedCount);
        var ex = Assert.Throws<ArgumentException>(() => new Nmf(new NmfOptions { ComponentCount = 2, NegativeValues = NegativeValueHandling.Throw })
            .Fit(x, 8, 6));
        Assert.Contains("row 0, column 3", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Fit_NaN_ThrowsNamingPosition()
    {
        double[] x = V5Matrix();
        x[13] = double.NaN;
        var ex = Assert.Throws<ArgumentException>(() => new Nmf().Fit(x, 8, 6));
        Assert.Contains("row 2, column 1", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Fit_ReportsProgressEveryIteration()
    {
        var reports = new List<NmfProgress>();
        NmfResult r = new Nmf(new NmfOptions { ComponentCount = 3, Tolerance = 0, MaxIterations = 7 })
            .Fit(V5Matrix(), 8, 6, new SyncProgress<NmfProgress>(reports.Add));
        Assert.Equal(Enumerable.Range(1, 7), reports.Select(p => p.Iteration));
        Assert.Equal(r.ObjectiveHistory, reports.Select(p => p.Objective));
    }

    [Fact]
    public void Fit_RelativeObjectiveRule_StopsEarlierThanCap()
    {
        var options = new NmfOptions
        {
            ComponentCount = 3, StoppingRule = NmfStoppingRule.RelativeObjectiveChange, Tolerance = 1e-6, MaxIterations = 500,
        };
        NmfResult r = new Nmf(options).Fit(V5Matrix(), 8, 6);
        Assert.True(r.Converged);
        Assert.True(r.Iterations < 500);
        double last = r.ObjectiveHistory[^1], prev = r.ObjectiveHistory[^2];
        Assert.True(prev - last <= 1e-6 * prev);
    }

    [Fact]
    public void Fit_Cancelled_Throws()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => new Nmf(new NmfOptions { ComponentCount = 3 }).Fit(V5Matrix(), 8, 6, null, cts.Token));
    }

    [Fact]
    public void RandomizedFit_ExactQb_EqualsHalsHFirst()
    {
        var rng = new Random(1);
        int m = 300, n = 12;
        double[] x = LowRankPlusNoise(rng, m, n, 4, 0.01);
        var o = new NmfOptions { ComponentCount = 4, Tolerance = 0, MaxIterations = 30, UpdateOrder = NmfUpdateOrder.HFirst };
        NmfResult hals = new Nmf(o).Fit(x, m, n);
        NmfResult rnmf = new RandomizedNmf(o, new RandomizedNmfOptions { Oversampling = 10 }).Fit(x, m, n);
        Assert.Equal(n, rnmf.SketchSize);
        TestData.AllClose(hals.H, rnmf.H, 1e-8, 1e-10, "H");
        TestData.AllClose(hals.W, rnmf.W, 1e-8, 1e-10, "W");
        TestData.AllClose(hals.ObjectiveHistory.ToArray(), rnmf.ObjectiveHistory.ToArray(), 1e-8, 0, "objective");
    }

    [Fact]
    public void RandomizedFit_WideInput_ReturnsFactorsInInputOrientation()
    {
        var rng = new Random(2);
        double[] x = LowRankPlusNoise(rng, 10, 200, 3, 0.0);
        NmfResult r = new RandomizedNmf(new NmfOptions { ComponentCount = 3, MaxIterations = 200, Tolerance = 1e-6 }).Fit(x, 10, 200);
        Assert.Equal(10 * 3, r.W.Length);
        Assert.Equal(3 * 200, r.H.Length);
        Assert.True(r.RelativeError < 0.02, $"relative error {r.RelativeError}");
    }

    [Fact]
    public void RandomizedFit_SketchedTallMatrix_ApproachesHalsError()
    {
        var rng = new Random(3);
        int m = 1000, n = 80;
        double[] x = LowRankPlusNoise(rng, m, n, 5, 0.01);
        var o = new NmfOptions { ComponentCount = 5, Tolerance = 1e-5, MaxIterations = 200 };
        NmfResult hals = new Nmf(o).Fit(x, m, n);
        NmfResult rnmf = new RandomizedNmf(o, new RandomizedNmfOptions { Oversampling = 10, PowerIterations = 2 }).Fit(x, m, n);
        Assert.Equal(15, rnmf.SketchSize);
        Assert.True(rnmf.RelativeError < hals.RelativeError * 1.05, $"rnmf {rnmf.RelativeError} vs hals {hals.RelativeError}");
        Assert.All(rnmf.W.ToArray(), v => Assert.True(v >= 0));
    }

    internal static double[] LowRankPlusNoise(Random rng, int m, int n, int rank, double noise)
    {
        double[] a = new double[m * rank];
        double[] b = new double[rank * n];
        for (int i = 0; i < a.Length; i++)
        {
            a[i] = rng.NextDouble();
        }

        for (int i = 0; i < b.Length; i++)
        {
            b[i] = rng.NextDouble();
        }

        double[] x = new double[m * n];
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double v = 0;
                for (int t = 0; t < rank; t++)
                {
                    v += a[(i * rank) + t] * b[(t * n) + j];
                }

                x[(i * n) + j] = v + (noise * rng.NextDouble());
            }
        }

        return x;
    }
}

/// <summary>An IProgress that reports synchronously (Progress&lt;T&gt; posts to the thread pool).</summary>
internal sealed class SyncProgress<T>(Action<T> action) : IProgress<T>
{
    public void Report(T value) => action(value);
}
