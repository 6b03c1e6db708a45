namespace StxmPhase.Synthetic.Tests;

/// <summary>Double-precision oracles used by the tests (written out here, independent of the library).</summary>
internal static class TestMath
{
    public static double Pearson(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        double ma = 0, mb = 0;
        for (int i = 0; i < a.Length; i++)
        {
            ma += a[i];
            mb += b[i];
        }

        ma /= a.Length;
        mb /= b.Length;
        double sab = 0, saa = 0, sbb = 0;
        for (int i = 0; i < a.Length; i++)
        {
            double da = a[i] - ma;
            double db = b[i] - mb;
            sab += da * db;
            saa += da * da;
            sbb += db * db;
        }

        return sab / Math.Sqrt(saa * sbb);
    }

    public static int ArgMaxPearson(ReadOnlySpan<double> spectrum, StxmPhase.Spectra.ReferenceSpectra references)
    {
        int best = -1;
        double bestR = double.NegativeInfinity;
        for (int p = 0; p < references.PhaseCount; p++)
        {
            double r = Pearson(spectrum, references.Spectrum(p));
            if (r > bestR)
            {
                bestR = r;
                best = p;
            }
        }

        return best;
    }

    public static (double Mean, double Variance) MeanVariance(IReadOnlyList<double> values)
    {
        double mean = values.Average();
        double variance = values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1);
        return (mean, variance);
    }
}
