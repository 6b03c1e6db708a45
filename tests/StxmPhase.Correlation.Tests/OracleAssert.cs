using StxmPhase.Spectra;

namespace StxmPhase.Correlation.Tests;

internal static class OracleAssert
{
    public const double CoefficientTolerance = 1e-5;

    /// <summary>Asserts two noise-model results agree: the same degrees of freedom and labels, posteriors within 1e-5.</summary>
    public static void SamePosteriors(PhasePosteriors expected, PhasePosteriors actual)
    {
        Assert.Equal(expected.DegreesOfFreedom, actual.DegreesOfFreedom);
        Assert.Equal(expected.Labels.ToArray(), actual.Labels.ToArray());
        float[] a = expected.Posteriors.ToArray(), b = actual.Posteriors.ToArray();
        for (int i = 0; i < a.Length; i++)
        {
            Assert.Equal(a[i], b[i], 1e-5f);
        }
    }

    /// <summary>
    /// Asserts the result equals the float64 oracle: identical status everywhere; coefficients, Q1, Q2 within 1e-5
    /// (R within 1e-3); identical labels and ambiguity away from near-ties (gaps larger than 1e-5); near a tie the
    /// reported phases must still carry the oracle's Q1/Q2 within tolerance.
    /// </summary>
    public static void Matches(DoubleOracle expected, CorrelationResult actual, string context)
    {
        int n = actual.PixelCount;
        int p = actual.PhaseCount;
        for (int i = 0; i < n; i++)
        {
            Assert.True(expected.Status[i] == actual.Status[i],
                $"{context}: status of pixel {i}: expected {expected.Status[i]}, got {actual.Status[i]}");
            for (int j = 0; j < p; j++)
            {
                double e = expected.Correlations[(j * n) + i];
                double a = actual.Correlations[(j * n) + i];
                Assert.True(Math.Abs(e - a) <= CoefficientTolerance, $"{context}: rho[{j}] of pixel {i}: expected {e:R}, got {a:R}");
            }

            if (expected.Status[i] != PixelStatus.Valid)
            {
                Assert.Equal(-1, actual.PhaseMap.Labels[i]);
                Assert.Equal(-1, actual.SecondLabels[i]);
                Assert.Equal(0f, actual.BestCoefficients[i]);
                Assert.Equal(0f, actual.SecondCoefficients[i]);
                Assert.Equal(0f, actual.Reliability[i]);
                Assert.False(actual.Ambiguous[i]);
                continue;
            }

            double gap = expected.Best[i] - expected.Second[i];
            Assert.True(Math.Abs(expected.Best[i] - actual.BestCoefficients[i]) <= CoefficientTolerance, $"{context}: Q1 of pixel {i}");
            Assert.True(Math.Abs(expected.Second[i] - actual.SecondCoefficients[i]) <= CoefficientTolerance, $"{context}: Q2 of pixel {i}");
            Assert.True(Math.Abs((100 * gap) - actual.Reliability[i]) <= 100 * 2 * CoefficientTolerance, $"{context}: R of pixel {i}");
            int label = actual.PhaseMap.Labels[i];
            int second = actual.SecondLabels[i];
            if (gap > CoefficientTolerance)
            {
                Assert.True(expected.Labels[i] == label, $"{context}: label of pixel {i}: expected {expected.Labels[i]}, got {label} (gap {gap:G3})");
            }
            else
            {
                Assert.True(Math.Abs(expected.Correlations[(label * n) + i] - expected.Best[i]) <= CoefficientTolerance,
                    $"{context}: near-tie label of pixel {i}");
            }

            if (p == 1)
            {
                Assert.Equal(-1, second);
            }
            else
            {
                Assert.NotEqual(label, second);
                Assert.True(Math.Abs(expected.Correlations[(second * n) + i] - expected.Second[i]) <= CoefficientTolerance,
                    $"{context}: second label of pixel {i}");
            }

            if (Math.Abs(gap - actual.AmbiguityThreshold) > CoefficientTolerance)
            {
                Assert.True(expected.Ambiguous[i] == actual.Ambiguous[i], $"{context}: ambiguity of pixel {i} (gap {gap:R})");
            }
        }
    }
}
