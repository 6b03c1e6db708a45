namespace StxmPhase.Spectra;

/// <summary>
/// The result of
/// <see cref="EnergyCalibration.EstimateOffset(SpectralStack, ReferenceSpectra, PixelMask?, EnergyCalibrationOptions?, CancellationToken)"/>:
/// the energy offset ΔE between a stack and its references, with
/// an uncertainty, a status and the objective it was read from. Sign: the stack's nominal energy E corresponds to the
/// references' energy E + ΔE (the references are read at E + ΔE; a positive ΔE means the stack's energy scale reads low).
/// </summary>
public sealed class EnergyOffsetEstimate
{
    private readonly double[] _trialOffsets;
    private readonly double[] _objective;

    internal EnergyOffsetEstimate(
        double offsetEv, double uncertaintyEv, EnergyOffsetStatus status, int pixelCount, double[] trialOffsets, double[] objective, string message)
    {
        OffsetEv = offsetEv;
        UncertaintyEv = uncertaintyEv;
        Status = status;
        PixelCount = pixelCount;
        _trialOffsets = trialOffsets;
        _objective = objective;
        Message = message;
    }

    /// <summary>
    /// Gets the offset in eV at the best objective (refined below the grid step); 0 when <see cref="EnergyOffsetStatus.NotEstimable"/>.
    /// </summary>
    public double OffsetEv { get; }

    /// <summary>
    /// Gets the standard uncertainty of <see cref="OffsetEv"/> in eV: the standard deviation of the estimates of 8 disjoint
    /// pixel subsets divided by √8 (NaN when not estimable).
    /// </summary>
    public double UncertaintyEv { get; }

    /// <summary>Gets how trustworthy the estimate is; only <see cref="EnergyOffsetStatus.Estimated"/> should be applied.</summary>
    public EnergyOffsetStatus Status { get; }

    /// <summary>Gets a value indicating whether <see cref="Status"/> is <see cref="EnergyOffsetStatus.Estimated"/>.</summary>
    public bool IsReliable => Status == EnergyOffsetStatus.Estimated;

    /// <summary>Gets the number of pixels the objective was computed on.</summary>
    public int PixelCount { get; }

    /// <summary>Gets the trial offsets in eV (the grid of the objective).</summary>
    public IReadOnlyList<double> TrialOffsetsEv => _trialOffsets;

    /// <summary>Gets the objective at each trial offset: the mean over pixels of the best Pearson correlation with any shifted reference.</summary>
    public IReadOnlyList<double> Objective => _objective;

    /// <summary>Gets a one-sentence explanation of <see cref="Status"/> for a log or report.</summary>
    public string Message { get; }
}
