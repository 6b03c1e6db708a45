namespace StxmPhase.Gmvae;

/// <summary>Losses of one training epoch (the curves of the paper's Fig. S11), reported through
/// <see cref="IProgress{T}"/> and kept in <see cref="GmvaeTrainingHistory.Epochs"/>.</summary>
/// <param name="Epoch">The 1-based epoch number.</param>
/// <param name="TotalEpochs">The configured number of epochs.</param>
/// <param name="TrainLoss">Mean training loss MSE + β·KL (+ β·CE in Monte-Carlo mode) over the epoch's samples, in
/// training mode (dropout on, one reparameterised sample).</param>
/// <param name="TrainMse">Mean training reconstruction MSE per element (normalised units).</param>
/// <param name="TrainKl">Mean training KL per spectrum (nats).</param>
/// <param name="ValidationLoss">Validation loss in evaluation mode with z = posterior mean, or <see langword="null"/> without a validation
/// split.</param>
/// <param name="ValidationMse">Validation MSE per element, or <see langword="null"/>.</param>
/// <param name="ValidationKl">Validation KL per spectrum, or <see langword="null"/>.</param>
/// <param name="Elapsed">Wall-clock time since training started.</param>
public readonly record struct GmvaeEpoch(int Epoch, int TotalEpochs, double TrainLoss, double TrainMse, double TrainKl,
    double? ValidationLoss, double? ValidationMse, double? ValidationKl, TimeSpan Elapsed);
