namespace StxmPhase;

/// <summary>How well one workflow result matches the truth, for PCC alone and after latent-space resolution.</summary>
/// <remarks>Every true particle pixel is scored: a pixel the workflow left out counts as wrong (see
/// <see cref="PhaseMappingEvaluation.Evaluate(PhaseMappingResult, Spectra.PhaseMap, Spectra.PixelMask?)"/>).</remarks>
/// <param name="Pcc">PCC map on all interior particle pixels (left out = wrong).</param>
/// <param name="Final">Final map on all interior particle pixels (left out = wrong).</param>
/// <param name="PccBoundary">PCC map on all boundary (mixed) pixels, when a boundary mask was given.</param>
/// <param name="FinalBoundary">Final map on all boundary pixels, when a boundary mask was given.</param>
/// <param name="PccAmbiguous">PCC map on analysed interior PCC-ambiguous pixels (before resolution).</param>
/// <param name="FinalAmbiguous">Final map on the same pixels (after resolution).</param>
/// <param name="PccFractionError">Mean absolute phase-fraction error of the PCC map (fractions over its labelled pixels
/// against the true fractions over all particle pixels), percentage points.</param>
/// <param name="FinalFractionError">The same for the final map, percentage points.</param>
/// <param name="Coverage">Fraction of true particle pixels that the workflow analysed (inside the sample mask and valid).</param>
public sealed record WorkflowEvaluation(
    ClassificationMetrics Pcc,
    ClassificationMetrics Final,
    ClassificationMetrics? PccBoundary,
    ClassificationMetrics? FinalBoundary,
    ClassificationMetrics PccAmbiguous,
    ClassificationMetrics FinalAmbiguous,
    double PccFractionError,
    double FinalFractionError,
    double Coverage)
{
    /// <summary>Gets the PCC map scored on every true particle pixel, interior and boundary (left out = wrong).</summary>
    public ClassificationMetrics? PccAll { get; init; }

    /// <summary>Gets the final map scored on every true particle pixel, interior and boundary (left out = wrong).</summary>
    public ClassificationMetrics? FinalAll { get; init; }

    /// <summary>Gets the fraction of analysed pixels that are background in the truth (0 when none was analysed).</summary>
    public double FalseInclusion { get; init; }

    /// <summary>Gets the calibration of the noise-model posteriors on the interior particle pixels, or
    /// <see langword="null"/> when the result has no posteriors.</summary>
    public CalibrationMetrics? Calibration { get; init; }
}
