namespace StxmPhase.Gmvae;

/// <summary>Where the network is trained and evaluated.</summary>
public enum GmvaeDevice
{
    /// <summary>Default: the CPU (deterministic for a given seed and thread count).</summary>
    Cpu = 0,

    /// <summary>The first CUDA GPU. Requires the application to reference a CUDA TorchSharp bundle (e.g.
    /// TorchSharp-cuda-linux) and a working NVIDIA driver; otherwise training and loading throw
    /// <see cref="InvalidOperationException"/>. Results are not bit-reproducible on GPUs.</summary>
    Cuda = 1,
}
