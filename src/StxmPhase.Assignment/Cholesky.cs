namespace StxmPhase.Assignment;

/// <summary>Small dense float64 Cholesky factorisation and triangular inverse (d × d, row-major).</summary>
internal static class Cholesky
{
    /// <summary>Relative pivot threshold below which a matrix counts as not (numerically) positive definite.</summary>
    public const double PivotTolerance = 1e-12;

    /// <summary>
    /// Factors A = LLᵀ. Returns false when A is not positive definite, i.e. when its trace is not positive or a pivot
    /// falls to or below <see cref="PivotTolerance"/>·tr(A)/d (a reciprocal condition number of about 1e-12).
    /// </summary>
    public static bool TryFactor(ReadOnlySpan<double> a, int d, Span<double> lower)
    {
        double scale = LedoitWolf.Trace(a, d) / d;
        if (!(scale > 0) || !double.IsFinite(scale))
        {
            return false;
        }

        lower[..(d * d)].Clear();
        for (int i = 0; i < d; i++)
        {
            for (int j = 0; j <= i; j++)
            {
                double sum = a[(i * d) + j];
                for (int k = 0; k < j; k++)
                {
                    sum -= lower[(i * d) + k] * lower[(j * d) + k];
                }

                if (i == j)
                {
                    if (!(sum > PivotTolerance * scale))
                    {
                        return false;
                    }

                    lower[(i * d) + i] = Math.Sqrt(sum);
                }
                else
                {
                    lower[(i * d) + j] = sum / lower[(j * d) + j];
                }
            }
        }

        return true;
    }

    /// <summary>Inverts a lower-triangular matrix by forward substitution; the result is lower-triangular.</summary>
    public static void InvertLower(ReadOnlySpan<double> lower, int d, Span<double> inverse)
    {
        inverse[..(d * d)].Clear();
        for (int col = 0; col < d; col++)
        {
            // Solve L x = e_col.
            for (int i = col; i < d; i++)
            {
                double sum = i == col ? 1.0 : 0.0;
                for (int k = col; k < i; k++)
                {
                    sum -= lower[(i * d) + k] * inverse[(k * d) + col];
                }

                inverse[(i * d) + col] = sum / lower[(i * d) + i];
            }
        }
    }
}
