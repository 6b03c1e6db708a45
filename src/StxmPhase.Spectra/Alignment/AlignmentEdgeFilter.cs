namespace StxmPhase.Spectra;

/// <summary>Optional filter applied to both images before registration.</summary>
public enum AlignmentEdgeFilter
{
    /// <summary>No filter (default).</summary>
    None = 0,

    /// <summary>Sobel gradient magnitude √(Gx² + Gy²) (edge pixels replicated): registers edges rather than intensities,
    /// which helps when contrast inverts across an edge.</summary>
    Sobel = 1,
}
