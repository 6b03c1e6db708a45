using System.Text.Json;
using static StxmPhase.Assignment.Tests.ReferenceData;

namespace StxmPhase.Assignment.Tests;

/// <summary>
/// Compares the strategies with scikit-learn on the algorithms.md §6 vectors V1–V4 and on random cases
/// (tests/TestData/assignment/sklearn_cases.json from tests/TestData/Generators/assignment_sklearn.py).
/// </summary>
public class SklearnReferenceTests
{
    private static readonly MahalanobisOptions s_noFloor = new() { RidgeFloor = 0, Rule = MahalanobisRule.SquaredDistance };

    public static TheoryData<string> LedoitWolfCases => new() { "v1", "v2", "v3b", "v3c" };

    public static TheoryData<int> RandomCases => new() { 0, 1, 2 };

    [Theory]
    [MemberData(nameof(LedoitWolfCases))]
    public void LedoitWolf_DoubleInputs_MatchesSklearn(string name)
    {
        JsonElement v = Get(name);
        double[][] rows = Matrix(v.GetProperty("points"));
        int n = rows.Length, d = 3;
        double[] mean = new double[d];
        foreach (double[] r in rows)
        {
            for (int j = 0; j < d; j++)
            {
                mean[j] += r[j] / n;
            }
        }

        double[] centred = rows.SelectMany(r => r.Select((x, j) => x - mean[j])).ToArray();
        double[] cov = new double[d * d];
        LedoitWolf.EmpiricalCovariance(centred, n, d, cov);
        Close(Flat(v.GetProperty("empirical_covariance")), cov, 1e-12, "empirical covariance");
        double alpha = LedoitWolf.Shrinkage(centred, n, d, cov);
        Close(v.GetProperty("shrinkage").GetDouble(), alpha, 1e-12, "shrinkage");
        LedoitWolf.Shrink(cov, d, alpha);
        Close(Vector(v.GetProperty("location")), mean, 1e-12, "location");
        Close(Flat(v.GetProperty("covariance")), cov, 1e-12, "covariance");
    }

    [Fact]
    public void LedoitWolf_V1AlgorithmsMdValues_Match()
    {
        // algorithms.md §6 V1, typed in from the table (independent of the JSON file).
        double[] z = Enumerable.Range(0, 12)
            .SelectMany(i => new[] { Math.Cos(i), Math.Sin(2 * i), (0.5 * Math.Cos(3 * i)) + (0.3 * Math.Cos(i)) }).ToArray();
        double[] mean = new double[3];
        for (int i = 0; i < 12; i++)
        {
            for (int j = 0; j < 3; j++)
            {
                mean[j] += z[(i * 3) + j] / 12;
            }
        }

        double[] centred = z.Select((x, k) => x - mean[k % 3]).ToArray();
        double[] cov = new double[9];
        LedoitWolf.EmpiricalCovariance(centred, 12, 3, cov);
        double alpha = LedoitWolf.Shrinkage(centred, 12, 3, cov);
        LedoitWolf.Shrink(cov, 3, alpha);
        Close(0.7352252041405415, alpha, 1e-12, "shrinkage");
        Close([0.410844146865215, 0.010932733311094, 0.04529137804665], cov.AsSpan(0, 3), 1e-11, "LW row 0");
        Close([0.04529137804665, -0.005666204053449, 0.327318188343585], cov.AsSpan(6, 3), 1e-11, "LW row 2");
    }

    [Theory]
    [InlineData("v1_float32", CovarianceSource.Phase)]
    [InlineData("v2_float32", CovarianceSource.Phase)]
    [InlineData("v3b_float32", CovarianceSource.Pooled)]
    public void MahalanobisModel_SingleClass_MatchesSklearnLedoitWolf(string name, CovarianceSource source)
    {
        JsonElement v = Get(name);
        int n = v.GetProperty("points").GetArrayLength();
        LatentSet set = Set(v.GetProperty("points"), new int[n], 1);
        MahalanobisModel model = new MahalanobisAssigner(s_noFloor).Fit(set);
        float[] queries = FlatFloat(v.GetProperty("queries"));
        double[] d2 = new double[2];
        model.SquaredDistances(queries, 2, d2);

        Assert.Equal(source, model.Source(0));
        Close(Vector(v.GetProperty("location")), model.Mean(0), 1e-12, "location");
        Close(Flat(v.GetProperty("covariance")), model.Covariance(0), 1e-12, "covariance");
        Close(v.GetProperty("shrinkage").GetDouble(), model.Shrinkage(0), 1e-12, "shrinkage");
        Close(Vector(v.GetProperty("lw_mahalanobis")), d2, 1e-10, "squared distance");

        // With the default ridge floor (1e-9 relative) the distances move by about 1e-9.
        MahalanobisModel floored = new MahalanobisAssigner().Fit(set);
        floored.SquaredDistances(queries, 2, d2);
        Close(Vector(v.GetProperty("lw_mahalanobis")), d2, 1e-7, "squared distance (floored)");
    }

    [Fact]
    public void MahalanobisModel_V1DoubleVectorsFromAlgorithmsMd_MatchWithinFloat32InputRounding()
    {
        // V1 points are cos/sin values; LatentSet rounds them to float32, which perturbs D² by ~1e-7 relative.
        float[] z = Enumerable.Range(0, 12)
            .SelectMany(i => new[] { (float)Math.Cos(i), (float)Math.Sin(2 * i), (float)((0.5 * Math.Cos(3 * i)) + (0.3 * Math.Cos(i))) }).ToArray();
        var set = new LatentSet(z, 3, new int[12], ["a"]);
        MahalanobisModel model = new MahalanobisAssigner().Fit(set);
        double[] d2 = new double[2];
        model.SquaredDistances([0.5f, 0.5f, 0.5f, 2f, -1f, 0f], 2, d2);
        Close(1.756303949000332, d2[0], 1e-5, "D²(q0)");
        Close(13.347480776578879, d2[1], 1e-5, "D²(q1)");
        Close(0.7352252041405415, model.Shrinkage(0), 1e-5, "shrinkage");
    }

    [Fact]
    public void MahalanobisModel_V2Saturated_ShrinksFullyToScaledIdentity()
    {
        JsonElement v = Get("v2_float32");
        LatentSet set = Set(v.GetProperty("points"), new int[6], 1);
        MahalanobisModel model = new MahalanobisAssigner(s_noFloor).Fit(set);
        Assert.Equal(1.0, model.Shrinkage(0));
        ReadOnlySpan<double> cov = model.Covariance(0);
        Close(0.2428703703703704, cov[0], 1e-7, "diagonal (float32 inputs)");
        Assert.Equal(cov[0], cov[4]);
        Assert.Equal(cov[0], cov[8]);
        Assert.Equal(0.0, cov[1]);
    }

    [Fact]
    public void MahalanobisModel_V3cIdenticalPoints_FallsBackToSquaredEuclidean()
    {
        // sklearn gives covariance 0 and D² = 0 for every query (V3c); StxmPhase falls back to the identity.
        JsonElement v = Get("v3c");
        Assert.Equal(0.0, v.GetProperty("shrinkage").GetDouble());
        Assert.All(Vector(v.GetProperty("lw_mahalanobis")), x => Assert.Equal(0.0, x));
        LatentSet set = Set(v.GetProperty("points"), new int[4], 1);
        MahalanobisModel model = new MahalanobisAssigner().Fit(set);
        Assert.Equal(CovarianceSource.Euclidean, model.Source(0));
        Assert.Single(model.Warnings);
        double[] d2 = new double[2];
        model.SquaredDistances([0.5f, 0.5f, 0.5f, 2f, -1f, 0f], 2, d2);
        double[] mu = [0.3f, -0.2f, 0.5f];
        double e0 = Math.Pow(0.5 - mu[0], 2) + Math.Pow(0.5 - mu[1], 2) + Math.Pow(0.5 - mu[2], 2);
        double e1 = Math.Pow(2 - mu[0], 2) + Math.Pow(-1 - mu[1], 2) + Math.Pow(0 - mu[2], 2);
        Close(e0, d2[0], 1e-12, "D²(q0)");
        Close(e1, d2[1], 1e-12, "D²(q1)");
    }

    [Fact]
    public void KnnModel_V4_MatchesSklearnPredictionsAndProbabilities()
    {
        JsonElement v = Get("v4_float32");
        LatentSet set = Set(v.GetProperty("train"), Ints(v.GetProperty("labels")), 3);
        float[] queries = FlatFloat(v.GetProperty("queries"));
        foreach (JsonElement block in v.GetProperty("knn").EnumerateArray())
        {
            CheckKnn(set, queries, block);
        }
    }

    [Fact]
    public void KnnModel_V4AlgorithmsMdTable_Matches()
    {
        // algorithms.md §6 V4, typed in: k=5 uniform predicts 1 for Q3; k=5 distance proba(Q0), k=3 distance proba(Q4).
        JsonElement v = Get("v4");
        LatentSet set = Set(v.GetProperty("train"), Ints(v.GetProperty("labels")), 3);
        float[] q = FlatFloat(v.GetProperty("queries"));
        int[] phase = new int[5];
        float[] score = new float[5];
        new KnnAssigner().Fit(set).Assign(q, 5, phase, score);
        Assert.Equal([0, 1, 1, 1, 1], phase);
        Assert.Equal(0.6f, score[0]);
        double[] shares = new double[15];
        new KnnAssigner(new KnnOptions { Weighting = KnnWeighting.Distance }).Fit(set).VoteShares(q, 5, shares);
        Close(0.9671922848783415, shares[0], 1e-6, "k=5 distance proba(Q0)[0]");
        Close(0.7000261652796272, shares[7], 1e-6, "k=5 distance proba(Q2)[1]");
        new KnnAssigner(new KnnOptions { NeighborCount = 3, Weighting = KnnWeighting.Distance }).Fit(set).VoteShares(q, 5, shares);
        Assert.Equal([0.0, 0.0, 1.0], shares.AsSpan(9, 3).ToArray());
        Close(0.6738425206209072, shares[13], 1e-6, "k=3 distance proba(Q4)[1]");
    }

    [Fact]
    public void KnnModel_V4bVoteTie_GoesToLowestLabel()
    {
        JsonElement v = Get("v4b");
        LatentSet set = Set(v.GetProperty("train"), Ints(v.GetProperty("labels")), 2);
        int[] phase = new int[1];
        float[] score = new float[1];
        new KnnAssigner(new KnnOptions { NeighborCount = 2 }).Fit(set).Assign([0.5f, 0f, 0f], 1, phase, score);
        Assert.Equal(Ints(v.GetProperty("predict"))[0], phase[0]);
        Assert.Equal(0, phase[0]);
        Assert.Equal(0.5f, score[0]);
    }

    [Fact]
    public void NearestCentroidModel_V4_MatchesSklearn()
    {
        JsonElement v = Get("v4_float32");
        LatentSet set = Set(v.GetProperty("train"), Ints(v.GetProperty("labels")), 3);
        CheckCentroid(set, FlatFloat(v.GetProperty("queries")), v.GetProperty("centroid"));
    }

    [Theory]
    [MemberData(nameof(RandomCases))]
    public void MahalanobisModel_RandomCase_MatchesSklearnLedoitWolfArgmin(int index)
    {
        JsonElement c = Get("random")[index];
        int[] labels = Ints(c.GetProperty("labels"));
        LatentSet set = Set(c.GetProperty("points"), labels, 5);
        float[] q = FlatFloat(c.GetProperty("queries"));
        int m = q.Length / 3;
        JsonElement maha = c.GetProperty("mahalanobis");
        double[] expected = Flat(maha.GetProperty("d2"));
        int[] predict = Ints(maha.GetProperty("predict"));

        MahalanobisModel model = new MahalanobisAssigner(s_noFloor).Fit(set);
        double[] d2 = new double[m * 5];
        model.SquaredDistances(q, m, d2);
        Close(expected, d2, 1e-9, "squared distance");
        for (int k = 0; k < 5; k++)
        {
            Close(Vector(maha.GetProperty("location")[k]), model.Mean(k), 1e-12, $"location {k}");
            if (model.Source(k) == CovarianceSource.Phase)
            {
                Close(Flat(maha.GetProperty("covariance")[k]), model.Covariance(k), 1e-11, $"covariance {k}");
                Close(maha.GetProperty("shrinkage")[k].GetDouble(), model.Shrinkage(k), 1e-10, $"shrinkage {k}");
            }
            else
            {
                Assert.Equal(CovarianceSource.Pooled, model.Source(k));
                Close(Flat(c.GetProperty("pooled").GetProperty("covariance")), model.Covariance(k), 1e-11, $"pooled covariance {k}");
                Close(c.GetProperty("pooled").GetProperty("shrinkage").GetDouble(), model.Shrinkage(k), 1e-10, $"pooled shrinkage {k}");
            }
        }

        // The paper's rule with the default ridge floor gives the same labels, and scores within 1e-7.
        MahalanobisModel defaults = new MahalanobisAssigner(new MahalanobisOptions { Rule = MahalanobisRule.SquaredDistance }).Fit(set);
        int[] phase = new int[m];
        float[] score = new float[m];
        defaults.Assign(q, m, phase, score);
        Assert.Equal(predict, phase);
        for (int i = 0; i < m; i++)
        {
            Close(expected[(i * 5) + predict[i]], score[i], 1e-6, $"score {i}");
        }
    }

    [Theory]
    [MemberData(nameof(RandomCases))]
    public void KnnModel_RandomCase_MatchesSklearn(int index)
    {
        JsonElement c = Get("random")[index];
        LatentSet set = Set(c.GetProperty("points"), Ints(c.GetProperty("labels")), 5);
        float[] q = FlatFloat(c.GetProperty("queries"));
        foreach (JsonElement block in c.GetProperty("knn").EnumerateArray())
        {
            CheckKnn(set, q, block);
        }
    }

    [Theory]
    [MemberData(nameof(RandomCases))]
    public void NearestCentroidModel_RandomCase_MatchesSklearn(int index)
    {
        JsonElement c = Get("random")[index];
        LatentSet set = Set(c.GetProperty("points"), Ints(c.GetProperty("labels")), 5);
        CheckCentroid(set, FlatFloat(c.GetProperty("queries")), c.GetProperty("centroid"));
    }

    private static void CheckKnn(LatentSet set, float[] queries, JsonElement block)
    {
        int m = queries.Length / set.Dimension;
        int k = block.GetProperty("k").GetInt32();
        var weighting = block.GetProperty("weights").GetString() == "distance" ? KnnWeighting.Distance : KnnWeighting.Uniform;
        KnnModel model = new KnnAssigner(new KnnOptions { NeighborCount = k, Weighting = weighting }).Fit(set);
        int[] phase = new int[m];
        float[] score = new float[m];
        model.Assign(queries, m, phase, score);
        string what = $"k={k} {weighting}";
        Assert.True(Ints(block.GetProperty("predict")).SequenceEqual(phase), what + " predictions differ");
        double[] proba = Flat(block.GetProperty("proba"));
        int phases = proba.Length / m;
        double[] shares = new double[m * set.PhaseCount];
        model.VoteShares(queries, m, shares);
        for (int i = 0; i < m; i++)
        {
            Close(proba.AsSpan(i * phases, phases), shares.AsSpan(i * set.PhaseCount, phases), 1e-12, $"{what} proba row {i}");
            Assert.Equal((float)shares[(i * set.PhaseCount) + phase[i]], score[i]);
        }
    }

    private static void CheckCentroid(LatentSet set, float[] queries, JsonElement block)
    {
        int m = queries.Length / set.Dimension;
        NearestCentroidModel model = new NearestCentroidAssigner().Fit(set);
        double[][] centroids = Matrix(block.GetProperty("centroids"));
        for (int c = 0; c < centroids.Length; c++)
        {
            Close(centroids[c], model.Centroid(c), 1e-12, $"centroid {c}");
        }

        int[] phase = new int[m];
        float[] score = new float[m];
        model.Assign(queries, m, phase, score);
        Assert.Equal(Ints(block.GetProperty("predict")), phase);
    }
}
