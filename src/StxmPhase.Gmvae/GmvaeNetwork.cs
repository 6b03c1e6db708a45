using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace StxmPhase.Gmvae;

/// <summary>
/// The GMVAE network: encoder trunk with mean, log-variance and component-logit heads, decoder, and the learnable
/// mixture prior (η, μ, ρ or Λ). Build it outside any dispose scope (parameters would be disposed with the scope).
/// </summary>
internal sealed class GmvaeNetwork : Module<Tensor, (Tensor Mean, Tensor LogVariance, Tensor Logits)>
{
    /// <summary>Clamp range of the log-variance head: s ∈ [2.5e-3, 20].</summary>
    public const double LogVarianceMin = -12;

    /// <summary>Upper clamp of the log-variance head.</summary>
    public const double LogVarianceMax = 6;

    /// <summary>Floor added to the diagonal prior variances.</summary>
    public const double VarianceFloor = 1e-4;

    /// <summary>Floor added to the Cholesky diagonal of full prior covariances.</summary>
    public const double CholeskyFloor = 1e-3;

    /// <summary>ρ such that softplus(ρ) = 1: ln(e − 1).</summary>
    public const double UnitSoftplusInverse = 0.5413248546129181;

    private readonly Sequential _encoder;
    private readonly Linear _meanHead;
    private readonly Linear _logVarHead;
    private readonly Linear _logitHead;
    private readonly Sequential _decoder;
    private readonly Parameter _priorLogits;
    private readonly Parameter _priorMeans;
    private readonly Parameter _priorRaw;

    public GmvaeNetwork(int inputDimension, GmvaeOptions options)
        : base(nameof(GmvaeNetwork))
    {
        ArgumentNullException.ThrowIfNull(options);
        InputDimension = inputDimension;
        LatentDimension = options.LatentDimension;
        Components = options.Components;
        Covariance = options.Covariance;

        var hidden = options.HiddenLayers;
        var encoderBlocks = new List<(string, Module<Tensor, Tensor>)>();
        int width = inputDimension;
        for (int i = 0; i < hidden.Count; i++)
        {
            AddBlock(encoderBlocks, "e", i, width, hidden[i], batchNorm: true, options.DropoutRate);
            width = hidden[i];
        }

        _encoder = Sequential(encoderBlocks);
        _meanHead = Linear(width, LatentDimension);
        _logVarHead = Linear(width, LatentDimension);
        _logitHead = Linear(width, Components);

        var decoderBlocks = new List<(string, Module<Tensor, Tensor>)>();
        width = LatentDimension;
        for (int i = hidden.Count - 1, j = 0; i >= 0; i--, j++)
        {
            AddBlock(decoderBlocks, "d", j, width, hidden[i], options.DecoderBatchNorm, options.DecoderDropout ? options.DropoutRate : 0);
            width = hidden[i];
        }

        decoderBlocks.Add(("out", Linear(width, inputDimension)));
        _decoder = Sequential(decoderBlocks);

        _priorLogits = Parameter(zeros(Components));
        _priorMeans = Parameter(randn(Components, LatentDimension));
        _priorRaw = Covariance == GmvaeCovariance.Diagonal
            ? Parameter(SafeTensorMath.Filled(Components, LatentDimension, UnitSoftplusInverse))
            : Parameter(diag_embed(SafeTensorMath.Filled(Components, LatentDimension, UnitSoftplusInverse)));

        RegisterComponents();

        using (no_grad())
        {
            _logVarHead.bias!.zero_();
        }
    }

    public int InputDimension { get; }

    public int LatentDimension { get; }

    public int Components { get; }

    public GmvaeCovariance Covariance { get; }

    /// <summary>Encoder: posterior mean m, clamped log-variance v and component logits ℓ.</summary>
    public override (Tensor Mean, Tensor LogVariance, Tensor Logits) forward(Tensor input)
    {
        using var h = _encoder.call(input);
        return Heads(h);
    }

    /// <summary>The three heads on the trunk's output h: m, clamped v and ℓ.</summary>
    public (Tensor Mean, Tensor LogVariance, Tensor Logits) Heads(Tensor h)
    {
        using var rawLogVar = _logVarHead.call(h);
        return (_meanHead.call(h), rawLogVar.ClampTo(LogVarianceMin, LogVarianceMax), _logitHead.call(h));
    }

    /// <summary>The encoder with its batch norms folded into the linear layers, for inference (eval mode only).</summary>
    /// <returns>The folded encoder, which the caller disposes.</returns>
    public GmvaeFoldedEncoder FoldEncoder() => GmvaeFoldedEncoder.Create(this, _encoder);

    /// <summary>Decoder f_θ(z).</summary>
    public Tensor Decode(Tensor latent) => _decoder.call(latent);

    /// <summary>log π = log_softmax(η), shape (K).</summary>
    public Tensor PriorLogWeights() => _priorLogits.log_softmax(0);

    /// <summary>μ, shape (K, d).</summary>
    public Tensor PriorMeans => _priorMeans;

    /// <summary>Diagonal prior variances σ² = softplus(ρ) + 1e-4, shape (K, d). Diagonal covariance only.</summary>
    public Tensor PriorVariances()
    {
        using var positive = nn.functional.softplus(_priorRaw);
        return positive.Plus(VarianceFloor);
    }

    /// <summary>Cholesky factors L = tril(Λ, −1) + diag(softplus(diag Λ) + 1e-3), shape (K, d, d). Full covariance only.</summary>
    public Tensor PriorCholesky()
    {
        using var strict = _priorRaw.tril(-1);
        using var diagonal = _priorRaw.diagonal(0, -2, -1);
        using var softplus = nn.functional.softplus(diagonal);
        using var positive = softplus.Plus(CholeskyFloor);
        using var embedded = diag_embed(positive);
        return strict.Plus(embedded);
    }

    /// <summary>The parameters that receive gradients only through the KL term (prior and component head).</summary>
    public IEnumerable<Parameter> KlOnlyParameters()
    {
        yield return _priorLogits;
        yield return _priorMeans;
        yield return _priorRaw;
        foreach (var p in _logitHead.parameters())
        {
            yield return p;
        }
    }

    private static void AddBlock(List<(string, Module<Tensor, Tensor>)> blocks, string prefix, int index, int input, int output, bool batchNorm,
        double dropout)
    {
        string id = prefix + index.ToString(System.Globalization.CultureInfo.InvariantCulture);
        blocks.Add((id + "_lin", Linear(input, output)));
        if (batchNorm)
        {
            blocks.Add((id + "_bn", new GmvaeBatchNorm(output)));
        }

        blocks.Add((id + "_relu", ReLU()));
        if (dropout > 0)
        {
            blocks.Add((id + "_drop", Dropout(dropout)));
        }
    }
}
