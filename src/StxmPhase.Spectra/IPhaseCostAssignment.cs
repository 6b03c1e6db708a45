namespace StxmPhase.Spectra;

/// <summary>
/// A fitted latent-space assignment that can also report a cost for every phase, so that callers can restrict the
/// choice to a subset of phases (e.g. the two phases a pixel was ambiguous between).
/// </summary>
/// <remarks>
/// The phase that <see cref="ILatentAssignment.Assign"/> returns is the phase of lowest cost (ties to the lowest phase
/// index). Costs are only comparable within one implementation.
/// </remarks>
public interface IPhaseCostAssignment : ILatentAssignment
{
    /// <summary>
    /// Writes <paramref name="count"/> × <see cref="ILatentAssignment.PhaseCount"/> costs, lower is better (e.g. the
    /// squared Mahalanobis distance, the Euclidean distance, or 1 − vote share); +∞ for phases that cannot be
    /// predicted (no labelled points).
    /// </summary>
    /// <param name="points"><paramref name="count"/> rows of D floats.</param>
    /// <param name="count">The number of points.</param>
    /// <param name="destination">Receives the costs, row-major: <c>destination[i · PhaseCount + phase]</c>.</param>
    void PhaseCosts(ReadOnlySpan<float> points, int count, Span<float> destination);
}
