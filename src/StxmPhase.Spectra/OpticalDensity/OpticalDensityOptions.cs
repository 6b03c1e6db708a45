namespace StxmPhase.Spectra;

/// <summary>Options for <see cref="OpticalDensity.FromTransmission(SpectralStack, OpticalDensityOptions?, CancellationToken)"/>.</summary>
public sealed class OpticalDensityOptions
{
    internal static OpticalDensityOptions Default { get; } = new();

    /// <summary>Gets where I0 comes from. Default: <see cref="I0Source.Auto(I0EstimationOptions?)"/> with default estimation options.</summary>
    public I0Source I0 { get; init; } = I0Source.Auto();

    /// <summary>
    /// Gets optional per-energy normalisation factors f(e) (one per energy, finite and &gt; 0), e.g. dwell time (ms) ×
    /// ring current (mA) or the ring current divided by its median as MANTiS does. The transmission is divided by them,
    /// I'(e) = I(e) / f(e), before I0 is applied. Default <see langword="null"/> (f = 1).
    /// </summary>
    public IReadOnlyList<double>? NormalizationFactors { get; init; }

    /// <summary>
    /// Gets the largest number of energy planes converted in parallel, which also bounds the threads of an automatic or
    /// region I0 estimate unless its <see cref="I0EstimationOptions.MaxDegreeOfParallelism"/> is set; −1 (default) = no
    /// limit.
    /// </summary>
    public int MaxDegreeOfParallelism { get; init; } = -1;
}
