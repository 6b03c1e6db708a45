using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Factorization;

namespace StxmPhase.Unmixing;

/// <summary>Conversions between row-major arrays and MathNet (column-major) matrices, and small factorisations.</summary>
internal static class DenseOps
{
    /// <summary>Column-major copy of a row-major rows×cols matrix, wrapped as a MathNet matrix.</summary>
    public static Matrix<double> FromRowMajor(ReadOnlySpan<double> a, int rows, int cols)
    {
        double[] cm = new double[(long)rows * cols];
        Kernels.Transpose(a, rows, cols, cm);
        return Matrix<double>.Build.Dense(rows, cols, cm);
    }

    /// <summary>Row-major copy of a MathNet matrix.</summary>
    public static double[] ToRowMajor(Matrix<double> m) => m.ToRowMajorArray();

    /// <summary>
    /// Orthonormal basis (thin QR, Householder) of the columns of a row-major rows×cols matrix (rows ≥ cols), returned
    /// row-major rows×cols.
    /// </summary>
    public static double[] Orthonormalize(ReadOnlySpan<double> a, int rows, int cols) =>
        ToRowMajor(FromRowMajor(a, rows, cols).QR(QRMethod.Thin).Q);

    /// <summary>
    /// Orthonormal basis of the columns of the n×l matrix whose transpose is given row-major (l×n); the basis is returned
    /// transposed too (l×n row-major). No transposition is needed: a row-major l×n array is a column-major n×l matrix.
    /// </summary>
    public static double[] OrthonormalizeTransposed(double[] transposed, int l, int n)
    {
        Matrix<double> z = Matrix<double>.Build.Dense(n, l, (double[])transposed.Clone());
        return z.QR(QRMethod.Thin).Q.ToColumnMajorArray();
    }

    /// <summary>
    /// Makes the largest-magnitude entry of each column of U positive, flipping the matching row of Vᵀ
    /// (scikit-learn's <c>svd_flip</c> with <c>u_based_decision=True</c>; first index on a tie).
    /// </summary>
    public static void SignFlip(double[] u, int rows, int rank, double[] vt, int cols)
    {
        for (int j = 0; j < rank; j++)
        {
            int best = 0;
            double bestAbs = -1;
            for (int i = 0; i < rows; i++)
            {
                double v = Math.Abs(u[(i * rank) + j]);
                if (v > bestAbs)
                {
                    bestAbs = v;
                    best = i;
                }
            }

            if (u[(best * rank) + j] < 0)
            {
                for (int i = 0; i < rows; i++)
                {
                    u[(i * rank) + j] = -u[(i * rank) + j];
                }

                for (int c = 0; c < cols; c++)
                {
                    vt[(j * cols) + c] = -vt[(j * cols) + c];
                }
            }
        }
    }
}
