namespace StxmPhase.Correlation.Tests;

/// <summary>
/// The noise model's prior is the maximum-likelihood mixing weight of the per-pixel likelihoods (EM). For two phases the ML
/// weight π of phase 0 solves S(π) = Σ_p (L0 − L1) / (π L0 + (1 − π) L1) = 0, and is 0 when S(0) = Σ_p (L0/L1 − 1) ≤ 0: when
/// the pixels' likelihood ratios average at most 1, no mixing weight above 0 explains them better, however many pixels a
/// correlation stage labels with that phase. Checked against that oracle (bisection in double precision).
/// </summary>
public class PriorEstimationTests
{
    [Fact]
    public void Estimate_RatiosAveragingBelowOne_CollapsesToTheFloorAsTheMaximumLikelihoodDoes()
    {
        // The real 4-energy PolLux case in miniature: 80 % of the pixels favour phase 1 by 1 nat, 20 % fit both equally.
        double[] ratio = [.. Enumerable.Range(0, 1000).Select(p => p < 800 ? Math.Exp(-1) : 1.0)];
        Assert.True(Score(ratio, 0) < 0); // the oracle: ML weight 0

        double[] prior = Estimate(ratio, iterations: 500);

        Assert.True(prior[0] < 2e-6, $"prior {prior[0]}");
        Assert.Equal(1.0, prior[0] + prior[1], 1e-12);
        // A likelihood-ratio test against the uniform prior would keep the collapse: the mixture log-likelihood rises by
        // 800·ln(2/(1 + e⁻¹)) ≈ 304 nats from π = 0.5 to π = 0.
        Assert.Equal(800 * Math.Log(2 / (1 + Math.Exp(-1))), LogLikelihood(ratio, 1e-12) - LogLikelihood(ratio, 0.5), 1e-6);
    }

    [Theory]
    [InlineData(0.3, 2.0)]
    [InlineData(0.05, 3.0)]
    [InlineData(0.6, 0.5)]
    public void Estimate_InteriorMaximum_EqualsTheBisectionOracle(double share, double nats)
    {
        // share of the pixels favour phase 0 by `nats`, the rest favour phase 1 by the same.
        var rng = new Random(7);
        double[] ratio = [.. Enumerable.Range(0, 4000).Select(_ => Math.Exp(rng.NextDouble() < share ? nats : -nats))];
        double oracle = Bisect(ratio);
        Assert.True(oracle > 0.001);

        double[] prior = Estimate(ratio, iterations: 5000);

        Assert.Equal(oracle, prior[0], 1e-4);
    }

    [Fact]
    public void Estimate_SkipsPixelsNotAnalysed()
    {
        double[] ratio = [.. Enumerable.Range(0, 200).Select(p => Math.Exp(p % 4 == 0 ? 2.0 : -2.0))];
        float[] phaseMajor = Pack(ratio, out _);
        float[] withGaps = new float[2 * 300];
        bool[] analysed = new bool[300];
        for (int p = 0, i = 0; p < 300; p++)
        {
            analysed[p] = p % 3 != 2;
            if (analysed[p])
            {
                withGaps[p] = phaseMajor[i];
                withGaps[300 + p] = phaseMajor[200 + i];
                i++;
            }
            else
            {
                withGaps[p] = 1e6f; // ignored
                withGaps[300 + p] = 1f;
            }
        }

        double[] prior = PriorEstimation.Estimate(withGaps, analysed, 300, 2, 200, 5000);

        Assert.Equal(Bisect(ratio), prior[0], 1e-4);
    }

    private static double[] Estimate(double[] ratio, int iterations)
    {
        float[] packed = Pack(ratio, out bool[] analysed);
        return PriorEstimation.Estimate(packed, analysed, ratio.Length, 2, ratio.Length, iterations);
    }

    /// <summary>Phase-major likelihoods L0 = r/(1 + r), L1 = 1/(1 + r) (any common factor cancels).</summary>
    private static float[] Pack(double[] ratio, out bool[] analysed)
    {
        int n = ratio.Length;
        float[] l = new float[2 * n];
        for (int p = 0; p < n; p++)
        {
            l[p] = (float)(ratio[p] / (1 + ratio[p]));
            l[n + p] = (float)(1 / (1 + ratio[p]));
        }

        analysed = Enumerable.Repeat(true, n).ToArray();
        return l;
    }

    private static double Score(double[] ratio, double pi) => ratio.Sum(r => (r - 1) / ((pi * r) + 1 - pi));

    private static double LogLikelihood(double[] ratio, double pi) => ratio.Sum(r => Math.Log((pi * r) + 1 - pi));

    private static double Bisect(double[] ratio)
    {
        double lo = 0, hi = 1;
        for (int i = 0; i < 200; i++)
        {
            double mid = (lo + hi) / 2;
            if (Score(ratio, mid) > 0)
            {
                lo = mid;
            }
            else
            {
                hi = mid;
            }
        }

        return (lo + hi) / 2;
    }
}
