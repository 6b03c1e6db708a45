namespace StxmPhase;

/// <summary>How well one workflow result matches the truth, for PCC alone and after latent-space resolution.</summary>
/// <param name="Pcc">PCC map on interior particle pixels.</param>
/// <param name="Final">Final map on interior particle pixels.</param>
/// <param name="PccBoundary">PCC map on boundary (mixed) pixels, when a boundary mask was given.</param>
/// <param name="FinalBoundary">Final map on boundary pixels, when a boundary mask was given.</param>
/// <param name="PccAmbiguous">PCC map on interior PCC-ambiguous pixels (before resolution).</param>
/// <param name="FinalAmbiguous">Final map on the same pixels (after resolution).</param>
/// <param name="PccFractionError">Mean absolute phase-fraction error of the PCC map, percentage points.</param>
/// <param name="FinalFractionError">Mean absolute phase-fraction error of the final map, percentage points.</param>
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
    double Coverage);
