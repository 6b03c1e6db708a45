using System.Globalization;

namespace StxmPhase.Unmixing;

/// <summary>
/// Non-negative least squares, <c>min ‖A x − b‖₂ subject to x ≥ 0</c>, by the Lawson–Hanson active-set algorithm
/// (the algorithm of <c>scipy.optimize.nnls</c>).
/// </summary>
/// <remarks>
/// <para>
/// Each call factorises the passive columns from scratch (Householder QR), so this is the plain "one system at a
/// time" solver; <see cref="LinearCombinationFitter"/> solves millions of systems that share A by caching the factor
/// of every passive set instead.
/// </para>
/// <para>
/// Termination: the largest gradient component <c>w = Aᵀ(b − Ax)</c> over the variables held at zero is at most
/// <c>tol = 10·ε·‖A‖₁·max(rows, columns)</c>. A column that is numerically dependent on the passive columns is never
/// added. The outer loop is capped at 3·columns additions (SciPy's default); <see cref="NnlsSolution.Converged"/>
/// reports whether the cap was hit. With A of full column rank the solution is unique and agrees with SciPy to
/// rounding (tested to 1e-9 relative on 13×5 systems, including near-collinear STXM-like references).
/// </para>
/// </remarks>
/// <example>
/// <code>
/// double[] a = { 1, 0, 1, 0, 0, 1 };            // 3×2, row-major
/// var x = new double[2];
/// NnlsSolution s = Nnls.Solve(a, 3, 2, new double[] { 2, 1, 1 }, x); // x = (1.5, 1), s.ResidualNorm = 0.7071…
/// </code>
/// </example>
public static class Nnls
{
    /// <summary>Solves <c>min ‖A x − b‖₂</c> subject to <c>x ≥ 0</c>.</summary>
    /// <param name="matrix">A, row-major, <paramref name="rows"/> × <paramref name="columns"/>.</param>
    /// <param name="rows">Number of rows of A (equations).</param>
    /// <param name="columns">Number of columns of A (unknowns), at most 31.</param>
    /// <param name="rhs">b, <paramref name="rows"/> values.</param>
    /// <param name="solution">Receives x (<paramref name="columns"/> values).</param>
    /// <returns>The residual norm ‖Ax − b‖₂ and whether the iteration converged.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="rows"/> or <paramref name="columns"/> is not positive, or
    /// <paramref name="columns"/> exceeds 31.</exception>
    /// <exception cref="ArgumentException">A span has the wrong length, or an input is not finite.</exception>
    public static NnlsSolution Solve(ReadOnlySpan<double> matrix, int rows, int columns, ReadOnlySpan<double> rhs, Span<double> solution)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rows);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(columns);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(columns, 31);
        if (matrix.Length != (long)rows * columns)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture,
                    $"The matrix must hold rows × columns = {rows} × {columns} = {rows * columns} values; got {matrix.Length}."),
                nameof(matrix));
        }

        if (rhs.Length != rows)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"The right-hand side must hold {rows} values; got {rhs.Length}."), nameof(rhs));
        }

        if (solution.Length < columns)
        {
            throw new ArgumentException("Destination is too short.", nameof(solution));
        }

        CheckFinite(matrix, nameof(matrix));
        CheckFinite(rhs, nameof(rhs));
        var engine = new NnlsEngine(matrix.ToArray(), rows, columns, cacheSubsets: false);
        NnlsWorkspace ws = engine.CreateWorkspace();
        bool converged = engine.Solve(rhs, solution, ws);
        double rr = 0;
        for (int i = 0; i < rows; i++)
        {
            double v = rhs[i];
            for (int j = 0; j < columns; j++)
            {
                v -= matrix[(i * columns) + j] * solution[j];
            }

            rr += v * v;
        }

        return new NnlsSolution(Math.Sqrt(rr), converged);
    }

    private static void CheckFinite(ReadOnlySpan<double> values, string paramName)
    {
        for (int i = 0; i < values.Length; i++)
        {
            if (!double.IsFinite(values[i]))
            {
                throw new ArgumentException(
                    string.Create(CultureInfo.InvariantCulture, $"Value at index {i} is not finite ({values[i]})."), paramName);
            }
        }
    }
}
