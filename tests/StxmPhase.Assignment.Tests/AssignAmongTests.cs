namespace StxmPhase.Assignment.Tests;

public class AssignAmongTests
{
    private static readonly NearestCentroidModel s_model = new NearestCentroidAssigner().Fit(
        new LatentSet([0, 0, 0, 10, 0, 0, 20, 0, 0], 3, [0, 1, 2], ["a", "b", "c"]));

    [Fact]
    public void AssignAmong_BestPhaseExcluded_PicksNearestCandidate()
    {
        int[] phase = new int[2];
        float[] score = new float[2];
        s_model.AssignAmong([1, 0, 0, 19, 0, 0], 2, [2, 1, 0, -1], 2, phase, score);
        Assert.Equal([1, 0], phase);
        Assert.Equal([40.5f, 180.5f], score); // ½‖z − μ‖²: one point per phase, so the pooled variance is taken as 1
    }

    [Fact]
    public void AssignAmong_EqualCosts_TiesGoToLowestPhase()
    {
        int[] phase = new int[1];
        float[] score = new float[1];
        s_model.AssignAmong([15, 0, 0], 1, [2, 1], 2, phase, score);
        Assert.Equal(1, phase[0]);
    }

    [Fact]
    public void AssignAmong_InvalidCandidate_ThrowsNamingPointAndSlot()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() =>
            s_model.AssignAmong([1, 0, 0, 2, 0, 0], 2, [0, 1, 3, -1], 2, new int[2], new float[2]));
        Assert.Contains("Candidate 0 of point 1", ex.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => s_model.AssignAmong([1, 0, 0], 1, [-2], 1, new int[1], new float[1]));
        Assert.Throws<ArgumentException>(() => s_model.AssignAmong([1, 0, 0], 1, [0, 1, 2], 2, new int[1], new float[1]));
        Assert.Throws<ArgumentOutOfRangeException>(() => s_model.AssignAmong([1, 0, 0], 1, [0], 0, new int[1], new float[1]));
        Assert.Throws<ArgumentException>(() => s_model.AssignAmong([float.NaN, 0, 0], 1, [0], 1, new int[1], new float[1]));
    }

    [Fact]
    public void AssignAmong_ManyPointsAcrossChunks_MatchesPerPointCosts()
    {
        (LatentSet set, _, _) = AssignerConformance.Blobs(seed: 41, perPhase: 50, spread: 1.0);
        MahalanobisModel model = new MahalanobisAssigner().Fit(set);
        const int n = 2500;
        float[] q = AssignerConformance.Queries(seed: 42, count: n);
        int[] candidates = Enumerable.Range(0, n).SelectMany(i => new[] { i % 5, (i + 2) % 5 }).ToArray();
        int[] phase = new int[n];
        float[] score = new float[n];
        model.AssignAmong(q, n, candidates, 2, phase, score);
        float[] costs = new float[n * 5];
        model.PhaseCosts(q, n, costs);
        for (int i = 0; i < n; i++)
        {
            int a = candidates[2 * i], b = candidates[(2 * i) + 1];
            int expected = costs[(i * 5) + a] < costs[(i * 5) + b] || (costs[(i * 5) + a] == costs[(i * 5) + b] && a < b) ? a : b;
            Assert.Equal(expected, phase[i]);
        }
    }
}

public class BestTwoTests
{
    [Fact]
    public void BestTwo_CentroidModel_ReturnsTwoNearestWithDistances()
    {
        NearestCentroidModel model = new NearestCentroidAssigner().Fit(
            new LatentSet([0, 0, 0, 10, 0, 0, 20, 0, 0], 3, [0, 1, 2], ["a", "b", "c"]));
        int[] best = new int[2];
        int[] second = new int[2];
        float[] bestCost = new float[2];
        float[] secondCost = new float[2];
        model.BestTwo([12, 0, 0, 5, 0, 0], 2, best, bestCost, second, secondCost);
        Assert.Equal([1, 0], best);
        Assert.Equal([2f, 12.5f], bestCost); // ½‖z − μ‖² (pooled variance 1)
        Assert.Equal([2, 1], second);   // the tie at distance 5 (phases 0 and 1) goes to the lower index as best
        Assert.Equal([32f, 12.5f], secondCost);
    }

    [Fact]
    public void BestTwo_SinglePredictablePhase_SecondIsUnassigned()
    {
        KnnModel model = new KnnAssigner(new KnnOptions { NeighborCount = 1 }).Fit(new LatentSet([0, 0, 0], 3, [1], ["a", "b", "c"]));
        int[] best = new int[1];
        int[] second = new int[1];
        float[] bestCost = new float[1];
        float[] secondCost = new float[1];
        model.BestTwo([1, 1, 1], 1, best, bestCost, second, secondCost);
        Assert.Equal(1, best[0]);
        Assert.Equal(0f, bestCost[0]);
        Assert.Equal(-1, second[0]);
        Assert.Equal(float.PositiveInfinity, secondCost[0]);
    }
}
