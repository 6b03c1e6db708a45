using System.Globalization;

namespace StxmPhase.Unmixing;

/// <summary>Shared pieces of HALS and randomized HALS: input preparation, NNDSVD, the coordinate sweep, errors.</summary>
internal static class NmfCore
{
    /// <summary>
    /// The L1 and L2 penalties of W and H as scikit-learn scales them: α_W·n for W and α_H·m for H (α_H defaults to
    /// α_W), split by the L1 ratio.
    /// </summary>
    public static (double L1W, double L2W, double L1H, double L2H) Penalties(NmfOptions o, int m, int n)
    {
        double alphaH = o.AlphaH ?? o.AlphaW;
        return (n * o.AlphaW * o.L1Ratio, n * o.AlphaW * (1 - o.L1Ratio), m * alphaH * o.L1Ratio, m * alphaH * (1 - o.L1Ratio));
    }

    private const int ChunkRows = 2048;

    /// <summary>Checks the data-dependent bound k ≤ min(rows, columns); everything else is checked once by <see cref="ValidateOptions"/>.</summary>
    public static void CheckComponentCount(NmfOptions options, int rows, int columns)
    {
        int max = Math.Min(rows, columns);
        if (options.ComponentCount > max)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.ComponentCount,
                string.Create(CultureInfo.InvariantCulture,
                    $"ComponentCount must be in [1, min(rows, columns) = {max}]; got {options.ComponentCount}."));
        }
    }

    /// <summary>Validates the options on their own (called once, by the estimator's constructor).</summary>
    public static void ValidateOptions(NmfOptions options)
    {
        if (options.ComponentCount < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.ComponentCount,
                string.Create(CultureInfo.InvariantCulture, $"ComponentCount must be at least 1; got {options.ComponentCount}."));
        }

        if (options.MaxIterations < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.MaxIterations, "MaxIterations must be at least 1.");
        }

        if (!(options.Tolerance >= 0) || double.IsInfinity(options.Tolerance))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Tolerance, "Tolerance must be finite and ≥ 0.");
        }

        if (!(options.AlphaW >= 0) || double.IsInfinity(options.AlphaW) || (options.AlphaH is { } ah && (!(ah >= 0) || double.IsInfinity(ah))))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.AlphaW, "AlphaW and AlphaH must be finite and ≥ 0.");
        }

        if (!(options.L1Ratio >= 0 && options.L1Ratio <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.L1Ratio, "L1Ratio must be in [0, 1].");
        }

        if (!(options.InitializationEpsilon >= 0))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.InitializationEpsilon, "InitializationEpsilon must be ≥ 0.");
        }

        if (!Enum.IsDefined(options.Initialization) || !Enum.IsDefined(options.UpdateOrder) || !Enum.IsDefined(options.NegativeValues)
            || !Enum.IsDefined(options.StoppingRule))
        {
            throw new ArgumentOutOfRangeException(nameof(options), "An NMF option has an undefined enum value.");
        }

        Parallelism.ThrowIfInvalid(options.MaxDegreeOfParallelism, nameof(options), "NmfOptions.MaxDegreeOfParallelism");
    }

    /// <summary>Copies X, checks finiteness and applies the negative-value policy.</summary>
    public static double[] Prepare(ReadOnlySpan<double> data, int rows, int columns, NegativeValueHandling policy, out int clipped, out double shift)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rows);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(columns);
        if (data.Length != (long)rows * columns)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"The data must hold rows × columns = {rows} × {columns} values; got {data.Length}."),
                nameof(data));
        }

        double[] x = data.ToArray();
        double min = double.PositiveInfinity;
        for (int i = 0; i < x.Length; i++)
        {
            double v = x[i];
            if (!double.IsFinite(v))
            {
                throw new ArgumentException(
                    string.Create(CultureInfo.InvariantCulture,
                        $"Data value at row {i / columns}, column {i % columns} is not finite ({v}); mask such pixels before NMF."),
                    nameof(data));
            }

            min = Math.Min(min, v);
        }

        clipped = 0;
        shift = 0;
        if (min < 0)
        {
            switch (policy)
            {
                case NegativeValueHandling.Throw:
                    int first = Array.FindIndex(x, v => v < 0);
                    throw new ArgumentException(
                        string.Create(CultureInfo.InvariantCulture,
                            $"NMF needs non-negative data; value at row {first / columns}, column {first % columns} is {x[first]}."),
                        nameof(data));
                case NegativeValueHandling.SubtractMinimum:
                    shift = -min;
                    for (int i = 0; i < x.Length; i++)
                    {
                        x[i] += shift;
                    }

                    break;
                default:
                    for (int i = 0; i < x.Length; i++)
                    {
                        if (x[i] < 0)
                        {
                            x[i] = 0;
                            clipped++;
                        }
                    }

                    break;
            }
        }

        return x;
    }

    /// <summary>NNDSVD family or random initialisation (scikit-learn <c>_initialize_nmf</c>).</summary>
    public static NmfFactors Initialize(double[] x, int m, int n, int k, NmfInitialization init, int seed, double eps, int maxDop,
        CancellationToken ct)
    {
        double mean = 0;
        for (int i = 0; i < x.Length; i++)
        {
            mean += x[i];
        }

        mean /= x.Length;
        double[] w = new double[(long)m * k];
        double[] h = new double[k * n];
        var rng = new GaussianSource(seed);
        if (init == NmfInitialization.Random)
        {
            double avg = Math.Sqrt(mean / k);
            for (int i = 0; i < h.Length; i++)
            {
                h[i] = avg * Math.Abs(rng.Next());
            }

            for (int i = 0; i < w.Length; i++)
            {
                w[i] = avg * Math.Abs(rng.Next());
            }

            return new NmfFactors(m, n, k, w, h);
        }

        // Rank-k SVD: exact when k + 10 ≥ min(m, n) (where scikit-learn's randomized_svd is exact to rounding), randomized otherwise
        // with scikit-learn's n_iter='auto' (7 power iterations when k < 0.1·min(m, n), else 4).
        SvdResult svd = k + 10 >= Math.Min(m, n)
            ? ThinSvd.Compute(x, m, n, k)
            : ThinSvd.ComputeRandomized(x, m, n, k, 10, k < 0.1 * Math.Min(m, n) ? 7 : 4, seed, maxDop, ct);
        ReadOnlySpan<double> u = svd.U;
        ReadOnlySpan<double> s = svd.SingularValues;
        ReadOnlySpan<double> vt = svd.Vt;
        for (int i = 0; i < m; i++)
        {
            w[(long)i * k] = Math.Sqrt(s[0]) * Math.Abs(u[i * k]);
        }

        for (int j = 0; j < n; j++)
        {
            h[j] = Math.Sqrt(s[0]) * Math.Abs(vt[j]);
        }

        for (int c = 1; c < k; c++)
        {
            double xp = 0, xn = 0, yp = 0, yn = 0;
            for (int i = 0; i < m; i++)
            {
                double v = u[(i * k) + c];
                if (v > 0)
                {
                    xp += v * v;
                }
                else
                {
                    xn += v * v;
                }
            }

            for (int j = 0; j < n; j++)
            {
                double v = vt[(c * n) + j];
                if (v > 0)
                {
                    yp += v * v;
                }
                else
                {
                    yn += v * v;
                }
            }

            xp = Math.Sqrt(xp);
            xn = Math.Sqrt(xn);
            yp = Math.Sqrt(yp);
            yn = Math.Sqrt(yn);
            double mp = xp * yp;
            double mn = xn * yn;
            bool positive = mp > mn;
            double sigma = positive ? mp : mn;
            if (sigma == 0)
            {
                continue; // degenerate component: stays 0 (filled below for NNDSVDa/ar)
            }

            double xNorm = positive ? xp : xn;
            double yNorm = positive ? yp : yn;
            double lbd = Math.Sqrt(s[c] * sigma);
            double sign = positive ? 1 : -1;
            for (int i = 0; i < m; i++)
            {
                double v = sign * u[(i * k) + c];
                w[((long)i * k) + c] = v > 0 ? lbd * (v / xNorm) : 0;
            }

            for (int j = 0; j < n; j++)
            {
                double v = sign * vt[(c * n) + j];
                h[(c * n) + j] = v > 0 ? lbd * (v / yNorm) : 0;
            }
        }

        Threshold(w, eps);
        Threshold(h, eps);
        if (init == NmfInitialization.NndsvdA)
        {
            Fill(w, _ => mean);
            Fill(h, _ => mean);
        }
        else if (init == NmfInitialization.NndsvdAr)
        {
            Fill(w, _ => Math.Abs(mean * rng.Next() / 100));
            Fill(h, _ => Math.Abs(mean * rng.Next() / 100));
        }

        return new NmfFactors(m, n, k, w, h);
    }

    private static void Threshold(double[] a, double eps)
    {
        for (int i = 0; i < a.Length; i++)
        {
            if (a[i] < eps)
            {
                a[i] = 0;
            }
        }
    }

    private static void Fill(double[] a, Func<int, double> value)
    {
        for (int i = 0; i < a.Length; i++)
        {
            if (a[i] == 0)
            {
                a[i] = value(i);
            }
        }
    }

    /// <summary>
    /// One HALS coordinate sweep over the rows of W (rows × k) with Gram G (k × k) and cross term C (rows × k):
    /// for t in perm: g = Σ_r G[t,r]·W[i,r] − C[i,t]; violation += |projected g|; W[i,t] = max(W[i,t] − g/G[t,t], 0).
    /// Row i's updates involve only row i, so iterating rows outermost gives the same values as scikit-learn's
    /// component-outer loop (<c>_update_cdnmf_fast</c>) and parallelises over rows. Returns the summed violation.
    /// </summary>
    public static double Sweep(double[] w, int rows, int k, double[] g, double[] c, int[] perm, int maxDop)
    {
        int chunks = (rows + ChunkRows - 1) / ChunkRows;
        double[] partial = new double[chunks];
        Kernels.For(chunks, maxDop, ch =>
        {
            int start = ch * ChunkRows;
            int end = Math.Min(rows, start + ChunkRows);
            double viol = 0;
            for (int i = start; i < end; i++)
            {
                int o = i * k;
                for (int s = 0; s < k; s++)
                {
                    int t = perm[s];
                    double grad = -c[o + t];
                    int go = t * k;
                    for (int r = 0; r < k; r++)
                    {
                        grad += g[go + r] * w[o + r];
                    }

                    double wt = w[o + t];
                    double pg = wt == 0 ? Math.Min(0.0, grad) : grad;
                    viol += Math.Abs(pg);
                    double hess = g[go + t];
                    if (hess != 0)
                    {
                        w[o + t] = Math.Max(wt - (grad / hess), 0.0);
                    }
                }
            }

            partial[ch] = viol;
        });

        double total = 0;
        foreach (double v in partial)
        {
            total += v;
        }

        return total;
    }

    /// <summary>‖X − WH‖_F computed directly, row by row.</summary>
    public static double ReconstructionError(double[] x, int m, int n, double[] w, double[] h, int k, int maxDop)
    {
        int chunks = (m + ChunkRows - 1) / ChunkRows;
        double[] partial = new double[chunks];
        Kernels.For(chunks, maxDop, ch =>
        {
            int start = ch * ChunkRows;
            int end = Math.Min(m, start + ChunkRows);
            double[] row = new double[n];
            double acc = 0;
            for (int i = start; i < end; i++)
            {
                x.AsSpan(i * n, n).CopyTo(row);
                for (int t = 0; t < k; t++)
                {
                    double wt = w[(i * k) + t];
                    if (wt != 0)
                    {
                        System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(h.AsSpan(t * n, n), -wt, row, row);
                    }
                }

                acc += System.Numerics.Tensors.TensorPrimitives.Dot<double>(row, row);
            }

            partial[ch] = acc;
        });

        double total = 0;
        foreach (double v in partial)
        {
            total += v;
        }

        return Math.Sqrt(total);
    }

    public static int[] Permutation(int k, bool shuffle, GaussianSource rng)
    {
        int[] perm = new int[k];
        for (int i = 0; i < k; i++)
        {
            perm[i] = i;
        }

        if (shuffle)
        {
            for (int i = k - 1; i > 0; i--)
            {
                int j = rng.NextInt(i + 1);
                (perm[i], perm[j]) = (perm[j], perm[i]);
            }
        }

        return perm;
    }

    public static double FrobeniusDot(ReadOnlySpan<double> a, ReadOnlySpan<double> b) =>
        System.Numerics.Tensors.TensorPrimitives.Dot(a, b);

    /// <summary>
    /// Decides whether to stop after an iteration. <paramref name="violationInit"/> is set on iteration 1.
    /// </summary>
    public static bool ShouldStop(NmfOptions o, int iteration, double violation, ref double violationInit, double objective, double previousObjective,
        out double ratio)
    {
        if (iteration == 1)
        {
            violationInit = violation;
        }

        ratio = violationInit > 0 ? violation / violationInit : 0;
        if (o.StoppingRule == NmfStoppingRule.ProjectedGradient)
        {
            return violationInit == 0 || ratio <= o.Tolerance;
        }

        if (objective <= 0)
        {
            return true;
        }

        return iteration > 1 && previousObjective - objective <= o.Tolerance * previousObjective;
    }
}
