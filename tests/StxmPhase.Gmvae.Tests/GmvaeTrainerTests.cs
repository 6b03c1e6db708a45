using System.Diagnostics;
using StxmPhase.Gmvae;
using StxmPhase.Spectra;
using TorchSharp;

namespace StxmPhase.Gmvae.Tests;

[Collection("Torch")]
public sealed class GmvaeTrainerTests
{
    private static readonly Lazy<(float[] Spectra, int[] Labels, GmvaeModel Model)> s_trained = new(() =>
    {
        var (spectra, labels) = TestData.Clusters(1000, 7);
        var model = new GmvaeTrainer(TestData.Small(epochs: 40)).Fit(spectra, 1000, TestData.Axis);
        return (spectra, labels, model);
    });

    [Fact]
    public void Fit_FiveClusters_LossDecreasesAndHistoryIsComplete()
    {
        var model = s_trained.Value.Model;
        var h = model.History;
        Assert.Equal(40, h.EpochsRun);
        Assert.Equal(950, h.TrainingCount);
        Assert.Equal(25, h.ValidationCount);
        Assert.Equal(25, h.TestCount);
        Assert.True(h.Epochs[^1].TrainMse < 0.25 * h.Epochs[0].TrainMse, $"MSE {h.Epochs[0].TrainMse} -> {h.Epochs[^1].TrainMse}");
        Assert.True(h.Epochs[^1].ValidationLoss < h.Epochs[0].ValidationLoss);
        Assert.All(h.Epochs, e => Assert.True(double.IsFinite(e.TrainLoss) && e.TrainKl >= 0 && e.ValidationKl >= 0));
        Assert.NotNull(h.TestLoss);
        Assert.True(double.IsFinite(h.TestLoss!.Value));
        Assert.Equal(h.Epochs.Select(e => e.Epoch), Enumerable.Range(1, 40));
    }

    [Fact]
    public void Encode_WellSeparatedClusters_NearestCentroidAccuracyAbove95Percent()
    {
        var (spectra, labels, model) = s_trained.Value;
        int n = labels.Length;
        float[] latent = new float[n * 3];
        model.Encode(spectra, n, latent);
        double[,] centroids = new double[5, 3];
        int[] counts = new int[5];
        for (int i = 0; i < n; i++)
        {
            counts[labels[i]]++;
            for (int d = 0; d < 3; d++)
            {
                centroids[labels[i], d] += latent[(i * 3) + d];
            }
        }

        for (int c = 0; c < 5; c++)
        {
            for (int d = 0; d < 3; d++)
            {
                centroids[c, d] /= counts[c];
            }
        }

        int correct = 0;
        for (int i = 0; i < n; i++)
        {
            int best = 0;
            double bestDistance = double.PositiveInfinity;
            for (int c = 0; c < 5; c++)
            {
                double s = 0;
                for (int d = 0; d < 3; d++)
                {
                    double diff = latent[(i * 3) + d] - centroids[c, d];
                    s += diff * diff;
                }

                if (s < bestDistance)
                {
                    bestDistance = s;
                    best = c;
                }
            }

            correct += best == labels[i] ? 1 : 0;
        }

        Assert.True(correct >= 0.95 * n, $"nearest-centroid accuracy {correct}/{n}");
    }

    [Fact]
    public void ComponentProbabilitiesAndPrior_TrainedModel_AreValidDistributions()
    {
        var (spectra, _, model) = s_trained.Value;
        float[] p = new float[200 * 5];
        model.ComponentProbabilities(spectra, 200, p);
        for (int i = 0; i < 200; i++)
        {
            Assert.Equal(1.0, p.AsSpan(i * 5, 5).ToArray().Sum(), 4);
        }

        Assert.Equal(5, model.Prior.Components);
        Assert.Equal(1.0, model.Prior.Weights.Sum(), 6);
        Assert.All(model.Prior.Variances, v => Assert.True(v > 0));
        Assert.Equal(45, model.Prior.Covariances.Count);
    }

    [Fact]
    public void Decode_EncodedMeans_ReconstructsSpectraInInputUnits()
    {
        var (spectra, _, model) = s_trained.Value;
        const int n = 100;
        float[] latent = new float[n * 3];
        model.Encode(spectra, n, latent);
        float[] reconstructed = new float[n * TestData.Energies];
        model.Decode(latent, n, reconstructed);
        double mse = 0;
        double variance = 0;
        double mean = spectra.Take(n * TestData.Energies).Average(v => (double)v);
        for (int i = 0; i < n * TestData.Energies; i++)
        {
            mse += Math.Pow(reconstructed[i] - spectra[i], 2);
            variance += Math.Pow(spectra[i] - mean, 2);
        }

        Assert.True(mse < 0.1 * variance, $"reconstruction SSE {mse} vs total SS {variance}");
    }

    [Fact]
    public void Encode_OneByOneVersusOneChunk_Agree()
    {
        var (spectra, _, model) = s_trained.Value;
        const int n = 300;
        float[] together = new float[n * 3];
        model.Encode(spectra, n, together);
        float[] alone = new float[3];
        for (int i = 0; i < n; i++)
        {
            model.Encode(spectra.AsSpan(i * TestData.Energies, TestData.Energies), 1, alone);
            for (int d = 0; d < 3; d++)
            {
                Assert.True(Math.Abs(alone[d] - together[(i * 3) + d]) <= 1e-5 * Math.Max(1, Math.Abs(alone[d])),
                    $"row {i}, dim {d}: {alone[d]} vs {together[(i * 3) + d]}");
            }
        }

        float[] again = new float[n * 3];
        model.Encode(spectra, n, again);
        Assert.Equal(together, again);
    }

    [Fact]
    public void SaveLoad_RoundTrip_GivesBitIdenticalEncodingsAndMetadata()
    {
        var (spectra, _, model) = s_trained.Value;
        string path = Path.Combine(Path.GetTempPath(), $"gmvae-{Guid.NewGuid():N}.ckpt");
        try
        {
            model.Save(path);
            using var loaded = GmvaeModel.Load(path);
            float[] a = new float[500 * 3];
            float[] b = new float[500 * 3];
            model.Encode(spectra, 500, a);
            loaded.Encode(spectra, 500, b);
            Assert.Equal(a, b);
            Assert.Equal(model.Prior.Means, loaded.Prior.Means);
            Assert.Equal(model.Prior.Weights, loaded.Prior.Weights);
            Assert.True(model.Energies.Equals(loaded.Energies));
            Assert.Equal(model.History.Epochs, loaded.History.Epochs);
            Assert.Equal(model.History.TestLoss, loaded.History.TestLoss);
            Assert.Equal(model.NormalizationScale, loaded.NormalizationScale);
            Assert.Equal(model.Options.HiddenLayers, loaded.Options.HiddenLayers);
            Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(path)!, $".{Path.GetFileName(path)}.*.tmp"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Load_TruncatedForeignOrFutureFile_ThrowsCheckpointFormatException()
    {
        var model = s_trained.Value.Model;
        string path = Path.Combine(Path.GetTempPath(), $"gmvae-{Guid.NewGuid():N}.ckpt");
        try
        {
            model.Save(path);
            byte[] good = File.ReadAllBytes(path);
            File.WriteAllBytes(path, good.AsSpan(0, good.Length - 1000).ToArray());
            var truncated = Assert.Throws<CheckpointFormatException>(() => GmvaeModel.Load(path));
            Assert.Contains("truncated", truncated.Message, StringComparison.Ordinal);
            Assert.Equal(Path.GetFullPath(path), truncated.FileName);

            File.WriteAllBytes(path, [0x50, 0x4B, 0x03, 0x04, .. new byte[200]]);
            var foreign = Assert.Throws<CheckpointFormatException>(() => GmvaeModel.Load(path));
            Assert.Contains("signature", foreign.Message, StringComparison.Ordinal);

            byte[] future = (byte[])good.Clone();
            future[8] = 99;
            File.WriteAllBytes(path, future);
            var version = Assert.Throws<CheckpointFormatException>(() => GmvaeModel.Load(path));
            Assert.Contains("version 99", version.Message, StringComparison.Ordinal);

            byte[] corrupted = (byte[])good.Clone();
            corrupted[good.Length / 2] ^= 0x5A;
            File.WriteAllBytes(path, corrupted);
            Assert.Throws<CheckpointFormatException>(() => GmvaeModel.Load(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Load_CheckpointFromOtherEnergies_ThrowsIncompatibleEnergiesException()
    {
        var model = s_trained.Value.Model;
        string path = Path.Combine(Path.GetTempPath(), $"gmvae-{Guid.NewGuid():N}.ckpt");
        try
        {
            model.Save(path);
            var shifted = new EnergyAxis(TestData.Axis.Select((e, i) => i == 4 ? e + 0.5 : e).ToArray());
            var ex = Assert.Throws<IncompatibleEnergiesException>(() => GmvaeModel.Load(path, shifted));
            Assert.Contains("at energy 4", ex.Message, StringComparison.Ordinal);
            var shorter = new EnergyAxis(TestData.Axis.Take(12).ToArray());
            Assert.Throws<IncompatibleEnergiesException>(() => GmvaeModel.Load(path, shorter));
            using var ok = GmvaeModel.Load(path, TestData.Axis);
            Assert.Equal(13, ok.Energies.Count);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Fit_SameSeed_IsReproducible_DifferentSeed_Differs()
    {
        var (spectra, _) = TestData.Clusters(300, 3);
        var options = TestData.Small(epochs: 3, seed: 42);
        using var a = new GmvaeTrainer(options).Fit(spectra, 300, TestData.Axis);
        using var b = new GmvaeTrainer(options).Fit(spectra, 300, TestData.Axis);
        using var c = new GmvaeTrainer(TestData.Small(epochs: 3, seed: 43)).Fit(spectra, 300, TestData.Axis);
        Assert.Equal(a.History.Epochs.Select(e => e.TrainLoss), b.History.Epochs.Select(e => e.TrainLoss));
        float[] za = new float[300 * 3];
        float[] zb = new float[300 * 3];
        float[] zc = new float[300 * 3];
        a.Encode(spectra, 300, za);
        b.Encode(spectra, 300, zb);
        c.Encode(spectra, 300, zc);
        Assert.Equal(za, zb);
        Assert.NotEqual(za, zc);
    }

    [Fact]
    public void Fit_NaNInput_ThrowsArgumentExceptionNamingSpectrumAndEnergy()
    {
        var (spectra, _) = TestData.Clusters(100, 3);
        spectra[(17 * TestData.Energies) + 4] = float.NaN;
        var ex = Assert.Throws<ArgumentException>(() => new GmvaeTrainer(TestData.Small(epochs: 1)).Fit(spectra, 100, TestData.Axis));
        Assert.Equal("spectra", ex.ParamName);
        Assert.Contains("Spectrum 17", ex.Message, StringComparison.Ordinal);
        Assert.Contains("energy index 4", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Fit_CancelledAfterFirstEpoch_ThrowsOperationCanceled()
    {
        var (spectra, _) = TestData.Clusters(300, 3);
        using var cts = new CancellationTokenSource();
        int reported = 0;
        var progress = new InlineProgress<GmvaeEpoch>(_ =>
        {
            reported++;
            cts.Cancel();
        });
        Assert.ThrowsAny<OperationCanceledException>(() =>
            new GmvaeTrainer(TestData.Small(epochs: 50)).Fit(spectra, 300, TestData.Axis, progress: progress, cancellationToken: cts.Token));
        Assert.Equal(1, reported);
    }

    [Fact]
    public void Fit_InvalidArguments_Throw()
    {
        var (spectra, _) = TestData.Clusters(10, 3);
        var trainer = new GmvaeTrainer(TestData.Small());
        Assert.Throws<ArgumentOutOfRangeException>(() => trainer.Fit(spectra, 1, TestData.Axis));
        Assert.Throws<ArgumentException>(() => trainer.Fit(spectra, 11, TestData.Axis));
        Assert.Throws<ArgumentException>(() => trainer.Fit(spectra, 10, TestData.Axis, stratificationLabels: new int[3]));
        var tooSmallSplit = new GmvaeTrainer(new GmvaeOptions { ValidationFraction = 0.5, TestFraction = 0.45 });
        Assert.Throws<ArgumentException>(() => tooSmallSplit.Fit(spectra, 10, TestData.Axis));
    }

    [Fact]
    public void Constructor_InvalidOptions_ThrowsBeforeAnyData()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new GmvaeTrainer(new GmvaeOptions { BatchSize = 1 }));
        Assert.Equal("BatchSize", ex.ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => new GmvaeTrainer(new GmvaeOptions { Epochs = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new GmvaeTrainer(new GmvaeOptions { ValidationFraction = 0.6, TestFraction = 0.4 }));
        Assert.Equal(3, new GmvaeTrainer(TestData.Small(epochs: 3)).Options.Epochs);
        Assert.Equal(new GmvaeOptions().Epochs, new GmvaeTrainer().Options.Epochs);
    }

    [Fact]
    public void Fit_EarlyStoppingWithBestWeights_StopsAndRecordsBestEpoch()
    {
        var (spectra, _) = TestData.Clusters(200, 3);
        var options = new GmvaeOptions
        {
            HiddenLayers = [16],
            Epochs = 200,
            BatchSize = 64,
            Threads = 1,
            LearningRate = 1e-2,
            EarlyStoppingPatience = 2,
            EarlyStoppingMinDelta = 1e9, // nothing counts as an improvement after epoch 1
            KeepBestValidation = true,
        };
        using var model = new GmvaeTrainer(options).Fit(spectra, 200, TestData.Axis);
        Assert.True(model.History.StoppedEarly);
        Assert.Equal(3, model.History.EpochsRun);
        Assert.Equal(1, model.History.BestEpoch);
    }

    [Theory]
    [InlineData(GmvaeKlMode.MixtureMonteCarlo, GmvaeCovariance.Diagonal, GmvaeNormalization.PerEnergy)]
    [InlineData(GmvaeKlMode.CategoricalMeanField, GmvaeCovariance.Full, GmvaeNormalization.PerSpectrum)]
    [InlineData(GmvaeKlMode.MixtureMonteCarlo, GmvaeCovariance.Full, GmvaeNormalization.None)]
    public void Fit_OptionVariants_TrainFiniteAndRoundTrip(GmvaeKlMode kl, GmvaeCovariance covariance, GmvaeNormalization normalization)
    {
        var (spectra, _) = TestData.Clusters(400, 9);
        var options = new GmvaeOptions
        {
            HiddenLayers = [32, 16],
            Epochs = 5,
            BatchSize = 64,
            Threads = 1,
            KlMode = kl,
            Covariance = covariance,
            Normalization = normalization,
        };
        using var model = new GmvaeTrainer(options).Fit(spectra, 400, TestData.Axis);
        Assert.All(model.History.Epochs, e => Assert.True(double.IsFinite(e.TrainLoss) && double.IsFinite(e.ValidationLoss!.Value)));
        Assert.True(model.History.Epochs[^1].TrainMse < model.History.Epochs[0].TrainMse);
        float[] p = new float[10 * 5];
        model.ComponentProbabilities(spectra, 10, p);
        Assert.Equal(1.0, p.Take(5).Sum(), 4);
        string path = Path.Combine(Path.GetTempPath(), $"gmvae-{Guid.NewGuid():N}.ckpt");
        try
        {
            model.Save(path);
            using var loaded = GmvaeModel.Load(path);
            float[] a = new float[50 * 3];
            float[] b = new float[50 * 3];
            model.Encode(spectra, 50, a);
            loaded.Encode(spectra, 50, b);
            Assert.Equal(a, b);
            Assert.Equal(model.Prior.Covariances, loaded.Prior.Covariances);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Fit_MaxTrainingSpectraWithLabels_SubsamplesStratified()
    {
        int[] labels = Enumerable.Range(0, 1000).Select(i => i < 700 ? 0 : i < 900 ? 1 : 2).ToArray();
        int[] subset = GmvaeTrainer.SelectSubset(1000, 100, labels, seed: 5);
        Assert.Equal(100, subset.Length);
        Assert.Equal(subset.Distinct().Count(), subset.Length);
        Assert.Equal(70, subset.Count(i => labels[i] == 0));
        Assert.Equal(20, subset.Count(i => labels[i] == 1));
        Assert.Equal(10, subset.Count(i => labels[i] == 2));
        Assert.Equal(subset, GmvaeTrainer.SelectSubset(1000, 100, labels, seed: 5));

        var (spectra, clusterLabels) = TestData.Clusters(1000, 3);
        var options = TestData.Small(epochs: 1) is var o
            ? new GmvaeOptions { HiddenLayers = o.HiddenLayers, Epochs = 1, BatchSize = 64, Threads = 1, MaxTrainingSpectra = 200 } : null!;
        using var model = new GmvaeTrainer(options).Fit(spectra, 1000, TestData.Axis, clusterLabels);
        Assert.Equal(200, model.History.TrainingCount + model.History.ValidationCount + model.History.TestCount);
        float[] latent = new float[1000 * 3];
        model.Encode(spectra, 1000, latent);
        Assert.All(latent, v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void Fit_SixteenEpochsOfThirtyTwoBatchesAllThreads_ResidentMemoryStaysFlat()
    {
        // The freed per-batch tensors stay on glibc's heap unless it is trimmed: 125 kB per batch (≈ 50 MB over these
        // epochs) measured before the trainer trimmed it once per epoch.
        var (spectra, _) = TestData.Clusters(4300, 4);
        var options = new GmvaeOptions { Epochs = 16, ValidationFraction = 0.02, TestFraction = 0.02, MaxTrainingSpectra = 4300 };
        long[] rss = new long[17];
        var progress = new InlineProgress<GmvaeEpoch>(e =>
        {
            using var process = Process.GetCurrentProcess();
            rss[e.Epoch] = process.WorkingSet64;
        });
        using var model = new GmvaeTrainer(options).Fit(spectra, 4300, TestData.Axis, progress: progress);
        Assert.Equal(16, model.History.EpochsRun);
        if (OperatingSystem.IsLinux())
        {
            const long margin = 16L * 1024 * 1024;
            Assert.True(rss[16] - rss[2] < margin, $"RSS grew from {rss[2] / 1048576} MiB to {rss[16] / 1048576} MiB");
        }
    }

    [Fact]
    public void Fit_ThirtyEpochsPaperNetwork_NativeMemoryStaysFlat()
    {
        var (spectra, _) = TestData.Clusters(520, 3);
        var options = new GmvaeOptions { Epochs = 32, Threads = 1, ValidationFraction = 0.05, TestFraction = 0 };
        long[] live = new long[33];
        long[] rss = new long[33];
        var progress = new InlineProgress<GmvaeEpoch>(e =>
        {
            live[e.Epoch] = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
            using var process = Process.GetCurrentProcess();
            rss[e.Epoch] = process.WorkingSet64;
        });
        using var model = new GmvaeTrainer(options).Fit(spectra, 520, TestData.Axis, progress: progress);
        Assert.Equal(32, model.History.EpochsRun);

        // Live tensors created in dispose scopes: identical from epoch 2 on (no per-batch leak).
        Assert.Equal(live[2], live[32]);

        // Resident memory: a per-batch leak of the paper-size network's activations would add > 100 MB over 30 epochs.
        const long margin = 48L * 1024 * 1024;
        Assert.True(rss[32] - rss[2] < margin, $"RSS grew from {rss[2] / 1048576} MiB to {rss[32] / 1048576} MiB");
    }

    [Fact]
    public void Network_PaperConfiguration_HasParameterCountFromConfig()
    {
        TorchNative.EnsureLoaded();
        var options = new GmvaeOptions();
        using var network = new GmvaeNetwork(13, options);
        long expected = 0;
        int width = 13;
        foreach (int h in options.HiddenLayers)
        {
            expected += (width * h) + h + (2 * h); // linear + batch-norm affine
            width = h;
        }

        expected += 2 * ((width * 3) + 3) + (width * 5) + 5; // heads
        width = 3;
        foreach (int h in options.HiddenLayers.Reverse())
        {
            expected += (width * h) + h + (2 * h);
            width = h;
        }

        expected += (width * 13) + 13;
        expected += 5 + 15 + 15; // prior
        Assert.Equal(expected, network.parameters().Sum(p => p.numel()));
        Assert.Equal(364_091, expected);
    }

    [Fact]
    public void OptimizerStep_EveryParameterIncludingPriorAndLogitHead_Changes()
    {
        TorchNative.EnsureLoaded();
        torch.manual_seed(1);
        var options = TestData.Small();
        using var network = new GmvaeNetwork(13, options);
        var before = network.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().clone());
        var (spectra, _) = TestData.Clusters(64, 3);
        using var batch = torch.tensor(spectra, [64, 13]);
        using var optimizer = new GmvaeAdam(network.parameters(), 1e-3);
        network.train();
        using (var scope = torch.NewDisposeScope())
        {
            var (loss, _, _) = GmvaeTrainer.Objective(network, batch, options, training: true);
            optimizer.ZeroGrad();
            loss.backward();
            optimizer.Step();
        }

        foreach (var (name, parameter) in network.named_parameters())
        {
            using var diff = (parameter.detach() - before[name]).abs().max();
            Assert.True(diff.item<float>() > 0, $"parameter {name} did not change");
            before[name].Dispose();
        }
    }
}
