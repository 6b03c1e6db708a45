namespace StxmPhase.Unmixing;

/// <summary>Options of <see cref="Pca"/>, validated by its constructor.</summary>
public sealed class PcaOptions
{
    /// <summary>Gets the default options.</summary>
    public static PcaOptions Default { get; } = new();

    /// <summary>
    /// Gets the number of principal components kept, the latent dimension (default 3, the GMVAE's latent dimension
    /// d = 3, so a PCA encoder can replace it in the workflow).
    /// </summary>
    public int ComponentCount { get; init; } = 3;

    /// <summary>
    /// Gets whether spectra are mean-centred before the decomposition (default <see langword="true"/>, as scikit-learn's
    /// PCA). <see langword="false"/> decomposes the raw second-moment matrix, as MANTiS does.
    /// </summary>
    public bool Center { get; init; } = true;

    /// <summary>
    /// Gets whether the scores are divided by the square root of the explained variance so each latent coordinate has
    /// unit variance (default <see langword="false"/>; scikit-learn's <c>whiten</c>).
    /// </summary>
    public bool Whiten { get; init; }

    /// <summary>Gets the maximum degree of parallelism (default −1: all cores).</summary>
    public int MaxDegreeOfParallelism { get; init; } = -1;
}
