namespace StxmPhase.Spectra;

/// <summary>Result of <see cref="ParticleMask.Compute(SpectralStack, ParticleMaskOptions?, PixelMask?)"/>. Immutable.</summary>
public sealed class ParticleMaskResult
{
    private readonly float[] _integratedOd;

    internal ParticleMaskResult(PixelMask mask, double otsuThreshold, double threshold, float[] integratedOd)
        : this(mask, ParticleMaskMethod.Otsu, otsuThreshold, threshold, threshold, double.NaN, double.NaN, integratedOd)
    {
    }

    internal ParticleMaskResult(
        PixelMask mask, ParticleMaskMethod method, double otsuThreshold, double threshold, double growThreshold,
        double backgroundLevel, double noiseLevel, float[] integratedOd)
    {
        Mask = mask;
        Method = method;
        OtsuThreshold = otsuThreshold;
        Threshold = threshold;
        GrowThreshold = growThreshold;
        BackgroundLevel = backgroundLevel;
        NoiseLevel = noiseLevel;
        _integratedOd = integratedOd;
    }

    /// <summary>Gets the particle pixels (always within the caller's mask and with a finite integrated OD).</summary>
    public PixelMask Mask { get; }

    /// <summary>Gets the method that made <see cref="Mask"/>.</summary>
    public ParticleMaskMethod Method { get; }

    /// <summary>Gets the Otsu threshold on the integrated OD (NaN when no pixel was eligible). With
    /// <see cref="ParticleMaskMethod.NoiseAware"/> it only bounds the first guess of the sample-free field.</summary>
    public double OtsuThreshold { get; }

    /// <summary>
    /// Gets the threshold applied: with <see cref="ParticleMaskMethod.Otsu"/>, max(<see cref="OtsuThreshold"/>,
    /// <see cref="ParticleMaskOptions.MinimumIntegratedOd"/>); with <see cref="ParticleMaskMethod.NoiseAware"/>, the seed
    /// threshold max(<see cref="BackgroundLevel"/> + k<sub>seed</sub>·<see cref="NoiseLevel"/>, MinimumIntegratedOd).
    /// NaN when no pixel was eligible.
    /// </summary>
    public double Threshold { get; }

    /// <summary>Gets the threshold particles grow into (hysteresis) with <see cref="ParticleMaskMethod.NoiseAware"/>:
    /// max(<see cref="BackgroundLevel"/> + k<sub>grow</sub>·<see cref="NoiseLevel"/>, MinimumIntegratedOd); equals
    /// <see cref="Threshold"/> for <see cref="ParticleMaskMethod.Otsu"/>.</summary>
    public double GrowThreshold { get; }

    /// <summary>Gets the median integrated OD of the sample-free field (NaN for <see cref="ParticleMaskMethod.Otsu"/>).</summary>
    public double BackgroundLevel { get; }

    /// <summary>Gets the robust standard deviation (1.4826 × MAD) of the integrated OD of the sample-free field, the noise
    /// the thresholds are measured in (NaN for <see cref="ParticleMaskMethod.Otsu"/>).</summary>
    public double NoiseLevel { get; }

    /// <summary>Gets the integrated OD image Σ_e OD(p, e) (row-major, Width × Height); non-finite where a pixel had a non-finite OD.</summary>
    public ReadOnlySpan<float> IntegratedOd => _integratedOd;
}
