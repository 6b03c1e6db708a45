using StxmPhase.Spectra;

namespace StxmPhase.Correlation.Tests;

/// <summary>
/// Independent float64 implementation of algorithms.md §0, written for clarity (textbook two-pass Pearson per pixel
/// and per reference, no shared code with the library): the oracle the kernels are compared against.
/// </summary>
internal sealed class DoubleOracle
{
    private DoubleOracle(int pixels, int phases)
    {
        Correlations = new double[phases * pixels];
        Labels = new int[pixels];
        SecondLabels = new int[pixels];
        Best = new double[pixels];
        Second = new double[pixels];
        Ambiguous = new bool[pixels];
        Status = new PixelStatus[pixels];
    }

    public double[] Correlations { get; }

    public int[] Labels { get; }

    public int[] SecondLabels { get; }

    public double[] Best { get; }

    public double[] Second { get; }

    public bool[] Ambiguous { get; }

    public PixelStatus[] Status { get; }

    public static double Pearson(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        double mx = 0;
        double my = 0;
        for (int i = 0; i < x.Length; i++)
        {
            mx += x[i];
            my += y[i];
        }

        mx /= x.Length;
        my /= y.Length;
        double sxy = 0;
        double sxx = 0;
        double syy = 0;
        for (int i = 0; i < x.Length; i++)
        {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }

        return sxy / Math.Sqrt(sxx * syy);
    }

    public static DoubleOracle Compute(SpectralStack stack, ReferenceSpectra references, PixelMask? mask, double delta)
    {
        int n = stack.PixelCount;
        int e = stack.EnergyCount;
        int p = references.PhaseCount;
        var result = new DoubleOracle(n, p);
        float[] xf = new float[e];
        double[] x = new double[e];
        double[] rho = new double[p];
        for (int i = 0; i < n; i++)
        {
            result.Labels[i] = -1;
            result.SecondLabels[i] = -1;
            if (mask is not null && !mask[i])
            {
                result.Status[i] = PixelStatus.Masked;
                continue;
            }

            stack.CopySpectrum(i % stack.Width, i / stack.Width, xf);
            bool finite = true;
            double sum = 0;
            double sumSquares = 0;
            for (int k = 0; k < e; k++)
            {
                x[k] = xf[k];
                finite &= double.IsFinite(x[k]);
                sum += x[k];
                sumSquares += x[k] * x[k];
            }

            double variance = 0;
            for (int k = 0; k < e; k++)
            {
                variance += (x[k] - (sum / e)) * (x[k] - (sum / e));
            }

            if (!finite || variance <= 1e-12 * Math.Max(1, sumSquares))
            {
                result.Status[i] = PixelStatus.Invalid;
                continue;
            }

            for (int j = 0; j < p; j++)
            {
                rho[j] = Math.Clamp(Pearson(x, references.Spectrum(j)), -1, 1);
                result.Correlations[(j * n) + i] = rho[j];
            }

            // Stable descending sort of the phase indices.
            int[] order = Enumerable.Range(0, p).OrderByDescending(j => rho[j]).ToArray();
            result.Labels[i] = order[0];
            result.Best[i] = rho[order[0]];
            if (p > 1)
            {
                result.SecondLabels[i] = order[1];
                result.Second[i] = rho[order[1]];
            }
            else
            {
                result.Second[i] = -1;
            }

            result.Ambiguous[i] = result.Best[i] - result.Second[i] < delta;
        }

        return result;
    }
}
