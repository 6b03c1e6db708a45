using System.Globalization;
using StxmPhase.Spectra;

namespace StxmPhase.Gmvae.Tests;

/// <summary>The optional capabilities a <see cref="GmvaeModel"/> offers the workflow, and its own native-memory trimming.</summary>
[Collection("Torch")]
public sealed class GmvaeModelCapabilityTests
{
    private static long ResidentBytes() =>
        long.Parse(File.ReadAllText("/proc/self/statm").Split(' ')[1], CultureInfo.InvariantCulture) * Environment.SystemPageSize;

    [Fact]
    public void TrainingCurves_AreTheHistorysPerEpochLosses()
    {
        var (spectra, _) = TestData.Clusters(300, 5);
        using GmvaeModel model = new GmvaeTrainer(TestData.Small(epochs: 4)).Fit(spectra, 300, TestData.Axis);
        ITrainingCurvesSource source = model;

        TrainingCurves curves = source.TrainingCurves;

        Assert.Equal(model.History.Epochs.Select(e => e.TrainMse), curves.TrainMse);
        Assert.Equal(model.History.Epochs.Select(e => e.TrainKl), curves.TrainKl);
        Assert.Equal(model.History.Epochs.Select(e => e.ValidationMse!.Value), curves.ValidationMse);
        Assert.Equal(model.History.Epochs.Select(e => e.ValidationKl!.Value), curves.ValidationKl);
        Assert.Equal(model.History.TestLoss, curves.TestLoss);
        Assert.Equal(4, curves.Epochs);
        Assert.IsAssignableFrom<ILatentDecoder>(model);
    }

    [Fact]
    public void Encode_LargeBatch_ReturnsTheFreedActivationsToTheSystemItself()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        // The paper's network (hidden layers of 512, 256, 128 and 64 units): 40 960 spectra in chunks of 8192 leave tens of MB of
        // freed activations on glibc's heap unless the model trims it after the call.
        var (spectra, _) = TestData.Clusters(40_960, 6);
        var options = new GmvaeOptions { Epochs = 1, Threads = 1, MaxTrainingSpectra = 512, EncodeChunkSize = 8192, TestFraction = 0 };
        using GmvaeModel model = new GmvaeTrainer(options).Fit(spectra, 40_960, TestData.Axis);
        float[] latent = new float[40_960 * model.LatentDimension];

        model.Encode(spectra, 40_960, latent);
        long before = ResidentBytes();
        TorchNative.ReleaseFreedNativeMemory();
        long reclaimable = before - ResidentBytes();

        Assert.True(reclaimable < 8L * 1024 * 1024, $"{reclaimable / 1048576.0:F1} MiB were still on the heap after Encode");
    }
}
