using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using StxmPhase.Spectra;
using TorchSharp;
using static TorchSharp.torch;

namespace StxmPhase.Gmvae;

/// <summary>
/// A trained Gaussian-mixture VAE: encodes spectra to their posterior means (an <see cref="ILatentEncoder"/>),
/// decodes latent points to spectra, gives mixture responsibilities and the learned prior, and saves/loads
/// versioned checkpoints. Holds native memory: dispose it.
/// </summary>
/// <remarks>
/// Every call works in evaluation mode (batch normalisation uses its running statistics, dropout is off) under
/// <c>no_grad</c>, in chunks of <see cref="GmvaeOptions.EncodeChunkSize"/> spectra, each in its own dispose scope; a
/// spectrum's result does not depend on the chunk it is in. Inputs are raw spectra in the units the model was
/// trained on: the stored input transform is applied internally. A row with a NaN or infinite value gives a NaN
/// result row and leaves the other rows unaffected. Calls are serialised by an internal lock. After each call the
/// memory libtorch freed is returned to the operating system (<see cref="TorchNative.ReleaseFreedNativeMemory"/>), so
/// callers need not trim the native heap themselves.
/// </remarks>
public sealed partial class GmvaeModel : ILatentEncoder, ILatentDecoder, ITrainingCurvesSource, IDisposable
{
    private readonly GmvaeNetwork _network;
    private readonly Lock _sync = new();
    private readonly Device _device;
    private readonly ILogger _logger;
    private GmvaeFoldedEncoder? _folded;
    private TrainingCurves? _curves;
    private bool _disposed;

    internal GmvaeModel(GmvaeNetwork network, GmvaeNormalizer normalizer, EnergyAxis energies, GmvaeOptions options,
        GmvaeTrainingHistory history, Device device, ILogger? logger)
    {
        _network = network;
        Normalizer = normalizer;
        Energies = energies;
        Options = options;
        History = history;
        _device = device;
        _logger = logger ?? NullLogger.Instance;
        _network.eval();
        Prior = ReadPrior();
    }

    /// <summary>Gets the latent dimension D.</summary>
    public int LatentDimension => _network.LatentDimension;

    /// <summary>Gets the number of mixture components K.</summary>
    public int Components => _network.Components;

    /// <summary>Gets the energy axis the model was trained on; inputs must be rows of <c>Energies.Count</c> floats.</summary>
    public EnergyAxis Energies { get; }

    /// <summary>Gets the options the model was trained with.</summary>
    public GmvaeOptions Options { get; }

    /// <summary>Gets the training history (per-epoch losses, test loss, split sizes), estimated during <c>Fit</c>.</summary>
    public GmvaeTrainingHistory History { get; }

    /// <summary>Gets the per-epoch training and validation losses and the test loss of <see cref="History"/>.</summary>
    public TrainingCurves TrainingCurves => _curves ??= new TrainingCurves(
        History.Epochs.Select(e => e.TrainMse).ToArray(),
        History.Epochs.Where(e => e.ValidationMse.HasValue).Select(e => e.ValidationMse!.Value).ToArray(),
        History.Epochs.Select(e => e.TrainKl).ToArray(),
        History.Epochs.Where(e => e.ValidationKl.HasValue).Select(e => e.ValidationKl!.Value).ToArray(),
        History.TestLoss);

    /// <summary>Gets the learned mixture prior (weights, means, variances, covariances), estimated during <c>Fit</c>.</summary>
    public GmvaePrior Prior { get; }

    /// <summary>Gets the device the model runs on.</summary>
    public GmvaeDevice Device => _device.type == DeviceType.CUDA ? GmvaeDevice.Cuda : GmvaeDevice.Cpu;

    /// <summary>Gets the fitted input transform's global scale (1 unless <see cref="GmvaeNormalization.GlobalScale"/> without
    /// spectral blocks; with blocks each block has its own, in <see cref="BlockNormalization"/>).</summary>
    public double NormalizationScale => Normalizer.Scale;

    /// <summary>Gets the per-block input transform of a model trained on a fused multi-edge input (each block scaled on its
    /// own and weighted by √(B·w<sub>b</sub>), saved with the checkpoint), or <see langword="null"/> for a single-block model.</summary>
    public BlockNormalization? BlockNormalization => Normalizer.Blocks;

    internal GmvaeNormalizer Normalizer { get; }

    internal GmvaeNetwork Network => _network;

    /// <summary>Encodes spectra to their posterior means m(x).</summary>
    /// <param name="spectra"><paramref name="count"/> rows of <c>Energies.Count</c> floats.</param>
    /// <param name="count">The number of spectra.</param>
    /// <param name="destination"><paramref name="count"/> rows of <see cref="LatentDimension"/> floats.</param>
    /// <exception cref="ArgumentException">A span is too short.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative.</exception>
    /// <exception cref="ObjectDisposedException">The model was disposed.</exception>
    public void Encode(ReadOnlySpan<float> spectra, int count, Span<float> destination)
    {
        RequireOutput(destination, count, LatentDimension, nameof(destination));
        Embed(spectra, count, destination, Span<float>.Empty, Span<float>.Empty);
    }

    /// <summary>Gives the mixture responsibilities of each spectrum: q(c|x) = softmax(ℓ(x)) in
    /// <see cref="GmvaeKlMode.CategoricalMeanField"/> mode, γ(m(x)) (the prior's posterior at the latent mean) in
    /// <see cref="GmvaeKlMode.MixtureMonteCarlo"/> mode. Rows sum to 1.</summary>
    /// <param name="spectra"><paramref name="count"/> rows of <c>Energies.Count</c> floats.</param>
    /// <param name="count">The number of spectra.</param>
    /// <param name="destination"><paramref name="count"/> rows of <see cref="Components"/> floats.</param>
    /// <exception cref="ArgumentException">A span is too short.</exception>
    /// <exception cref="ObjectDisposedException">The model was disposed.</exception>
    public void ComponentProbabilities(ReadOnlySpan<float> spectra, int count, Span<float> destination)
    {
        RequireOutput(destination, count, Components, nameof(destination));
        Embed(spectra, count, Span<float>.Empty, Span<float>.Empty, destination);
    }

    /// <summary>Encodes spectra in one pass, writing any of the posterior means, the posterior log-variances and the
    /// component probabilities; pass an empty span to skip an output.</summary>
    /// <param name="spectra"><paramref name="count"/> rows of <c>Energies.Count</c> floats.</param>
    /// <param name="count">The number of spectra.</param>
    /// <param name="means">Empty, or <paramref name="count"/> rows of D floats: m(x).</param>
    /// <param name="logVariances">Empty, or <paramref name="count"/> rows of D floats: v(x) = log s²(x), clamped to [−12, 6].</param>
    /// <param name="componentProbabilities">Empty, or <paramref name="count"/> rows of K floats (see <see cref="ComponentProbabilities"/>).</param>
    /// <exception cref="ArgumentException">A non-empty span is too short.</exception>
    /// <exception cref="ObjectDisposedException">The model was disposed.</exception>
    public void Embed(ReadOnlySpan<float> spectra, int count, Span<float> means, Span<float> logVariances, Span<float> componentProbabilities)
    {
        int e = Energies.Count;
        int d = LatentDimension;
        int k = Components;
        CheckInput(spectra, count, e, nameof(spectra));
        CheckOutput(means, count, d, nameof(means));
        CheckOutput(logVariances, count, d, nameof(logVariances));
        CheckOutput(componentProbabilities, count, k, nameof(componentProbabilities));
        if (count == 0)
        {
            return;
        }

        lock (_sync)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            int chunk = Math.Min(Options.EncodeChunkSize, count);
            float[] buffer = new float[chunk * e];
            using var noGrad = no_grad();
            GmvaeFoldedEncoder folded = _folded ??= _network.FoldEncoder();
            for (int start = 0; start < count; start += chunk)
            {
                int n = Math.Min(chunk, count - start);
                float[] input = n == chunk ? buffer : new float[n * e];
                Normalizer.Apply(spectra.Slice(start * e, n * e), input, n);
                using var scope = NewDisposeScope();
                var x = ToDevice(input, n, e);
                var (mean, logVariance, logits) = folded.Forward(x);
                if (!means.IsEmpty)
                {
                    CopyOut(mean, means.Slice(start * d, n * d));
                }

                if (!logVariances.IsEmpty)
                {
                    CopyOut(logVariance, logVariances.Slice(start * d, n * d));
                }

                if (!componentProbabilities.IsEmpty)
                {
                    CopyOut(Probabilities(mean, logits), componentProbabilities.Slice(start * k, n * k));
                }
            }
        }

        // The chunks' activations went back to glibc's heap, which keeps them (tens of MB for a large map) unless trimmed.
        TorchNative.ReleaseFreedNativeMemory();
    }

    /// <summary>Decodes latent points to spectra in input units, f_θ(z) with the input transform inverted (the
    /// reconstructions along a latent path of the paper's Fig. S9).</summary>
    /// <param name="latent"><paramref name="count"/> rows of <see cref="LatentDimension"/> floats.</param>
    /// <param name="count">The number of points.</param>
    /// <param name="destination"><paramref name="count"/> rows of <c>Energies.Count</c> floats.</param>
    /// <remarks>With <see cref="GmvaeNormalization.PerSpectrum"/> the result is a standardised spectrum (zero mean,
    /// unit variance), because the per-spectrum scale cannot be recovered from z.</remarks>
    /// <exception cref="ArgumentException">A span is too short.</exception>
    /// <exception cref="ObjectDisposedException">The model was disposed.</exception>
    public void Decode(ReadOnlySpan<float> latent, int count, Span<float> destination)
    {
        int e = Energies.Count;
        int d = LatentDimension;
        CheckInput(latent, count, d, nameof(latent));
        CheckOutput(destination, count, e, nameof(destination));
        if (count == 0)
        {
            return;
        }

        lock (_sync)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            int chunk = Math.Min(Options.EncodeChunkSize, count);
            using var noGrad = no_grad();
            for (int start = 0; start < count; start += chunk)
            {
                int n = Math.Min(chunk, count - start);
                using var scope = NewDisposeScope();
                var z = ToDevice(latent.Slice(start * d, n * d).ToArray(), n, d);
                var output = destination.Slice(start * e, n * e);
                CopyOut(_network.Decode(z), output);
                Normalizer.Invert(output, n);
            }
        }

        TorchNative.ReleaseFreedNativeMemory();
    }

    /// <summary>Throws when <paramref name="energies"/> differs from the model's energy axis.</summary>
    /// <param name="energies">The energy axis of the data to encode.</param>
    /// <param name="toleranceEv">The largest allowed difference per energy in eV (default 1 meV).</param>
    /// <exception cref="ArgumentNullException"><paramref name="energies"/> is <see langword="null"/>.</exception>
    /// <exception cref="IncompatibleEnergiesException">The counts differ or an energy differs by more than the
    /// tolerance; the message names the first differing index and both values.</exception>
    public void EnsureCompatible(EnergyAxis energies, double toleranceEv = 1e-3)
    {
        ArgumentNullException.ThrowIfNull(energies);
        energies.EnsureMatches(Energies, "the data", "the model's training energies", toleranceEv);
    }

    /// <summary>Saves the model (weights, batch-norm statistics, options, input transform, energies and history)
    /// to a versioned checkpoint, written atomically (temporary file in the same folder, then rename).</summary>
    /// <param name="path">The file to write; replaced if it exists.</param>
    /// <remarks>Format (little-endian): magic <c>STXMGMVA</c>, format version (u32), header length (u32), UTF-8 JSON
    /// header, weights length (u64), TorchSharp state dictionary (<c>Module.save</c> format), SHA-256 of everything
    /// before it.</remarks>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty.</exception>
    /// <exception cref="IOException">The file cannot be written.</exception>
    /// <exception cref="ObjectDisposedException">The model was disposed.</exception>
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        lock (_sync)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            GmvaeCheckpoint.Write(path, this);
        }
    }

    /// <summary>Loads a checkpoint written by <see cref="Save"/> onto the CPU.</summary>
    /// <param name="path">The checkpoint file.</param>
    /// <param name="logger">Receives load diagnostics; <see langword="null"/> for none.</param>
    /// <returns>The model, which the caller disposes.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="CheckpointFormatException">The file is truncated, corrupted, not a GMVAE checkpoint, of an
    /// unsupported format version, or its weights do not match its architecture.</exception>
    /// <exception cref="NativeLibraryLoadException">TorchSharp's native backend cannot be loaded.</exception>
    public static GmvaeModel Load(string path, ILogger? logger = null) => Load(path, null, GmvaeDevice.Cpu, logger);

    /// <summary>Loads a checkpoint written by <see cref="Save"/>, checks its energy axis and places it on a device.</summary>
    /// <param name="path">The checkpoint file.</param>
    /// <param name="expectedEnergies">When not <see langword="null"/>, the energy axis of the data the model will
    /// encode; a different axis throws <see cref="IncompatibleEnergiesException"/>.</param>
    /// <param name="device">The device to run on.</param>
    /// <param name="logger">Receives load diagnostics; <see langword="null"/> for none.</param>
    /// <returns>The model, which the caller disposes.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="CheckpointFormatException">The file is truncated, corrupted, foreign or of an unsupported version.</exception>
    /// <exception cref="IncompatibleEnergiesException">The checkpoint's energies differ from <paramref name="expectedEnergies"/>.</exception>
    /// <exception cref="InvalidOperationException"><paramref name="device"/> is CUDA and CUDA is not available.</exception>
    /// <exception cref="NativeLibraryLoadException">TorchSharp's native backend cannot be loaded.</exception>
    public static GmvaeModel Load(string path, EnergyAxis? expectedEnergies, GmvaeDevice device = GmvaeDevice.Cpu, ILogger? logger = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var model = GmvaeCheckpoint.Read(path, device, logger ?? NullLogger.Instance);
        if (expectedEnergies is not null)
        {
            try
            {
                model.EnsureCompatible(expectedEnergies);
            }
            catch
            {
                model.Dispose();
                throw;
            }
        }

        return model;
    }

    /// <summary>Releases the network's native memory.</summary>
    public void Dispose()
    {
        lock (_sync)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _folded?.Dispose();
            _network.Dispose();
        }
    }

    /// <summary>Maps the option to a torch device, throwing when CUDA is requested but not available.</summary>
    internal static torch.Device ResolveDevice(GmvaeDevice device)
    {
        if (device == GmvaeDevice.Cpu)
        {
            return CPU;
        }

        if (!cuda.is_available())
        {
            throw new InvalidOperationException(
                "GmvaeDevice.Cuda was requested but CUDA is not available to TorchSharp: reference a CUDA bundle (e.g. TorchSharp-cuda-linux) from " +
                "the application instead of a CPU one, and check the NVIDIA driver (nvidia-smi). Use GmvaeDevice.Cpu to train on the CPU.");
        }

        return CUDA;
    }

    internal Tensor Probabilities(Tensor mean, Tensor logits)
    {
        if (Options.KlMode == GmvaeKlMode.CategoricalMeanField)
        {
            return logits.softmax(-1);
        }

        var logWeights = _network.PriorLogWeights();
        var logDensity = _network.Covariance == GmvaeCovariance.Diagonal
            ? GmvaeLoss.LogDensityDiagonal(mean, _network.PriorMeans, _network.PriorVariances())
            : GmvaeLoss.LogDensityFull(mean, _network.PriorMeans, _network.PriorCholesky());
        return GmvaeLoss.Responsibilities(logDensity, logWeights);
    }

    private GmvaePrior ReadPrior()
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        int k = Components;
        int d = LatentDimension;
        double[] weights = _network.PriorLogWeights().exp().cpu().to(ScalarType.Float64).data<double>().ToArray();
        double[] means = _network.PriorMeans.cpu().to(ScalarType.Float64).data<double>().ToArray();
        Tensor covariance = _network.Covariance == GmvaeCovariance.Diagonal
            ? diag_embed(_network.PriorVariances())
            : _network.PriorCholesky().matmul(_network.PriorCholesky().transpose(-2, -1));
        double[] covariances = covariance.cpu().to(ScalarType.Float64).data<double>().ToArray();
        return new GmvaePrior(k, d, weights, means, covariances);
    }

    private Tensor ToDevice(float[] values, int rows, int columns)
    {
        var t = torch.tensor(values, [rows, columns]);
        return _device.type == DeviceType.CPU ? t : t.to(_device);
    }

    private static void CopyOut(Tensor source, Span<float> destination)
    {
        float[] values = source.cpu().contiguous().data<float>().ToArray();
        values.AsSpan().CopyTo(destination);
    }

    private static void CheckInput(ReadOnlySpan<float> values, int count, int width, string name)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (values.Length < (long)count * width)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture,
                    $"Expected {count} rows × {width} values = {(long)count * width} but got {values.Length}."), name);
        }
    }

    private static void RequireOutput(Span<float> values, int count, int width, string name)
    {
        if (values.Length < (long)count * width)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture,
                    $"Destination is too short: {count} rows × {width} values = {(long)count * width} needed, {values.Length} given."), name);
        }
    }

    private static void CheckOutput(Span<float> values, int count, int width, string name)
    {
        if (!values.IsEmpty && values.Length < (long)count * width)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture,
                    $"Destination is too short: {count} rows × {width} values = {(long)count * width} needed, {values.Length} given."), name);
        }
    }
}
