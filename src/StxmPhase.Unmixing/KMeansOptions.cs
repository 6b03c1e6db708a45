namespace StxmPhase.Unmixing;

/// <summary>Options of <see cref="KMeans"/>. Defaults follow scikit-learn 1.2 <c>KMeans</c> (k-means++, Lloyd).</summary>
public sealed class KMeansOptions
{
    /// <summary>Gets the default options.</summary>
    public static KMeansOptions Default { get; } = new();

    /// <summary>Gets the number of clusters k (default 5, the number of reference phases).</summary>
    public int ClusterCount { get; init; } = 5;

    /// <summary>Gets the number of k-means++ initialisations; the run with the lowest inertia wins (default 10).</summary>
    public int InitCount { get; init; } = 10;

    /// <summary>Gets the maximum number of Lloyd iterations per run (default 300).</summary>
    public int MaxIterations { get; init; } = 300;

    /// <summary>
    /// Gets the relative tolerance (default 1e-4): a run stops when the summed squared centre shift is at most
    /// tolerance × the mean per-feature variance of the data, or when no label changes.
    /// </summary>
    public double Tolerance { get; init; } = 1e-4;

    /// <summary>Gets the seed of the k-means++ initialisations (deterministic; not NumPy's stream).</summary>
    public int Seed { get; init; }

    /// <summary>Gets the maximum degree of parallelism of the assignment step (default −1: all cores).</summary>
    public int MaxDegreeOfParallelism { get; init; } = -1;
}
