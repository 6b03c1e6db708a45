namespace StxmPhase.Gmvae;

/// <summary>The learned Gaussian-mixture prior p(z) = Σₖ πₖ N(z; μₖ, Σₖ) of a trained model, in latent units.</summary>
/// <remarks>Arrays are row-major: component k's mean is <c>Means[k·D .. k·D + D)</c>; its covariance is
/// <c>Covariances[k·D·D ..]</c> (a D×D row-major block, the diagonal expanded for diagonal priors). Mixture components
/// are not phases: never map component k to phase k.</remarks>
public sealed class GmvaePrior
{
    /// <summary>Initializes a new prior.</summary>
    /// <param name="components">K.</param>
    /// <param name="dimension">D.</param>
    /// <param name="weights">K weights πₖ (sum 1).</param>
    /// <param name="means">K·D means.</param>
    /// <param name="covariances">K·D·D covariances.</param>
    /// <exception cref="ArgumentException">An array has the wrong length.</exception>
    public GmvaePrior(int components, int dimension, double[] weights, double[] means, double[] covariances)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(means);
        ArgumentNullException.ThrowIfNull(covariances);
        if (weights.Length != components || means.Length != components * dimension || covariances.Length != components * dimension * dimension)
        {
            throw new ArgumentException("The weights, means and covariances do not match the component count and dimension.", nameof(weights));
        }

        Components = components;
        Dimension = dimension;
        Weights = ((double[])weights.Clone()).AsReadOnly();
        Means = ((double[])means.Clone()).AsReadOnly();
        Covariances = ((double[])covariances.Clone()).AsReadOnly();
        double[] variances = new double[components * dimension];
        for (int k = 0; k < components; k++)
        {
            for (int i = 0; i < dimension; i++)
            {
                variances[(k * dimension) + i] = covariances[(k * dimension * dimension) + (i * dimension) + i];
            }
        }

        Variances = variances.AsReadOnly();
    }

    /// <summary>Gets the number of components K.</summary>
    public int Components { get; }

    /// <summary>Gets the latent dimension D.</summary>
    public int Dimension { get; }

    /// <summary>Gets the K mixture weights πₖ = softmax(η)ₖ.</summary>
    public IReadOnlyList<double> Weights { get; }

    /// <summary>Gets the K·D component means μₖ.</summary>
    public IReadOnlyList<double> Means { get; }

    /// <summary>Gets the K·D per-dimension variances (the diagonals of Σₖ).</summary>
    public IReadOnlyList<double> Variances { get; }

    /// <summary>Gets the K·D·D covariance matrices Σₖ (row-major blocks).</summary>
    public IReadOnlyList<double> Covariances { get; }
}
