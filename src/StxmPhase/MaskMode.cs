namespace StxmPhase;

/// <summary>How the workflow decides which pixels belong to the sample (particles) and take part in phase mapping.</summary>
public enum MaskMode
{
    /// <summary>
    /// Automatic: the particle mask of <see cref="Spectra.ParticleMask"/> on the integrated optical density (sum over
    /// energies) with <see cref="PhaseMappingOptions.ParticleMask"/> (default noise-aware: background level and noise from
    /// the sample-free field, hysteresis, area opening, hole filling; Otsu is an option), intersected with any caller mask
    /// given on the input. The default: background pixels are noise and would otherwise receive a phase.
    /// </summary>
    Auto = 0,

    /// <summary>Every pixel takes part (intersected with a caller mask given on the input, if any).</summary>
    None = 1,
}
