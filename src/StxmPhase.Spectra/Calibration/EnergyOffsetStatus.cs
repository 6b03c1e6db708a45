namespace StxmPhase.Spectra;

/// <summary>How trustworthy an <see cref="EnergyOffsetEstimate"/> is.</summary>
public enum EnergyOffsetStatus
{
    /// <summary>A single clear optimum inside the search range: the offset can be applied.</summary>
    Estimated = 0,

    /// <summary>
    /// Several optima of similar height (typically a sample of a single phase, where an offset mimics a neighbouring phase): do not apply.
    /// </summary>
    Ambiguous = 1,

    /// <summary>The objective barely changes with the offset (too few or too noisy pixels): do not apply.</summary>
    Flat = 2,

    /// <summary>The best offset lies on the edge of the search range: do not apply; widen the range or check the energies.</summary>
    AtSearchBound = 3,

    /// <summary>Not estimable: too few usable pixels, or references too coarsely tabulated (median step above 0.25 eV) to be shifted.</summary>
    NotEstimable = 4,
}
