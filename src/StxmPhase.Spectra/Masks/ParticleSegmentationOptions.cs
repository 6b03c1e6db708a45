namespace StxmPhase.Spectra;

/// <summary>Options for <see cref="ParticleSegmentation.Segment(PixelMask, ParticleSegmentationOptions?)"/>.</summary>
public sealed class ParticleSegmentationOptions
{
    internal static ParticleSegmentationOptions Default { get; } = new();

    /// <summary>
    /// Gets whether diagonal neighbours belong to the same particle (8-connectivity, default <see langword="true"/>);
    /// <see langword="false"/> uses 4-connectivity.
    /// </summary>
    public bool EightConnected { get; init; } = true;

    /// <summary>Gets the smallest particle in pixels, at least 1; smaller components are dropped (label 0). Default 10.</summary>
    public int MinimumPixels { get; init; } = 10;

    /// <summary>
    /// Gets the core distance, in pixels, of the optional split of touching particles, ≥ 0. 0 (default) = off: each
    /// connected component is one particle. When positive, the cores are the connected groups of mask pixels whose
    /// Euclidean distance to the nearest background pixel exceeds this value; every mask pixel then joins the core it
    /// reaches first by a breadth-first walk inside the mask (a geodesic nearest-core split), so two discs joined by a
    /// neck narrower than twice this distance become two particles. Components without a core stay whole.
    /// </summary>
    public double SplitDistance { get; init; }
}
