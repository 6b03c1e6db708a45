namespace StxmPhase.Gmvae;

/// <summary>Covariance structure of the prior's mixture components.</summary>
public enum GmvaeCovariance
{
    /// <summary>Default: diagonal Σₖ, σ²ₖᵢ = softplus(ρₖᵢ) + 1e-4.</summary>
    Diagonal = 0,

    /// <summary>Full Σₖ = Lₖ Lₖᵀ with Lₖ lower triangular, diagonal softplus(·) + 1e-3.</summary>
    Full = 1,
}
