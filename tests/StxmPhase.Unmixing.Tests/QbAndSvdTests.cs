namespace StxmPhase.Unmixing.Tests;

public class QbAndSvdTests
{
    [Fact]
    public void Qb_SketchCoversAllColumns_IsExact()
    {
        double[] x = NmfTests.LowRankPlusNoise(new Random(4), 500, 13, 13, 0.1);
        QbDecomposition qb = QbDecomposition.Compute(x, 500, 13, 5, 10);
        Assert.True(qb.IsExact);
        Assert.True(RelativeError(x, 500, 13, qb) < 1e-12);
    }

    [Fact]
    public void Qb_PowerIterations_ReduceErrorOnLowRankPlusNoise()
    {
        double[] x = NmfTests.LowRankPlusNoise(new Random(5), 800, 200, 8, 0.3);
        double e0 = RelativeError(x, 800, 200, QbDecomposition.Compute(x, 800, 200, 8, 2, powerIterations: 0, seed: 1));
        double e2 = RelativeError(x, 800, 200, QbDecomposition.Compute(x, 800, 200, 8, 2, powerIterations: 2, seed: 1));
        Assert.True(e2 < e0, $"q=2 error {e2} not below q=0 error {e0}");
    }

    [Fact]
    public void Qb_SameSeed_IsDeterministic()
    {
        double[] x = NmfTests.LowRankPlusNoise(new Random(6), 300, 100, 5, 0.1);
        QbDecomposition a = QbDecomposition.Compute(x, 300, 100, 5, 5, 2, 42);
        QbDecomposition b = QbDecomposition.Compute(x, 300, 100, 5, 5, 2, 42);
        Assert.True(a.Q.SequenceEqual(b.Q));
        Assert.True(a.B.SequenceEqual(b.B));
    }

    [Fact]
    public void ThinSvd_V5_SingularValuesMatchDocumentation()
    {
        SvdResult s = ThinSvd.Compute(NmfTests.V5Matrix(), 8, 6);
        TestData.AllClose(new[] { 28.02895287, 8.73713782, 7.44370520, 4.55522357, 4.36931010, 3.71356218 }, s.SingularValues, 1e-8);
        double[] recon = Reconstruct(s);
        TestData.AllClose(NmfTests.V5Matrix(), recon, 1e-12, 1e-12);
    }

    [Fact]
    public void ThinSvd_WideMatrix_ReconstructsAndFlipsSigns()
    {
        double[] x = NmfTests.LowRankPlusNoise(new Random(7), 5, 30, 5, 0.2);
        SvdResult s = ThinSvd.Compute(x, 5, 30);
        TestData.AllClose(x, Reconstruct(s), 1e-11, 1e-12);
        for (int j = 0; j < s.Rank; j++)
        {
            double[] col = Enumerable.Range(0, 5).Select(i => s.U[(i * s.Rank) + j]).ToArray();
            Assert.True(col.MaxBy(Math.Abs) > 0);
        }
    }

    [Fact]
    public void ThinSvd_Randomized_AgreesWithExactOnLowRank()
    {
        double[] x = NmfTests.LowRankPlusNoise(new Random(8), 400, 60, 4, 0.0);
        SvdResult exact = ThinSvd.Compute(x, 400, 60, 4);
        SvdResult rand = ThinSvd.ComputeRandomized(x, 400, 60, 4, oversampling: 5, powerIterations: 2);
        Assert.False(rand.IsExact);
        TestData.AllClose(exact.SingularValues, rand.SingularValues, 1e-9);
    }

    [Fact]
    public void ThinSvd_RankAboveMinDimension_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ThinSvd.Compute(new double[12], 3, 4, 4));
    }

    private static double[] Reconstruct(SvdResult s)
    {
        double[] r = new double[s.Rows * s.Columns];
        for (int i = 0; i < s.Rows; i++)
        {
            for (int j = 0; j < s.Columns; j++)
            {
                double v = 0;
                for (int t = 0; t < s.Rank; t++)
                {
                    v += s.U[(i * s.Rank) + t] * s.SingularValues[t] * s.Vt[(t * s.Columns) + j];
                }

                r[(i * s.Columns) + j] = v;
            }
        }

        return r;
    }

    private static double RelativeError(double[] x, int m, int n, QbDecomposition qb)
    {
        double num = 0, den = 0;
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double v = 0;
                for (int t = 0; t < qb.SketchSize; t++)
                {
                    v += qb.Q[(i * qb.SketchSize) + t] * qb.B[(t * n) + j];
                }

                double d = x[(i * n) + j] - v;
                num += d * d;
                den += x[(i * n) + j] * x[(i * n) + j];
            }
        }

        return Math.Sqrt(num / den);
    }
}
