namespace StxmPhase.Assignment.Tests;

/// <summary>
/// The Gaussian class log-likelihood rule (QDA) of <see cref="MahalanobisModel"/> against a double-precision oracle
/// written out here: biased covariance, explicit inverse and determinant (2×2 closed form, 3×3 adjugate), priors n_c/n.
/// </summary>
public class MahalanobisRuleTests
{
    private static readonly MahalanobisOptions s_plain = new() { Regularization = CovarianceRegularization.None, RidgeFloor = 0 };

    [Fact]
    public void PhaseCosts_TwoDimensionalHandComputedGaussians_AreNegativeLogJointAndDifferFromPaperRule()
    {
        // Phase 0: 4 points (±1, ±1): μ = 0, Σ = I. Phase 1: 8 points (4 ± 3, ±1): μ = (4, 0), Σ = diag(9, 1). π = 1/3, 2/3.
        float[] pts =
        [
            1, 1, 1, -1, -1, 1, -1, -1,
            7, 1, 7, -1, 1, 1, 1, -1, 7, 1, 7, -1, 1, 1, 1, -1,
        ];
        int[] labels = [0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1];
        var set = new LatentSet(pts, 2, labels, ["a", "b"]);
        MahalanobisModel qda = new MahalanobisAssigner(s_plain).Fit(set);

        // z = (1.1, 0): D²₀ = 1.21, D²₁ = 2.9²/9; cost = ½D² + ½ln|Σ| − ln π.
        double cost0 = (0.5 * 1.21) - Math.Log(1.0 / 3);
        double cost1 = (0.5 * 2.9 * 2.9 / 9) + (0.5 * Math.Log(9)) - Math.Log(2.0 / 3);
        float[] costs = new float[2];
        qda.PhaseCosts([1.1f, 0], 1, costs);
        Assert.Equal(cost0, costs[0], 1e-5);
        Assert.Equal(cost1, costs[1], 1e-5);
        Assert.Equal(Math.Log(9), qda.LogDeterminant(1), 1e-12);
        Assert.Equal(2.0 / 3, qda.Prior(1), 1e-15);

        // QDA picks phase 0 (cost 1.70 < 1.97); the paper's D² rule picks phase 1 (0.934 < 1.21).
        int[] phase = new int[1];
        float[] score = new float[1];
        qda.Assign([1.1f, 0], 1, phase, score);
        Assert.Equal(0, phase[0]);
        Assert.Equal(1.21, score[0], 1e-5);
        MahalanobisModel paper = new MahalanobisAssigner(
            new MahalanobisOptions { Regularization = CovarianceRegularization.None, RidgeFloor = 0, Rule = MahalanobisRule.SquaredDistance })
            .Fit(set);
        paper.Assign([1.1f, 0], 1, phase, score);
        Assert.Equal(1, phase[0]);
        paper.PhaseCosts([1.1f, 0], 1, costs);
        Assert.Equal(0.5 * 1.21, costs[0], 1e-5);
        Assert.Equal(0.5 * 2.9 * 2.9 / 9, costs[1], 1e-5);
    }

    [Fact]
    public void PhaseCosts_ThreeDimensionalCorrelatedGaussians_MatchDoubleOracle()
    {
        var rng = new Random(5);
        int[] sizes = [30, 70, 45];
        double[][] mix = [[1, 0, 0, 0.3, 0.8, 0, -0.2, 0.1, 0.5], [2, 0, 0, 1, 0.5, 0, 0, 0, 0.2], [0.4, 0, 0, 0, 0.4, 0, 0, 0, 0.4]];
        double[] centre = [0, 0, 0, 2, 0, 1, 1, 2, 0];
        var points = new List<float>();
        var labels = new List<int>();
        for (int c = 0; c < 3; c++)
        {
            for (int i = 0; i < sizes[c]; i++)
            {
                double[] g = [Normal(rng), Normal(rng), Normal(rng)];
                for (int r = 0; r < 3; r++)
                {
                    points.Add((float)(centre[(c * 3) + r] + (mix[c][r * 3] * g[0]) + (mix[c][(r * 3) + 1] * g[1]) + (mix[c][(r * 3) + 2] * g[2])));
                }

                labels.Add(c);
            }
        }

        var set = new LatentSet([.. points], 3, [.. labels], ["a", "b", "c"]);
        MahalanobisModel model = new MahalanobisAssigner(s_plain).Fit(set);
        float[] queries = AssignerConformance.Queries(seed: 6, count: 200, range: 6);
        float[] costs = new float[200 * 3];
        model.PhaseCosts(queries, 200, costs);
        int[] phase = new int[200];
        model.Assign(queries, 200, phase, new float[200]);

        double[] oracle = OracleCosts(set, queries);
        for (int i = 0; i < 200 * 3; i++)
        {
            Assert.True(Math.Abs(oracle[i] - costs[i]) <= 1e-5 * Math.Max(1, Math.Abs(oracle[i])), $"cost {i}: {costs[i]} vs oracle {oracle[i]}");
        }

        for (int i = 0; i < 200; i++)
        {
            int best = Enumerable.Range(0, 3).MinBy(c => oracle[(i * 3) + c]);
            Assert.Equal(best, phase[i]);
        }
    }

    [Fact]
    public void Assign_UnequalSpreadsAndClassSizes_GaussianLikelihoodBeatsSquaredDistance()
    {
        // A rare, broad phase beside a common, narrow one: D² alone hands the broad phase far too many points.
        var rng = new Random(11);
        (float[] train, int[] trainLabels) = Sample(rng, 2000);
        (float[] test, int[] truth) = Sample(rng, 4000);
        var set = new LatentSet(train, 2, trainLabels, ["narrow", "broad"]);
        double qda = Accuracy(new MahalanobisAssigner().Fit(set), test, truth);
        double paper = Accuracy(new MahalanobisAssigner(new MahalanobisOptions { Rule = MahalanobisRule.SquaredDistance }).Fit(set), test, truth);
        Assert.True(qda > paper + 0.02, $"QDA {qda:F4} vs D² {paper:F4}");
    }

    private static (float[] Points, int[] Labels) Sample(Random rng, int n)
    {
        float[] p = new float[n * 2];
        int[] l = new int[n];
        for (int i = 0; i < n; i++)
        {
            l[i] = rng.NextDouble() < 0.8 ? 0 : 1;
            double s = l[i] == 0 ? 0.5 : 2.0;
            p[i * 2] = (float)((l[i] == 0 ? 0 : 1.5) + (s * Normal(rng)));
            p[(i * 2) + 1] = (float)(s * Normal(rng));
        }

        return (p, l);
    }

    private static double Accuracy(MahalanobisModel model, float[] points, int[] truth)
    {
        int[] phase = new int[truth.Length];
        model.Assign(points, truth.Length, phase, new float[truth.Length]);
        return phase.Zip(truth).Count(t => t.First == t.Second) / (double)truth.Length;
    }

    /// <summary>½D² + ½ln|Σ| − ln π per query and phase, all in double, 3×3 inverse by the adjugate.</summary>
    private static double[] OracleCosts(LatentSet set, float[] queries)
    {
        int k = set.PhaseCount, n = queries.Length / 3;
        double[] result = new double[n * k];
        for (int c = 0; c < k; c++)
        {
            int[] idx = Enumerable.Range(0, set.Count).Where(i => set.Labels[i] == c).ToArray();
            double[] mu = new double[3];
            foreach (int i in idx)
            {
                for (int r = 0; r < 3; r++)
                {
                    mu[r] += set.Point(i)[r] / (double)idx.Length;
                }
            }

            double[,] s = new double[3, 3];
            foreach (int i in idx)
            {
                for (int r = 0; r < 3; r++)
                {
                    for (int q = 0; q < 3; q++)
                    {
                        s[r, q] += (set.Point(i)[r] - mu[r]) * (set.Point(i)[q] - mu[q]) / idx.Length;
                    }
                }
            }

            double det = (s[0, 0] * ((s[1, 1] * s[2, 2]) - (s[1, 2] * s[2, 1])))
                - (s[0, 1] * ((s[1, 0] * s[2, 2]) - (s[1, 2] * s[2, 0])))
                + (s[0, 2] * ((s[1, 0] * s[2, 1]) - (s[1, 1] * s[2, 0])));
            double[,] inv = new double[3, 3];
            for (int r = 0; r < 3; r++)
            {
                for (int q = 0; q < 3; q++)
                {
                    // inv[r, q] = cofactor(q, r) / det.
                    int a0 = (q + 1) % 3, a1 = (q + 2) % 3, b0 = (r + 1) % 3, b1 = (r + 2) % 3;
                    inv[r, q] = ((s[a0, b0] * s[a1, b1]) - (s[a0, b1] * s[a1, b0])) / det;
                }
            }

            double prior = idx.Length / (double)set.Count;
            for (int p = 0; p < n; p++)
            {
                double d2 = 0;
                for (int r = 0; r < 3; r++)
                {
                    for (int q = 0; q < 3; q++)
                    {
                        d2 += (queries[(p * 3) + r] - mu[r]) * inv[r, q] * (queries[(p * 3) + q] - mu[q]);
                    }
                }

                result[(p * k) + c] = (0.5 * d2) + (0.5 * Math.Log(det)) - Math.Log(prior);
            }
        }

        return result;
    }

    private static double Normal(Random rng) =>
        Math.Sqrt(-2.0 * Math.Log(1.0 - rng.NextDouble())) * Math.Cos(2.0 * Math.PI * rng.NextDouble());
}
