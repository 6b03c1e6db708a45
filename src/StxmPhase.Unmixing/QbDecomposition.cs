using System.Globalization;

namespace StxmPhase.Unmixing;

/// <summary>
/// A randomized QB decomposition <c>X ≈ Q B</c> of a rows × columns matrix (Halko, Martinsson &amp; Tropp 2011;
/// ristretto <c>compute_rqb</c>): Q (rows × l) has orthonormal columns spanning (approximately) the range of X and
/// B = QᵀX is l × columns, with sketch size l = rank + oversampling.
/// </summary>
/// <remarks>
/// <para>
/// Algorithm: Ω (columns × l) i.i.d. N(0,1) from a seeded generator; Y = XΩ; Q = qr(Y).Q; then q times
/// Z = qr(XᵀQ).Q, Q = qr(XZ).Q (re-orthonormalising at every half step keeps precision); finally B = QᵀX.
/// Cost (2q + 2)·rows·columns·l multiply–adds plus O((rows + columns)·l²) for the QRs.
/// </para>
/// <para>
/// When l ≥ min(rows, columns) the sketch is skipped and the decomposition is exact: for rows ≥ columns, Q and B = R are
/// the thin QR factors of X; otherwise Q = I and B = X (<see cref="IsExact"/>).
/// </para>
/// </remarks>
public sealed class QbDecomposition
{
    private readonly double[] _q;
    private readonly double[] _b;

    private QbDecomposition(int rows, int columns, int sketchSize, double[] q, double[] b, bool isExact)
    {
        Rows = rows;
        Columns = columns;
        SketchSize = sketchSize;
        _q = q;
        _b = b;
        IsExact = isExact;
    }

    /// <summary>Gets the number of rows of X.</summary>
    public int Rows { get; }

    /// <summary>Gets the number of columns of X.</summary>
    public int Columns { get; }

    /// <summary>Gets the sketch size l (columns of Q, rows of B).</summary>
    public int SketchSize { get; }

    /// <summary>Gets whether Q B = X to rounding (the sketch was skipped because l ≥ min(rows, columns)).</summary>
    public bool IsExact { get; }

    /// <summary>Gets Q, row-major <see cref="Rows"/> × <see cref="SketchSize"/>, orthonormal columns.</summary>
    public ReadOnlySpan<double> Q => _q;

    /// <summary>Gets B = QᵀX, row-major <see cref="SketchSize"/> × <see cref="Columns"/>.</summary>
    public ReadOnlySpan<double> B => _b;

    internal double[] QArray => _q;

    internal double[] BArray => _b;

    /// <summary>Computes the QB decomposition of X.</summary>
    /// <param name="matrix">X, row-major <paramref name="rows"/> × <paramref name="columns"/>.</param>
    /// <param name="rows">Number of rows.</param>
    /// <param name="columns">Number of columns.</param>
    /// <param name="rank">Target rank k ≥ 1.</param>
    /// <param name="oversampling">Oversampling p ≥ 0 (default 10); l = k + p.</param>
    /// <param name="powerIterations">Power iterations q ≥ 0 (default 2).</param>
    /// <param name="seed">Seed of the Gaussian test matrix.</param>
    /// <param name="maxDegreeOfParallelism">Parallelism of the products (−1: all cores).</param>
    /// <param name="cancellationToken">Cancels between products.</param>
    /// <returns>The decomposition.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A size or parameter is out of range.</exception>
    /// <exception cref="ArgumentException">The matrix length differs from rows × columns.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static QbDecomposition Compute(ReadOnlySpan<double> matrix, int rows, int columns, int rank, int oversampling = 10,
        int powerIterations = 2, int seed = 0, int maxDegreeOfParallelism = -1, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rows);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(columns);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rank);
        ArgumentOutOfRangeException.ThrowIfNegative(oversampling);
        ArgumentOutOfRangeException.ThrowIfNegative(powerIterations);
        Parallelism.ThrowIfInvalid(maxDegreeOfParallelism, nameof(maxDegreeOfParallelism));
        if (matrix.Length != (long)rows * columns)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture,
                    $"The matrix must hold rows × columns = {rows} × {columns} values; got {matrix.Length}."),
                nameof(matrix));
        }

        return Compute(matrix.ToArray(), rows, columns, rank, oversampling, powerIterations, seed, maxDegreeOfParallelism, cancellationToken);
    }

    internal static QbDecomposition Compute(double[] x, int rows, int columns, int rank, int oversampling, int powerIterations,
        int seed, int maxDegreeOfParallelism, CancellationToken cancellationToken)
    {
        long lLong = (long)rank + oversampling;
        if (lLong >= Math.Min(rows, columns))
        {
            return Exact(x, rows, columns, maxDegreeOfParallelism);
        }

        int l = (int)lLong;
        var rng = new GaussianSource(seed);
        double[] omegaT = new double[l * columns]; // Ωᵀ, l × columns
        rng.Fill(omegaT);
        double[] y = new double[(long)rows * l];
        Kernels.MultiplyABt(x, rows, columns, omegaT, l, y, maxDegreeOfParallelism); // Y = XΩ
        cancellationToken.ThrowIfCancellationRequested();
        double[] q = DenseOps.Orthonormalize(y, rows, l);
        double[] zt = new double[l * columns];
        for (int it = 0; it < powerIterations; it++)
        {
            Kernels.MultiplyBtA(x, rows, columns, q, l, zt, maxDegreeOfParallelism); // Zᵀ = QᵀX  (l × columns)
            cancellationToken.ThrowIfCancellationRequested();
            double[] zq = DenseOps.OrthonormalizeTransposed(zt, l, columns);      // qr(Z).Q, transposed
            Kernels.MultiplyABt(x, rows, columns, zq, l, y, maxDegreeOfParallelism); // Y = X Z
            cancellationToken.ThrowIfCancellationRequested();
            q = DenseOps.Orthonormalize(y, rows, l);
        }

        double[] b = new double[l * columns];
        Kernels.MultiplyBtA(x, rows, columns, q, l, b, maxDegreeOfParallelism); // B = QᵀX
        return new QbDecomposition(rows, columns, l, q, b, isExact: false);
    }

    private static QbDecomposition Exact(double[] x, int rows, int columns, int maxDegreeOfParallelism)
    {
        if (rows >= columns)
        {
            var qr = DenseOps.FromRowMajor(x, rows, columns).QR(MathNet.Numerics.LinearAlgebra.Factorization.QRMethod.Thin);
            return new QbDecomposition(rows, columns, columns, qr.Q.ToRowMajorArray(), qr.R.ToRowMajorArray(), isExact: true);
        }

        _ = maxDegreeOfParallelism;
        double[] identity = new double[rows * rows];
        for (int i = 0; i < rows; i++)
        {
            identity[(i * rows) + i] = 1;
        }

        return new QbDecomposition(rows, columns, rows, identity, (double[])x.Clone(), isExact: true);
    }
}
