using System.Globalization;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Factorization;

namespace StxmPhase.Unmixing;

/// <summary>
/// Memory-aware singular value decompositions of tall (pixels × energies) matrices. Never forms a rows × rows matrix:
/// MathNet's <c>Svd()</c> on an m × n matrix allocates the full m × m U, so this class takes a thin QR first.
/// </summary>
/// <remarks>
/// <para>
/// <b>Exact:</b> for m ≥ n, <c>A = Q R</c> (thin Householder QR, Q m × n), <c>R = Ũ S Vᵀ</c> (n × n SVD),
/// <c>U = Q Ũ</c>. Memory O(mn), time O(mn²). A wide matrix is decomposed through its transpose.
/// </para>
/// <para>
/// <b>Randomized</b> (Halko–Martinsson–Tropp): a <see cref="QbDecomposition"/> <c>A ≈ Q B</c> with l = rank + oversampling
/// columns and q power iterations, then the exact SVD of the small l × n matrix B: <c>U = Q Ũ</c>. Time O(mnl·(2q+2)).
/// </para>
/// </remarks>
public static class ThinSvd
{
    /// <summary>Computes the exact thin SVD, keeping the leading <paramref name="rank"/> components.</summary>
    /// <param name="matrix">A, row-major <paramref name="rows"/> × <paramref name="columns"/>.</param>
    /// <param name="rows">Number of rows.</param>
    /// <param name="columns">Number of columns.</param>
    /// <param name="rank">Components to keep, 1 … min(rows, columns); <see langword="null"/> keeps all.</param>
    /// <returns>The decomposition.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A size or the rank is out of range.</exception>
    /// <exception cref="ArgumentException">The matrix length differs from rows × columns.</exception>
    public static SvdResult Compute(ReadOnlySpan<double> matrix, int rows, int columns, int? rank = null)
    {
        int r = CheckArguments(matrix, rows, columns, rank);
        if (rows >= columns)
        {
            Matrix<double> a = DenseOps.FromRowMajor(matrix, rows, columns);
            QR<double> qr = a.QR(QRMethod.Thin);
            Svd<double> svd = qr.R.Svd(computeVectors: true);
            Matrix<double> u = qr.Q * svd.U.SubMatrix(0, columns, 0, r);
            return Finish(rows, columns, r, u, svd.S, svd.VT.SubMatrix(0, r, 0, columns), isExact: true);
        }

        // Wide: decompose Aᵀ = U' S V'ᵀ, so A = V' S U'ᵀ.
        double[] at = new double[(long)rows * columns];
        Kernels.Transpose(matrix, rows, columns, at);
        SvdResult t = Compute(at, columns, rows, r);
        double[] u2 = new double[rows * r];
        Kernels.Transpose(t.Vt, r, rows, u2);
        double[] vt2 = new double[r * columns];
        Kernels.Transpose(t.U, columns, r, vt2);
        DenseOps.SignFlip(u2, rows, r, vt2, columns);
        return new SvdResult(rows, columns, r, u2, t.SingularValues.ToArray(), vt2, isExact: true);
    }

    /// <summary>Computes a rank-<paramref name="rank"/> randomized SVD.</summary>
    /// <param name="matrix">A, row-major <paramref name="rows"/> × <paramref name="columns"/>.</param>
    /// <param name="rows">Number of rows.</param>
    /// <param name="columns">Number of columns.</param>
    /// <param name="rank">Components to keep, 1 … min(rows, columns).</param>
    /// <param name="oversampling">Extra sketch columns p (default 10, as scikit-learn's <c>randomized_svd</c>).</param>
    /// <param name="powerIterations">Power (subspace) iterations q (default 4).</param>
    /// <param name="seed">Seed of the Gaussian test matrix.</param>
    /// <param name="maxDegreeOfParallelism">Parallelism of the products (−1: all cores).</param>
    /// <param name="cancellationToken">Cancels between products.</param>
    /// <returns>The decomposition; exact (<see cref="SvdResult.IsExact"/>) when rank + oversampling ≥ min(rows, columns).</returns>
    /// <exception cref="ArgumentOutOfRangeException">A size, the rank, the oversampling or the power iterations are out of range.</exception>
    /// <exception cref="ArgumentException">The matrix length differs from rows × columns.</exception>
    public static SvdResult ComputeRandomized(ReadOnlySpan<double> matrix, int rows, int columns, int rank, int oversampling = 10,
        int powerIterations = 4, int seed = 0, int maxDegreeOfParallelism = -1, CancellationToken cancellationToken = default)
    {
        int r = CheckArguments(matrix, rows, columns, rank);
        QbDecomposition qb = QbDecomposition.Compute(matrix, rows, columns, r, oversampling, powerIterations, seed, maxDegreeOfParallelism,
            cancellationToken);
        if (qb.IsExact && rows >= columns)
        {
            return Compute(matrix, rows, columns, r);
        }

        int l = qb.SketchSize;
        SvdResult small = Compute(qb.B, l, columns, Math.Min(r, Math.Min(l, columns)));
        double[] u = new double[rows * small.Rank];
        Kernels.MultiplySmallParallel(qb.QArray, rows, l, small.U.ToArray(), small.Rank, u, maxDegreeOfParallelism);
        double[] vt = small.Vt.ToArray();
        DenseOps.SignFlip(u, rows, small.Rank, vt, columns);
        return new SvdResult(rows, columns, small.Rank, u, small.SingularValues.ToArray(), vt, qb.IsExact);
    }

    private static SvdResult Finish(int rows, int columns, int r, Matrix<double> u, MathNet.Numerics.LinearAlgebra.Vector<double> s,
        Matrix<double> vt, bool isExact)
    {
        double[] ua = u.ToRowMajorArray();
        double[] vta = vt.ToRowMajorArray();
        double[] sa = s.SubVector(0, r).ToArray();
        DenseOps.SignFlip(ua, rows, r, vta, columns);
        return new SvdResult(rows, columns, r, ua, sa, vta, isExact);
    }

    private static int CheckArguments(ReadOnlySpan<double> matrix, int rows, int columns, int? rank)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rows);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(columns);
        if (matrix.Length != (long)rows * columns)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture,
                    $"The matrix must hold rows × columns = {rows} × {columns} values; got {matrix.Length}."),
                nameof(matrix));
        }

        int max = Math.Min(rows, columns);
        int r = rank ?? max;
        if (r < 1 || r > max)
        {
            throw new ArgumentOutOfRangeException(nameof(rank), r,
                string.Create(CultureInfo.InvariantCulture, $"The rank must be in [1, min(rows, columns) = {max}]; got {r}."));
        }

        return r;
    }
}
