namespace StxmPhase.Assignment;

/// <summary>How <see cref="MahalanobisAssigner"/> regularises each phase's empirical covariance.</summary>
public enum CovarianceRegularization
{
    /// <summary>
    /// Ledoit–Wolf shrinkage towards a scaled identity (the default; scikit-learn <c>LedoitWolf</c>):
    /// Σ = (1 − α)S + α·(tr S/d)·I with the data-driven α ∈ [0, 1].
    /// </summary>
    LedoitWolf = 0,

    /// <summary>A ridge: Σ = S + r·(tr S/d)·I with r = <see cref="MahalanobisOptions.RidgeStrength"/>.</summary>
    Ridge = 1,

    /// <summary>No regularisation: Σ = S, the biased empirical covariance (only the ridge floor is added).</summary>
    None = 2,
}
