namespace StxmPhase.Correlation;

/// <summary>
/// How <see cref="NoiseModelClassifier"/> models the additive term of a fused multi-edge spectrum (several
/// <see cref="NoiseModelOptions.OffsetBlocks"/>), x = a·r_k + offset + noise with one thickness a over all blocks. On the
/// synthetic multi-edge fields neither shared variant beats <see cref="PerBlock"/> once the shared offset's film-difference
/// bias is accounted for (docs/accuracy.md, "Several edge stacks fused", finding (d)).
/// </summary>
public enum BlockOffsetModel
{
    /// <summary>One per-pixel offset b_i per block: x_i = a·r_k + b_i (the default). Makes no assumption about how the edges'
    /// baselines relate; the blocks' levels relative to each other are not used (a block of E_i energies keeps E_i − 1
    /// degrees of freedom), so neither a baseline difference nor a per-pixel level error of a resampled edge biases it.</summary>
    PerBlock = 0,

    /// <summary>
    /// Each block's field-wide baseline c_i(E) — the median OD of the sample-free field at each energy, measured on that
    /// edge's own stack (its own I0 normalisation, film, contamination) — is subtracted, then one per-pixel offset b is
    /// shared by all blocks: x_i = a·r_k + c_i(E) + b. Uses every block's level relative to the others. Needs the
    /// sample-free field passed to <see cref="NoiseModelClassifier.Classify"/> (also when the noise is given as
    /// <see cref="NoiseModelOptions.IncidentCounts"/>); without one of at least 16 pixels it falls back to
    /// <see cref="PerBlock"/>.
    /// </summary>
    FieldBaseline = 1,

    /// <summary>One per-pixel offset shared by all blocks and no baseline correction: x = a·r_k + b, as if the edges shared
    /// one baseline. Wrong for separate stacks whose baselines differ (each its own I0 normalisation); for comparison.</summary>
    Shared = 2,
}
