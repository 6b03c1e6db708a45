using StxmPhase.Spectra;
using StxmPhase.Unmixing;

namespace StxmPhase;

/// <summary>
/// Fits a principal-component projection as the workflow's latent encoder: a fast, deterministic, linear alternative to
/// the GMVAE (seconds instead of minutes), useful for quick looks and as a baseline.
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
        PcaEncoder encoder = _pca.Fit(data.Spectra.Span, data.Count, data.Energies.Count, cancellationToken);
        progress?.Report(new WorkflowProgress(WorkflowStage.Training, 1, "PCA fitted"));
        return encoder;
    }
}
