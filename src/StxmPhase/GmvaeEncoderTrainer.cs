using System.Globalization;
using Microsoft.Extensions.Logging;
using StxmPhase.Gmvae;
using StxmPhase.Spectra;

namespace StxmPhase;

/// <summary>
/// Trains the paper's Gaussian-mixture VAE as the workflow's latent encoder (the default). The trained
/// <see cref="GmvaeModel"/> is returned to the workflow, which disposes it with the run.
/// </summary>
public sealed class GmvaeEncoderTrainer : ILatentEncoderTrainer
{
    private readonly GmvaeOptions? _options;
    private readonly ILogger? _logger;
    private readonly GmvaeTrainer? _trainer;

    /// <summary>Initializes a trainer.</summary>
    /// <param name="options">
    /// GMVAE options; <see langword="null"/> = <c>new GmvaeOptions()</c> (bounded training: 40 epochs on at most 12 000
    /// spectra) with the workflow's seed. When given, the options are used as they are (including their seed);
    /// <c>GmvaeOptions.Paper with { Seed = 1 }</c> is the paper's schedule.
    /// </param>
    /// <param name="logger">Optional logger for training.</param>
    /// <exception cref="ArgumentException">An option is out of range (checked here, by <see cref="GmvaeTrainer"/>).</exception>
    public GmvaeEncoderTrainer(GmvaeOptions? options = null, ILogger? logger = null)
    {
        _options = options;
        _logger = logger;
        _trainer = options is null ? null : new GmvaeTrainer(options, logger);
    }

    /// <summary>Gets the options given to the constructor (<see langword="null"/> = the defaults with the workflow's seed).</summary>
    public GmvaeOptions? Options => _options;

    /// <summary>Gets libtorch's intra-op thread count for encoding with the trained model (process-wide, set after
    /// training), or <see langword="null"/> (default) to leave it (the CPUs the process may use, unless changed).</summary>
    public int? EncodingThreads { get; init; }

    /// <inheritdoc/>
    public ILatentEncoder Train(LatentTrainingData data, IProgress<WorkflowProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(data);
        GmvaeTrainer trainer = _trainer ?? new GmvaeTrainer(new GmvaeOptions { Seed = data.Seed }, _logger);
        IProgress<GmvaeEpoch>? epochs = progress is null ? null : new EpochProgress(progress);
        // A fused multi-edge input: the model normalises and weights each block, and keeps the blocks in its checkpoint.
        Gmvae.GmvaeModel model = trainer.Fit(data.Spectra, data.Count, data.Energies, data.Blocks, data.Labels, epochs, cancellationToken);
        Gmvae.TorchNative.ReleaseFreedNativeMemory(); // the training set's tensors and batches are freed by now
        if (EncodingThreads is { } threads)
        {
            Gmvae.TorchNative.SetThreads(threads);
        }

        return model;
    }

    /// <summary>Forwards epochs synchronously as workflow progress.</summary>
    private sealed class EpochProgress : IProgress<GmvaeEpoch>
    {
        private readonly IProgress<WorkflowProgress> _target;

        public EpochProgress(IProgress<WorkflowProgress> target) => _target = target;

        public void Report(GmvaeEpoch value)
        {
            string validation = value.ValidationMse is double v
                ? string.Create(CultureInfo.InvariantCulture, $"  val MSE {v:G3}")
                : string.Empty;
            string message = string.Create(CultureInfo.InvariantCulture,
                $"epoch {value.Epoch}/{value.TotalEpochs}  MSE {value.TrainMse:G3}  KL {value.TrainKl:G3}{validation}");
            _target.Report(new WorkflowProgress(WorkflowStage.Training, (double)value.Epoch / Math.Max(1, value.TotalEpochs), message));
        }
    }
}
