namespace StxmPhase.Spectra;

/// <summary>
/// Options of
/// <see cref="EnergyCalibration.EstimateOffset(SpectralStack, ReferenceSpectra, PixelMask?, EnergyCalibrationOptions?, CancellationToken)"/>.
/// Every property has a documented default.
/// </summary>
public sealed class EnergyCalibrationOptions
{
    /// <summary>Gets the half-width in eV of the searched offsets [−range, +range], in (0, 5]. Default 1 eV.</summary>
    public double SearchRangeEv { get; init; } = 1.0;

    /// <summary>Gets the step in eV of the trial-offset grid, in [0.001, 0.5] (the optimum is then refined below it). Default 0.02 eV.</summary>
    public double StepEv { get; init; } = 0.02;

    /// <summary>Gets the largest number of pixels used (an even stride through the mask beyond it), at least 16. Default 20000.</summary>
    public int MaxPixels { get; init; } = 20000;

    /// <summary>
    /// Gets the ambiguity ratio in (0, 1): the estimate is <see cref="EnergyOffsetStatus.Ambiguous"/> when another local maximum of
    /// the objective, at least 0.1 eV from the best and more prominent than the noise, comes within this fraction of the depth of the
    /// dip between them of the best.
    /// Default 0.35.
    /// </summary>
    public double AmbiguityRatio { get; init; } = 0.35;

    /// <summary>
    /// Gets the smallest full range (max − min) of the mean best correlation over the trial offsets below which the objective
    /// is <see cref="EnergyOffsetStatus.Flat"/>, in [0, 1). Default 0.002.
    /// </summary>
    public double FlatThreshold { get; init; } = 0.002;

    /// <summary>
    /// Gets the fraction of pixels, in [0.5, 1], above which the pixels' best-matching references (at the best offset) are
    /// considered one phase: the estimate is then <see cref="EnergyOffsetStatus.Ambiguous"/>, since in a single-phase sample an
    /// offset cannot be told from a neighbouring phase. Default 0.9.
    /// </summary>
    public double SinglePhaseFraction { get; init; } = 0.9;
}
