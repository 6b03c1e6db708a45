namespace StxmPhase.Assignment;

/// <summary>
/// Options of <see cref="MahalanobisAssigner"/>. The defaults are the paper's method (algorithms.md §3.1) except
/// <see cref="Rule"/>, whose default is the Gaussian class log-likelihood (the paper: <see cref="MahalanobisRule.SquaredDistance"/>).
/// </summary>
public sealed class MahalanobisOptions
{
    /// <summary>
    /// Gets how points are scored against each phase. Default <see cref="MahalanobisRule.GaussianLikelihood"/> (QDA:
    /// −½D² − ½ln|Σ| + ln π); <see cref="MahalanobisRule.SquaredDistance"/> is the paper's D²-only rule.
    /// </summary>
    public MahalanobisRule Rule { get; init; } = MahalanobisRule.GaussianLikelihood;

    /// <summary>Gets how each phase's covariance is regularised. Default <see cref="CovarianceRegularization.LedoitWolf"/>.</summary>
    public CovarianceRegularization Regularization { get; init; } = CovarianceRegularization.LedoitWolf;

    /// <summary>
    /// Gets the relative ridge r used when <see cref="Regularization"/> is <see cref="CovarianceRegularization.Ridge"/>:
    /// Σ = S + r·(tr S/d)·I. Default 1e-3. Must be finite and ≥ 0.
    /// </summary>
    public double RidgeStrength { get; init; } = 1e-3;

    /// <summary>
    /// Gets the relative ridge floor λ_rel always added after regularisation: Σ += λ_rel·max(tr Σ/d, 1e-12)·I.
    /// Default 1e-9 (changes squared distances by about 1e-9 relative). Must be finite and ≥ 0.
    /// </summary>
    public double RidgeFloor { get; init; } = 1e-9;

    /// <summary>Gets the maximum number of threads used by <c>Assign</c> and <c>PhaseCosts</c> (−1 = all cores). Default −1.</summary>
    public int MaxDegreeOfParallelism { get; init; } = -1;
}
