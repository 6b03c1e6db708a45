namespace StxmPhase.Spectra;

/// <summary>Result of <see cref="ParticleMask.Compute(SpectralStack, ParticleMaskOptions?, PixelMask?)"/>. Immutable.</summary>
public sealed class ParticleMaskResult
{
    private readonly float[] _integratedOd;

    internal ParticleMaskResult(PixelMask mask, double otsuThreshold, double threshold, float[] integratedOd)
    {
        Mask = mask;
        OtsuThreshold = otsuThreshold;
        Threshold = threshold;
        _integratedOd = integratedOd;
    }

    /// <summary>Gets the particle pixels: included by the caller's mask and with integrated OD &gt; <see cref="Threshold"/>.</summary>
    public PixelMask Mask { get; }

    /// <summary>Gets the Otsu threshold on the integrated OD (NaN when no pixel was eligible).</summary>
    public double OtsuThreshold { get; }

    /// <summary>Gets the threshold applied: max(<see cref="OtsuThreshold"/>, <see cref="ParticleMaskOptions.MinimumIntegratedOd"/>).</summary>
    public double Threshold { get; }

    /// <summary>Gets the integrated OD image Σ_e OD(p, e) (row-major, Width × Height); non-finite where a pixel had a non-finite OD.</summary>
    public ReadOnlySpan<float> IntegratedOd => _integratedOd;
}
