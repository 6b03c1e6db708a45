namespace StxmPhase.Spectra;

/// <summary>Stage 1 of phase mapping: correlates every pixel spectrum with each reference spectrum.</summary>
public interface IPhaseCorrelator
{
    /// <summary>Correlates each pixel spectrum of <paramref name="opticalDensity"/> with each reference.</summary>
    /// <param name="opticalDensity">An optical-density stack.</param>
    /// <param name="references">Reference spectra on the same energies as the stack.</param>
    /// <param name="mask">Optional mask; excluded pixels get <see cref="PixelStatus.Masked"/>.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>Correlation maps, phase map, reliability and ambiguity.</returns>
    CorrelationResult Correlate(SpectralStack opticalDensity, ReferenceSpectra references, PixelMask? mask = null,
        CancellationToken cancellationToken = default);
}
