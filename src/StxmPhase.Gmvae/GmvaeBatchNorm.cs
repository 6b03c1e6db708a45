using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace StxmPhase.Gmvae;

/// <summary>
/// A 1-D batch norm (the same parameters, buffers, state-dict names and arithmetic as TorchSharp's
/// <c>BatchNorm1d</c>) whose training step counts batches with scalars that stay alive for the whole process.
/// </summary>
/// <remarks>
/// TorchSharp 0.107's <c>BatchNorm.forward</c> runs <c>num_batches_tracked.add_(1)</c>, which turns the operand and the
/// default α = 1 into temporary <see cref="Scalar"/>s that nothing references during the native call (see
/// <see cref="SafeTensorMath"/>). When a garbage collection finalised one of them mid-call and the memory was reused by
/// a floating-point scalar, libtorch refused the step ("For integral input tensors, argument alpha must not be a
/// floating point number"): seen once in about six runs of the CLI tests, with two trainings in one process. This
/// module increments the counter with <see cref="SafeTensorMath.One"/> and otherwise calls the same functional batch
/// norm with the same momentum and ε, so checkpoints written before it load unchanged.
/// </remarks>
internal sealed class GmvaeBatchNorm : BatchNorm
{
    /// <summary>Creates a batch norm over <paramref name="features"/> features (ε 1e-5, momentum 0.1, affine,
    /// running statistics tracked: TorchSharp's defaults).</summary>
    /// <param name="features">The number of features.</param>
    public GmvaeBatchNorm(long features)
        : base(features, 1e-5, 0.1, affine: true, track_running_stats: true, device: null, dtype: null, name: "BatchNorm1d")
    {
    }

    /// <inheritdoc/>
    public override Tensor forward(Tensor input)
    {
        ValidateInputDimensions(input);
        double factor = momentum ?? 0;
        if (training && track_running_stats && num_batches_tracked is { } count)
        {
            count.add_(SafeTensorMath.One, SafeTensorMath.One);
            if (momentum is null)
            {
                factor = 1.0 / count.item<long>();
            }
        }

        bool useRunning = !training || track_running_stats;
        return nn.functional.batch_norm(input, useRunning ? running_mean : null, useRunning ? running_var : null, weight, bias,
            training || running_mean is null || running_var is null, factor, eps);
    }

    /// <inheritdoc/>
    protected override void ValidateInputDimensions(Tensor input)
    {
        if (input.ndim is not (2 or 3))
        {
            throw new ArgumentException($"expected 2D or 3D input, but got {input.ndim}D input.", nameof(input));
        }
    }
}
