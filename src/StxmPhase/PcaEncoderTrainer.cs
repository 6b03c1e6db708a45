using StxmPhase.Spectra;
using StxmPhase.Unmixing;

namespace StxmPhase;

/// <summary>
/// Fits a principal-component projection as the workflow's latent encoder: a fast, deterministic, linear alternative to
/// the GMVAE (seconds instead of minutes), useful for quick looks and as a baseline. With spectral blocks
/// (<see cref="LatentTrainingData.Blocks"/>) each block is divided by its own global scale and weighted
/// (<see cref="BlockNormalization"/>, <see cref="BlockScaling.GlobalScale"/>) before the projection, in training and encoding.
/// </summary>
public sealed class PcaEncoderTrainer : ILatentEncoderTrainer
{
    private readonly Pca _pca;

    /// <summary>Initializes a trainer.</summary>
    /// <param name="options">PCA options; <see langword="null"/> = 3 centred components (the GMVAE's latent dimension).</param>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range (checked here, by <see cref="Pca"/>).</exception>
    public PcaEncoderTrainer(PcaOptions? options = null) => _pca = new Pca(options ?? new PcaOptions { ComponentCount = 3 });

    /// <summary>Gets the PCA options.</summary>
    public PcaOptions Options => _pca.Options;

    /// <inheritdoc/>
    public ILatentEncoder Train(LatentTrainingData data, IProgress<WorkflowProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(data);
        progress?.Report(new WorkflowProgress(WorkflowStage.Training, 0, "fitting PCA"));
        if (data.Blocks is not { } blocks)
        {
            PcaEncoder encoder = _pca.Fit(data.Spectra.Span, data.Count, data.Energies.Count, cancellationToken);
            progress?.Report(new WorkflowProgress(WorkflowStage.Training, 1, "PCA fitted"));
            return encoder;
        }

        // A fused multi-edge input: each block divided by its own global scale and weighted (BlockNormalization), then PCA.
        var normalization = BlockNormalization.Fit(blocks, BlockScaling.GlobalScale, data.Spectra.Span, ReadOnlySpan<int>.Empty);
        float[] scaled = new float[data.Spectra.Length];
        normalization.Apply(data.Spectra.Span, scaled, data.Count);
        PcaEncoder pca = _pca.Fit(scaled, data.Count, data.Energies.Count, cancellationToken);
        progress?.Report(new WorkflowProgress(WorkflowStage.Training, 1, "PCA fitted (per-block normalisation)"));
        return new BlockNormalizedEncoder(normalization, pca);
    }
}
