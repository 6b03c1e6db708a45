namespace StxmPhase.Assignment;

/// <summary>
/// Empirical covariance and Ledoit–Wolf shrinkage in float64, as scikit-learn's <c>empirical_covariance</c> and
/// <c>ledoit_wolf</c> compute them for already-centred data.
/// </summary>
internal static class LedoitWolf
{
    /// <summary>Biased empirical covariance S = XᵀX / n of centred rows (n × d, row-major) into a d × d matrix.</summary>
    public static void EmpiricalCovariance(ReadOnlySpan<double> centred, int n, int d, Span<double> covariance)
    {
        covariance[..(d * d)].Clear();
        for (int r = 0; r < n; r++)
        {
            ReadOnlySpan<double> x = centred.Slice(r * d, d);
            for (int i = 0; i < d; i++)
            {
                for (int j = 0; j <= i; j++)
                {
                    covariance[(i * d) + j] += x[i] * x[j];
                }
            }
        }

        for (int i = 0; i < d; i++)
        {
            for (int j = 0; j <= i; j++)
            {
                double v = covariance[(i * d) + j] / n;
                covariance[(i * d) + j] = v;
                covariance[(j * d) + i] = v;
            }
        }
    }

    /// <summary>
    /// The Ledoit–Wolf shrinkage α ∈ [0, 1] of centred rows:
    /// β̃ = (Σᵢ‖xᵢ‖⁴/n − ‖S‖²_F)/(d·n), δ = ‖S − μ̄I‖²_F/d, α = min(β̃, δ)/δ (0 when min(β̃, δ) = 0);
    /// 0 when d = 1.
    /// </summary>
    public static double Shrinkage(ReadOnlySpan<double> centred, int n, int d, ReadOnlySpan<double> empirical)
    {
        if (d == 1 || n == 0)
        {
            return 0.0;
        }

        double trace = 0;
        for (int i = 0; i < d; i++)
        {
            trace += empirical[(i * d) + i];
        }

        double mu = trace / d;
        double frob2 = 0;
        for (int i = 0; i < d * d; i++)
        {
            frob2 += empirical[i] * empirical[i];
        }

        double fourth = 0;
        for (int r = 0; r < n; r++)
        {
            double norm2 = 0;
            ReadOnlySpan<double> x = centred.Slice(r * d, d);
            for (int j = 0; j < d; j++)
            {
                norm2 += x[j] * x[j];
            }

            fourth += norm2 * norm2;
        }

        double beta = (fourth / n - frob2) / ((double)d * n);
        // ‖S − μ̄I‖²_F = ‖S‖²_F − 2μ̄·tr(S) + d·μ̄².
        double delta = (frob2 - (2.0 * mu * trace) + (d * mu * mu)) / d;
        beta = Math.Min(beta, delta);
        return beta == 0 ? 0.0 : beta / delta;
    }

    /// <summary>Shrinks in place: Σ = (1 − α)S + α·μ̄·I with μ̄ = tr(S)/d.</summary>
    public static void Shrink(Span<double> covariance, int d, double shrinkage)
    {
        double mu = Trace(covariance, d) / d;
        for (int i = 0; i < d * d; i++)
        {
            covariance[i] *= 1.0 - shrinkage;
        }

        for (int i = 0; i < d; i++)
        {
            covariance[(i * d) + i] += shrinkage * mu;
        }
    }

    public static double Trace(ReadOnlySpan<double> matrix, int d)
    {
        double trace = 0;
        for (int i = 0; i < d; i++)
        {
            trace += matrix[(i * d) + i];
        }

        return trace;
    }
}
