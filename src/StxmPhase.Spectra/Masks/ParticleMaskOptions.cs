namespace StxmPhase.Spectra;

/// <summary>Options for <see cref="ParticleMask.Compute(SpectralStack, ParticleMaskOptions?, PixelMask?)"/>.</summary>
public sealed class ParticleMaskOptions
{
    internal static ParticleMaskOptions Default { get; } = new();

    /// <summary>Gets the number of histogram bins of the Otsu threshold. Default 256 (scikit-image <c>threshold_otsu</c>).</summary>
    public int HistogramBinCount { get; init; } = 256;

    /// <summary>
    /// Gets an optional lower bound on the integrated OD (Σ over energies of OD): a pixel is a particle pixel only if its
    /// integrated OD exceeds max(Otsu threshold, this value). Default <see langword="null"/> (Otsu alone).
    /// </summary>
    public double? MinimumIntegratedOd { get; init; }
}
