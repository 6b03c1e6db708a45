namespace StxmPhase.Gmvae;

/// <summary>How the KL term between the encoder's posterior and the Gaussian-mixture prior is computed.</summary>
public enum GmvaeKlMode
{
    /// <summary>Default. Closed-form mean-field KL with the encoder's component probabilities q(c|x):
    /// KL = Σₖ qₖ KL(N(m, diag s²) ‖ N(μₖ, Σₖ)) + Σₖ qₖ (log qₖ − log πₖ). A valid negative-ELBO term, always ≥ 0,
    /// and an upper bound on the exact KL to the mixture marginal.</summary>
    CategoricalMeanField = 0,

    /// <summary>Single-sample Monte-Carlo estimate of the exact KL(q(z|x) ‖ Σₖ πₖ N(μₖ, Σₖ)) with the analytic
    /// entropy: KL̂ = −H[q] − log p(z). Individual estimates can be negative. An auxiliary cross-entropy
    /// β·CE(stop-grad γ(z), q(c|x)) trains the component head to amortise the prior responsibilities γ; it is added to
    /// the loss but not to the reported KL.</summary>
    MixtureMonteCarlo = 1,
}
