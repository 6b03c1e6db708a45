using System.Globalization;

namespace StxmPhase.Gmvae;

/// <summary>
/// Architecture and training settings of the Gaussian-mixture VAE. The architecture and optimiser defaults are the
/// paper's (arXiv 2603.07666, Methods 6.6 and Supplementary Algorithm 2); the training schedule is bounded by default
/// (<see cref="DefaultEpochs"/> epochs on at most <see cref="DefaultMaxTrainingSpectra"/> spectra) and
/// <see cref="Paper"/> is the paper's (400 epochs on every spectrum). Settings the paper leaves open have the documented
/// default listed in <c>docs/differences-from-paper.md</c>; docs/concepts.md states the defaults once.
/// </summary>
/// <example>
/// <code>
/// var options = new GmvaeOptions { Epochs = 100, Seed = 42, Threads = 2 };
/// using GmvaeModel model = new GmvaeTrainer(options).Fit(spectra, count, energies);
/// </code>
/// </example>
public sealed record GmvaeOptions
{
    /// <summary>The default number of training epochs (bounded; the paper trains <see cref="PaperEpochs"/>).</summary>
    public const int DefaultEpochs = 40;

    /// <summary>The default training subsample (stratified by the caller's labels when given; every spectrum can still
    /// be encoded). The paper trains on every spectrum.</summary>
    public const int DefaultMaxTrainingSpectra = 12000;

    /// <summary>The paper's number of training epochs.</summary>
    public const int PaperEpochs = 400;

    /// <summary>Gets the paper's training schedule: <see cref="PaperEpochs"/> epochs on every spectrum (slow on a CPU
    /// for large stacks). Use <c>GmvaeOptions.Paper with { Seed = 1 }</c> to change other settings.</summary>
    public static GmvaeOptions Paper => new() { Epochs = PaperEpochs, MaxTrainingSpectra = null };

    /// <summary>Gets the widths of the encoder's hidden blocks, input side first (paper: 512, 256, 128, 64). The
    /// decoder mirrors them in reverse order. Each block is Linear → batch norm → ReLU → Dropout.</summary>
    public IReadOnlyList<int> HiddenLayers { get; init; } = [512, 256, 128, 64];

    /// <summary>Gets the latent dimension d (paper: 3).</summary>
    public int LatentDimension { get; init; } = 3;

    /// <summary>Gets the number K of mixture components of the prior (paper: 5).</summary>
    public int Components { get; init; } = 5;

    /// <summary>Gets the dropout probability of every hidden block (paper: 0.1). 0 removes the dropout layers.</summary>
    public double DropoutRate { get; init; } = 0.1;

    /// <summary>Gets whether the decoder's hidden blocks have batch normalisation (default <see langword="true"/>:
    /// the decoder mirrors the encoder).</summary>
    public bool DecoderBatchNorm { get; init; } = true;

    /// <summary>Gets whether the decoder's hidden blocks have dropout (default <see langword="true"/>).</summary>
    public bool DecoderDropout { get; init; } = true;

    /// <summary>Gets the KL weight β in loss = MSE + β·KL (paper: 1e-5). MSE is the mean over elements
    /// (batch × energies), as PyTorch's <c>MSELoss()</c>; KL is the mean over the batch.</summary>
    public double Beta { get; init; } = 1e-5;

    /// <summary>Gets the form of the KL term (default <see cref="GmvaeKlMode.CategoricalMeanField"/>).</summary>
    public GmvaeKlMode KlMode { get; init; } = GmvaeKlMode.CategoricalMeanField;

    /// <summary>Gets the covariance structure of the prior components (default <see cref="GmvaeCovariance.Diagonal"/>).</summary>
    public GmvaeCovariance Covariance { get; init; } = GmvaeCovariance.Diagonal;

    /// <summary>Gets the input transform (default <see cref="GmvaeNormalization.GlobalScale"/>, paper-faithful).</summary>
    public GmvaeNormalization Normalization { get; init; } = GmvaeNormalization.GlobalScale;

    /// <summary>Gets Adam's learning rate (paper: 1e-3; β₁ 0.9, β₂ 0.999, ε 1e-8, no weight decay).</summary>
    public double LearningRate { get; init; } = 1e-3;

    /// <summary>Gets the mini-batch size (paper: 128). A trailing batch of one spectrum is dropped (batch
    /// normalisation cannot train on it); every other batch is used.</summary>
    public int BatchSize { get; init; } = 128;

    /// <summary>Gets the number of training epochs (default <see cref="DefaultEpochs"/> = 40; paper: 400, see <see cref="Paper"/>).</summary>
    public int Epochs { get; init; } = DefaultEpochs;

    /// <summary>Gets the validation fraction (paper: 0.025); n_val = ⌊fraction·N⌋, 0 skips validation.</summary>
    public double ValidationFraction { get; init; } = 0.025;

    /// <summary>Gets the test fraction (paper: 0.025); n_test = ⌊fraction·N⌋, 0 skips the test loss.</summary>
    public double TestFraction { get; init; } = 0.025;

    /// <summary>Gets the random seed of initialisation, split, shuffling, dropout and reparameterisation noise.
    /// On CPU the same seed, data, options and thread count give bit-identical models.</summary>
    public long Seed { get; init; }

    /// <summary>Gets the largest number of spectra used for training (split into train/validation/test), or
    /// <see langword="null"/> for all (the paper, see <see cref="Paper"/>). Default <see cref="DefaultMaxTrainingSpectra"/>
    /// = 12 000. When the data set is larger, a seeded subsample is drawn, stratified by the caller's labels when given
    /// (e.g. the PCC phase), so training time is bounded; every spectrum can still be encoded by the trained model.</summary>
    public int? MaxTrainingSpectra { get; init; } = DefaultMaxTrainingSpectra;

    /// <summary>Gets the number of epochs without an improvement of the validation loss (training loss when there is
    /// no validation split) larger than <see cref="EarlyStoppingMinDelta"/> after which training stops, or
    /// <see langword="null"/> (default, as in the paper) to always run <see cref="Epochs"/> epochs.</summary>
    public int? EarlyStoppingPatience { get; init; }

    /// <summary>Gets the smallest decrease of the monitored loss that counts as an improvement (default 0).</summary>
    public double EarlyStoppingMinDelta { get; init; }

    /// <summary>Gets whether the weights of the epoch with the lowest monitored loss are restored at the end
    /// (default <see langword="false"/>: the final weights are kept, as in the paper).</summary>
    public bool KeepBestValidation { get; init; }

    /// <summary>Gets the device (default <see cref="GmvaeDevice.Cpu"/>).</summary>
    public GmvaeDevice Device { get; init; } = GmvaeDevice.Cpu;

    /// <summary>Gets the number of intra-op threads libtorch uses in training, or <see langword="null"/> (default) for
    /// the thread policy: one thread on the CPU for mini-batches up to 256 spectra (more do not pay for the paper's
    /// network and collapse beside other busy processes; docs/performance.md), otherwise the CPUs the process may use
    /// (<see cref="Spectra.ProcessorBudget.Available"/>). The setting is process-wide (<c>torch.set_num_threads</c>);
    /// reduction order, and hence the last bits of results, depend on it.</summary>
    public int? Threads { get; init; }

    /// <summary>Gets the number of spectra per chunk in encoding, decoding and loss evaluation (default 1024:
    /// the 512-wide activations of a 1024-row chunk stay in cache, which made encoding several times faster than with
    /// 4096-row chunks; measurements in docs/performance.md).
    /// Results do not depend on it.</summary>
    public int EncodeChunkSize { get; init; } = 1024;

    /// <summary>Checks every value and throws for the first invalid one.</summary>
    /// <exception cref="ArgumentException">A value is out of range; the message names the property and the value.</exception>
    public void Validate()
    {
        if (HiddenLayers is null || HiddenLayers.Count == 0)
        {
            throw new ArgumentException("HiddenLayers must list at least one layer width.", nameof(HiddenLayers));
        }

        for (int i = 0; i < HiddenLayers.Count; i++)
        {
            if (HiddenLayers[i] <= 0)
            {
                throw new ArgumentOutOfRangeException(nameof(HiddenLayers), HiddenLayers[i],
                    string.Create(CultureInfo.InvariantCulture, $"HiddenLayers[{i}] must be greater than 0; got {HiddenLayers[i]}."));
            }
        }

        Positive(LatentDimension, nameof(LatentDimension));
        Positive(Components, nameof(Components));
        Positive(BatchSize, nameof(BatchSize));
        Positive(Epochs, nameof(Epochs));
        Positive(EncodeChunkSize, nameof(EncodeChunkSize));
        if (BatchSize < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize,
                "BatchSize must be at least 2 (batch normalisation needs two samples).");
        }

        if (!(DropoutRate >= 0 && DropoutRate < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(DropoutRate), DropoutRate, "DropoutRate must be in [0, 1).");
        }

        if (!(Beta >= 0) || double.IsInfinity(Beta))
        {
            throw new ArgumentOutOfRangeException(nameof(Beta), Beta, "Beta must be finite and not negative.");
        }

        if (!(LearningRate > 0) || double.IsInfinity(LearningRate))
        {
            throw new ArgumentOutOfRangeException(nameof(LearningRate), LearningRate, "LearningRate must be finite and greater than 0.");
        }

        if (!(ValidationFraction >= 0 && TestFraction >= 0 && ValidationFraction + TestFraction < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(ValidationFraction), ValidationFraction,
                string.Create(CultureInfo.InvariantCulture,
                    $"ValidationFraction ({ValidationFraction}) and TestFraction ({TestFraction}) must not be negative and must sum to " +
                    $"less than 1."));
        }

        if (MaxTrainingSpectra is { } max && max < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxTrainingSpectra), max, "MaxTrainingSpectra must be at least 2 when set.");
        }

        if (EarlyStoppingPatience is { } patience && patience < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(EarlyStoppingPatience), patience, "EarlyStoppingPatience must be at least 1 when set.");
        }

        if (!(EarlyStoppingMinDelta >= 0))
        {
            throw new ArgumentOutOfRangeException(nameof(EarlyStoppingMinDelta), EarlyStoppingMinDelta,
                "EarlyStoppingMinDelta must not be negative.");
        }

        if (Threads is { } threads && threads < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Threads), threads, "Threads must be at least 1 when set.");
        }

        if (!Enum.IsDefined(Normalization) || !Enum.IsDefined(KlMode) || !Enum.IsDefined(Covariance) || !Enum.IsDefined(Device))
        {
            throw new ArgumentException("Normalization, KlMode, Covariance and Device must be defined enum values.", nameof(Normalization));
        }
    }

    private static void Positive(int value, string name)
    {
        if (value <= 0)
        {
            throw new ArgumentOutOfRangeException(name, value,
                string.Create(CultureInfo.InvariantCulture, $"{name} must be greater than 0; got {value}."));
        }
    }
}
