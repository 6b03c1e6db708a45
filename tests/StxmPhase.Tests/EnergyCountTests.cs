using StxmPhase.Spectra;
using StxmPhase.Synthetic;

namespace StxmPhase.Tests;

/// <summary>
/// A stack with too few energies for the configured stages is refused before any work with a documented exception naming the
/// stack and what it needs (a two-frame SDF scan used to fail inside the noise model with an ArgumentException).
/// </summary>
public class EnergyCountTests
{
    private static SyntheticDataset Stack(params double[] energies) => SyntheticStackGenerator.Generate(
        new SyntheticStackOptions { Width = 16, Height = 16, Seed = 1, Energies = new EnergyAxis(energies) });

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Run_TwoEnergies_ThrowsInvalidStackContentNamingTheMinimum(bool paper)
    {
        SyntheticDataset d = Stack(516.5, 518.2);
        var workflow = new PhaseMappingWorkflow
        {
            EncoderTrainer = new PcaEncoderTrainer(),
            Options = paper ? PhaseMappingOptions.PaperPipeline : new PhaseMappingOptions(),
        };

        var ex = Assert.Throws<InvalidStackContentException>(() => workflow.Run(new PhaseMappingInput(d.OpticalDensity, "short"), d.References));

        Assert.Contains("'short' has only 2 energies", ex.Message, StringComparison.Ordinal);
        Assert.Contains("at least 3", ex.Message, StringComparison.Ordinal);
        Assert.Equal("energies", ex.Field);
    }

    [Fact]
    public void Run_ThreeEnergiesWithALinearBackground_ThrowsNamingTheFourNeeded()
    {
        SyntheticDataset d = Stack(516.5, 518.2, 530.3);
        var workflow = new PhaseMappingWorkflow
        {
            EncoderTrainer = new PcaEncoderTrainer(),
            Options = new PhaseMappingOptions { Background = new SpectralBackground(linear: true) },
        };

        var ex = Assert.Throws<InvalidStackContentException>(() => workflow.Run(new PhaseMappingInput(d.OpticalDensity, "c"), d.References));

        Assert.Contains("need at least 4 energies", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_FusedEdgesOfThreeAndTwoEnergiesWithALinearBackground_ThrowsNamingTheSixNeeded()
    {
        // Two offsets, two slopes (one per edge), the reference's amount and one degree of freedom need 6 energies; with 5 the
        // noise model itself threw an ArgumentException (counting one slope for the whole stack let it through).
        SyntheticDataset d = Stack(516.5, 517.3, 518.2, 530.3, 531.3);
        var workflow = new PhaseMappingWorkflow
        {
            EncoderTrainer = new PcaEncoderTrainer(),
            Options = new PhaseMappingOptions { Background = new SpectralBackground(linear: true) },
        };
        var input = new PhaseMappingInput(d.OpticalDensity, "fused") { Blocks = new SpectralBlocks(["V L", "O K"], [3, 2]) };

        var ex = Assert.Throws<InvalidStackContentException>(() => workflow.Run(input, d.References));

        Assert.Contains("need at least 6 energies", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_ThreeEnergies_MapsWithTheDefaults()
    {
        SyntheticDataset d = Stack(516.5, 518.2, 530.3);
        var workflow = new PhaseMappingWorkflow { EncoderTrainer = new PcaEncoderTrainer() };

        using PhaseMappingRun run = workflow.Run(new PhaseMappingInput(d.OpticalDensity, "three"), d.References);

        Assert.True(run.Results[0].Correlation.ValidCount > 0);
    }
}
