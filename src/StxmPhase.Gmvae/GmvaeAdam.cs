using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace StxmPhase.Gmvae;

/// <summary>
/// Adam (Kingma &amp; Ba 2015), as <c>torch.optim.Adam</c> with no weight decay and no AMSGrad: m ← β₁m + (1 − β₁)g,
/// v ← β₂v + (1 − β₂)g², θ ← θ − (lr / (1 − β₁ᵗ)) · m / (√v / √(1 − β₂ᵗ) + ε), with every scalar held alive for
/// the native call (see <see cref="SafeTensorMath"/>: TorchSharp's own Adam passes implicitly converted scalars).
/// </summary>
/// <remarks>
/// <para>
/// <b>One flat buffer.</b> The constructor moves every parameter into one contiguous tensor (each parameter becomes a
/// view of it, with its values unchanged) and gives each a gradient that is a view of a second flat tensor. Backward
/// accumulates into an existing dense gradient in place (libtorch's AccumulateGrad with gradient mode off), so after
/// <c>backward()</c> the flat gradient holds every parameter's gradient, and a step is eight tensor operations in
/// all instead of eight per parameter (the paper-size network has 43 parameter tensors; what the per-parameter
/// steps cost is in docs/performance.md). The first step checks that each parameter's gradient still reads as its view; if libtorch
/// replaced one (it does not for dense gradients without <c>create_graph</c>), the optimiser updates parameter by
/// parameter from then on.
/// </para>
/// <para>
/// Unlike <c>torch.optim.Adam</c>, a parameter whose gradient a step did not touch is still updated from its moments
/// (its gradient is zero, not absent); every parameter of the GMVAE receives a gradient on every batch.
/// </para>
/// </remarks>
internal sealed class GmvaeAdam : IDisposable
{
    private readonly Parameter[] _parameters;
    private readonly Tensor[] _gradientViews;
    private readonly Tensor _flatParameters;
    private readonly Tensor _flatGradients;
    private readonly Tensor _firstMoment;
    private readonly Tensor _secondMoment;
    private readonly Tensor _denominator;
    private readonly double _learningRate;
    private readonly double _beta1;
    private readonly double _beta2;
    private readonly Scalar _beta1Scalar;
    private readonly Scalar _oneMinusBeta1;
    private readonly Scalar _beta2Scalar;
    private readonly Scalar _oneMinusBeta2;
    private readonly Scalar _epsilon;
    private long _step;
    private bool _flat = true;

    /// <summary>Initializes the optimiser with zero moments and moves the parameters into one flat buffer.</summary>
    /// <param name="parameters">The parameters to update (one dtype and device).</param>
    /// <param name="learningRate">lr.</param>
    /// <param name="beta1">β₁ (0.9, PyTorch's default).</param>
    /// <param name="beta2">β₂ (0.999).</param>
    /// <param name="epsilon">ε (1e-8).</param>
    public GmvaeAdam(IEnumerable<Parameter> parameters, double learningRate, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8)
    {
        _parameters = parameters.ToArray();
        if (_parameters.Length == 0)
        {
            throw new ArgumentException("No parameters to optimise.", nameof(parameters));
        }

        _learningRate = learningRate;
        _beta1 = beta1;
        _beta2 = beta2;
        _beta1Scalar = beta1.ToScalar();
        _oneMinusBeta1 = (1 - beta1).ToScalar();
        _beta2Scalar = beta2.ToScalar();
        _oneMinusBeta2 = (1 - beta2).ToScalar();
        _epsilon = epsilon.ToScalar();

        long total = _parameters.Sum(p => p.numel());
        Parameter first = _parameters[0];
        _flatParameters = zeros(total, dtype: first.dtype, device: first.device).DetachFromDisposeScope();
        _flatGradients = zeros(total, dtype: first.dtype, device: first.device).DetachFromDisposeScope();
        _firstMoment = zeros(total, dtype: first.dtype, device: first.device).DetachFromDisposeScope();
        _secondMoment = zeros(total, dtype: first.dtype, device: first.device).DetachFromDisposeScope();
        _denominator = empty(total, dtype: first.dtype, device: first.device).DetachFromDisposeScope();
        _gradientViews = new Tensor[_parameters.Length];
        using var noGrad = no_grad();
        long offset = 0;
        for (int i = 0; i < _parameters.Length; i++)
        {
            Parameter p = _parameters[i];
            long n = p.numel();
            using (Tensor slice = _flatParameters.narrow(0, offset, n))
            using (Tensor view = slice.view(p.shape))
            {
                view.copy_(p);
                p.set_(view);
            }

            using (Tensor slice = _flatGradients.narrow(0, offset, n))
            {
                _gradientViews[i] = slice.view(p.shape).DetachFromDisposeScope();
            }

            p.grad = _gradientViews[i];
            offset += n;
        }
    }

    /// <summary>Gets whether steps update the one flat buffer (false once a gradient was found not to be its view).</summary>
    public bool UsesFlatBuffer => _flat;

    /// <summary>Sets every gradient to zero.</summary>
    public void ZeroGrad()
    {
        if (_flat)
        {
            _flatGradients.zero_();
            return;
        }

        foreach (Parameter p in _parameters)
        {
            using Tensor? grad = p.grad;
            grad?.zero_();
        }
    }

    /// <summary>One update of every parameter.</summary>
    public void Step()
    {
        _step++;
        double biasCorrection1 = 1 - Math.Pow(_beta1, _step);
        double biasCorrection2 = 1 - Math.Pow(_beta2, _step);
        using var noGrad = no_grad();
        using var sqrtBiasCorrection2 = Math.Sqrt(biasCorrection2).ToScalar();
        using var negativeStepSize = (-_learningRate / biasCorrection1).ToScalar();
        if (_flat && _step == 1)
        {
            _flat = GradientsAreViews();
        }

        if (_flat)
        {
            // The denominator goes to a buffer kept for the optimiser's lifetime: a new 1.5 MB tensor every step made
            // the process's heap grow during training (peak RSS of a 1024² map run +100 MB).
            Update(_flatParameters, _flatGradients, _firstMoment, _secondMoment, _denominator, sqrtBiasCorrection2, negativeStepSize);
            return;
        }

        long offset = 0;
        foreach (Parameter p in _parameters)
        {
            long n = p.numel();
            using Tensor? grad = p.grad;
            if (grad is not null)
            {
                using Tensor m = _firstMoment.narrow(0, offset, n).view(p.shape);
                using Tensor v = _secondMoment.narrow(0, offset, n).view(p.shape);
                using Tensor denominator = empty_like(v);
                Update(p, grad, m, v, denominator, sqrtBiasCorrection2, negativeStepSize);
            }

            offset += n;
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (Tensor t in _gradientViews)
        {
            t.Dispose();
        }

        _flatParameters.Dispose();
        _flatGradients.Dispose();
        _firstMoment.Dispose();
        _secondMoment.Dispose();
        _denominator.Dispose();
        _beta1Scalar.Dispose();
        _oneMinusBeta1.Dispose();
        _beta2Scalar.Dispose();
        _oneMinusBeta2.Dispose();
        _epsilon.Dispose();
    }

    private void Update(Tensor parameter, Tensor grad, Tensor m, Tensor v, Tensor denominator, Scalar sqrtBiasCorrection2, Scalar negativeStepSize)
    {
        // In-place operations return the tensor they modified (not a new handle): nothing to dispose.
        m.mul_(_beta1Scalar).add_(grad, _oneMinusBeta1);
        v.mul_(_beta2Scalar).addcmul_(grad, grad, _oneMinusBeta2);
        denominator.copy_(v).sqrt_();
        denominator.div_(sqrtBiasCorrection2).add_(_epsilon, SafeTensorMath.One);
        parameter.addcdiv_(m, denominator, negativeStepSize);
    }

    private bool GradientsAreViews()
    {
        for (int i = 0; i < _parameters.Length; i++)
        {
            using Tensor? grad = _parameters[i].grad;
            // A replaced gradient holds the real values while the view kept the zeros of ZeroGrad.
            if (grad is null || !grad.allclose(_gradientViews[i], rtol: 0, atol: 0))
            {
                return false;
            }
        }

        return true;
    }
}
