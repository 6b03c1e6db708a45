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
}
