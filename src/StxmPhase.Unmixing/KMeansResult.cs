namespace StxmPhase.Unmixing;

/// <summary>The immutable result of <see cref="KMeans.Fit(ReadOnlySpan{double}, int, int, CancellationToken)"/> (the fitted model).</summary>
public sealed class KMeansResult
{
    private readonly double[] _centers;
    private readonly int[] _labels;

    internal KMeansResult(int clusterCount, int featureCount, double[] centers, int[] labels, double inertia, int iterations, bool converged)
    {
        ClusterCount = clusterCount;
        FeatureCount = featureCount;
        _centers = centers;
        _labels = labels;
        Inertia = inertia;
        Iterations = iterations;
        Converged = converged;
    }

    /// <summary>Gets k.</summary>
    public int ClusterCount { get; }

    /// <summary>Gets the number of features (energies) per sample.</summary>
    public int FeatureCount { get; }

    /// <summary>Gets the cluster centres, row-major k × features.</summary>
    public ReadOnlySpan<double> Centers => _centers;

    /// <summary>Gets the cluster of each sample (0 … k − 1).</summary>
    public ReadOnlySpan<int> Labels => _labels;

    /// <summary>Gets the inertia: the sum over samples of the squared distance to the assigned centre.</summary>
    public double Inertia { get; }

    /// <summary>Gets the Lloyd iterations of the best run.</summary>
    public int Iterations { get; }

    /// <summary>Gets whether the best run met the tolerance (or stopped changing labels) before the iteration cap.</summary>
    public bool Converged { get; }

    internal int[] LabelArray => _labels;
}
