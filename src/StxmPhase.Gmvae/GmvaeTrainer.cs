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
/// process-wide, <see cref="Fit"/> calls are serialised within a process. On CPU the same data, options, seed and
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
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(energies);
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

        var normalizer = GmvaeNormalizer.Fit(options.Normalization, data, e, trainRows);
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

    /// <summary>The largest mini-batch for which CPU training uses one intra-op thread when
    /// <see cref="GmvaeOptions.Threads"/> is not set (docs/performance.md, "Threads").</summary>
    internal const int SingleThreadBatchLimit = 256;

    /// <summary>
    /// The intra-op thread count of training: <see cref="GmvaeOptions.Threads"/> when set; otherwise one thread on the
    /// CPU for mini-batches up to <see cref="SingleThreadBatchLimit"/> spectra (a 128 × 512 layer is too small for a
    /// second thread to pay, and OpenMP threads beside other busy processes made training several times slower), and
    /// the CPUs this process may use (<see cref="ProcessorBudget.Available"/>) for larger batches or a GPU.
    /// </summary>
    internal static int TrainingThreads(GmvaeOptions options, DeviceType device) =>
        options.Threads ?? (device == DeviceType.CPU && options.BatchSize <= SingleThreadBatchLimit ? 1 : ProcessorBudget.Available);

    /// <summary>Batches between two trims of the C heap during an epoch (≈ 2 MB of freed tensors on the paper network;
    /// the measured trade-off between epoch time and peak memory that chose 16 is in docs/performance.md).</summary>
    private const int TrimEveryBatches = 16;

    internal static (double Loss, double Mse, double Kl) TrainEpoch(GmvaeNetwork network, GmvaeAdam optimizer, Generator generator,
        Tensor trainX, int nTrain, GmvaeOptions options, Device device, CancellationToken cancellationToken)
    {
        network.train();
        using var permutationCpu = randperm(nTrain, generator: generator);
        using var permutation = device.type == DeviceType.CPU ? permutationCpu.alias() : permutationCpu.to(device);
        using var sums = zeros(3, dtype: ScalarType.Float64, device: device);
        long seen = 0;
        int batches = 0;
        for (int start = 0; start < nTrain; start += options.BatchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int length = Math.Min(options.BatchSize, nTrain - start);
            if (length < 2)
            {
                break; // batch normalisation cannot train on a single spectrum
            }

            using var scope = NewDisposeScope();
            var index = permutation.narrow(0, start, length);
            var batch = trainX.index_select(0, index);
            var (loss, mse, kl) = Objective(network, batch, options, training: true);
            optimizer.ZeroGrad();
            loss.backward();
            optimizer.Step();
            using (no_grad())
            {
                sums.AddScaledInPlace(stack([loss.detach(), mse.detach(), kl.detach()]).to(ScalarType.Float64), length);
            }

            seen += length;
            if (++batches % TrimEveryBatches == 0)
            {
                // The freed batch tensors go back to glibc's heap, which returns too little of it by itself (see Fit).
                TorchNative.ReleaseFreedNativeMemory();
            }
        }

        using var host = sums.cpu();
        double[] values = host.data<double>().ToArray();
        return (values[0] / seen, values[1] / seen, values[2] / seen);
    }

    /// <summary>Loss pieces of one batch: (total, MSE per element, KL per spectrum), all scalars.</summary>
    internal static (Tensor Loss, Tensor Mse, Tensor Kl) Objective(GmvaeNetwork network, Tensor batch, GmvaeOptions options, bool training)
    {
        var (mean, logVariance, logits) = network.call(batch);
        Tensor z = training ? mean.Plus(logVariance.Times(0.5).exp() * randn_like(mean)) : mean;
        var reconstruction = network.Decode(z);
        var mse = nn.functional.mse_loss(reconstruction, batch);
        var logWeights = network.PriorLogWeights();
        bool diagonal = network.Covariance == GmvaeCovariance.Diagonal;
        Tensor priorShape = diagonal ? network.PriorVariances() : network.PriorCholesky();
        Tensor kl;
        Tensor? auxiliary = null;
        if (options.KlMode == GmvaeKlMode.CategoricalMeanField)
        {
            var gaussian = diagonal
                ? GmvaeLoss.GaussianKlDiagonal(mean, logVariance, network.PriorMeans, priorShape)
                : GmvaeLoss.GaussianKlFull(mean, logVariance, network.PriorMeans, priorShape);
            kl = GmvaeLoss.MeanFieldKl(gaussian, logits, logWeights).mean();
        }
        else
        {
            var logDensity = diagonal
                ? GmvaeLoss.LogDensityDiagonal(z, network.PriorMeans, priorShape)
                : GmvaeLoss.LogDensityFull(z, network.PriorMeans, priorShape);
            kl = GmvaeLoss.MonteCarloKl(logVariance, logDensity, logWeights).mean();
            var gamma = GmvaeLoss.Responsibilities(logDensity, logWeights);
            auxiliary = GmvaeLoss.ResponsibilityCrossEntropy(gamma, logits).mean();
        }

        var loss = mse.Plus(kl.Times(options.Beta));
        if (auxiliary is not null)
        {
            loss = loss.Plus(auxiliary.Times(options.Beta));
        }

        return (loss, mse, kl);
    }

    /// <summary>Mean loss pieces over a data tensor in evaluation mode with z = posterior mean.</summary>
    internal static (double Loss, double Mse, double Kl) Evaluate(GmvaeNetwork network, Tensor data, int count, GmvaeOptions options)
    {
        network.eval();
        using var noGrad = no_grad();
        using var sums = zeros(3, dtype: ScalarType.Float64, device: data.device);
        for (int start = 0; start < count; start += options.EncodeChunkSize)
        {
            int length = Math.Min(options.EncodeChunkSize, count - start);
            using var scope = NewDisposeScope();
            var chunk = data.narrow(0, start, length);
            var (loss, mse, kl) = Objective(network, chunk, options, training: false);
            sums.AddScaledInPlace(stack([loss, mse, kl]).to(ScalarType.Float64), length);
        }

        using var host = sums.cpu();
        double[] values = host.data<double>().ToArray();
        return (values[0] / count, values[1] / count, values[2] / count);
    }

    /// <summary>Indices of the spectra used for training: all, or a seeded (stratified) subsample, ascending.</summary>
    internal static int[] SelectSubset(int count, int? max, ReadOnlySpan<int> labels, long seed)
    {
        if (max is not { } limit || count <= limit)
        {
            return Enumerable.Range(0, count).ToArray();
        }

        var random = new Random(DeriveSeed(seed, 0x5EED5));
        var result = new List<int>(limit);
        if (labels.IsEmpty)
        {
            int[] all = Enumerable.Range(0, count).ToArray();
            PartialShuffle(all, limit, random);
            result.AddRange(all.AsSpan(0, limit).ToArray());
        }
        else
        {
            var groups = new SortedDictionary<int, List<int>>();
            for (int i = 0; i < count; i++)
            {
                if (!groups.TryGetValue(labels[i], out var list))
                {
                    list = new List<int>();
                    groups[labels[i]] = list;
                }

                list.Add(i);
            }

            // Largest-remainder quotas proportional to group size; ties go to the lower label.
            var quotas = groups.Select(g => (Label: g.Key, Exact: (double)limit * g.Value.Count / count)).ToArray();
            int[] take = quotas.Select(q => (int)Math.Floor(q.Exact)).ToArray();
            int remaining = limit - take.Sum();
            foreach (int i in Enumerable.Range(0, quotas.Length).OrderByDescending(i => quotas[i].Exact - take[i]).ThenBy(i => quotas[i].Label)
                .Take(remaining))
            {
                take[i]++;
            }

            int g = 0;
            foreach (var group in groups.Values)
            {
                int[] members = group.ToArray();
                PartialShuffle(members, take[g], random);
                result.AddRange(members.AsSpan(0, take[g]).ToArray());
                g++;
            }
        }

        result.Sort();
        return result.ToArray();
    }

    /// <summary>Seeded train/validation/test split of <paramref name="selected"/>.</summary>
    internal static (int[] Train, int[] Validation, int[] Test) Split(int[] selected, GmvaeOptions options)
    {
        int n = selected.Length;
        int nValidation = (int)Math.Floor(options.ValidationFraction * n);
        int nTest = (int)Math.Floor(options.TestFraction * n);
        int[] order = (int[])selected.Clone();
        var random = new Random(DeriveSeed(options.Seed, 0x5B117));
        PartialShuffle(order, n, random);
        int[] validation = order[..nValidation];
        int[] test = order[nValidation..(nValidation + nTest)];
        int[] train = order[(nValidation + nTest)..];
        return (train, validation, test);
    }

    private static void PartialShuffle(int[] values, int take, Random random)
    {
        for (int i = 0; i < take && i < values.Length - 1; i++)
        {
            int j = random.Next(i, values.Length);
            (values[i], values[j]) = (values[j], values[i]);
        }
    }

    private static int DeriveSeed(long seed, int salt) => unchecked((int)seed ^ (int)(seed >> 32) ^ (salt * 31));

    private static float[] Gather(ReadOnlySpan<float> data, int e, int[] rows, GmvaeNormalizer normalizer)
    {
        float[] result = new float[rows.Length * e];
        for (int r = 0; r < rows.Length; r++)
        {
            normalizer.Apply(data.Slice(rows[r] * e, e), result.AsSpan(r * e, e), 1);
        }

        return result;
    }

    private static Tensor ToDevice(float[] values, int rows, int e, Device device)
    {
        var t = torch.tensor(values, [rows, e]);
        if (device.type == DeviceType.CPU)
        {
            return t;
        }

        var moved = t.to(device);
        t.Dispose();
        return moved;
    }

    private static void ThrowIfNotFinite(ReadOnlySpan<float> data, int e, EnergyAxis energies, string paramName)
    {
        for (int i = 0; i < data.Length; i++)
        {
            if (!float.IsFinite(data[i]))
            {
                int row = i / e;
                int column = i % e;
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                    $"Spectrum {row} has a non-finite value ({data[i]}) at energy index {column} ({energies[column]} eV); mask NaN/Inf pixels " +
                    $"before training."), paramName);
            }
        }
    }

    private static Dictionary<string, Tensor> Snapshot(GmvaeNetwork network)
    {
        using var noGrad = no_grad();
        return network.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone());
    }

    private static void Restore(GmvaeNetwork network, Dictionary<string, Tensor> snapshot)
    {
        using var noGrad = no_grad();
        foreach (var (key, value) in network.state_dict())
        {
            value.copy_(snapshot[key]);
        }
    }

    private static void DisposeAll(Dictionary<string, Tensor>? tensors)
    {
        if (tensors is null)
        {
            return;
        }

        foreach (var t in tensors.Values)
        {
            t.Dispose();
        }

        tensors.Clear();
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
