namespace StxmPhase.Unmixing;

/// <summary>
/// An immutable (truncated) singular value decomposition <c>A ≈ U diag(S) Vᵀ</c> of a rows × columns matrix, with
/// <see cref="Rank"/> components in decreasing order of singular value.
/// </summary>
/// <remarks>
/// Signs follow scikit-learn's <c>svd_flip</c> (u-based): the largest-magnitude entry of each column of U is positive.
/// </remarks>
public sealed class SvdResult
{
    private readonly double[] _u;
    private readonly double[] _s;
    private readonly double[] _vt;

    internal SvdResult(int rows, int columns, int rank, double[] u, double[] s, double[] vt, bool isExact)
    {
        Rows = rows;
        Columns = columns;
        Rank = rank;
        _u = u;
        _s = s;
        _vt = vt;
        IsExact = isExact;
    }

    /// <summary>Gets the number of rows of the decomposed matrix.</summary>
    public int Rows { get; }

    /// <summary>Gets the number of columns of the decomposed matrix.</summary>
    public int Columns { get; }

    /// <summary>Gets the number of components kept.</summary>
    public int Rank { get; }

    /// <summary>Gets U, row-major <see cref="Rows"/> × <see cref="Rank"/>, orthonormal columns.</summary>
    public ReadOnlySpan<double> U => _u;

    /// <summary>Gets the singular values, decreasing.</summary>
    public ReadOnlySpan<double> SingularValues => _s;

    /// <summary>Gets Vᵀ, row-major <see cref="Rank"/> × <see cref="Columns"/>, orthonormal rows.</summary>
    public ReadOnlySpan<double> Vt => _vt;

    /// <summary>
    /// Gets whether the decomposition is exact to rounding (deterministic thin SVD) rather than a randomized
    /// approximation.
    /// </summary>
    public bool IsExact { get; }
}
