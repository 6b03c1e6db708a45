namespace StxmPhase.Unmixing;

/// <summary>How NMF components are matched to reference phases by Pearson correlation ρ of their spectra.</summary>
public enum ComponentMatching
{
    /// <summary>
    /// One-to-one assignment maximising Σρ over the matched pairs (Hungarian algorithm on −ρ); when there are more
    /// components than references, the unmatched components then take their most correlated reference. Default.
    /// </summary>
    Hungarian = 0,

    /// <summary>Each component independently takes its most correlated reference (several may share one).</summary>
    Greedy = 1,
}
