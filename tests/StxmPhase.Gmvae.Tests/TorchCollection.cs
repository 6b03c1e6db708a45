namespace StxmPhase.Gmvae.Tests;

/// <summary>Torch tests share libtorch's process-wide state (global generator, thread count): run them serially.</summary>
[CollectionDefinition("Torch", DisableParallelization = true)]
public sealed class TorchCollection
{
}
