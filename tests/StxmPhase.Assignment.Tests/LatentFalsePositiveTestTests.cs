using StxmPhase.Spectra;

namespace StxmPhase.Assignment.Tests;

public class LatentFalsePositiveTestTests
{
    private static readonly string[] s_names = ["A", "B"];

    /// <summary>Two 2-D clusters of 60 points around (0, 0) and (4, 1); point 5 of cluster A is planted inside cluster B.</summary>
    private static LatentSet Planted()
    {
        const int per = 60;
        float[] points = new float[2 * per * 2];
        int[] labels = new int[2 * per];
        var rng = new Random(17);
        for (int i = 0; i < labels.Length; i++)
        {
            int c = i / per;
            labels[i] = c;
            points[i * 2] = (float)((c * 4) + (0.6 * Gauss(rng)));
            points[(i * 2) + 1] = (float)(c + (0.4 * Gauss(rng)) + (0.2 * points[i * 2]));
        }

        points[10] = 4.1f;
        points[11] = 1.9f;
        return new LatentSet(points, 2, labels, s_names);
    }

    private static double Gauss(Random rng) => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());

    [Fact]
    public void Test_MatchesABruteForceLeaveOneOutRefitInDouble()
    {
        LatentSet set = Planted();
        double[] posterior = new double[set.Count];
        bool[] flagged = new bool[set.Count];

        new LatentFalsePositiveTest(0.95).Test(set, posterior, flagged);

        foreach (int i in new[] { 0, 5, 33, 60, 97, 119 })
        {
            double expected = BruteForcePosterior(set, i);
            Assert.Equal(expected, posterior[i], 6);
            Assert.Equal(expected <= 0.05, flagged[i]);
        }
    }

    [Fact]
    public void Test_PlantedOutlier_IsFlaggedAndTypicalPointsAreNot()
    {
        LatentSet set = Planted();
        double[] posterior = new double[set.Count];
        bool[] flagged = new bool[set.Count];

        new LatentFalsePositiveTest(0.95).Test(set, posterior, flagged);

        Assert.True(flagged[5], $"posterior {posterior[5]}");
        Assert.True(flagged.Count(f => f) <= 3, $"{flagged.Count(f => f)} flags");
    }

    [Fact]
    public void ApplySpatialCoherence_IsolatedFlagCleared_BlockKept()
    {
        const int w = 8, h = 6;
        bool[] flags = new bool[w * h];
        flags[(1 * w) + 1] = true; // isolated
        for (int y = 2; y <= 4; y++)
        {
            for (int x = 4; x <= 6; x++)
            {
                flags[(y * w) + x] = true; // a 3×3 block: corners have 3 flagged neighbours
            }
        }

        new LatentFalsePositiveTest(0.95, minimumFlaggedNeighbours: 3).ApplySpatialCoherence(flags, w, h);

        Assert.False(flags[(1 * w) + 1]);
        Assert.Equal(9, flags.Count(f => f));
        bool[] unchanged = new bool[w * h];
        unchanged[3] = true;
        new LatentFalsePositiveTest(0.95).ApplySpatialCoherence(unchanged, w, h);
        Assert.True(unchanged[3]);
    }

    [Theory]
    [InlineData(0.0, 0)]
    [InlineData(1.0, 0)]
    [InlineData(double.NaN, 0)]
    [InlineData(0.9, 9)]
    [InlineData(0.9, -1)]
    public void Constructor_OutOfRange_Throws(double threshold, int neighbours) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new LatentFalsePositiveTest(threshold, neighbours));

    /// <summary>Refits both Gaussians (ML mean, unbiased covariance) without point i, priors ∝ counts, and returns P(own label | x_i).</summary>
    private static double BruteForcePosterior(LatentSet set, int i)
    {
        int own = set.Labels[i];
        double[] terms = new double[2];
        for (int c = 0; c < 2; c++)
        {
            int[] members = Enumerable.Range(0, set.Count).Where(j => set.Labels[j] == c && j != i).ToArray();
            double mx = members.Average(j => (double)set.Point(j)[0]), my = members.Average(j => (double)set.Point(j)[1]);
            double sxx = 0, sxy = 0, syy = 0;
            foreach (int j in members)
            {
                double dx = set.Point(j)[0] - mx, dy = set.Point(j)[1] - my;
                sxx += dx * dx;
                sxy += dx * dy;
                syy += dy * dy;
            }

            int n = members.Length;
            sxx /= n - 1;
            sxy /= n - 1;
            syy /= n - 1;
            double det = (sxx * syy) - (sxy * sxy);
            double ex = set.Point(i)[0] - mx, ey = set.Point(i)[1] - my;
            double q = ((syy * ex * ex) - (2 * sxy * ex * ey) + (sxx * ey * ey)) / det;
            terms[c] = n * Math.Exp(-0.5 * q) / (2 * Math.PI * Math.Sqrt(det));
        }

        return terms[own] / (terms[0] + terms[1]);
    }
}
