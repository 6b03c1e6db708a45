namespace StxmPhase.Spectra;

/// <summary>How an <see cref="I0Source"/> obtains the incident intensity.</summary>
public enum I0SourceKind
{
    /// <summary>Estimated automatically from the brightest pixels of the mean image
    /// (<see cref="I0Estimator.Estimate(SpectralStack, I0EstimationOptions?)"/>).</summary>
    Auto = 0,

    /// <summary>Averaged per energy over a caller-supplied sample-free region.</summary>
    Region = 1,

    /// <summary>One given value per energy.</summary>
    Spectrum = 2,

    /// <summary>A given per-pixel I0 image stack.</summary>
    Images = 3,
}
