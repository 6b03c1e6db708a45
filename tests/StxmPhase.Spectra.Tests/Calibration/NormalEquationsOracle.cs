namespace StxmPhase.Spectra.Tests.Calibration;

/// <summary>A double-precision least-squares oracle shared by the background tests.</summary>
internal static class NormalEquationsOracle
{
    /// <summary>x minus its least-squares fit by the columns (normal equations by Gaussian elimination in double).</summary>
    public static double[] Residual(double[] x, double[][] columns)
    {
        int c = columns.Length, m = x.Length;
        double[,] a = new double[c, c + 1];
        for (int i = 0; i < c; i++)
        {
            for (int j = 0; j < c; j++)
            {
                a[i, j] = Enumerable.Range(0, m).Sum(e => columns[i][e] * columns[j][e]);
            }

            a[i, c] = Enumerable.Range(0, m).Sum(e => columns[i][e] * x[e]);
        }

        for (int i = 0; i < c; i++)
        {
            for (int r = i + 1; r < c; r++)
            {
                double f = a[r, i] / a[i, i];
                for (int j = i; j <= c; j++)
                {
                    a[r, j] -= f * a[i, j];
                }
            }
        }

        double[] beta = new double[c];
        for (int i = c - 1; i >= 0; i--)
        {
            double s = a[i, c];
            for (int j = i + 1; j < c; j++)
            {
                s -= a[i, j] * beta[j];
            }

            beta[i] = s / a[i, i];
        }

        return [.. Enumerable.Range(0, m).Select(e => x[e] - Enumerable.Range(0, c).Sum(j => beta[j] * columns[j][e]))];
    }
}
