using StxmPhase.Spectra;
using StxmPhase.Synthetic;

namespace StxmPhase.Tests;

/// <summary>Background components in the workflow (issue 16): a strong carbon/CEI layer with and without the background model.</summary>
public class BackgroundWorkflowTests
{
    private static double ParticleAccuracy(PhaseMap map, SyntheticDataset data)
    {
        int correct = 0, total = 0;
        for (int i = 0; i < data.Truth.PixelCount; i++)
        {
            if (data.Truth.Labels[i] >= 0)
            {
                total++;
                correct += map.Labels[i] == data.Truth.Labels[i] ? 1 : 0;
            }
        }

        return (double)correct / total;
    }

    private static ReferenceSpectra Carbon(EnergyAxis grid) =>
        new(grid, ["carbon"], [.. grid.AsSpan().ToArray().Select(NaVanadiumFluorophosphateReferences.CarbonLayerAbsorption)]);

    [Fact]
    public void Run_StrongCarbonLayer_BackgroundRestoresPccAndFinalAccuracy()
    {
        SyntheticDataset data = SyntheticStackGenerator.Generate(new SyntheticStackOptions
        {
            Width = 96, Height = 96, Seed = 4, DomainLayout = DomainLayout.Voronoi, Dose = 2000, CarbonLayerOd = 1.5,
        });
        var input = new PhaseMappingInput(data.OpticalDensity);
        var background = new SpectralBackground(linear: true, Carbon(data.References.Energies));

        using PhaseMappingRun plain = new PhaseMappingWorkflow { Options = new PhaseMappingOptions { ResolveAmbiguities = false } }
            .Run(input, data.References);
        using PhaseMappingRun fitted = new PhaseMappingWorkflow
        {
            Options = new PhaseMappingOptions { ResolveAmbiguities = false, Background = background },
        }.Run(input, data.References);

        double pccPlain = ParticleAccuracy(plain.Results[0].PccMap, data), pccFitted = ParticleAccuracy(fitted.Results[0].PccMap, data);
        double finalPlain = ParticleAccuracy(plain.Results[0].FinalMap, data), finalFitted = ParticleAccuracy(fitted.Results[0].FinalMap, data);
        Assert.True(pccFitted > pccPlain + 0.05, $"PCC: {pccPlain:F3} → {pccFitted:F3} with the background projected out");
        Assert.True(finalFitted > finalPlain + 0.02, $"final: {finalPlain:F3} → {finalFitted:F3} with the background in the noise model");
        Assert.Equal(data.OpticalDensity.EnergyCount - 2 - 2, fitted.Results[0].Posteriors!.DegreesOfFreedom); // a, b, linear, carbon
    }
}
