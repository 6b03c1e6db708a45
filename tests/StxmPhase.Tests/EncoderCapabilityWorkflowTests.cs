using StxmPhase.Spectra;
using StxmPhase.Synthetic;

namespace StxmPhase.Tests;

/// <summary>The workflow reports what an encoder can also tell (a decoder, training curves) through the optional capability interfaces.</summary>
public class EncoderCapabilityWorkflowTests
{
    [Fact]
    public void Run_EncoderWithDecoderAndTrainingCurves_ReportsReconstructionsAndCurves()
    {
        SyntheticDataset data = SyntheticStackGenerator.Generate(new SyntheticStackOptions { Width = 32, Height = 32, Seed = 6 });
        var encoder = new FirstEnergiesEncoder(data.OpticalDensity.EnergyCount);
        var workflow = new PhaseMappingWorkflow { Encoder = encoder };

        using PhaseMappingRun run = workflow.Run(new PhaseMappingInput(data.OpticalDensity), data.References);

        Assert.Same(encoder.TrainingCurves, run.TrainingCurves);
        LatentSet refs = run.EncodedReferences!;
        float[] expected = new float[refs.Count * encoder.Energies];
        encoder.Decode(refs.Points, refs.Count, expected);
        Assert.Equal(expected, run.ReferenceReconstructions.ToArray());
        Assert.Contains(run.ReferenceReconstructions.ToArray(), v => v != 0);
    }

    [Fact]
    public void Run_EncoderWithoutCapabilities_ReportsNoCurvesAndNoReconstructions()
    {
        SyntheticDataset data = SyntheticStackGenerator.Generate(new SyntheticStackOptions { Width = 32, Height = 32, Seed = 6 });
        var workflow = new PhaseMappingWorkflow { EncoderTrainer = new PcaEncoderTrainer() };

        using PhaseMappingRun run = workflow.Run(new PhaseMappingInput(data.OpticalDensity), data.References);

        Assert.NotNull(run.EncodedReferences);
        Assert.Null(run.TrainingCurves);
        Assert.True(run.ReferenceReconstructions.IsEmpty);
    }

    /// <summary>A caller's encoder: the latent point is the OD at the first three energies; decoding pads with zeros.</summary>
    private sealed class FirstEnergiesEncoder(int energies) : ILatentEncoder, ILatentDecoder, ITrainingCurvesSource
    {
        public int Energies { get; } = energies;

        public int LatentDimension => 3;

        public TrainingCurves TrainingCurves { get; } = new([0.5, 0.25], [], [0.1, 0.1], [], null);

        public void Encode(ReadOnlySpan<float> spectra, int count, Span<float> destination)
        {
            for (int i = 0; i < count; i++)
            {
                spectra.Slice(i * Energies, 3).CopyTo(destination.Slice(i * 3, 3));
            }
        }

        public void Decode(ReadOnlySpan<float> latent, int count, Span<float> destination)
        {
            destination[..(count * Energies)].Clear();
            for (int i = 0; i < count; i++)
            {
                latent.Slice(i * 3, 3).CopyTo(destination.Slice(i * Energies, 3));
            }
        }
    }
}
