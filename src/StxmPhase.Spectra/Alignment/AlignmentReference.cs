namespace StxmPhase.Spectra;

/// <summary>Which image each energy image of a stack is registered to.</summary>
public enum AlignmentReference
{
    /// <summary>The neighbouring energy image (towards <see cref="StackAlignmentOptions.ReferenceIndex"/>), shifts chained
    /// (summed) back to the reference index. Robust across absorption edges, where contrast changes gradually (default).</summary>
    Neighbor = 0,

    /// <summary>One fixed image, <see cref="StackAlignmentOptions.ReferenceIndex"/>. No error accumulation, but needs
    /// similar contrast at all energies.</summary>
    Fixed = 1,
}
