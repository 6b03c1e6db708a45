using StxmPhase.Gmvae;
using TorchSharp;
using TorchSharp.Modules;

namespace StxmPhase.Gmvae.Tests;

[Collection("Torch")]
public sealed class GmvaeBatchNormTests
{
    private static float[] Values(torch.Tensor t) => t.contiguous().data<float>().ToArray();

    [Fact]
    public void GmvaeBatchNorm_TrainingAndEval_EqualsTorchSharpBatchNorm1d()
    {
        TorchNative.EnsureLoaded();
        torch.manual_seed(11);
        using var reference = torch.nn.BatchNorm1d(7);
        using var ours = new GmvaeBatchNorm(7);
        using (torch.no_grad())
        {
            reference.weight!.uniform_(0.5, 2.0);
            reference.bias!.uniform_(-0.5, 0.5);
            ours.weight!.copy_(reference.weight);
            ours.bias!.copy_(reference.bias);
        }

        reference.train();
        ours.train();
        for (int step = 0; step < 5; step++)
        {
            using var scope = torch.NewDisposeScope();
            var batch = torch.randn(64, 7).mul(torch.tensor(3f)).add(torch.tensor(1.5f));
            Assert.Equal(Values(reference.call(batch)), Values(ours.call(batch)));
        }

        Assert.Equal(Values(reference.running_mean!), Values(ours.running_mean!));
        Assert.Equal(Values(reference.running_var!), Values(ours.running_var!));
        Assert.Equal(5L, reference.num_batches_tracked!.item<long>());
        Assert.Equal(5L, ours.num_batches_tracked!.item<long>());

        reference.eval();
        ours.eval();
        using var input = torch.randn(32, 7);
        using var expected = reference.call(input);
        using var actual = ours.call(input);
        Assert.Equal(Values(expected), Values(actual));
    }

    [Fact]
    public void GmvaeBatchNorm_StateDict_HasBatchNorm1dNames()
    {
        TorchNative.EnsureLoaded();
        using var reference = torch.nn.BatchNorm1d(3);
        using var ours = new GmvaeBatchNorm(3);
        Assert.Equal(reference.state_dict().Keys.OrderBy(k => k, StringComparer.Ordinal),
            ours.state_dict().Keys.OrderBy(k => k, StringComparer.Ordinal));
    }

    [Fact]
    public void GmvaeBatchNorm_FourDimensionalInput_IsRefused()
    {
        TorchNative.EnsureLoaded();
        using var ours = new GmvaeBatchNorm(3);
        using var input = torch.zeros(2, 3, 4, 5);
        Assert.Throws<ArgumentException>(() => ours.call(input));
    }
}
