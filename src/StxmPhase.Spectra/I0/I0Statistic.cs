namespace StxmPhase.Spectra;

/// <summary>How the I0 of one energy is computed from the sample-free pixels.</summary>
public enum I0Statistic
{
    /// <summary>The median: robust to particle-edge pixels and hot pixels that slip into the region (default).
    /// Prefer <see cref="Mean"/> for very low counts (below ~100 per pixel), where integer counts quantise the median.</summary>
    Median = 0,

    /// <summary>The arithmetic mean, as MANTiS and pystxmcontrol do.</summary>
    Mean = 1,
}
