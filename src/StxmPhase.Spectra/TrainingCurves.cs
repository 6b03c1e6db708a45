namespace StxmPhase.Spectra;

/// <summary>Per-epoch losses of the latent encoder's training (the paper's Fig. S11). Series may be empty.</summary>
public sealed class TrainingCurves
{
    /// <summary>Initializes the curves.</summary>
    /// <param name="trainMse">Training reconstruction MSE per epoch.</param>
    /// <param name="validationMse">Validation MSE per epoch (empty when there was no validation split).</param>
    /// <param name="trainKl">Training KL per epoch.</param>
    /// <param name="validationKl">Validation KL per epoch.</param>
    /// <param name="testLoss">Loss on the held-out test split, when there was one.</param>
    public TrainingCurves(IReadOnlyList<double> trainMse, IReadOnlyList<double> validationMse, IReadOnlyList<double> trainKl,
        IReadOnlyList<double> validationKl, double? testLoss)
    {
        TrainMse = trainMse ?? throw new ArgumentNullException(nameof(trainMse));
        ValidationMse = validationMse ?? throw new ArgumentNullException(nameof(validationMse));
        TrainKl = trainKl ?? throw new ArgumentNullException(nameof(trainKl));
        ValidationKl = validationKl ?? throw new ArgumentNullException(nameof(validationKl));
        TestLoss = testLoss;
    }

    /// <summary>Gets the training MSE per epoch.</summary>
    public IReadOnlyList<double> TrainMse { get; }

    /// <summary>Gets the validation MSE per epoch.</summary>
    public IReadOnlyList<double> ValidationMse { get; }

    /// <summary>Gets the training KL per epoch.</summary>
    public IReadOnlyList<double> TrainKl { get; }

    /// <summary>Gets the validation KL per epoch.</summary>
    public IReadOnlyList<double> ValidationKl { get; }

    /// <summary>Gets the test loss, when a test split existed.</summary>
    public double? TestLoss { get; }

    /// <summary>Gets the number of epochs run.</summary>
    public int Epochs => TrainMse.Count;
}
