namespace StxmPhase;

/// <summary>Trains a latent encoder on the spectra of a workflow run (the GMVAE by default; PCA is a cheap alternative).</summary>
public interface ILatentEncoderTrainer
{
    /// <summary>Trains an encoder.</summary>
    /// <param name="data">The spectra of every valid pixel of every stack.</param>
    /// <param name="progress">Optional progress (stage <see cref="WorkflowStage.Training"/>).</param>
    /// <param name="cancellationToken">Cancels training.</param>
    /// <returns>The trained encoder. If it implements <see cref="IDisposable"/>, the caller owns it.</returns>
    Spectra.ILatentEncoder Train(LatentTrainingData data, IProgress<WorkflowProgress>? progress, CancellationToken cancellationToken);
}
