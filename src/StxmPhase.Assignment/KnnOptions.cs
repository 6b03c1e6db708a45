namespace StxmPhase.Assignment;

/// <summary>Options of <see cref="KnnAssigner"/>. The defaults are scikit-learn's (<c>n_neighbors=5, weights='uniform'</c>).</summary>
public sealed class KnnOptions
{
    /// <summary>Gets the number of neighbours k (≥ 1). Default 5. Clamped to the number of labelled points, with a warning.</summary>
    public int NeighborCount { get; init; } = 5;

    /// <summary>Gets how neighbours vote. Default <see cref="KnnWeighting.Uniform"/>.</summary>
    public KnnWeighting Weighting { get; init; } = KnnWeighting.Uniform;

    /// <summary>Gets the maximum number of threads used by queries (−1 = all cores). Default −1.</summary>
    public int MaxDegreeOfParallelism { get; init; } = -1;
}
