using StxmPhase.Gmvae;
using TorchSharp;

namespace StxmPhase.Gmvae.Tests;

[Collection("Torch")]
public sealed class TorchNativeTests
{
    [Fact]
    public void EnsureLoaded_OnThisMachine_TorchSharpComputes()
    {
        TorchNative.EnsureLoaded();
        using var a = torch.ones(3, 3);
        using var b = a.matmul(a);
        Assert.Equal(3f, b[0, 0].item<float>());
    }
}
