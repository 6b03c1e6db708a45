using StxmPhase.Gmvae;
using TorchSharp;
using TorchSharp.Modules;

namespace StxmPhase.Gmvae.Tests;

[Collection("Torch")]
public sealed class GmvaeFoldedEncoderTests
{
    private static float MaxRelativeDifference(torch.Tensor expected, torch.Tensor actual)
    {
        float[] e = expected.contiguous().data<float>().ToArray();
        float[] a = actual.contiguous().data<float>().ToArray();
        Assert.Equal(e.Length, a.Length);
        float worst = 0;
        for (int i = 0; i < e.Length; i++)
        {
            worst = Math.Max(worst, Math.Abs(e[i] - a[i]) / Math.Max(1f, Math.Abs(e[i])));
        }

        return worst;
    }

    [Fact]
    public void FoldedEncoder_PaperNetworkWithNonTrivialBatchNorms_MatchesEvalForward()
    {
        TorchNative.EnsureLoaded();
        torch.manual_seed(5);
        using var network = new GmvaeNetwork(13, new GmvaeOptions());
        using (torch.no_grad())
        {
            // Affine parameters away from (1, 0), and running statistics away from (0, 1) by training-mode passes on
            // shifted, scaled data.
            foreach (BatchNorm norm in network.modules().OfType<BatchNorm>())
            {
                norm.weight!.uniform_(0.5, 2.0);
                norm.bias!.uniform_(-0.5, 0.5);
            }

            network.train();
            for (int k = 0; k < 20; k++)
            {
                using var scope = torch.NewDisposeScope();
                var batch = torch.randn(256, 13).mul(torch.tensor(3f)).add(torch.tensor(2f));
                network.call(batch);
            }
        }

        network.eval();
        var firstNorm = network.modules().OfType<BatchNorm>().First();
        Assert.True(firstNorm.running_mean!.abs().max().item<float>() > 0.1, "running means stayed at 0");

        using var folded = network.FoldEncoder();
        using var input = torch.randn(500, 13).mul(torch.tensor(3f)).add(torch.tensor(2f));
        using var noGrad = torch.no_grad();
        var (mean, logVariance, logits) = network.call(input);
        var (foldedMean, foldedLogVariance, foldedLogits) = folded.Forward(input);
        Assert.True(MaxRelativeDifference(mean, foldedMean) < 1e-5f);
        Assert.True(MaxRelativeDifference(logVariance, foldedLogVariance) < 1e-5f);
        Assert.True(MaxRelativeDifference(logits, foldedLogits) < 1e-5f);
        foreach (var t in new[] { mean, logVariance, logits, foldedMean, foldedLogVariance, foldedLogits })
        {
            t.Dispose();
        }
    }

    [Fact]
    public void FoldEncoder_InTrainingMode_Throws()
    {
        TorchNative.EnsureLoaded();
        using var network = new GmvaeNetwork(13, TestData.Small());
        network.train();
        Assert.Throws<InvalidOperationException>(() => network.FoldEncoder().Dispose());
    }

    [Fact]
    public void Encode_FirstCalledInsideCallersDisposeScope_StillWorksAfterTheScope()
    {
        // The folded weights are cached for the model's lifetime: a dispose scope open around the first call must not
        // take them with it.
        var (spectra, _) = TestData.Clusters(200, 9);
        using var model = new GmvaeTrainer(TestData.Small(epochs: 2)).Fit(spectra, 200, TestData.Axis);
        float[] inside = new float[200 * 3];
        using (torch.NewDisposeScope())
        {
            model.Encode(spectra, 200, inside);
        }

        float[] after = new float[200 * 3];
        model.Encode(spectra, 200, after);
        Assert.Equal(inside, after);
    }
}
