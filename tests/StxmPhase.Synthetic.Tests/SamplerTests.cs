namespace StxmPhase.Synthetic.Tests;

public class SamplerTests
{
    [Theory]
    // Values printed by tests/TestData/Generators/synthetic_xoshiro.c (reference C code of Blackman & Vigna).
    [InlineData(0UL, new ulong[]
    {
        11091344671253066420UL, 13793997310169335082UL, 1900383378846508768UL, 7684712102626143532UL, 13521403990117723737UL,
    })]
    [InlineData(123456789UL, new ulong[]
    {
        15127205273500847298UL, 16265768176396019016UL, 1514321867679316104UL, 9853693475100939714UL, 16001046604883718113UL,
    })]
    public void Xoshiro256StarStar_Seeded_MatchesReferenceImplementation(ulong seed, ulong[] expected)
    {
        var rng = new Xoshiro256StarStar(seed);

        foreach (ulong value in expected)
        {
            Assert.Equal(value, rng.NextUInt64());
        }
    }

    [Fact]
    public void Xoshiro256StarStar_NextDouble_InUnitIntervalWithUniformMoments()
    {
        var rng = new Xoshiro256StarStar(7);
        double[] values = new double[200_000];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = rng.NextDouble();
            Assert.InRange(values[i], 0.0, 1.0 - 1e-17);
        }

        (double mean, double variance) = TestMath.MeanVariance(values);
        Assert.Equal(0.5, mean, 0.003);
        Assert.Equal(1.0 / 12.0, variance, 0.001);
    }

    [Theory]
    [InlineData(0.3)]
    [InlineData(4.0)]
    [InlineData(40.0)]   // exact branch (Knuth)
    [InlineData(63.9)]   // last exact value below the threshold
    [InlineData(64.0)]   // first normal-approximation value
    [InlineData(1500.0)]
    [InlineData(1e6)]
    public void PoissonSampler_Moments_MatchLambda(double lambda)
    {
        var sampler = new PoissonSampler(new Xoshiro256StarStar(99));
        const int count = 100_000;
        double[] values = new double[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = sampler.Next(lambda);
            Assert.True(values[i] >= 0 && values[i] == Math.Floor(values[i]));
        }

        (double mean, double variance) = TestMath.MeanVariance(values);
        // Standard error of the mean √(λ/N); of the variance ≈ λ·√(2/N) (+ the excess-kurtosis term 1/λ).
        Assert.Equal(lambda, mean, 5 * Math.Sqrt(lambda / count));
        Assert.Equal(lambda, variance, 6 * lambda * Math.Sqrt((2.0 + (1.0 / lambda)) / count));
    }

    [Fact]
    public void PoissonSampler_SmallLambda_HistogramMatchesExactPmf()
    {
        const double lambda = 3.5;
        const int count = 200_000;
        var sampler = new PoissonSampler(new Xoshiro256StarStar(5));
        int[] histogram = new int[40];
        for (int i = 0; i < count; i++)
        {
            histogram[(int)sampler.Next(lambda)]++;
        }

        // Chi-square over k = 0..11 (+ tail) against the exact pmf e^−λ λ^k / k!.
        double chi2 = 0;
        double pmf = Math.Exp(-lambda);
        double tail = 1.0;
        int tailObserved = count;
        for (int k = 0; k <= 11; k++)
        {
            double expected = count * pmf;
            chi2 += (histogram[k] - expected) * (histogram[k] - expected) / expected;
            tail -= pmf;
            tailObserved -= histogram[k];
            pmf *= lambda / (k + 1);
        }

        chi2 += (tailObserved - (count * tail)) * (tailObserved - (count * tail)) / (count * tail);
        Assert.True(chi2 < 32.9, $"chi2 = {chi2} with 12 degrees of freedom (p = 0.001 critical value 32.9)");
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-5.0)]
    [InlineData(double.NaN)]
    public void PoissonSampler_NonPositiveLambda_ReturnsZero(double lambda)
    {
        var sampler = new PoissonSampler(new Xoshiro256StarStar(1));

        Assert.Equal(0.0, sampler.Next(lambda));
    }

    [Fact]
    public void PoissonSampler_StandardNormal_ZeroMeanUnitVariance()
    {
        var sampler = new PoissonSampler(new Xoshiro256StarStar(3));
        double[] values = new double[200_000];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = sampler.NextStandardNormal();
        }

        (double mean, double variance) = TestMath.MeanVariance(values);
        Assert.Equal(0.0, mean, 0.012);
        Assert.Equal(1.0, variance, 0.015);
        Assert.InRange(values.Count(v => Math.Abs(v) < 1.0) / (double)values.Length, 0.679, 0.686); // Φ(1) − Φ(−1) = 0.6827
    }
}
