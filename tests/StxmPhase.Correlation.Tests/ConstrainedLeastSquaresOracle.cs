namespace StxmPhase.Correlation.Tests;

/// <summary>
/// Weighted least squares with some coefficients constrained to be ≥ 0, in double precision, by Householder QR (no shared
/// code with the library's normal equations): the oracle of the noise model's background fits.
/// </summary>
internal static class ConstrainedLeastSquaresOracle
{
    /// <summary>
    /// χ² of x = Σ β_j X_j by weighted least squares, β_j ≥ 0 for the columns in <paramref name="nonNegative"/>: a Householder QR of
    /// √w·X for every choice of the constrained columns left out, the smallest residual of the feasible solutions.
    /// </summary>
    public static double ChiSquare(double[][] columns, bool[] nonNegative, double[] x, double[] w)
    {
        int c = columns.Length;
        double best = double.PositiveInfinity;
        for (int subset = 0; subset < 1 << c; subset++)
        {
            bool skip = false;
            var use = new List<int>();
            for (int j = 0; j < c; j++)
            {
                bool on = (subset & (1 << j)) != 0;
                skip |= !on && !nonNegative[j]; // free columns are always in
                if (on)
                {
                    use.Add(j);
                }
            }

            if (skip)
            {
                continue;
            }

            (double[] beta, double residual) = WeightedQrSolve([.. use.Select(j => columns[j])], x, w);
            bool feasible = true;
            for (int i = 0; i < use.Count; i++)
            {
                feasible &= !nonNegative[use[i]] || beta[i] >= -1e-12;
            }

            if (feasible)
            {
                best = Math.Min(best, residual);
            }
        }

        return best;
    }

    public static (double[] Beta, double Residual) WeightedQrSolve(double[][] cols, double[] x, double[] w)
    {
        int m = x.Length, c = cols.Length;
        double[,] a = new double[m, c];
        double[] y = new double[m];
        for (int i = 0; i < m; i++)
        {
            double s = Math.Sqrt(w[i]);
            y[i] = s * x[i];
            for (int j = 0; j < c; j++)
            {
                a[i, j] = s * cols[j][i];
            }
        }

        for (int j = 0; j < c; j++)
        {
            double norm = 0;
            for (int i = j; i < m; i++)
            {
                norm += a[i, j] * a[i, j];
            }

            norm = Math.Sqrt(norm);
            double alpha = a[j, j] > 0 ? -norm : norm;
            double[] v = new double[m];
            for (int i = j; i < m; i++)
            {
                v[i] = a[i, j];
            }

            v[j] -= alpha;
            double vv = 0;
            for (int i = j; i < m; i++)
            {
                vv += v[i] * v[i];
            }

            if (vv == 0)
            {
                continue;
            }

            for (int k = j; k < c; k++)
            {
                double dot = 0;
                for (int i = j; i < m; i++)
                {
                    dot += v[i] * a[i, k];
                }

                for (int i = j; i < m; i++)
                {
                    a[i, k] -= 2 * dot / vv * v[i];
                }
            }

            double dy = 0;
            for (int i = j; i < m; i++)
            {
                dy += v[i] * y[i];
            }

            for (int i = j; i < m; i++)
            {
                y[i] -= 2 * dy / vv * v[i];
            }
        }

        double[] beta = new double[c];
        for (int j = c - 1; j >= 0; j--)
        {
            double s = y[j];
            for (int k = j + 1; k < c; k++)
            {
                s -= a[j, k] * beta[k];
            }

            beta[j] = s / a[j, j];
        }

        double residual = 0;
        for (int i = c; i < m; i++)
        {
            residual += y[i] * y[i];
        }

        return (beta, residual);
    }
}
