namespace StxmPhase.Unmixing;

/// <summary>
/// Options of <see cref="Nmf"/> and <see cref="RandomizedNmf"/>. Defaults follow scikit-learn 1.2
/// <c>NMF(init='nndsvda', solver='cd')</c> with k = 5 (the number of reference phases).
/// </summary>
public sealed class NmfOptions
{
    /// <summary>Gets the default options.</summary>
    public static NmfOptions Default { get; } = new();

    /// <summary>Gets the number of components k (default 5); 1 ≤ k ≤ min(rows, columns).</summary>
    public int ComponentCount { get; init; } = 5;

    /// <summary>Gets the initialisation (default <see cref="NmfInitialization.NndsvdA"/>).</summary>
    public NmfInitialization Initialization { get; init; } = NmfInitialization.NndsvdA;

    /// <summary>Gets the HALS update order (default W first, as scikit-learn).</summary>
    public NmfUpdateOrder UpdateOrder { get; init; } = NmfUpdateOrder.WFirst;

    /// <summary>Gets the maximum number of iterations (default 200).</summary>
    public int MaxIterations { get; init; } = 200;

    /// <summary>Gets the tolerance of <see cref="StoppingRule"/> (default 1e-4, scikit-learn's; 0 runs all iterations).</summary>
    public double Tolerance { get; init; } = 1e-4;

    /// <summary>Gets the stopping rule (default <see cref="NmfStoppingRule.ProjectedGradient"/>).</summary>
    public NmfStoppingRule StoppingRule { get; init; } = NmfStoppingRule.ProjectedGradient;

    /// <summary>Gets how negative input values are handled (default clip to 0 and count).</summary>
    public NegativeValueHandling NegativeValues { get; init; } = NegativeValueHandling.ClipToZero;

    /// <summary>
    /// Gets the regularisation strength for W, scikit-learn's <c>alpha_W</c> (default 0). The penalties are
    /// <c>l1_W = columns·α_W·ρ</c> and <c>l2_W = columns·α_W·(1−ρ)</c> with ρ = <see cref="L1Ratio"/>.
    /// </summary>
    public double AlphaW { get; init; }

    /// <summary>
    /// Gets the regularisation strength for H, scikit-learn's <c>alpha_H</c>; <see langword="null"/> (default) means
    /// "same as <see cref="AlphaW"/>". The penalties are <c>l1_H = rows·α_H·ρ</c>, <c>l2_H = rows·α_H·(1−ρ)</c>.
    /// </summary>
    public double? AlphaH { get; init; }

    /// <summary>Gets the L1 share ρ ∈ [0, 1] of the regularisation (default 0).</summary>
    public double L1Ratio { get; init; }

    /// <summary>Gets whether the coordinate order is shuffled (seeded) every sweep (default <see langword="false"/>).</summary>
    public bool Shuffle { get; init; }

    /// <summary>Gets the seed for the randomized parts (NNDSVDar/random init, shuffling, randomized SVD and QB).</summary>
    public int Seed { get; init; }

    /// <summary>Gets the absolute threshold below which NNDSVD entries are set to 0 (default 1e-6, scikit-learn's).</summary>
    public double InitializationEpsilon { get; init; } = 1e-6;

    /// <summary>Gets the maximum degree of parallelism of the products and sweeps (default −1: all cores).</summary>
    public int MaxDegreeOfParallelism { get; init; } = -1;
}
