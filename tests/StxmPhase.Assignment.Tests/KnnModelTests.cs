namespace StxmPhase.Assignment.Tests;

public class KnnModelTests
{
    [Theory]
    [InlineData(1, KnnWeighting.Uniform)]
    [InlineData(5, KnnWeighting.Uniform)]
    [InlineData(15, KnnWeighting.Distance)]
    [InlineData(64, KnnWeighting.Distance)]
    public void VoteShares_GridWithManyExactTies_EqualBruteForceByDistanceThenIndex(int k, KnnWeighting weighting)
    {
        // Points on an integer grid (many exactly equal distances) with duplicates; the tree must pick neighbours by
        // (distance, index) exactly as a full sort does.
        var rng = new Random(31);
        const int n = 3000, m = 300, phases = 4;
        float[] points = new float[n * 3];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < 3; j++)
            {
                points[(i * 3) + j] = rng.Next(12);
            }

            labels[i] = rng.Next(phases);
        }

        float[] queries = new float[m * 3];
        for (int i = 0; i < queries.Length; i++)
        {
            queries[i] = rng.Next(24) / 2f;
        }

        var set = new LatentSet(points, 3, labels, ReferenceData.Names(phases));
        KnnModel model = new KnnAssigner(new KnnOptions { NeighborCount = k, Weighting = weighting }).Fit(set);
        double[] shares = new double[m * phases];
        model.VoteShares(queries, m, shares);
        int[] phase = new int[m];
        float[] score = new float[m];
        model.Assign(queries, m, phase, score);

        for (int q = 0; q < m; q++)
        {
            double[] expected = BruteForceShares(points, labels, phases, queries.AsSpan(q * 3, 3), k, weighting, out int expectedPhase);
            for (int c = 0; c < phases; c++)
            {
                Assert.Equal(expected[c], shares[(q * phases) + c], 14);
            }

            Assert.Equal(expectedPhase, phase[q]);
        }
    }

    [Fact]
    public void Fit_KLargerThanLabelledCount_ClampsAndWarns()
    {
        var logger = new CapturingLogger();
        var set = new LatentSet([0, 0, 0, 1, 0, 0, 5, 5, 5], 3, [0, 0, 1], ["a", "b"]);
        KnnModel model = new KnnAssigner(new KnnOptions { NeighborCount = 5 }, logger).Fit(set);
        Assert.Equal(3, model.NeighborCount);
        Assert.Equal(5, model.RequestedNeighborCount);
        Assert.Contains("k = 3", Assert.Single(model.Warnings), StringComparison.Ordinal);
        Assert.Single(logger.Entries);
        int[] phase = new int[1];
        float[] score = new float[1];
        model.Assign([5, 5, 5], 1, phase, score);
        Assert.Equal(0, phase[0]); // 2 of 3 votes for phase 0
        Assert.Equal(2f / 3f, score[0]);
    }

    [Fact]
    public void PhaseCosts_AreNegativeLogSmoothedVoteShareAndInfinityForAbsentPhases()
    {
        var set = new LatentSet([0, 0, 0, 1, 0, 0, 5, 5, 5, 6, 5, 5], 3, [0, 0, 2, 2], ["a", "b", "c"]);
        KnnModel model = new KnnAssigner(new KnnOptions { NeighborCount = 4 }).Fit(set);
        float[] costs = new float[3];
        model.PhaseCosts([0.2f, 0, 0], 1, costs);
        // Shares ½, ½ over K′ = 2 present phases, α = 1/2: −ln((4 · ½ + ½)/(4 + 1)) = ln 2.
        Assert.Equal([(float)Math.Log(2), float.PositiveInfinity, (float)Math.Log(2)], costs);
        Assert.False(model.HasPhase(1));
    }

    [Fact]
    public void Options_OutOfRange_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new KnnAssigner(new KnnOptions { NeighborCount = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new KnnAssigner(new KnnOptions { Weighting = (KnnWeighting)7 }));
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new KnnAssigner(new KnnOptions { MaxDegreeOfParallelism = -2 }));
        Assert.Contains("must be -1 (all cores) or at least 1; got -2", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Assign_HigherDimension_MatchesBruteForce()
    {
        var rng = new Random(32);
        const int d = 7, n = 500, m = 50;
        float[] points = Enumerable.Range(0, n * d).Select(_ => (float)rng.NextDouble()).ToArray();
        int[] labels = Enumerable.Range(0, n).Select(_ => rng.Next(3)).ToArray();
        float[] queries = Enumerable.Range(0, m * d).Select(_ => (float)rng.NextDouble()).ToArray();
        var set = new LatentSet(points, d, labels, ReferenceData.Names(3));
        KnnModel model = new KnnAssigner(new KnnOptions { NeighborCount = 7, Weighting = KnnWeighting.Distance }).Fit(set);
        int[] phase = new int[m];
        float[] score = new float[m];
        model.Assign(queries, m, phase, score);
        for (int q = 0; q < m; q++)
        {
            double[] shares = BruteForceShares(points, labels, 3, queries.AsSpan(q * d, d), 7, KnnWeighting.Distance, out int expected);
            Assert.Equal(expected, phase[q]);
            Assert.Equal((float)shares[expected], score[q]);
        }
    }

    private static double[] BruteForceShares(float[] points, int[] labels, int phases, ReadOnlySpan<float> query, int k, KnnWeighting weighting,
        out int winner)
    {
        int d = query.Length;
        int n = labels.Length;
        double[] dist2 = new double[n];
        for (int i = 0; i < n; i++)
        {
            double s = 0;
            for (int j = 0; j < d; j++)
            {
                double diff = (double)query[j] - points[(i * d) + j];
                s += diff * diff;
            }

            dist2[i] = s;
        }

        int[] order = Enumerable.Range(0, n).OrderBy(i => dist2[i]).ThenBy(i => i).Take(k).ToArray();
        double[] w = order.Select(i => weighting == KnnWeighting.Uniform ? 1.0 : 1.0 / Math.Sqrt(dist2[i])).ToArray();
        if (w.Any(double.IsPositiveInfinity))
        {
            w = w.Select(x => double.IsPositiveInfinity(x) ? 1.0 : 0.0).ToArray();
        }

        double[] votes = new double[phases];
        for (int t = 0; t < k; t++)
        {
            votes[labels[order[t]]] += w[t];
        }

        winner = 0;
        for (int c = 1; c < phases; c++)
        {
            if (votes[c] > votes[winner])
            {
                winner = c;
            }
        }

        double total = votes.Sum();
        return votes.Select(v => v / total).ToArray();
    }
}
