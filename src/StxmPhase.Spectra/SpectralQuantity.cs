namespace StxmPhase.Spectra;

/// <summary>What the values of a <see cref="SpectralStack"/> represent.</summary>
public enum SpectralQuantity
{
    /// <summary>Optical density, OD = −ln(I / I0) (dimensionless).</summary>
    OpticalDensity = 0,

    /// <summary>Transmitted intensity: detector counts or count rates, before I0 normalisation.</summary>
    Transmission = 1,

    /// <summary>Transmittance I / I0 (dimensionless, 0…1 for a physical sample).</summary>
    Transmittance = 2,
}
