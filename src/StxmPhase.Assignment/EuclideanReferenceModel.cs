namespace StxmPhase.Assignment;

/// <summary>
/// A fitted Euclidean-to-reference assignment (see <see cref="EuclideanReferenceAssigner"/>). Immutable and
/// thread-safe.
/// </summary>
/// <remarks>
/// <see cref="Assign"/> writes argmin_j ‖z − r̃_j‖₂ (ties to the lowest phase index) and, as the score, that Euclidean
/// distance. <see cref="PhaseCosts"/> writes, per phase, ‖z − r̃‖²/(2s²) to its nearest reference point r̃ (+∞ for phases
/// that cannot be predicted): the negative log-likelihood in nats of an isotropic Gaussian around each reference, with
/// s² = <see cref="Variance"/> the mean squared distance per coordinate of the labelled points to their own phase's
/// nearest reference (1 when there is none), up to a constant shared by the phases. Computed in float64, vectorized
/// across points and parallel over blocks of 256 points.
/// </remarks>
public sealed class EuclideanReferenceModel : IPhaseCostAssignment
{
    private readonly string[] _names;
    private readonly bool[] _hasPhase;
    private readonly int[] _anchorPhase;
    private readonly double[] _anchors;
    private readonly double[] _offsets;
    private readonly AnchorKernel _kernel;
    private readonly int _maxDegreeOfParallelism;

    internal EuclideanReferenceModel(int dimension, string[] names, bool[] hasPhase, int[] anchorPhase, double[] anchors, double[] offsets,
        int maxDegreeOfParallelism, double variance = 1)
    {
        Variance = variance;
        Dimension = dimension;
        _names = names;
        _hasPhase = hasPhase;
        _anchorPhase = anchorPhase;
        _anchors = anchors;
        _offsets = offsets;
        _maxDegreeOfParallelism = maxDegreeOfParallelism;
        _kernel = new AnchorKernel(dimension, names.Length, anchorPhase, anchors, new double[]?[anchorPhase.Length], 0.5 / variance);
    }

    /// <inheritdoc/>
    public int PhaseCount => _names.Length;

    /// <summary>Gets the latent dimension d.</summary>
    public int Dimension { get; }

    /// <summary>Gets the phase names, by label.</summary>
    public IReadOnlyList<string> PhaseNames => Array.AsReadOnly(_names);

    /// <summary>Gets the variance s² per coordinate that scales <see cref="PhaseCosts"/>.</summary>
    public double Variance { get; }

    /// <summary>Gets the number of reference points used as anchors.</summary>
    public int AnchorCount => _anchorPhase.Length;

    /// <summary>Gets the phase of each anchor.</summary>
    public IReadOnlyList<int> AnchorPhases => Array.AsReadOnly(_anchorPhase);

    /// <summary>Gets the anchors (the encoded reference points that take part), AnchorCount × d, row-major.</summary>
    public ReadOnlySpan<double> Anchors => _anchors;

    /// <summary>Returns whether <paramref name="phase"/> can be predicted.</summary>
    /// <param name="phase">Phase index.</param>
    /// <returns><see langword="true"/> when the phase takes part in the assignment.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="phase"/> is outside [0, PhaseCount).</exception>
    public bool HasPhase(int phase)
    {
        CheckPhase(phase);
        return _hasPhase[phase];
    }

    /// <summary>
    /// Returns min_j ‖r̃_j − μ‖₂ over the reference points r̃_j of <paramref name="phase"/>, with μ the centroid of its
    /// labelled points: how far the encoded reference lies from the data of its phase. NaN when the phase has no
    /// labelled point or no reference.
    /// </summary>
    /// <param name="phase">Phase index.</param>
    /// <returns>The offset, in latent units.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="phase"/> is outside [0, PhaseCount).</exception>
    public double ReferenceOffset(int phase)
    {
        CheckPhase(phase);
        return _offsets[phase];
    }

    /// <summary>Assigns each point the phase of the nearest reference point.</summary>
    /// <param name="points"><paramref name="count"/> rows of <see cref="Dimension"/> floats.</param>
    /// <param name="count">The number of points.</param>
    /// <param name="phase">Receives the phase of each point.</param>
    /// <param name="score">Receives the Euclidean distance to the nearest reference point.</param>
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

    /// <summary>Writes, per point and phase, ‖z − r̃‖²/(2s²) to that phase's nearest reference point r̃ (+∞ when it cannot be
    /// predicted): a negative log-likelihood in nats.</summary>
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
