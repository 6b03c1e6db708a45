namespace StxmPhase.Assignment;

/// <summary>How a <see cref="MahalanobisModel"/> scores a latent point against each phase.</summary>
public enum MahalanobisRule
{
    /// <summary>
    /// The Gaussian class log-likelihood (quadratic discriminant analysis, the default):
    /// ln p(z, c) = −½D²_c − ½ln|Σ_c| + ln π_c + const, with π_c the fraction of the fitted points labelled c (equal for
    /// <see cref="MahalanobisModel.FromComponents"/>). A broad phase no longer wins points only because its
    /// covariance makes every distance small, and a rare phase needs more evidence.
    /// </summary>
    GaussianLikelihood = 0,

    /// <summary>
    /// The paper's rule: the squared Mahalanobis distance D²_c alone (no ln|Σ_c|, no class priors); the cost is ½D²_c,
    /// so the choice is argmin D²_c. The workflow's paper pipeline uses it.
    /// </summary>
    SquaredDistance = 1,
}
