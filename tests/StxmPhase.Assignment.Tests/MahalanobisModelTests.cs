using Microsoft.Extensions.Logging;

namespace StxmPhase.Assignment.Tests;

public class MahalanobisModelTests
{
    private static readonly string[] s_names = ["a", "b", "c"];

    [Fact]
    public void Fit_PhaseWithFewerThanDPlusOnePoints_UsesPooledCovarianceAndLogsWarning()
    {
        (LatentSet full, _, _) = AssignerConformance.Blobs(seed: 21, perPhase: 40, spread: 0.5);
        // Keep only 2 points of phase 1.
        int seen = 0;
        int[] keep = Enumerable.Range(0, full.Count).Where(i => full.Labels[i] != 1 || seen++ < 2).ToArray();
        var set = new LatentSet(keep.SelectMany(i => full.Point(i).ToArray()).ToArray(), 3, keep.Select(i => full.Labels[i]).ToArray(),
            full.PhaseNames);
        var logger = new CapturingLogger();

        MahalanobisModel model = new MahalanobisAssigner(logger: logger).Fit(set);

        Assert.Equal(CovarianceSource.Pooled, model.Source(1));
        Assert.Equal(CovarianceSource.Phase, model.Source(0));
        Assert.Equal(2, model.PointCounts[1]);
        var entry = Assert.Single(logger.Entries);
        Assert.Equal(LogLevel.Warning, entry.Level);
        Assert.Contains("'beta'", entry.Message, StringComparison.Ordinal);
        Assert.Contains("2 labelled points", entry.Message, StringComparison.Ordinal);
        Assert.Equal(entry.Message, Assert.Single(model.Warnings));
        // Every other phase of an isotropic blob has a different covariance than the pooled one.
        Assert.NotEqual(model.Covariance(0).ToArray(), model.Covariance(1).ToArray());
    }

    [Fact]
    public void Fit_AllPhasesSinglePoints_FallsBackToSquaredEuclidean()
    {
        var set = new LatentSet([0, 0, 0, 4, 0, 0, 0, 4, 0], 3, [0, 1, 2], s_names);
        MahalanobisModel model = new MahalanobisAssigner().Fit(set);
        int[] phase = new int[2];
        float[] score = new float[2];
        model.Assign([1, 0, 0, 0, 3, 0], 2, phase, score);
        Assert.All(Enumerable.Range(0, 3), c => Assert.Equal(CovarianceSource.Euclidean, model.Source(c)));
        Assert.Equal([0, 2], phase);
        Assert.Equal([1f, 1f], score);
        Assert.Equal(3, model.Warnings.Count);
    }

    [Fact]
    public void Fit_CollinearPhaseWithoutRegularization_FallsBackToPooled()
    {
        // Phase 0 lies on a line (singular S), phase 1 is a full 3-D cloud: with no regularisation phase 0 uses the pooled covariance.
        var pts = new List<float>();
        var labels = new List<int>();
        for (int i = 0; i < 10; i++)
        {
            pts.AddRange([i, 2 * i, -i]);
            labels.Add(0);
        }

        float[][] cloud = [[10, 0, 0], [11, 0.5f, 0.2f], [10.3f, 1, -0.4f], [9.6f, 0.5f, 0.9f], [10.8f, -0.6f, 0.4f], [10.2f, 0.3f, -0.7f]];
        foreach (float[] p in cloud)
        {
            pts.AddRange(p);
            labels.Add(1);
        }

        var set = new LatentSet(pts.ToArray(), 3, labels.ToArray(), ["line", "cloud"]);
        MahalanobisModel none = new MahalanobisAssigner(new MahalanobisOptions { Regularization = CovarianceRegularization.None }).Fit(set);
        Assert.Equal(CovarianceSource.Pooled, none.Source(0));
        Assert.Equal(CovarianceSource.Phase, none.Source(1));
        MahalanobisModel lw = new MahalanobisAssigner().Fit(set);
        Assert.Equal(CovarianceSource.Phase, lw.Source(0));
        Assert.True(lw.Shrinkage(0) > 0);
    }

    [Fact]
    public void Fit_RidgeRegularization_AddsRelativeRidgeToEmpiricalCovariance()
    {
        (LatentSet set, _, _) = AssignerConformance.Blobs(seed: 22, perPhase: 30, spread: 0.7);
        var none = new MahalanobisAssigner(new MahalanobisOptions { Regularization = CovarianceRegularization.None, RidgeFloor = 0 }).Fit(set);
        var ridge = new MahalanobisAssigner(
            new MahalanobisOptions { Regularization = CovarianceRegularization.Ridge, RidgeStrength = 0.1, RidgeFloor = 0 }).Fit(set);
        ReadOnlySpan<double> s = none.Covariance(2);
        ReadOnlySpan<double> r = ridge.Covariance(2);
        double mu = (s[0] + s[4] + s[8]) / 3;
        for (int i = 0; i < 9; i++)
        {
            double expected = s[i] + (i % 4 == 0 ? 0.1 * mu : 0);
            Assert.Equal(expected, r[i], 14);
        }

        Assert.Equal(0.0, ridge.Shrinkage(2));
    }

    [Fact]
    public void FromComponents_DiagonalPrior_GivesWeightedSquaredDistances()
    {
        double[] means = [0, 0, 0, 1, 1, 1];
        double[] covs = [1, 0, 0, 0, 4, 0, 0, 0, 0.25, 2, 0, 0, 0, 2, 0, 0, 0, 2];
        MahalanobisModel model = MahalanobisModel.FromComponents(means, covs, 3, ["k0", "k1"], new MahalanobisOptions { RidgeFloor = 0 });
        double[] d2 = new double[2];
        model.SquaredDistances([1f, 2f, 0.5f], 1, d2);
        Assert.Equal(1 + 1 + 1, d2[0], 12);            // 1/1 + 4/4 + 0.25/0.25
        Assert.Equal((0 + 1 + 0.25) / 2, d2[1], 12);   // (0 + 1 + 0.25)/2
        Assert.Equal(CovarianceSource.Component, model.Source(1));
        int[] phase = new int[1];
        float[] score = new float[1];
        model.Assign([1f, 2f, 0.5f], 1, phase, score);
        Assert.Equal(1, phase[0]);
        Assert.Equal(0.625f, score[0]);
    }

    [Fact]
    public void FromComponents_FullCovariance_MatchesExplicitInverse()
    {
        // Σ = LLᵀ with L = [[1,0,0],[0.3,0.8,0],[−0.2,0.1,0.5]] (algorithms.md V7); D² = δᵀΣ⁻¹δ by explicit inverse.
        double[,] l = { { 1, 0, 0 }, { 0.3, 0.8, 0 }, { -0.2, 0.1, 0.5 } };
        double[] sigma = new double[9];
        for (int i = 0; i < 3; i++)
        {
            for (int j = 0; j < 3; j++)
            {
                for (int k = 0; k < 3; k++)
                {
                    sigma[(i * 3) + j] += l[i, k] * l[j, k];
                }
            }
        }

        var inv = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.DenseOfRowMajor(3, 3, sigma).Inverse();
        MahalanobisModel model = MahalanobisModel.FromComponents([0, 1, 0], sigma, 3, ["k"], new MahalanobisOptions { RidgeFloor = 0 });
        float[] z = [0.36f, -0.43f, 0.76f];
        var delta = MathNet.Numerics.LinearAlgebra.Vector<double>.Build.DenseOfArray([z[0] - 0.0, z[1] - 1.0, z[2] - 0.0]);
        double expected = delta * (inv * delta);
        double[] d2 = new double[1];
        model.SquaredDistances(z, 1, d2);
        Assert.Equal(expected, d2[0], 10);
    }

    [Fact]
    public void FromComponents_NotPositiveDefinite_ThrowsNamingComponent()
    {
        double[] covs = [1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 0, 0, 0, -1, 0, 0, 0, 1];
        var ex = Assert.Throws<ArgumentException>(() => MahalanobisModel.FromComponents(new double[6], covs, 3, ["k0", "k1"]));
        Assert.Contains("component 1", ex.Message, StringComparison.Ordinal);
        Assert.Equal("covariances", ex.ParamName);
    }

    [Fact]
    public void FromComponents_AsymmetricOrWrongLength_Throws()
    {
        double[] asym = [1, 0.5, 0, 0, 1, 0, 0, 0, 1];
        Assert.Contains(
            "not symmetric",
            Assert.Throws<ArgumentException>(() => MahalanobisModel.FromComponents(new double[3], asym, 3, ["k"])).Message,
            StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => MahalanobisModel.FromComponents(new double[4], new double[9], 3, ["k"]));
        Assert.Throws<ArgumentException>(() => MahalanobisModel.FromComponents([double.NaN, 0, 0], [1, 0, 0, 0, 1, 0, 0, 0, 1], 3, ["k"]));
    }

    [Fact]
    public void Options_OutOfRange_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new MahalanobisAssigner(new MahalanobisOptions { RidgeFloor = -1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MahalanobisAssigner(new MahalanobisOptions { RidgeStrength = double.NaN }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MahalanobisAssigner(new MahalanobisOptions { MaxDegreeOfParallelism = 0 }));
    }

    [Fact]
    public void Assign_WrongLengthOrShortDestination_ThrowsArgumentException()
    {
        (LatentSet set, _, _) = AssignerConformance.Blobs(seed: 23, perPhase: 10, spread: 0.5);
        MahalanobisModel model = new MahalanobisAssigner().Fit(set);
        Assert.Equal("points", Assert.Throws<ArgumentException>(() => model.Assign(new float[8], 3, new int[3], new float[3])).ParamName);
        Assert.Equal("phase", Assert.Throws<ArgumentException>(() => model.Assign(new float[9], 3, new int[2], new float[3])).ParamName);
        Assert.Equal("score", Assert.Throws<ArgumentException>(() => model.Assign(new float[9], 3, new int[3], new float[2])).ParamName);
        Assert.Equal("destination", Assert.Throws<ArgumentException>(() => model.PhaseCosts(new float[9], 3, new float[14])).ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => model.Assign([], -1, [], []));
        Assert.Throws<ArgumentOutOfRangeException>(() => model.Mean(5));
    }

    [Fact]
    public void Assign_LargeBatchParallel_EqualsScalarDoubleOracle()
    {
        (LatentSet set, _, _) = AssignerConformance.Blobs(seed: 24, perPhase: 100, spread: 1.5);
        MahalanobisModel model = new MahalanobisAssigner().Fit(set);
        float[] q = AssignerConformance.Queries(seed: 25, count: 5003);
        double[] d2 = new double[5003 * 5];
        model.SquaredDistances(q, 5003, d2);
        for (int c = 0; c < 5; c++)
        {
            var inv = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.DenseOfRowMajor(3, 3, model.Covariance(c).ToArray()).Inverse();
            for (int i = 0; i < 5003; i += 97)
            {
                var delta = MathNet.Numerics.LinearAlgebra.Vector<double>.Build.Dense(3, j => q[(i * 3) + j] - model.Mean(c)[j]);
                double expected = delta * (inv * delta);
                Assert.True(Math.Abs(expected - d2[(i * 5) + c]) <= 1e-10 * Math.Max(1, expected),
                    $"point {i} phase {c}: {expected} vs {d2[(i * 5) + c]}");
            }
        }
    }
}
