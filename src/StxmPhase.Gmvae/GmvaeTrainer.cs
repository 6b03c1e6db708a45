using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using StxmPhase.Spectra;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace StxmPhase.Gmvae;

/// <summary>
/// Trains the Gaussian-mixture VAE of the paper (Supplementary Algorithm 2) on pixel spectra and returns a
/// <see cref="GmvaeModel"/>.
/// </summary>
/// <remarks>
/// <para>Procedure: optional stratified subsample (<see cref="GmvaeOptions.MaxTrainingSpectra"/>); seeded
/// 95/2.5/2.5 train/validation/test split (n_val = ⌊f_val·N⌋, n_test = ⌊f_test·N⌋); the input transform is fitted
/// on the training split; Adam (lr 1e-3) on mini-batches of 128 drawn from a per-epoch seeded permutation (a trailing
/// batch of one spectrum is dropped); loss = MSE(x̂, x) (element mean) + β·KL (batch mean), one reparameterised
/// sample z = m + e^{v/2}·ε per spectrum; after each epoch the validation loss is computed in evaluation mode with
/// z = m. The network and the optimizer state live in native memory; every mini-batch runs in its own dispose scope,
/// so native memory does not grow across epochs.</para>
/// <para>Determinism: the seed drives initialisation (libtorch's global generator, seeded with
/// <c>torch.manual_seed</c>), the split and subsample (a seeded <see cref="Random"/>), shuffling (a dedicated
/// <c>torch.Generator</c>), dropout and the reparameterisation noise. Because libtorch's global generator is
/// process-wide, <c>Fit</c> calls are serialised within a process. On CPU the same data, options, seed and
/// thread count give bit-identical weights.</para>
/// </remarks>
/// <example>
/// <code>
/// var trainer = new GmvaeTrainer(new GmvaeOptions { Threads = 2 }, logger); // options validated here
/// using GmvaeModel model = trainer.Fit(spectra, count, energies, progress: progress);
/// model.Encode(spectra.Span, count, latent);
/// </code>
/// </example>
public sealed partial class GmvaeTrainer
{
    private static readonly Lock s_fitLock = new();
    private readonly ILogger _logger;

    /// <summary>Initializes a new trainer and validates its options (<see cref="GmvaeOptions.Validate"/>).</summary>
    /// <param name="options">Architecture and training settings; <see langword="null"/> = the paper's defaults.</param>
    /// <param name="logger">Receives start/end information and per-epoch debug messages; <see langword="null"/> for none.</param>
    /// <exception cref="ArgumentException">An option is out of range; the message names the property and the value.</exception>
    public GmvaeTrainer(GmvaeOptions? options = null, ILogger? logger = null)
    {
        Options = options ?? new GmvaeOptions();
        Options.Validate();
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>Gets the options (validated).</summary>
    public GmvaeOptions Options { get; }

    /// <summary>Trains a model on <paramref name="count"/> spectra.</summary>
    /// <param name="spectra"><paramref name="count"/> pixel-major rows of <c>energies.Count</c> floats (optical density).</param>
    /// <param name="count">The number of spectra N (at least 2).</param>
    /// <param name="energies">The energy axis of every row; stored with the model.</param>
    /// <param name="stratificationLabels">Empty, or one label per spectrum (e.g. the PCC phase, −1 for ambiguous)
    /// used to stratify the <see cref="GmvaeOptions.MaxTrainingSpectra"/> subsample.</param>
    /// <param name="progress">Receives one <see cref="GmvaeEpoch"/> after every epoch.</param>
    /// <param name="cancellationToken">Checked before every mini-batch.</param>
    /// <returns>The trained model (evaluation mode), which the caller disposes.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="energies"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is below 2.</exception>
    /// <exception cref="ArgumentException"><paramref name="spectra"/> is shorter than N·E, the labels have the wrong
    /// length, a value is NaN or infinite (the message names the spectrum, the energy and the value), or the training
    /// split would hold fewer than 2 spectra.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <exception cref="InvalidOperationException">CUDA was requested but is not available, or the loss became
    /// non-finite (training diverged).</exception>
    /// <exception cref="NativeLibraryLoadException">TorchSharp's native backend cannot be loaded.</exception>
    public GmvaeModel Fit(ReadOnlyMemory<float> spectra, int count, EnergyAxis energies,
        ReadOnlyMemory<int> stratificationLabels = default, IProgress<GmvaeEpoch>? progress = null,
        CancellationToken cancellationToken = default) =>
        Fit(spectra, count, energies, null, stratificationLabels, progress, cancellationToken);

    /// <summary>Trains a model on spectra made of spectral blocks (several edges fused): the input transform
    /// (<see cref="GmvaeOptions.Normalization"/>) is applied per block and the blocks are weighted by √(B·w<sub>b</sub>)
    /// (see <see cref="BlockNormalization"/>); the model and its checkpoint keep the blocks, so every <c>Encode</c> applies them.</summary>
    /// <param name="spectra">N rows of E floats (pixel-major).</param>
    /// <param name="count">N, at least 2.</param>
    /// <param name="energies">The energy axis of every row (E energies).</param>
    /// <param name="blocks">The blocks covering the E energies, or <see langword="null"/> for one block (the other overload).</param>
    /// <param name="stratificationLabels">Empty, or one label per spectrum, as in the other overload.</param>
    /// <param name="progress">Receives one <see cref="GmvaeEpoch"/> after every epoch.</param>
    /// <param name="cancellationToken">Checked before every mini-batch.</param>
    /// <returns>The trained model (evaluation mode), which the caller disposes.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="energies"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is below 2.</exception>
    /// <exception cref="ArgumentException">As in the other overload.</exception>
    /// <exception cref="IncompatibleEnergiesException">The blocks do not cover E energies.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <exception cref="InvalidOperationException">CUDA was requested but is not available, or training diverged.</exception>
    /// <exception cref="NativeLibraryLoadException">TorchSharp's native backend cannot be loaded.</exception>
    public GmvaeModel Fit(ReadOnlyMemory<float> spectra, int count, EnergyAxis energies, SpectralBlocks? blocks,
        ReadOnlyMemory<int> stratificationLabels, IProgress<GmvaeEpoch>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(energies);
        blocks?.EnsureMatches(energies.Count, "the energy axis");
        GmvaeOptions options = Options;
        if (count < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, "At least 2 spectra are needed to train (batch normalisation).");
        }

        int e = energies.Count;
        long needed = (long)count * e;
        if (spectra.Length < needed)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"Expected {count} spectra × {e} energies = {needed} values but got {spectra.Length}."),
                nameof(spectra));
        }

        if (!stratificationLabels.IsEmpty && stratificationLabels.Length != count)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture,
                    $"Expected {count} stratification labels (one per spectrum) but got {stratificationLabels.Length}."),
                nameof(stratificationLabels));
        }

        ReadOnlySpan<float> data = spectra.Span[..(int)needed];
        ThrowIfNotFinite(data, e, energies, nameof(spectra));
        cancellationToken.ThrowIfCancellationRequested();

        int[] selected = SelectSubset(count, options.MaxTrainingSpectra, stratificationLabels.Span, options.Seed);
        var (trainRows, validationRows, testRows) = Split(selected, options);
        if (trainRows.Length < 2)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture,
                    $"The training split would hold {trainRows.Length} spectra (of {selected.Length}); at least 2 are needed. Lower " +
                    $"ValidationFraction/TestFraction or supply more spectra."), nameof(count));
        }

        var normalizer = GmvaeNormalizer.Fit(options.Normalization, data, e, trainRows, blocks);
        float[] trainData = Gather(data, e, trainRows, normalizer);
        float[] validationData = Gather(data, e, validationRows, normalizer);
        float[] testData = Gather(data, e, testRows, normalizer);

        TorchNative.EnsureLoaded(_logger);
        lock (s_fitLock)
        {
            return Train(energies, options, normalizer, trainData, validationData, testData, progress, cancellationToken);
        }
    }

    private GmvaeModel Train(EnergyAxis energies, GmvaeOptions options, GmvaeNormalizer normalizer, float[] trainData,
        float[] validationData, float[] testData, IProgress<GmvaeEpoch>? progress, CancellationToken cancellationToken)
    {
        int e = energies.Count;
        int nTrain = trainData.Length / e;
        int nValidation = validationData.Length / e;
        int nTest = testData.Length / e;
        Device device = GmvaeModel.ResolveDevice(options.Device);
        int previousThreads = torch.get_num_threads();
        int trainingThreads = TrainingThreads(options, device.type);
        if (trainingThreads != previousThreads)
        {
            torch.set_num_threads(trainingThreads);
        }

        torch.manual_seed(options.Seed);
        string deviceName = device.type.ToString();
        int threadCount = torch.get_num_threads();
        LogStart(_logger, nTrain, nValidation, nTest, e, options.Epochs, options.BatchSize, deviceName, threadCount);

        GmvaeNetwork? network = null;
        Tensor? trainX = null;
        Tensor? validationX = null;
        Tensor? testX = null;
        Dictionary<string, Tensor>? best = null;
        try
        {
            network = new GmvaeNetwork(e, options);
            if (device.type != DeviceType.CPU)
            {
                network.to(device);
            }

            trainX = ToDevice(trainData, nTrain, e, device);
            validationX = nValidation > 0 ? ToDevice(validationData, nValidation, e, device) : null;
            testX = nTest > 0 ? ToDevice(testData, nTest, e, device) : null;

            using var optimizer = new GmvaeAdam(network.parameters(), options.LearningRate);
            using var generator = new Generator(unchecked((ulong)options.Seed));
            var epochs = new List<GmvaeEpoch>(options.Epochs);
            var clock = Stopwatch.StartNew();
            double bestLoss = double.PositiveInfinity;
            int bestEpoch = 0;
            int sinceBest = 0;
            bool stoppedEarly = false;
            for (int epoch = 1; epoch <= options.Epochs; epoch++)
            {
                var (trainLoss, trainMse, trainKl) = TrainEpoch(network, optimizer, generator, trainX, nTrain, options, device, cancellationToken);
                if (!double.IsFinite(trainLoss))
                {
                    throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                        $"Training diverged at epoch {epoch}: the training loss is {trainLoss} (MSE {trainMse}, KL {trainKl}). Lower LearningRate " +
                        $"or choose another Normalization."));
                }

                (double Loss, double Mse, double Kl)? validation = validationX is null ? null : Evaluate(network, validationX, nValidation, options);

                // Every batch's tensors go back to glibc's heap, which returns too little of it to the system by itself:
                // untrimmed, the resident memory of a 1024² map run grew by ≈ 125 kB per batch (+100 MB at its peak)
                // until a garbage collection happened to trim it. Also every TrimEveryBatches batches (TrainEpoch).
                TorchNative.ReleaseFreedNativeMemory();
                var record = new GmvaeEpoch(epoch, options.Epochs, trainLoss, trainMse, trainKl,
                    validation?.Loss, validation?.Mse, validation?.Kl, clock.Elapsed);
                epochs.Add(record);
                LogEpoch(_logger, epoch, options.Epochs, trainLoss, trainMse, trainKl, validation?.Loss ?? double.NaN);
                progress?.Report(record);

                double monitored = validation?.Loss ?? trainLoss;
                if (monitored < bestLoss - options.EarlyStoppingMinDelta || bestEpoch == 0)
                {
                    bestLoss = monitored;
                    bestEpoch = epoch;
                    sinceBest = 0;
                    if (options.KeepBestValidation)
                    {
                        DisposeAll(best);
                        best = Snapshot(network);
                    }
                }
                else
                {
                    sinceBest++;
                    if (options.EarlyStoppingPatience is { } patience && sinceBest >= patience)
                    {
                        stoppedEarly = true;
                        break;
                    }
                }
            }

            if (best is not null && bestEpoch != epochs.Count)
            {
                Restore(network, best);
            }

            network.eval();
            (double Loss, double Mse, double Kl)? test = testX is null ? null : Evaluate(network, testX, nTest, options);
            var history = new GmvaeTrainingHistory(epochs, nTrain, nValidation, nTest, test?.Loss, test?.Mse, test?.Kl, stoppedEarly, bestEpoch);
            LogEnd(_logger, epochs.Count, clock.Elapsed.TotalSeconds, test?.Loss ?? double.NaN);
            var model = new GmvaeModel(network, normalizer, energies, options, history, device, _logger);
            network = null; // owned by the model now
            return model;
        }
        finally
        {
            if (options.Threads is null && torch.get_num_threads() != previousThreads)
            {
                torch.set_num_threads(previousThreads); // the one-thread training policy ends with training
            }

            network?.Dispose();
            trainX?.Dispose();
            validationX?.Dispose();
            testX?.Dispose();
            DisposeAll(best);
        }
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "GMVAE training: {Train} train / {Validation} validation / {Test} test spectra × {Energies} energies, {Epochs} epochs, batch " +
            "{Batch}, device {Device}, {Threads} threads.")]
    private static partial void LogStart(ILogger logger, int train, int validation, int test, int energies, int epochs, int batch,
        string device, int threads);

    [LoggerMessage(Level = LogLevel.Debug,
        Message = "Epoch {Epoch}/{Total}: loss {Loss:G6} (MSE {Mse:G6}, KL {Kl:G6}), validation loss {ValidationLoss:G6}.")]
    private static partial void LogEpoch(ILogger logger, int epoch, int total, double loss, double mse, double kl, double validationLoss);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "GMVAE training finished after {Epochs} epochs in {Seconds:F1} s; test loss {TestLoss:G6}.")]
    private static partial void LogEnd(ILogger logger, int epochs, double seconds, double testLoss);
}
