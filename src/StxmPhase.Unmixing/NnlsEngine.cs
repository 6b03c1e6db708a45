namespace StxmPhase.Unmixing;

/// <summary>
/// Lawson–Hanson active-set non-negative least squares for one fixed matrix A (rows × cols, row-major) and many
/// right-hand sides. The unconstrained least-squares sub-problems on the passive set are solved with a Householder QR
/// of the passive columns; with <c>cacheSubsets</c> the pseudo-inverse R⁻¹Q₁ᵀ of every passive set that occurs is
/// computed once (lazily, thread-safe) and reused by every pixel, so a pixel costs a few small matrix–vector products.
/// </summary>
/// <remarks>
/// The algorithm follows Lawson &amp; Hanson (1974), ch. 23, as in SciPy's Fortran <c>nnls</c>: add the free variable
/// with the largest positive gradient (rejecting it when its column is numerically dependent on the passive columns,
/// or when its unconstrained value would not be positive), then step back towards feasibility while any passive
/// coefficient is not positive, removing the blocking coefficient and any others that became ≤ 0.
/// </remarks>
internal sealed class NnlsEngine
{
    /// <summary>Largest number of columns for which passive-set factors are cached (2^16 subsets).</summary>
    public const int MaxCachedColumns = 16;

    /// <summary>IEEE double machine epsilon 2⁻⁵².</summary>
    public const double MachineEpsilon = 2.220446049250313e-16;

    private readonly double[] _a;
    private readonly double[]?[]? _cache;
    private readonly bool[]? _singular;

    public NnlsEngine(double[] a, int rows, int cols, bool cacheSubsets)
    {
        if (cols > 31)
        {
            throw new ArgumentOutOfRangeException(nameof(cols), cols, "NNLS supports at most 31 columns (references plus offset).");
        }

        _a = a;
        Rows = rows;
        Cols = cols;
        double norm1 = 0;
        for (int j = 0; j < cols; j++)
        {
            double s = 0;
            for (int i = 0; i < rows; i++)
            {
                s += Math.Abs(a[(i * cols) + j]);
            }

            norm1 = Math.Max(norm1, s);
        }

        // tol = 10·ε·‖A‖₁·max(rows, cols) (docs/algorithms.md §4.5)
        Tolerance = 10 * MachineEpsilon * norm1 * Math.Max(rows, cols);
        MaxIterations = 3 * cols;
        if (cacheSubsets && cols <= MaxCachedColumns)
        {
            _cache = new double[]?[1 << cols];
            _singular = new bool[1 << cols];
        }
    }

    public int Rows { get; }

    public int Cols { get; }

    public double Tolerance { get; }

    public int MaxIterations { get; }

    public NnlsWorkspace CreateWorkspace() => new(Rows, Cols);

    /// <summary>Solves min ‖Ax − b‖ s.t. x ≥ 0. Returns false when the iteration cap was hit (x is then the last iterate).</summary>
    public bool Solve(ReadOnlySpan<double> b, Span<double> x, NnlsWorkspace ws)
    {
        int cols = Cols;
        Span<double> w = ws.W;
        Span<double> s = ws.S;
        x.Slice(0, cols).Clear();
        Gradient(b, x, ws);
        uint passive = 0;
        uint rejected = 0;
        int iterations = 0;
        bool converged = true;
        while (true)
        {
            int best = -1;
            double wmax = Tolerance;
            for (int j = 0; j < cols; j++)
            {
                uint bit = 1u << j;
                if ((passive & bit) == 0 && (rejected & bit) == 0 && w[j] > wmax)
                {
                    wmax = w[j];
                    best = j;
                }
            }

            if (best < 0)
            {
                break;
            }

            if (iterations >= MaxIterations)
            {
                converged = false;
                break;
            }

            uint candidate = passive | (1u << best);
            if (!SolvePassive(candidate, b, s, ws) || s[best] <= 0)
            {
                // Dependent column, or its unconstrained coefficient would not be positive: reject it for this round.
                rejected |= 1u << best;
                continue;
            }

            iterations++;

            passive = candidate;
            rejected = 0;
            for (int inner = 0; inner <= 3 * cols; inner++)
            {
                // Feasible? (every passive coefficient strictly positive)
                double alpha = double.PositiveInfinity;
                int blocking = -1;
                for (int j = 0; j < cols; j++)
                {
                    if ((passive & (1u << j)) != 0 && s[j] <= 0)
                    {
                        double t = x[j] / (x[j] - s[j]);
                        if (t < alpha)
                        {
                            alpha = t;
                            blocking = j;
                        }
                    }
                }

                if (blocking < 0)
                {
                    break;
                }

                for (int j = 0; j < cols; j++)
                {
                    if ((passive & (1u << j)) != 0)
                    {
                        x[j] += alpha * (s[j] - x[j]);
                    }
                }

                x[blocking] = 0;
                passive &= ~(1u << blocking);
                for (int j = 0; j < cols; j++)
                {
                    if ((passive & (1u << j)) != 0 && x[j] <= 0)
                    {
                        x[j] = 0;
                        passive &= ~(1u << j);
                    }
                }

                if (passive == 0 || !SolvePassive(passive, b, s, ws))
                {
                    s.Slice(0, cols).Clear();
                    break;
                }
            }

            for (int j = 0; j < cols; j++)
            {
                x[j] = (passive & (1u << j)) != 0 ? s[j] : 0;
            }

            Gradient(b, x, ws);
        }

        return converged;
    }

    /// <summary>Residual r = b − Ax into ws.R and gradient w = Aᵀr into ws.W.</summary>
    private void Gradient(ReadOnlySpan<double> b, ReadOnlySpan<double> x, NnlsWorkspace ws)
    {
        int rows = Rows;
        int cols = Cols;
        double[] a = _a;
        Span<double> r = ws.R;
        Span<double> w = ws.W;
        for (int i = 0; i < rows; i++)
        {
            double v = b[i];
            int o = i * cols;
            for (int j = 0; j < cols; j++)
            {
                v -= a[o + j] * x[j];
            }

            r[i] = v;
        }

        for (int j = 0; j < cols; j++)
        {
            w[j] = 0;
        }

        for (int i = 0; i < rows; i++)
        {
            double v = r[i];
            int o = i * cols;
            for (int j = 0; j < cols; j++)
            {
                w[j] += a[o + j] * v;
            }
        }
    }

    /// <summary>
    /// Unconstrained least squares on the columns in <paramref name="subset"/>; the solution goes to s (zero outside the
    /// subset). Returns false when those columns are numerically dependent.
    /// </summary>
    private bool SolvePassive(uint subset, ReadOnlySpan<double> b, Span<double> s, NnlsWorkspace ws)
    {
        double[]? pinv;
        if (_cache is not null)
        {
            pinv = _cache[subset];
            if (pinv is null)
            {
                if (_singular![subset])
                {
                    return false;
                }

                double[] created = new double[System.Numerics.BitOperations.PopCount(subset) * Rows];
                if (!Pseudoinverse(subset, created, ws))
                {
                    _singular[subset] = true;
                    return false;
                }

                pinv = Interlocked.CompareExchange(ref _cache[subset], created, null) ?? created;
            }
        }
        else
        {
            pinv = ws.Pinv;
            if (!Pseudoinverse(subset, pinv, ws))
            {
                return false;
            }
        }

        int rows = Rows;
        s.Slice(0, Cols).Clear();
        int k = 0;
        for (int j = 0; j < Cols; j++)
        {
            if ((subset & (1u << j)) != 0)
            {
                double v = 0;
                int o = k * rows;
                for (int i = 0; i < rows; i++)
                {
                    v += pinv[o + i] * b[i];
                }

                s[j] = v;
                k++;
            }
        }

        return true;
    }

    /// <summary>
    /// Householder QR of the subset columns A_S = Q R (rows ≥ |S| required) and pinv = R⁻¹ Q₁ᵀ (|S| × rows, row-major).
    /// </summary>
    internal bool Pseudoinverse(uint subset, Span<double> pinv, NnlsWorkspace ws)
    {
        int rows = Rows;
        int c = System.Numerics.BitOperations.PopCount(subset);
        if (c > rows)
        {
            return false;
        }

        // m: rows × c working copy (row-major); qt: rows × rows, starts as identity and accumulates Qᵀ.
        Span<double> m = ws.Qr.AsSpan(0, rows * c);
        Span<double> qt = ws.Qt.AsSpan(0, rows * rows);
        Span<double> colNorm = ws.ColNorm.AsSpan(0, c);
        int k = 0;
        for (int j = 0; j < Cols; j++)
        {
            if ((subset & (1u << j)) != 0)
            {
                double nn = 0;
                for (int i = 0; i < rows; i++)
                {
                    double v = _a[(i * Cols) + j];
                    m[(i * c) + k] = v;
                    nn += v * v;
                }

                colNorm[k] = Math.Sqrt(nn);
                k++;
            }
        }

        qt.Clear();
        for (int i = 0; i < rows; i++)
        {
            qt[(i * rows) + i] = 1;
        }

        Span<double> v0 = ws.Householder.AsSpan(0, rows);
        for (int j = 0; j < c; j++)
        {
            double norm = 0;
            for (int i = j; i < rows; i++)
            {
                norm += m[(i * c) + j] * m[(i * c) + j];
            }

            norm = Math.Sqrt(norm);
            if (!(norm > 1e-13 * colNorm[j]))
            {
                return false;
            }

            double alpha = m[(j * c) + j] >= 0 ? -norm : norm;
            for (int i = j; i < rows; i++)
            {
                v0[i] = m[(i * c) + j];
            }

            v0[j] -= alpha;
            double vtv = 0;
            for (int i = j; i < rows; i++)
            {
                vtv += v0[i] * v0[i];
            }

            if (vtv > 0)
            {
                double beta = 2 / vtv;

                // Apply H = I − β v vᵀ to columns j..c−1 of m.
                for (int col = j; col < c; col++)
                {
                    double dot = 0;
                    for (int i = j; i < rows; i++)
                    {
                        dot += v0[i] * m[(i * c) + col];
                    }

                    dot *= beta;
                    for (int i = j; i < rows; i++)
                    {
                        m[(i * c) + col] -= dot * v0[i];
                    }
                }

                // And to every column of qt (Qᵀ = H_c … H_1).
                for (int col = 0; col < rows; col++)
                {
                    double dot = 0;
                    for (int i = j; i < rows; i++)
                    {
                        dot += v0[i] * qt[(i * rows) + col];
                    }

                    dot *= beta;
                    for (int i = j; i < rows; i++)
                    {
                        qt[(i * rows) + col] -= dot * v0[i];
                    }
                }
            }
        }

        // Back substitution R · pinv = Q₁ᵀ (first c rows of qt).
        for (int col = 0; col < rows; col++)
        {
            for (int r = c - 1; r >= 0; r--)
            {
                double v = qt[(r * rows) + col];
                for (int t = r + 1; t < c; t++)
                {
                    v -= m[(r * c) + t] * pinv[(t * rows) + col];
                }

                pinv[(r * rows) + col] = v / m[(r * c) + r];
            }
        }

        return true;
    }
}

/// <summary>Per-thread scratch for <see cref="NnlsEngine"/>.</summary>
internal sealed class NnlsWorkspace
{
    public NnlsWorkspace(int rows, int cols)
    {
        W = new double[cols];
        S = new double[cols];
        X = new double[cols];
        R = new double[rows];
        B = new double[rows];
        Pinv = new double[cols * rows];
        Qr = new double[rows * cols];
        Qt = new double[rows * rows];
        ColNorm = new double[cols];
        Householder = new double[rows];
    }

    public double[] W { get; }

    public double[] S { get; }

    public double[] X { get; }

    public double[] R { get; }

    public double[] B { get; }

    public double[] Pinv { get; }

    public double[] Qr { get; }

    public double[] Qt { get; }

    public double[] ColNorm { get; }

    public double[] Householder { get; }
}
