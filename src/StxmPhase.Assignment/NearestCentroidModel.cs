namespace StxmPhase.Assignment;

/// <summary>
/// A fitted nearest-centroid assignment (see <see cref="NearestCentroidAssigner"/>). Immutable and thread-safe.
/// </summary>
/// <remarks>
/// <see cref="Assign"/> writes argmin_c ‖z − μ_c‖₂ (ties to the lowest phase index) and, as the score, that Euclidean
/// distance. <see cref="PhaseCosts"/> writes ‖z − μ_c‖²/(2s²) for every phase (+∞ for phases without labelled points):
/// the negative log-likelihood in nats of an isotropic Gaussian around each centroid with the pooled within-phase
/// variance s² = Σ‖z − μ_label‖²/(n·d) of the labelled points (1 when that is 0), up to a constant shared by the phases.
/// Computed in float64, vectorized across points and parallel over blocks of 256 points.
/// </remarks>
public sealed class NearestCentroidModel : IPhaseCostAssignment
{
    private readonly string[] _names;
    private readonly int[] _counts;
    private readonly double[] _centroids;
    private readonly AnchorKernel _kernel;
    private readonly int _maxDegreeOfParallelism;

    internal NearestCentroidModel(
        int dimension, string[] names, int[] counts, double[] centroids, int maxDegreeOfParallelism, double pooledVariance = 1)
    {
        PooledVariance = pooledVariance;
        Dimension = dimension;
        _names = names;
        _counts = counts;
        _centroids = centroids;
        _maxDegreeOfParallelism = maxDegreeOfParallelism;
        int[] phases = Enumerable.Range(0, names.Length).Where(c => counts[c] > 0).ToArray();
        double[] means = phases.SelectMany(c => centroids.AsSpan(c * dimension, dimension).ToArray()).ToArray();
        _kernel = new AnchorKernel(dimension, names.Length, phases, means, new double[]?[phases.Length], 0.5 / pooledVariance);
    }

    /// <summary>Gets the pooled within-phase variance s² per coordinate that scales <see cref="PhaseCosts"/>.</summary>
    public double PooledVariance { get; }

    /// <inheritdoc/>
    public int PhaseCount => _names.Length;

    /// <summary>Gets the latent dimension d.</summary>
    public int Dimension { get; }

    /// <summary>Gets the phase names, by label.</summary>
    public IReadOnlyList<string> PhaseNames => Array.AsReadOnly(_names);

    /// <summary>Gets the number of labelled points of each phase, counted during Fit.</summary>
    public IReadOnlyList<int> PointCounts => Array.AsReadOnly(_counts);

    /// <summary>Returns whether <paramref name="phase"/> had labelled points and can be predicted.</summary>
    /// <param name="phase">Phase index.</param>
    /// <returns><see langword="true"/> when the phase takes part in the assignment.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="phase"/> is outside [0, PhaseCount).</exception>
    public bool HasPhase(int phase)
    {
        CheckPhase(phase);
        return _counts[phase] > 0;
    }

    /// <summary>Returns the centroid μ of <paramref name="phase"/> (d values; zeros for an absent phase), estimated during Fit.</summary>
    /// <param name="phase">Phase index.</param>
    /// <returns>The centroid.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="phase"/> is outside [0, PhaseCount).</exception>
    public ReadOnlySpan<double> Centroid(int phase)
    {
        CheckPhase(phase);
        return _centroids.AsSpan(phase * Dimension, Dimension);
    }

    /// <summary>Assigns each point the phase of nearest centroid.</summary>
    /// <param name="points"><paramref name="count"/> rows of <see cref="Dimension"/> floats.</param>
    /// <param name="count">The number of points.</param>
    /// <param name="phase">Receives the phase of each point.</param>
    /// <param name="score">Receives the Euclidean distance to the winning centroid.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative.</exception>
    /// <exception cref="ArgumentException"><paramref name="points"/> does not hold count × d values, a coordinate is NaN or ±∞ (the message names
    /// the point), or a destination is too short.</exception>
    public void Assign(ReadOnlySpan<float> points, int count, Span<int> phase, Span<float> score)
    {
        ThrowHelper.ValidateQuery(points, count, Dimension);
        ThrowHelper.ValidateDestination(phase.Length, count, nameof(phase));
        ThrowHelper.ValidateDestination(score.Length, count, nameof(score));
        _kernel.Assign(points, count, phase, score, takeSquareRoot: true, _maxDegreeOfParallelism);
    }

    /// <summary>Writes ‖z − μ_c‖²/(2s²) of every point for every centroid (+∞ for absent phases): a negative log-likelihood in nats.</summary>
    /// <param name="points"><paramref name="count"/> rows of <see cref="Dimension"/> floats.</param>
    /// <param name="count">The number of points.</param>
    /// <param name="destination">Receives count × PhaseCount costs, row-major.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative.</exception>
    /// <exception cref="ArgumentException"><paramref name="points"/> does not hold count × d values, a coordinate is NaN or ±∞, or
    /// <paramref name="destination"/> is too short.</exception>
    public void PhaseCosts(ReadOnlySpan<float> points, int count, Span<float> destination)
    {
        ThrowHelper.ValidateQuery(points, count, Dimension);
        ThrowHelper.ValidateDestination(destination.Length, (long)count * PhaseCount, nameof(destination));
        _kernel.Costs(points, count, destination, takeSquareRoot: false, _maxDegreeOfParallelism);
    }

    private void CheckPhase(int phase)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(phase);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(phase, PhaseCount);
    }
}
