using StxmPhase.Spectra;
using StxmPhase.Synthetic;

namespace StxmPhase.Tests;

/// <summary>Background components on a fused V L + O K input through the workflow (a carbon/CEI layer seen by both edges).</summary>
public class FusionBackgroundTests
{
    /// <summary>A 48² field with an informative O K edge (dose 20000) and a carbon layer of OD 0.5 at 532 eV on the particles.</summary>
    private static MultiEdgeDataset Field() => MultiEdgeGenerator.Generate(new MultiEdgeOptions
    {
        Edges =
        [
            new() { Width = 48, Height = 48, Seed = 1, Energies = MultiEdgeGenerator.VanadiumLEnergies, Dose = 300, CarbonLayerOd = 0.5 },
            new() { Width = 48, Height = 48, Seed = 1, Energies = MultiEdgeGenerator.OxygenKEnergies, Dose = 20000, CarbonLayerOd = 0.5 },
        ],
    });

    private static ReferenceSpectra Layer()
    {
        double[] grid = [.. Enumerable.Range(0, 451).Select(i => 500.0 + (0.1 * i))];
        return new ReferenceSpectra(new EnergyAxis(grid), ["carbon"], [.. grid.Select(NaVanadiumFluorophosphateReferences.CarbonLayerAbsorption)]);
    }

    private static (double Final, PhaseMappingResult Result) Map(PhaseMappingInput input, SyntheticDataset truth, SpectralBackground? background)
    {
        using PhaseMappingRun run = new PhaseMappingWorkflow
        {
            EncoderTrainer = new PcaEncoderTrainer(),
            Options = new PhaseMappingOptions { Seed = 1, Background = background },
        }.Run(input, truth.References);
        PhaseMappingResult r = run.Results[0];
        return (PhaseMappingEvaluation.Compare(r.FinalMap, truth.Truth).Accuracy, r);
    }

    [Fact]
    public void Run_FusedStackWithCarbonLayer_TheLayerSpectrumRestoresTheMap()
    {
        MultiEdgeDataset field = Field();
        FusedEdgeStack fused = EdgeFusion.Fuse([field.Edges[0].OpticalDensity, field.Edges[1].OpticalDensity], ["V L", "O K"]);
        var input = new PhaseMappingInput(fused.Stack) { Blocks = fused.Blocks };

        (double plain, _) = Map(input, field.Edges[0], null);
        (double fitted, PhaseMappingResult result) = Map(input, field.Edges[0], new SpectralBackground(linear: false, Layer()));
        (double alone, _) = Map(new PhaseMappingInput(field.Edges[0].OpticalDensity), field.Edges[0], null);

        // Measured: 16.5 % without the background, 84.8 % with the layer's spectrum, 82.3 % for V L alone.
        Assert.True(plain < 0.4, $"the layer did not spoil the fused map ({plain:P1}): the test would not tell anything");
        Assert.True(fitted > alone - 0.03, $"with the layer's spectrum {fitted:P1}, V L alone {alone:P1}");
        Assert.Equal(13 - 1 - 2 - 1, result.Posteriors!.DegreesOfFreedom); // a, an offset per edge, one shared carbon amount

        // Pixels the shifted O K stack did not cover are fitted on V L alone: analysed, with finite posteriors.
        int uncovered = 0;
        for (int p = 0; p < fused.Stack.PixelCount; p++)
        {
            if (result.SampleMask[p] && float.IsNaN(fused.Stack.Plane(fused.Stack.EnergyCount - 1)[p]))
            {
                uncovered++;
                Assert.True(float.IsFinite(result.Posteriors.ChiSquare[p]), $"pixel {p}");
            }
        }

        Assert.True(uncovered > 0, "no sample pixel lies in the strip the O K stack did not cover");
    }
}
