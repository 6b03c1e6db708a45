namespace StxmPhase;

/// <summary>Which pixels the latent-space assignment may relabel.</summary>
public enum ResolutionScope
{
    /// <summary>Only PCC-ambiguous pixels (Q1 − Q2 &lt; δ) are reassigned; the paper's procedure. The default.</summary>
    AmbiguousOnly = 0,

    /// <summary>
    /// Ambiguous pixels and latent-space false positives: confidently PCC-labelled pixels whose latent-space assignment
    /// disagrees with their PCC label are treated as ambiguous and resolved too (paper, Fig. S6/S7).
    /// </summary>
    AmbiguousAndFalsePositives = 1,
}
