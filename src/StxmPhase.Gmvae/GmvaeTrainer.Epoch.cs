using StxmPhase.Spectra;
using TorchSharp;
using static TorchSharp.torch;

namespace StxmPhase.Gmvae;

// One epoch of training, the loss of a batch, the evaluation of a split, the thread policy of training and the
// snapshot of the best weights (KeepBestValidation / early stopping).
public sealed partial class GmvaeTrainer
{
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
}
