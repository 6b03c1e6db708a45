namespace StxmPhase.Spectra;

/// <summary>
/// A fitted latent-space assignment that can also report a cost for every phase, so that callers can restrict the
/// choice to a subset of phases (e.g. the two phases a pixel was ambiguous between).
/// </summary>
/// <remarks>
/// The phase that <see cref="ILatentAssignment.Assign"/> returns is the phase of lowest cost (ties to the lowest phase
/// index). Every implementation's costs are on one probability scale: negative log-probabilities in nats,
/// cost_c = −ln p(z | c) (or −ln P(c | z), or −ln p(z, c)) up to an additive constant shared by the phases of a point, so
/// that exp(−cost) normalised over the phases is the assignment's posterior. A prior over phases then composes with any
/// implementation by adding its −ln q_c (as the spatial prior of the ambiguous-pixel resolution does), and a Potts MRF can
/// take the costs as unary terms. AssignerConformance.CostsAreNegativeLogProbabilities in the test utilities checks it.
/// </remarks>
public interface IPhaseCostAssignment : ILatentAssignment
{
    /// <summary>
    /// Writes <paramref name="count"/> × <see cref="ILatentAssignment.PhaseCount"/> costs, lower is better: negative
    /// log-probabilities in nats up to a constant per point (e.g. ½D² + ½ln|Σ| − ln π of a Gaussian class model, ‖z − μ‖²/(2s²),
    /// or −ln of a smoothed vote share); +∞ for phases that cannot be predicted (no labelled points).
    /// </summary>
    /// <param name="points"><paramref name="count"/> rows of D floats.</param>
    /// <param name="count">The number of points.</param>
    /// <param name="destination">Receives the costs, row-major: <c>destination[i · PhaseCount + phase]</c>.</param>
    void PhaseCosts(ReadOnlySpan<float> points, int count, Span<float> destination);
}
