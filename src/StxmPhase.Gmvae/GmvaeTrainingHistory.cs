namespace StxmPhase.Gmvae;

/// <summary>What happened during <c>GmvaeTrainer.Fit</c>: the per-epoch losses, the test loss and the split
/// sizes. Stored in checkpoints.</summary>
public sealed class GmvaeTrainingHistory
{
    /// <summary>Initializes a new history.</summary>
    /// <param name="epochs">The per-epoch losses, in order.</param>
    /// <param name="trainingCount">Spectra in the training split.</param>
    /// <param name="validationCount">Spectra in the validation split.</param>
    /// <param name="testCount">Spectra in the test split.</param>
    /// <param name="testLoss">Test loss (evaluation mode), or <see langword="null"/> without a test split.</param>
    /// <param name="testMse">Test MSE per element, or <see langword="null"/>.</param>
    /// <param name="testKl">Test KL per spectrum, or <see langword="null"/>.</param>
    /// <param name="stoppedEarly">Whether early stopping ended training.</param>
    /// <param name="bestEpoch">The 1-based epoch with the lowest monitored loss.</param>
    /// <exception cref="ArgumentNullException"><paramref name="epochs"/> is <see langword="null"/>.</exception>
    public GmvaeTrainingHistory(IReadOnlyList<GmvaeEpoch> epochs, int trainingCount, int validationCount, int testCount,
        double? testLoss, double? testMse, double? testKl, bool stoppedEarly, int bestEpoch)
    {
        ArgumentNullException.ThrowIfNull(epochs);
        Epochs = epochs.ToArray().AsReadOnly();
        TrainingCount = trainingCount;
        ValidationCount = validationCount;
        TestCount = testCount;
        TestLoss = testLoss;
        TestMse = testMse;
        TestKl = testKl;
        StoppedEarly = stoppedEarly;
        BestEpoch = bestEpoch;
    }

    /// <summary>Gets the per-epoch losses, in order.</summary>
    public IReadOnlyList<GmvaeEpoch> Epochs { get; }

    /// <summary>Gets the number of epochs run (fewer than configured after early stopping).</summary>
    public int EpochsRun => Epochs.Count;

    /// <summary>Gets the number of spectra in the training split.</summary>
    public int TrainingCount { get; }

    /// <summary>Gets the number of spectra in the validation split.</summary>
    public int ValidationCount { get; }

    /// <summary>Gets the number of spectra in the test split.</summary>
    public int TestCount { get; }

    /// <summary>Gets the test loss of the returned weights (evaluation mode, z = posterior mean), or <see langword="null"/>.</summary>
    public double? TestLoss { get; }

    /// <summary>Gets the test MSE per element, or <see langword="null"/>.</summary>
    public double? TestMse { get; }

    /// <summary>Gets the test KL per spectrum, or <see langword="null"/>.</summary>
    public double? TestKl { get; }

    /// <summary>Gets whether early stopping ended training.</summary>
    public bool StoppedEarly { get; }

    /// <summary>Gets the 1-based epoch with the lowest monitored loss (validation loss, or training loss without validation).</summary>
    public int BestEpoch { get; }
}
