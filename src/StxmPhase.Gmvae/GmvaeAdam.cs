using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace StxmPhase.Gmvae;

/// <summary>
/// Adam (Kingma &amp; Ba 2015), as <c>torch.optim.Adam</c> with no weight decay and no AMSGrad: m ← β₁m + (1 − β₁)g,
/// v ← β₂v + (1 − β₂)g², θ ← θ − (lr / (1 − β₁ᵗ)) · m / (√v / √(1 − β₂ᵗ) + ε), with every scalar held alive for
/// the native call (see <see cref="SafeTensorMath"/>: TorchSharp's own Adam passes implicitly converted scalars).
/// </summary>
internal sealed class GmvaeAdam : IDisposable
{
    private readonly Parameter[] _parameters;
    private readonly Tensor[] _firstMoments;
    private readonly Tensor[] _secondMoments;
    private readonly double _learningRate;
    private readonly double _beta1;
    private readonly double _beta2;
    private readonly Scalar _beta1Scalar;
    private readonly Scalar _oneMinusBeta1;
    private readonly Scalar _beta2Scalar;
    private readonly Scalar _oneMinusBeta2;
    private readonly Scalar _epsilon;
    private long _step;

    /// <summary>Initializes the optimiser with zero moments.</summary>
    /// <param name="parameters">The parameters to update.</param>
    /// <param name="learningRate">lr.</param>
    /// <param name="beta1">β₁ (0.9, PyTorch's default).</param>
    /// <param name="beta2">β₂ (0.999).</param>
    /// <param name="epsilon">ε (1e-8).</param>
    public GmvaeAdam(IEnumerable<Parameter> parameters, double learningRate, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8)
    {
        _parameters = parameters.ToArray();
        _learningRate = learningRate;
        _beta1 = beta1;
        _beta2 = beta2;
        _beta1Scalar = beta1.ToScalar();
        _oneMinusBeta1 = (1 - beta1).ToScalar();
        _beta2Scalar = beta2.ToScalar();
        _oneMinusBeta2 = (1 - beta2).ToScalar();
        _epsilon = epsilon.ToScalar();
        _firstMoments = new Tensor[_parameters.Length];
        _secondMoments = new Tensor[_parameters.Length];
        for (int i = 0; i < _parameters.Length; i++)
        {
            _firstMoments[i] = zeros_like(_parameters[i]).DetachFromDisposeScope();
            _secondMoments[i] = zeros_like(_parameters[i]).DetachFromDisposeScope();
        }
    }

    /// <summary>Sets every gradient to zero.</summary>
    public void ZeroGrad()
    {
        foreach (Parameter p in _parameters)
        {
            using Tensor? grad = p.grad;
            grad?.zero_();
        }
    }

    /// <summary>One update of every parameter that has a gradient.</summary>
    public void Step()
    {
        _step++;
        double biasCorrection1 = 1 - Math.Pow(_beta1, _step);
        double biasCorrection2 = 1 - Math.Pow(_beta2, _step);
        using var noGrad = no_grad();
        using var sqrtBiasCorrection2 = Math.Sqrt(biasCorrection2).ToScalar();
        using var negativeStepSize = (-_learningRate / biasCorrection1).ToScalar();
        for (int i = 0; i < _parameters.Length; i++)
        {
            using Tensor? grad = _parameters[i].grad;
            if (grad is null)
            {
                continue;
            }

            Tensor m = _firstMoments[i];
            Tensor v = _secondMoments[i];
            m.mul_(_beta1Scalar).add_(grad, _oneMinusBeta1);
            v.mul_(_beta2Scalar).addcmul_(grad, grad, _oneMinusBeta2);
            using Tensor denominator = v.sqrt();
            denominator.div_(sqrtBiasCorrection2).add_(_epsilon, SafeTensorMath.One);
            _parameters[i].addcdiv_(m, denominator, negativeStepSize);
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (Tensor t in _firstMoments.Concat(_secondMoments))
        {
            t.Dispose();
        }

        _beta1Scalar.Dispose();
        _oneMinusBeta1.Dispose();
        _beta2Scalar.Dispose();
        _oneMinusBeta2.Dispose();
        _epsilon.Dispose();
    }
}
