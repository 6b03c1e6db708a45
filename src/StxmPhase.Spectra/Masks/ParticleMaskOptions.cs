using System.Globalization;

namespace StxmPhase.Spectra;

/// <summary>Options for <see cref="ParticleMask.Compute(SpectralStack, ParticleMaskOptions?, PixelMask?)"/>.</summary>
public sealed class ParticleMaskOptions
{
    internal static ParticleMaskOptions Default { get; } = new();

    /// <summary>Gets how particles are told from the sample-free field. Default <see cref="ParticleMaskMethod.NoiseAware"/>.</summary>
    public ParticleMaskMethod Method { get; init; } = ParticleMaskMethod.NoiseAware;

    /// <summary>Gets the number of histogram bins of the Otsu threshold. Default 256 (scikit-image <c>threshold_otsu</c>).</summary>
    public int HistogramBinCount { get; init; } = 256;

    /// <summary>
    /// Gets an optional lower bound on the integrated OD (Σ over energies of OD): a pixel is a particle pixel only if its
    /// integrated OD exceeds this value (and, with <see cref="ParticleMaskMethod.Otsu"/>, the Otsu threshold). Default
    /// <see langword="null"/> (no bound).
    /// </summary>
    public double? MinimumIntegratedOd { get; init; }

    /// <summary>
    /// Gets k<sub>seed</sub> of <see cref="ParticleMaskMethod.NoiseAware"/>: a pixel seeds a particle when its integrated OD
    /// exceeds the background median by k<sub>seed</sub> robust standard deviations. Default 4 (a false seed in about 3 of
    /// 100 000 background pixels, removed by the area opening). Must be finite and positive.
    /// </summary>
    public double NoiseSigmas { get; init; } = 4.0;

    /// <summary>
    /// Gets k<sub>grow</sub> of <see cref="ParticleMaskMethod.NoiseAware"/>: a particle grows into 8-connected pixels whose
    /// integrated OD exceeds the background median by k<sub>grow</sub> robust standard deviations. Default 2. Must be
    /// finite, non-negative and at most <see cref="NoiseSigmas"/>.
    /// </summary>
    public double GrowSigmas { get; init; } = 2.0;

    /// <summary>
    /// Gets the smallest particle of <see cref="ParticleMaskMethod.NoiseAware"/>, in pixels: 8-connected components with
    /// fewer pixels are dropped (an area opening, which unlike an opening with a structuring element keeps every pixel of
    /// the particles it keeps). Default 9. At least 1 (1 = keep every component).
    /// </summary>
    public int MinimumParticleArea { get; init; } = 9;

    /// <summary>
    /// Gets whether <see cref="ParticleMaskMethod.NoiseAware"/> fills holes: non-particle regions (4-connected) that do
    /// not touch the image border become particle pixels (only where the caller's mask includes them and the OD is
    /// finite). Default <see langword="true"/>.
    /// </summary>
    public bool FillHoles { get; init; } = true;

    internal void Validate(string paramName)
    {
        if (HistogramBinCount < 2)
        {
            throw new ArgumentOutOfRangeException(paramName, HistogramBinCount,
                string.Create(CultureInfo.InvariantCulture, $"The histogram bin count must be at least 2; got {HistogramBinCount}."));
        }

        if (MinimumIntegratedOd is { } minOd && !double.IsFinite(minOd))
        {
            throw new ArgumentOutOfRangeException(paramName, minOd,
                string.Create(CultureInfo.InvariantCulture, $"MinimumIntegratedOd must be finite; got {minOd}."));
        }

        if (!Enum.IsDefined(Method))
        {
            throw new ArgumentOutOfRangeException(paramName, Method,
                string.Create(CultureInfo.InvariantCulture, $"Method must be a defined ParticleMaskMethod; got {(int)Method}."));
        }

        if (!double.IsFinite(NoiseSigmas) || NoiseSigmas <= 0)
        {
            throw new ArgumentOutOfRangeException(paramName, NoiseSigmas,
                string.Create(CultureInfo.InvariantCulture, $"NoiseSigmas must be finite and positive; got {NoiseSigmas}."));
        }

        if (!double.IsFinite(GrowSigmas) || GrowSigmas < 0 || GrowSigmas > NoiseSigmas)
        {
            throw new ArgumentOutOfRangeException(paramName, GrowSigmas,
                string.Create(CultureInfo.InvariantCulture, $"GrowSigmas must be finite and in [0, NoiseSigmas = {NoiseSigmas}]; got {GrowSigmas}."));
        }

        if (MinimumParticleArea < 1)
        {
            throw new ArgumentOutOfRangeException(paramName, MinimumParticleArea,
                string.Create(CultureInfo.InvariantCulture, $"MinimumParticleArea must be at least 1; got {MinimumParticleArea}."));
        }
    }
}
