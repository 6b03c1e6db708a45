namespace StxmPhase.Spectra;

/// <summary>
/// How <see cref="ParticleMask.Compute(SpectralStack, ParticleMaskOptions?, PixelMask?)"/> separates particles from the sample-free field.
/// </summary>
public enum ParticleMaskMethod
{
    /// <summary>
    /// Noise-aware (the default): the background level and noise of the integrated OD are estimated from the sample-free
    /// field (robust median and MAD), particle seeds are pixels more than <see cref="ParticleMaskOptions.NoiseSigmas"/> noise
    /// standard deviations above the background, grown into connected pixels above
    /// <see cref="ParticleMaskOptions.GrowSigmas"/> (hysteresis), then components smaller than
    /// <see cref="ParticleMaskOptions.MinimumParticleArea"/> are removed (area opening) and enclosed holes are filled.
    /// Keeps the thin edges of dome-shaped particles that Otsu's threshold cuts.
    /// </summary>
    NoiseAware = 0,

    /// <summary>Otsu's threshold on the integrated OD alone, without clean-up (the behaviour before the noise-aware mask).</summary>
    Otsu = 1,
}
