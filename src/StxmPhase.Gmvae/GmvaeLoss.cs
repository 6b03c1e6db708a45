using static TorchSharp.torch;

namespace StxmPhase.Gmvae;

/// <summary>
/// The KL pieces of the GMVAE loss, as pure tensor functions (float32 in training, float64 in the unit tests).
/// Shapes: batch B, latent d, components K. Every piece works in log space (log_softmax, logsumexp); variances enter
/// only through a log-variance or a floored softplus.
/// </summary>
internal static class GmvaeLoss
{
    /// <summary>ln(2π).</summary>
    public const double Log2Pi = 1.8378770664093453;

    /// <summary>KL(N(m_b, diag e^{v_b}) ‖ N(μ_k, diag σ²_k)) for every b, k: (B, K).</summary>
    /// <remarks>½ Σᵢ [log σ²_ki − v_bi + (e^{v_bi} + (m_bi − μ_ki)²)/σ²_ki − 1].</remarks>
    public static Tensor GaussianKlDiagonal(Tensor mean, Tensor logVariance, Tensor priorMeans, Tensor priorVariances)
    {
        using var scope = NewDisposeScope();
        var m = mean.unsqueeze(1);
        var v = logVariance.unsqueeze(1);
        var mu = priorMeans.unsqueeze(0);
        var var2 = priorVariances.unsqueeze(0);
        var diff = m - mu;
        var term = (var2.log() - v).Plus(v.exp().Plus(diff.square()) / var2).Minus(1.0);
        return term.sum(-1).Times(0.5).MoveToOuterDisposeScope();
    }

    /// <summary>KL(N(m_b, diag e^{v_b}) ‖ N(μ_k, L_k L_kᵀ)) for every b, k: (B, K).</summary>
    /// <remarks>½ [‖L⁻¹ diag(s)‖²_F + ‖L⁻¹(μ − m)‖² − d + 2 Σ log Lᵢᵢ − Σ vᵢ].</remarks>
    public static Tensor GaussianKlFull(Tensor mean, Tensor logVariance, Tensor priorMeans, Tensor cholesky)
    {
        using var scope = NewDisposeScope();
        long d = mean.shape[1];
        var inverse = CholeskyInverse(cholesky);                                   // (K, d, d)
        var columnSquares = inverse.square().sum(1);                               // (K, d): Σᵢ (L⁻¹)ᵢⱼ²
        var trace = logVariance.exp().matmul(columnSquares.t());                   // (B, K)
        var diff = (priorMeans.unsqueeze(0) - mean.unsqueeze(1)).unsqueeze(-1);    // (B, K, d, 1)
        var mahalanobis = inverse.matmul(diff).squeeze(-1).square().sum(-1);       // (B, K)
        var logDet = cholesky.diagonal(0, -2, -1).log().sum(-1).Times(2.0);        // (K)
        var sumV = logVariance.sum(-1, keepdim: true);                             // (B, 1)
        return (trace.Plus(mahalanobis).Minus(d).Plus(logDet.unsqueeze(0)) - sumV).Times(0.5).MoveToOuterDisposeScope();
    }

    /// <summary>KL(q(c|x) ‖ π) = Σₖ qₖ (log qₖ − log πₖ) per row: (B).</summary>
    public static Tensor CategoricalKl(Tensor logits, Tensor priorLogWeights)
    {
        using var scope = NewDisposeScope();
        var logQ = logits.log_softmax(-1);
        var q = logQ.exp();
        return (q * (logQ - priorLogWeights.unsqueeze(0))).sum(-1).MoveToOuterDisposeScope();
    }

    /// <summary>Mean-field KL per row: Σₖ qₖ KLₖ + KL(q_c ‖ π): (B).</summary>
    public static Tensor MeanFieldKl(Tensor gaussianKl, Tensor logits, Tensor priorLogWeights)
    {
        using var scope = NewDisposeScope();
        var q = logits.softmax(-1);
        var kl = (q * gaussianKl).sum(-1).Plus(CategoricalKl(logits, priorLogWeights));
        return kl.MoveToOuterDisposeScope();
    }

    /// <summary>log N(z_b; μ_k, diag σ²_k): (B, K).</summary>
    public static Tensor LogDensityDiagonal(Tensor z, Tensor priorMeans, Tensor priorVariances)
    {
        using var scope = NewDisposeScope();
        long d = z.shape[1];
        var diff = z.unsqueeze(1) - priorMeans.unsqueeze(0);
        var maha = (diff.square() / priorVariances.unsqueeze(0)).sum(-1);
        var logDet = priorVariances.log().sum(-1).unsqueeze(0);
        return maha.Plus(logDet).Plus(d * Log2Pi).Times(-0.5).MoveToOuterDisposeScope();
    }

    /// <summary>log N(z_b; μ_k, L_k L_kᵀ): (B, K).</summary>
    public static Tensor LogDensityFull(Tensor z, Tensor priorMeans, Tensor cholesky)
    {
        using var scope = NewDisposeScope();
        long d = z.shape[1];
        var inverse = CholeskyInverse(cholesky);
        var diff = (z.unsqueeze(1) - priorMeans.unsqueeze(0)).unsqueeze(-1);
        var maha = inverse.matmul(diff).squeeze(-1).square().sum(-1);
        var logDet = cholesky.diagonal(0, -2, -1).log().sum(-1).Times(2.0).unsqueeze(0);
        return maha.Plus(logDet).Plus(d * Log2Pi).Times(-0.5).MoveToOuterDisposeScope();
    }

    /// <summary>log p(z_b) = logsumexp_k(log π_k + log N_k(z_b)): (B).</summary>
    public static Tensor LogMarginal(Tensor logDensity, Tensor priorLogWeights)
    {
        using var joint = logDensity.Plus(priorLogWeights.unsqueeze(0));
        return joint.logsumexp(-1);
    }

    /// <summary>γ_k(z) = exp(log π_k + log N_k(z) − log p(z)): (B, K).</summary>
    public static Tensor Responsibilities(Tensor logDensity, Tensor priorLogWeights)
    {
        using var joint = logDensity.Plus(priorLogWeights.unsqueeze(0));
        return joint.softmax(-1);
    }

    /// <summary>Entropy of N(m, diag e^v): ½ Σᵢ (1 + ln 2π + vᵢ): (B).</summary>
    public static Tensor GaussianEntropy(Tensor logVariance)
    {
        using var s = logVariance.Plus(1.0 + Log2Pi);
        using var sum = s.sum(-1);
        return sum.Times(0.5);
    }

    /// <summary>Single-sample Monte-Carlo KL estimate −H[q] − log p(z): (B).</summary>
    public static Tensor MonteCarloKl(Tensor logVariance, Tensor logDensity, Tensor priorLogWeights)
    {
        using var h = GaussianEntropy(logVariance);
        using var logP = LogMarginal(logDensity, priorLogWeights);
        using var total = h.Plus(logP);
        return -total;
    }

    /// <summary>Cross-entropy −Σₖ γₖ log qₖ with γ treated as a constant: (B).</summary>
    public static Tensor ResponsibilityCrossEntropy(Tensor responsibilities, Tensor logits)
    {
        using var scope = NewDisposeScope();
        var logQ = logits.log_softmax(-1);
        return (-(responsibilities.detach() * logQ).sum(-1)).MoveToOuterDisposeScope();
    }

    /// <summary>L⁻¹ for a batch of lower-triangular factors, by a triangular solve against the identity.</summary>
    public static Tensor CholeskyInverse(Tensor cholesky)
    {
        using var identity = eye(cholesky.shape[^1], dtype: cholesky.dtype, device: cholesky.device).expand_as(cholesky);
        return linalg.solve_triangular(cholesky, identity, upper: false);
    }
}
