namespace StxmPhase.Assignment;

/// <summary>Where the covariance a <see cref="MahalanobisModel"/> uses for one phase came from.</summary>
public enum CovarianceSource
{
    /// <summary>The phase has no labelled points and is never predicted.</summary>
    Absent = 0,

    /// <summary>The phase's own regularised covariance.</summary>
    Phase = 1,

    /// <summary>
    /// The pooled within-phase covariance, because the phase had fewer than d + 1 points or its own covariance was
    /// not positive definite.
    /// </summary>
    Pooled = 2,

    /// <summary>The identity (squared Euclidean distance), because even the pooled covariance was zero or singular.</summary>
    Euclidean = 3,

    /// <summary>Given directly, e.g. a GMVAE prior component (<see cref="MahalanobisModel.FromComponents"/>).</summary>
    Component = 4,
}
