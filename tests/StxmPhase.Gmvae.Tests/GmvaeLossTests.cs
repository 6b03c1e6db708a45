using StxmPhase.Gmvae;
using StxmPhase.TestUtilities;
using TorchSharp;
using static TorchSharp.torch;

namespace StxmPhase.Gmvae.Tests;

/// <summary>
/// Loss pieces against test vector V7 of docs/algorithms.md §6 (float64; values computed there with NumPy/SciPy in
/// double precision) and against the closed forms and Monte-Carlo checks of §5 item 11.
/// </summary>
[Collection("Torch")]
public sealed class GmvaeLossTests
{
    private const double Tolerance = 1e-10;

    public GmvaeLossTests() => TorchNative.EnsureLoaded();

    private static Tensor T(double[] values, params long[] shape) => torch.tensor(values, shape, dtype: ScalarType.Float64);

    private static Tensor Mean => T([0.3, -0.2, 0.5], 1, 3);

    private static Tensor LogVar => T([-1.0, -0.5, -2.0], 1, 3);

    private static Tensor PriorMeans => T([0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, -1, -1, -1], 5, 3);

    private static Tensor PriorVariances => T([1, 1, 1, 0.5, 0.5, 0.5, 2, 1, 0.5, 1, 2, 1, 0.3, 0.3, 0.3], 5, 3);

    private static Tensor LogWeights => T([0, 0.5, -0.5, 0.2, -1.0], 5).log_softmax(0);

    private static Tensor Logits => T([1, 0, -1, 0.5, 2], 1, 5);

    private static Tensor Z => T([0.36065306597126334, -0.43364023492142145, 0.7575156088200097], 1, 3);

    private static void AssertClose(double[] expected, Tensor actual, double tolerance = Tolerance) =>
        NumericAssert.AllClose(expected, actual.cpu().data<double>().ToArray(), tolerance, tolerance, "value");

    [Fact]
    public void GaussianKlDiagonal_V7_MatchesReference()
    {
        using var kl = GmvaeLoss.GaussianKlDiagonal(Mean, LogVar, PriorMeans, PriorVariances);
        AssertClose([0.9948726920603442, 1.1000246132807705, 1.7730704733857903, 1.1798136174121585, 7.926949767045577], kl);
    }

    [Fact]
    public void CategoricalKl_V7_MatchesReference()
    {
        using var kl = GmvaeLoss.CategoricalKl(Logits, LogWeights);
        AssertClose([0.8851749758784038], kl);
    }

    [Fact]
    public void MeanFieldKl_V7_MatchesReference()
    {
        using var gaussian = GmvaeLoss.GaussianKlDiagonal(Mean, LogVar, PriorMeans, PriorVariances);
        using var kl = GmvaeLoss.MeanFieldKl(gaussian, Logits, LogWeights);
        AssertClose([5.836013840886747], kl);
    }

    [Fact]
    public void MonteCarloPieces_V7_MatchReference()
    {
        using var logDensity = GmvaeLoss.LogDensityDiagonal(Z, PriorMeans, PriorVariances);
        AssertClose([-3.202787792085582, -2.887733081774701, -4.390825317311361, -3.244834810209869, -9.719191834263166], logDensity);
        using var logP = GmvaeLoss.LogMarginal(logDensity, LogWeights);
        AssertClose([-3.2511457727034063], logP);
        using var entropy = GmvaeLoss.GaussianEntropy(LogVar);
        AssertClose([2.506815599614018], entropy);
        using var kl = GmvaeLoss.MonteCarloKl(LogVar, logDensity, LogWeights);
        AssertClose([0.7443301730893883], kl);
        using var gamma = GmvaeLoss.Responsibilities(logDensity, LogWeights);
        AssertClose([0.21664545593219783, 0.48946692172205686, 0.04005384398288099, 0.25371590469842975, 0.00011787366443464587], gamma);
    }

    [Fact]
    public void FullCovariance_V7_MatchesReference()
    {
        using var l = T([1, 0, 0, 0.3, 0.8, 0, -0.2, 0.1, 0.5], 1, 3, 3);
        using var mu = T([0, 1, 0], 1, 3);
        using var logDensity = GmvaeLoss.LogDensityFull(Z, mu, l);
        AssertClose([-5.85329787898681], logDensity);
        using var kl = GmvaeLoss.GaussianKlFull(Mean, LogVar, mu, l);
        AssertClose([2.733974888865826], kl);
    }

    [Fact]
    public void GaussianKlFull_DiagonalFactor_EqualsDiagonalForm()
    {
        using var cholesky = PriorVariances.sqrt().diag_embed();
        using var full = GmvaeLoss.GaussianKlFull(Mean, LogVar, PriorMeans, cholesky);
        using var diagonal = GmvaeLoss.GaussianKlDiagonal(Mean, LogVar, PriorMeans, PriorVariances);
        AssertClose(diagonal.data<double>().ToArray(), full, 1e-12);
    }

    [Fact]
    public void MeanFieldKl_SingleStandardComponent_EqualsStandardVaeKl()
    {
        var random = new Random(5);
        double[] m = Enumerable.Range(0, 30).Select(_ => TestData.Gaussian(random)).ToArray();
        double[] v = Enumerable.Range(0, 30).Select(_ => TestData.Gaussian(random)).ToArray();
        using var mean = T(m, 10, 3);
        using var logVar = T(v, 10, 3);
        using var zeros = torch.zeros(1, 3, dtype: ScalarType.Float64);
        using var ones = torch.ones(1, 3, dtype: ScalarType.Float64);
        using var logits = torch.zeros(10, 1, dtype: ScalarType.Float64);
        using var logWeights = torch.zeros(1, dtype: ScalarType.Float64);
        using var gaussian = GmvaeLoss.GaussianKlDiagonal(mean, logVar, zeros, ones);
        using var kl = GmvaeLoss.MeanFieldKl(gaussian, logits, logWeights);
        double[] expected = new double[10];
        for (int b = 0; b < 10; b++)
        {
            for (int i = 0; i < 3; i++)
            {
                double mi = m[(b * 3) + i];
                double vi = v[(b * 3) + i];
                expected[b] += 0.5 * ((mi * mi) + Math.Exp(vi) - 1 - vi);
            }
        }

        AssertClose(expected, kl, 1e-12);
    }

    [Fact]
    public void MeanFieldKl_RandomInputs_IsNotNegative()
    {
        torch.manual_seed(11);
        using var mean = torch.randn(200, 3, dtype: ScalarType.Float64) * 2;
        using var logVar = torch.randn(200, 3, dtype: ScalarType.Float64);
        using var logits = torch.randn(200, 5, dtype: ScalarType.Float64) * 3;
        using var mu = torch.randn(5, 3, dtype: ScalarType.Float64);
        using var variances = torch.rand(5, 3, dtype: ScalarType.Float64) + 0.1;
        using var logWeights = torch.randn(5, dtype: ScalarType.Float64).log_softmax(0);
        using var gaussian = GmvaeLoss.GaussianKlDiagonal(mean, logVar, mu, variances);
        using var kl = GmvaeLoss.MeanFieldKl(gaussian, logits, logWeights);
        Assert.True(kl.min().item<double>() >= 0);
    }

    [Fact]
    public void MonteCarloKl_SingleComponent_MeanMatchesAnalyticWithinFourStandardErrors()
    {
        const int samples = 200_000;
        torch.manual_seed(3);
        using var mean = Mean.expand(samples, 3);
        using var logVar = LogVar.expand(samples, 3);
        using var mu = T([0.5, 0.1, -0.4], 1, 3);
        using var variances = T([0.7, 1.3, 0.4], 1, 3);
        using var logWeights = torch.zeros(1, dtype: ScalarType.Float64);
        using var eps = torch.randn(samples, 3, dtype: ScalarType.Float64);
        using var z = mean + ((logVar * 0.5).exp() * eps);
        using var logDensity = GmvaeLoss.LogDensityDiagonal(z, mu, variances);
        using var estimates = GmvaeLoss.MonteCarloKl(logVar, logDensity, logWeights);
        using var analytic = GmvaeLoss.GaussianKlDiagonal(Mean, LogVar, mu, variances);
        double estimate = estimates.mean().item<double>();
        double standardError = estimates.std().item<double>() / Math.Sqrt(samples);
        double exact = analytic.item<double>();
        Assert.True(Math.Abs(estimate - exact) < 4 * standardError, $"MC {estimate} vs analytic {exact} (SE {standardError})");
    }

    [Fact]
    public void MeanFieldKl_BoundsMonteCarloMixtureKl_WithinError()
    {
        const int samples = 100_000;
        torch.manual_seed(4);
        using var mean = Mean.expand(samples, 3);
        using var logVar = LogVar.expand(samples, 3);
        using var eps = torch.randn(samples, 3, dtype: ScalarType.Float64);
        using var z = mean + ((logVar * 0.5).exp() * eps);
        using var logDensity = GmvaeLoss.LogDensityDiagonal(z, PriorMeans, PriorVariances);
        using var estimates = GmvaeLoss.MonteCarloKl(logVar, logDensity, LogWeights);
        using var gaussian = GmvaeLoss.GaussianKlDiagonal(Mean, LogVar, PriorMeans, PriorVariances);
        using var bound = GmvaeLoss.MeanFieldKl(gaussian, Logits, LogWeights);
        double mc = estimates.mean().item<double>();
        double se = estimates.std().item<double>() / Math.Sqrt(samples);
        Assert.True(mc <= bound.item<double>() + (4 * se), $"MC KL {mc} exceeds the mean-field bound {bound.item<double>()}");
    }
}
