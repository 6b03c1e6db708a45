using StxmPhase.Correlation;
using StxmPhase.Spectra;
using StxmPhase.Synthetic;

namespace StxmPhase.Tests;

/// <summary>
/// The noise model counts its nuisance terms in one place, <see cref="NoiseModelClassifier.DegreesOfFreedom"/>: the classifier
/// refuses exactly the stacks it says have ν &lt; 1 and reports that ν on the others, and the workflow's fail-fast energy check
/// refuses the same stacks with the number of energies E − ν + 1 they need (single stacks, background components, fused
/// edge blocks, block-offset models, a zero energy weight).
/// </summary>
public class NoiseModelDegreesOfFreedomTests
{
    private static readonly double[] s_energies = [505, 515.5, 516.5, 517.3, 518.2, 519.2, 529.4, 530.3, 531.3];

    public static TheoryData<string> Configurations =>
        ["single", "single linear", "single linear + carbon", "fused", "fused linear", "fused carbon", "fused shared", "fused field baseline",
            "first energy weight 0"];

    [Theory]
    [MemberData(nameof(Configurations))]
    public void DegreesOfFreedom_AgreeWithClassifyAndTheWorkflowCheck(string configuration)
    {
        int minimum = 0;
        for (int e = configuration.StartsWith("fused", StringComparison.Ordinal) ? 5 : 3; e <= s_energies.Length; e++)
        {
            SyntheticDataset d = SyntheticStackGenerator.Generate(new SyntheticStackOptions
            {
                Width = 16, Height = 16, Seed = 3, Energies = new EnergyAxis(s_energies.AsSpan(0, e)),
            });
            (PhaseMappingOptions options, SpectralBlocks? blocks) = Configure(configuration, e, d.References.Energies);
            NoiseModelOptions noise = (options.NoiseModel ?? new NoiseModelOptions()).WithBlocks(blocks);
            SpectralBackground? background = options.Background?.OnAxis(d.OpticalDensity.Energies);
            var classifier = new NoiseModelClassifier(noise) { Background = background };
            int dof = classifier.DegreesOfFreedom(e, sampleFreeField: true);
            int conservative = classifier.DegreesOfFreedom(e);
            Assert.True(conservative <= dof);
            ReferenceSpectra refs = d.References.ResampleTo(d.OpticalDensity.Energies);
            if (dof >= 1)
            {
                PhasePosteriors post = classifier.Classify(d.OpticalDensity, refs, d.ParticleMask, d.ParticleMask.Not());
                Assert.Equal(dof, post.DegreesOfFreedom);
            }
            else
            {
                Assert.Throws<ArgumentException>(() => classifier.Classify(d.OpticalDensity, refs, d.ParticleMask, d.ParticleMask.Not()));
            }

            var workflow = new PhaseMappingWorkflow { EncoderTrainer = new PcaEncoderTrainer(), Options = options };
            var input = new PhaseMappingInput(d.OpticalDensity, "s") { Blocks = blocks };
            if (conservative < 1)
            {
                var ex = Assert.Throws<InvalidStackContentException>(() => workflow.Run(input, d.References));
                Assert.Contains($"need at least {e - conservative + 1} energies", ex.Message, StringComparison.Ordinal);
            }
            else if (minimum == 0)
            {
                minimum = e; // the fewest energies the check lets through: the workflow maps them
                using PhaseMappingRun run = workflow.Run(input, d.References);
                PhaseMappingResult r = run.Results[0];
                bool field = r.ParticleMask is { } particles && particles.Mask.Not().Count >= 16; // the workflow's sample-free field
                Assert.Equal(classifier.DegreesOfFreedom(e, field), r.Posteriors!.DegreesOfFreedom);
            }
        }

        Assert.True(minimum > 0, "no energy count passed");
    }

    [Fact]
    public void DegreesOfFreedom_CountsTheTermsOfEachConfiguration()
    {
        // E = 9: a·r (1) and the offsets, slopes and background amounts each take one degree of freedom.
        var axis = new EnergyAxis(s_energies);
        var blocks = new SpectralBlocks(["V L", "O K"], [6, 3]);
        var carbon = new SpectralBackground(linear: true, Carbon(axis));
        Assert.Equal(7, new NoiseModelClassifier().DegreesOfFreedom(9));
        Assert.Equal(6, new NoiseModelClassifier { Background = new SpectralBackground(linear: true) }.DegreesOfFreedom(9));
        Assert.Equal(5, new NoiseModelClassifier { Background = carbon }.DegreesOfFreedom(9));
        Assert.Equal(6, new NoiseModelClassifier(new NoiseModelOptions().WithBlocks(blocks)).DegreesOfFreedom(9));
        Assert.Equal(3, new NoiseModelClassifier(new NoiseModelOptions().WithBlocks(blocks)) { Background = carbon }.DegreesOfFreedom(9));
        var shared = new NoiseModelOptions { BlockOffset = BlockOffsetModel.Shared }.WithBlocks(blocks);
        Assert.Equal(7, new NoiseModelClassifier(shared).DegreesOfFreedom(9));
        var field = new NoiseModelOptions { BlockOffset = BlockOffsetModel.FieldBaseline }.WithBlocks(blocks);
        Assert.Equal(6, new NoiseModelClassifier(field).DegreesOfFreedom(9));
        Assert.Equal(7, new NoiseModelClassifier(field).DegreesOfFreedom(9, sampleFreeField: true));
        var dropEdge = new NoiseModelOptions().WithBlocks(new SpectralBlocks(["V L", "O K"], [6, 3], [1.0, 0.0]));
        Assert.Equal(4, new NoiseModelClassifier(dropEdge).DegreesOfFreedom(9)); // 6 weighted energies, one offset
        Assert.Throws<ArgumentException>(() => new NoiseModelClassifier(new NoiseModelOptions().WithBlocks(blocks)).DegreesOfFreedom(8));
    }

    [Fact]
    public void BlockDegreesOfFreedom_CountWhatEachEdgeKeepsAfterItsOwnTerms()
    {
        // Per block: weighted energies − its offset − its slope (linear, ≥ 2 weighted energies); background spectra are shared.
        var axis = new EnergyAxis(s_energies);
        var linear = new SpectralBackground(linear: true);
        NoiseModelClassifier Of(int[] sizes, SpectralBackground? background, double[]? weights = null, BlockOffsetModel model = default) =>
            new(new NoiseModelOptions { BlockOffset = model }.WithBlocks(new SpectralBlocks(["V L", "O K"], sizes, weights)))
            {
                Background = background,
            };

        Assert.Equal([8], new NoiseModelClassifier().BlockDegreesOfFreedom(9));
        Assert.Equal([7], new NoiseModelClassifier { Background = linear }.BlockDegreesOfFreedom(9));
        Assert.Equal([5, 2], Of([6, 3], null).BlockDegreesOfFreedom(9));
        Assert.Equal([4, 1], Of([6, 3], linear).BlockDegreesOfFreedom(9));
        Assert.Equal([6, 1], Of([7, 2], null).BlockDegreesOfFreedom(9));
        Assert.Equal([5, 0], Of([7, 2], linear).BlockDegreesOfFreedom(9)); // the reported case: 2 energies, offset and slope
        var oneEnergy = new NoiseModelClassifier(new NoiseModelOptions().WithOffsetBlocks([8, 1])) { Background = linear };
        Assert.Equal([6, 0], oneEnergy.BlockDegreesOfFreedom(9)); // 1 energy: no slope, its offset takes it
        Assert.Equal([6, 1], Of([7, 2], null, model: BlockOffsetModel.Shared).BlockDegreesOfFreedom(9)); // the correlation centres each
        Assert.Equal([4, 0], Of([6, 3], linear, [1.0, 0.0]).BlockDegreesOfFreedom(9)); // weight 0: nothing counted
        var carbon = new SpectralBackground(linear: true, Carbon(axis));
        NoiseModelClassifier both = Of([6, 3], carbon);
        Assert.Equal(both.DegreesOfFreedom(9), both.BlockDegreesOfFreedom(9).Sum() - 1 - 1); // ν = Σ − a − one carbon amount
    }

    private static (PhaseMappingOptions Options, SpectralBlocks? Blocks) Configure(string configuration, int energies, EnergyAxis grid)
    {
        SpectralBlocks? fused = configuration.StartsWith("fused", StringComparison.Ordinal) ? new(["V L", "O K"], [energies - 3, 3]) : null;
        return configuration switch
        {
            "single" => (new PhaseMappingOptions(), null),
            "single linear" => (new PhaseMappingOptions { Background = new SpectralBackground(linear: true) }, null),
            "single linear + carbon" => (new PhaseMappingOptions { Background = new SpectralBackground(linear: true, Carbon(grid)) }, null),
            "fused" => (new PhaseMappingOptions(), fused),
            "fused linear" => (new PhaseMappingOptions { Background = new SpectralBackground(linear: true) }, fused),
            "fused carbon" => (new PhaseMappingOptions { Background = new SpectralBackground(linear: false, Carbon(grid)) }, fused),
            "fused shared" => (new PhaseMappingOptions { NoiseModel = new NoiseModelOptions { BlockOffset = BlockOffsetModel.Shared } }, fused),
            "fused field baseline" =>
                (new PhaseMappingOptions { NoiseModel = new NoiseModelOptions { BlockOffset = BlockOffsetModel.FieldBaseline } }, fused),
            "first energy weight 0" => (new PhaseMappingOptions
            {
                NoiseModel = new NoiseModelOptions { EnergyWeights = [0.0, .. Enumerable.Repeat(1.0, energies - 1)] },
            }, null),
            _ => throw new ArgumentOutOfRangeException(nameof(configuration), configuration, null),
        };
    }

    private static ReferenceSpectra Carbon(EnergyAxis grid) =>
        new(grid, ["carbon"], [.. grid.AsSpan().ToArray().Select(NaVanadiumFluorophosphateReferences.CarbonLayerAbsorption)]);
}
