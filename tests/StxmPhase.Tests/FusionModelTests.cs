using StxmPhase.Correlation;
using StxmPhase.Spectra;
using StxmPhase.Synthetic;

namespace StxmPhase.Tests;

/// <summary>The block-aware model stages of a fused multi-edge input: posterior block weights and the latent model.</summary>
public class FusionModelTests
{
    private static FusedEdgeStack Field(int size, int seed, IReadOnlyList<double>? weights = null)
    {
        var options = new MultiEdgeOptions
        {
            Edges =
            [
                new() { Width = size, Height = size, Seed = seed, Energies = MultiEdgeGenerator.VanadiumLEnergies, Dose = 1500 },
                new() { Width = size, Height = size, Seed = seed, Energies = MultiEdgeGenerator.OxygenKEnergies, Dose = 400 },
            ],
        };
        MultiEdgeDataset field = MultiEdgeGenerator.Generate(options);
        return EdgeFusion.Fuse([.. field.Edges.Select(e => e.OpticalDensity)], ["V L", "O K"],
            new EdgeFusionOptions { BlockWeights = weights });
    }

    [Fact]
    public void Fuse_DefaultWeightsAreNoiseDerived_GivenWeightsAreTheUsers()
    {
        Assert.Equal(BlockWeightSource.Noise, Field(32, 1).Blocks.WeightSource);
        Assert.Equal(BlockWeightSource.User, Field(32, 1, [0.5, 0.5]).Blocks.WeightSource);
    }

    [Fact]
    public void Workflow_UserBlockWeights_TemperThePosteriorsNoiseWeightsDoNot()
    {
        FusedEdgeStack fused = Field(32, 4);
        SpectralBlocks user = fused.Blocks.WithWeights([0.9, 0.1]);
        SpectralBlocks noise = fused.Blocks.WithWeights([0.9, 0.1], BlockWeightSource.Noise);
        ReferenceSpectra refs = NaVanadiumFluorophosphateReferences.Evaluate(fused.Stack.Energies);
        var workflow = new PhaseMappingWorkflow { Options = new PhaseMappingOptions { ResolveAmbiguities = false, Seed = 1 } };

        PhasePosteriors Posteriors(SpectralBlocks blocks)
        {
            using PhaseMappingRun run = workflow.Run(new PhaseMappingInput(fused.Stack) { Blocks = blocks }, refs);
            return run.Results[0].Posteriors!;
        }

        PhasePosteriors fromNoise = Posteriors(noise), fromUser = Posteriors(user), equal = Posteriors(fused.Blocks.WithWeights([1.0, 1.0]));

        Assert.Equal(equal.Posteriors.ToArray(), fromNoise.Posteriors.ToArray());
        Assert.NotEqual(equal.ChiSquare.ToArray(), fromUser.ChiSquare.ToArray());
    }

    private static SpectralStack ScaleBlock(SpectralStack stack, SpectralBlocks blocks, int block, float factor)
    {
        int n = stack.PixelCount;
        float[] data = stack.Data.ToArray();
        foreach (ref float v in data.AsSpan(blocks.Starts[block] * n, blocks.Counts[block] * n))
        {
            v *= factor;
        }

        return new SpectralStack(stack.Energies, stack.Width, stack.Height, data, SpectralQuantity.OpticalDensity);
    }

    [Fact]
    public void PcaTrainer_WithBlocks_OneBlockScaledTenfold_EncodesEveryPixelTheSame()
    {
        FusedEdgeStack fused = Field(32, 2);
        SpectralStack scaled = ScaleBlock(fused.Stack, fused.Blocks, 1, 10);
        int e = fused.Stack.EnergyCount;
        // The pixels both edges cover (the O K block is NaN where its shifted image did not reach).
        int[] all = [.. Enumerable.Range(0, fused.Stack.PixelCount)
            .Where(p => Enumerable.Range(0, e).All(j => float.IsFinite(fused.Stack.Plane(j)[p])))];
        int n = all.Length;
        float[] x = new float[n * e], y = new float[n * e];
        fused.Stack.CopySpectra(all, x);
        scaled.CopySpectra(all, y);

        ILatentEncoder ex = new PcaEncoderTrainer().Train(new LatentTrainingData(x, n, fused.Stack.Energies, default, 1) { Blocks = fused.Blocks },
            null, default);
        ILatentEncoder ey = new PcaEncoderTrainer().Train(new LatentTrainingData(y, n, fused.Stack.Energies, default, 1) { Blocks = fused.Blocks },
            null, default);
        float[] zx = new float[n * 3], zy = new float[n * 3];
        ex.Encode(x, n, zx);
        ey.Encode(y, n, zy);

        double span = zx.Max() - zx.Min();
        for (int i = 0; i < zx.Length; i++)
        {
            Assert.True(Math.Abs(Math.Abs(zx[i]) - Math.Abs(zy[i])) <= 1e-4 * span, $"coordinate {i}: {zx[i]} vs {zy[i]}");
        }
    }

    [Fact]
    public void Workflow_FusedInputWithGmvae_TrainsAModelThatKeepsTheBlocks()
    {
        FusedEdgeStack fused = Field(24, 3, [0.6, 0.4]);
        ReferenceSpectra refs = NaVanadiumFluorophosphateReferences.Evaluate(fused.Stack.Energies);
        var gmvae = new Gmvae.GmvaeOptions { Epochs = 1, HiddenLayers = [32, 16], Threads = 1, Seed = 1 };
        var workflow = new PhaseMappingWorkflow { EncoderTrainer = new GmvaeEncoderTrainer(gmvae), Options = new PhaseMappingOptions { Seed = 1 } };

        using PhaseMappingRun run = workflow.Run(new PhaseMappingInput(fused.Stack) { Blocks = fused.Blocks }, refs);
        using PhaseMappingRun single = workflow.Run(new PhaseMappingInput(fused.Stack), refs);

        BlockNormalization norm = Assert.IsType<Gmvae.GmvaeModel>(run.Encoder).BlockNormalization!;
        Assert.Equal(fused.Blocks.Weights, norm.Blocks.Weights);
        Assert.Equal(BlockScaling.GlobalScale, norm.Scaling);
        Assert.Null(Assert.IsType<Gmvae.GmvaeModel>(single.Encoder).BlockNormalization);
    }

    [Fact]
    public void Workflow_GivenGmvaeWithOtherBlocks_WarnsThatItKeepsItsOwn()
    {
        FusedEdgeStack fused = Field(24, 6);
        ReferenceSpectra refs = NaVanadiumFluorophosphateReferences.Evaluate(fused.Stack.Energies);
        var gmvae = new Gmvae.GmvaeOptions { Epochs = 1, HiddenLayers = [32, 16], Threads = 1, Seed = 1 };
        var options = new PhaseMappingOptions { Seed = 1 };
        using PhaseMappingRun trained = new PhaseMappingWorkflow { EncoderTrainer = new GmvaeEncoderTrainer(gmvae), Options = options }
            .Run(new PhaseMappingInput(fused.Stack), refs);
        var logger = new RecordingLogger();
        var reuse = new PhaseMappingWorkflow { Encoder = trained.Encoder, Options = options, Logger = logger };

        using (reuse.Run(new PhaseMappingInput(fused.Stack), refs))
        {
            Assert.DoesNotContain(logger.Messages, m => m.Contains("spectral blocks", StringComparison.Ordinal));
        }

        using (reuse.Run(new PhaseMappingInput(fused.Stack) { Blocks = fused.Blocks }, refs))
        {
            Assert.Contains(logger.Messages, m => m.Contains("spectral blocks (one block) differ", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Workflow_FusedInput_ScalesTheEncodedReferencesToTheDataBlockByBlock()
    {
        // The O K block is tripled (another edge normalisation): one least-squares factor per block follows it.
        FusedEdgeStack fused = Field(32, 7);
        SpectralStack stack = ScaleBlock(fused.Stack, fused.Blocks, 1, 3);
        var workflow = new PhaseMappingWorkflow { EncoderTrainer = new PcaEncoderTrainer(), Options = new PhaseMappingOptions { Seed = 1 } };

        using PhaseMappingRun run = workflow.Run(new PhaseMappingInput(stack) { Blocks = fused.Blocks },
            NaVanadiumFluorophosphateReferences.Evaluate(stack.Energies));

        // Double-precision oracle of the scaled references: per phase and block, ⟨m, r⟩/⟨r, r⟩ with m the mean spectrum of
        // the valid, unambiguous pixels with that PCC label.
        PhaseMappingResult r = run.Results[0];
        ReferenceSpectra refs = run.References;
        int e = stack.EnergyCount, n = stack.PixelCount, phases = refs.PhaseCount;
        float[] rows = new float[phases * e];
        for (int k = 0; k < phases; k++)
        {
            int[] pixels = [.. Enumerable.Range(0, n).Where(p => r.Valid[p] && !r.Correlation.Ambiguous[p] && r.PccMap.Labels[p] == k
                && Enumerable.Range(0, e).All(j => float.IsFinite(stack.Plane(j)[p])))]; // pixels missing a block are not encoded
            for (int b = 0; b < fused.Blocks.Count; b++)
            {
                int start = fused.Blocks.Starts[b], end = start + fused.Blocks.Counts[b];
                double num = 0, den = 0;
                for (int j = start; j < end; j++)
                {
                    double mean = pixels.Length == 0 ? 0 : pixels.Average(p => (double)stack.Plane(j)[p]);
                    num += mean * refs.Spectrum(k)[j];
                    den += refs.Spectrum(k)[j] * refs.Spectrum(k)[j];
                }

                double factor = pixels.Length > 0 && num > 0 && den > 0 ? num / den : 1;
                for (int j = start; j < end; j++)
                {
                    rows[(k * e) + j] = (float)(refs.Spectrum(k)[j] * factor);
                }
            }
        }

        float[] expected = new float[phases * 3];
        run.Encoder!.Encode(rows, phases, expected);
        float[] actual = run.EncodedReferences!.Points.ToArray();
        double span = expected.Max() - expected.Min();
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-3 * span, $"coordinate {i}: {actual[i]} vs {expected[i]}");
        }
    }

    /// <summary>Keeps every formatted log message.</summary>
    private sealed class RecordingLogger : Microsoft.Extensions.Logging.ILogger
    {
        public List<string> Messages { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => true;

        public void Log<TState>(Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state,
            Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (Messages)
            {
                Messages.Add(formatter(state, exception));
            }
        }
    }
}
