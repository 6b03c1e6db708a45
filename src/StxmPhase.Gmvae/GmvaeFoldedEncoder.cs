using TorchSharp.Modules;
using static TorchSharp.torch;

namespace StxmPhase.Gmvae;

/// <summary>
/// The encoder of a network in eval mode, for inference: every batch norm folded into the linear layer before it,
/// W′ = diag(s) W and b′ = s ⊙ (b − μ) + β with s = γ / √(σ² + ε) (μ, σ² the running statistics), so each hidden
/// layer is one linear map and one in-place ReLU instead of a linear map, a batch norm and a ReLU (dropout is the
/// identity in eval mode). Same results as <see cref="GmvaeNetwork.forward"/> in eval mode up to float32 rounding.
/// Owns the folded weights; the heads stay the network's.
/// </summary>
internal sealed class GmvaeFoldedEncoder : IDisposable
{
    private readonly List<(Tensor Weight, Tensor Bias)> _layers;
    private readonly GmvaeNetwork _network;

    private GmvaeFoldedEncoder(GmvaeNetwork network, List<(Tensor Weight, Tensor Bias)> layers)
    {
        _network = network;
        _layers = layers;
    }

    /// <summary>Folds the encoder of <paramref name="network"/>, which must be in eval mode.</summary>
    /// <param name="network">The network (not owned).</param>
    /// <param name="encoder">Its encoder trunk: blocks of linear, optional batch norm, ReLU and optional dropout.</param>
    /// <returns>The folded encoder, which the caller disposes.</returns>
    /// <exception cref="InvalidOperationException">The network is training, or the trunk has another structure.</exception>
    public static GmvaeFoldedEncoder Create(GmvaeNetwork network, Sequential encoder)
    {
        if (network.training)
        {
            throw new InvalidOperationException("The encoder can only be folded in eval mode (batch norm uses its running statistics).");
        }

        var layers = new List<(Tensor Weight, Tensor Bias)>();
        using var noGrad = no_grad();
        try
        {
            var modules = encoder.children().ToList();
            for (int i = 0; i < modules.Count; i++)
            {
                switch (modules[i])
                {
                    case Linear linear when i + 1 < modules.Count && modules[i + 1] is BatchNorm norm:
                        layers.Add(Fold(linear, norm));
                        i++;
                        break;
                    case Linear linear:
                        layers.Add((linear.weight!.detach().clone(), BiasOf(linear)));
                        break;
                    case ReLU or Dropout:
                        break;
                    default:
                        throw new InvalidOperationException($"Unexpected encoder module {modules[i].GetType().Name} at position {i}.");
                }
            }

            if (modules.OfType<ReLU>().Count() != layers.Count)
            {
                throw new InvalidOperationException("Every encoder layer must end in a ReLU.");
            }

            // Kept for the model's lifetime: not disposed with any dispose scope the caller may have open.
            foreach ((Tensor weight, Tensor bias) in layers)
            {
                weight.DetachFromDisposeScope();
                bias.DetachFromDisposeScope();
            }

            return new GmvaeFoldedEncoder(network, layers);
        }
        catch
        {
            Dispose(layers);
            throw;
        }
    }

    /// <summary>Posterior mean m, clamped log-variance v and component logits ℓ of a batch (rows of the input dimension).</summary>
    /// <param name="input">The normalised spectra, one per row.</param>
    /// <returns>Three new tensors, which the caller disposes.</returns>
    public (Tensor Mean, Tensor LogVariance, Tensor Logits) Forward(Tensor input)
    {
        Tensor h = input;
        foreach ((Tensor weight, Tensor bias) in _layers)
        {
            Tensor next = nn.functional.linear(h, weight, bias);
            next.relu_();
            if (!ReferenceEquals(h, input))
            {
                h.Dispose();
            }

            h = next;
        }

        try
        {
            return _network.Heads(h);
        }
        finally
        {
            if (!ReferenceEquals(h, input))
            {
                h.Dispose();
            }
        }
    }

    /// <inheritdoc />
    public void Dispose() => Dispose(_layers);

    private static (Tensor Weight, Tensor Bias) Fold(Linear linear, BatchNorm norm)
    {
        Tensor mean = norm.running_mean ?? throw new InvalidOperationException("The batch norm has no running mean.");
        Tensor variance = norm.running_var ?? throw new InvalidOperationException("The batch norm has no running variance.");
        using var shifted = variance.Plus(norm.eps);
        using var root = shifted.sqrt();
        using var scale = norm.weight is null ? root.reciprocal() : norm.weight.div(root);
        using var column = scale.unsqueeze(1);
        Tensor weight = linear.weight!.mul(column);
        using var bias = BiasOf(linear);
        using var centred = bias.Plus(mean.neg());
        Tensor folded = centred.mul(scale);
        if (norm.bias is not null)
        {
            folded.AddScaledInPlace(norm.bias, 1.0);
        }

        return (weight, folded);
    }

    private static Tensor BiasOf(Linear linear) =>
        linear.bias is null ? zeros(linear.weight!.shape[0], device: linear.weight.device) : linear.bias.detach().clone();

    private static void Dispose(List<(Tensor Weight, Tensor Bias)> layers)
    {
        foreach ((Tensor weight, Tensor bias) in layers)
        {
            weight.Dispose();
            bias.Dispose();
        }

        layers.Clear();
    }
}
