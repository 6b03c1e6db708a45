using StxmPhase.Correlation;
using StxmPhase.Spectra;
using StxmPhase.Synthetic;

namespace StxmPhase.Tests;

/// <summary>Unusual edge stacks through the library: refused before any work with the edge named, or handled.</summary>
public class FusionInputTests
{
    /// <summary>A 24² V L + O K field (O K registered by (1, 0) px).</summary>
    private static MultiEdgeDataset Field() => MultiEdgeGenerator.Generate(new MultiEdgeOptions
    {
        Edges =
        [
            new() { Width = 24, Height = 24, Seed = 2, Energies = MultiEdgeGenerator.VanadiumLEnergies, Dose = 1500 },
            new() { Width = 24, Height = 24, Seed = 2, Energies = MultiEdgeGenerator.OxygenKEnergies, Dose = 400 },
        ],
        Offsets = [default, new(1, 0)],
    });

    /// <summary>The first <paramref name="count"/> energies of <paramref name="stack"/>.</summary>
    private static SpectralStack First(SpectralStack stack, int count) => new(
        new EnergyAxis(stack.Energies.AsSpan()[..count]), stack.Width, stack.Height, stack.Data[..(count * stack.PixelCount)].ToArray(),
        SpectralQuantity.OpticalDensity, stack.Metadata);

    private static PhaseMappingRun Run(FusedEdgeStack fused, ReferenceSpectra references, PhaseMappingOptions options) =>
        new PhaseMappingWorkflow { EncoderTrainer = new PcaEncoderTrainer(), Options = options }
            .Run(new PhaseMappingInput(fused.Stack, "field") { Blocks = fused.Blocks }, references);

    [Fact]
    public void Run_TwoEnergyEdgeWithLinearBackground_ThrowsBeforeAnyWorkNamingTheBlock()
    {
        // The reported crash: the edge's own offset and slope leave a 2-energy edge nothing (the correlation threw ArgumentException).
        MultiEdgeDataset field = Field();
        FusedEdgeStack fused = EdgeFusion.Fuse([field.Edges[0].OpticalDensity, First(field.Edges[1].OpticalDensity, 2)], ["V L", "O K"]);
        var progress = new List<WorkflowProgress>();
        var options = new PhaseMappingOptions { Seed = 1, Background = new SpectralBackground(linear: true) };

        var ex = Assert.Throws<InvalidStackContentException>(() => new PhaseMappingWorkflow
        {
            EncoderTrainer = new PcaEncoderTrainer(),
            Options = options,
        }.Run(new PhaseMappingInput(fused.Stack, "field") { Blocks = fused.Blocks }, field.Edges[0].References, new Progress(progress)));

        Assert.Equal("blocks[1]", ex.Field);
        Assert.Contains("Edge block 1 'O K' has 2 energies (529.4, 531.3 eV)", ex.Message, StringComparison.Ordinal);
        Assert.Contains("needs at least 3 energies", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(progress, p => p.Stage == WorkflowStage.Correlation);

        // Without the posteriors (the paper's configuration) the block correlation needs the same energies.
        Assert.Throws<InvalidStackContentException>(
            () => Run(fused, field.Edges[0].References, PhaseMappingOptions.Paper with { Background = options.Background }).Dispose());
    }

    [Fact]
    public void Run_TwoEnergyEdgeWithoutBackground_MapsTheFusedField()
    {
        MultiEdgeDataset field = Field();
        FusedEdgeStack fused = EdgeFusion.Fuse([field.Edges[0].OpticalDensity, First(field.Edges[1].OpticalDensity, 2)], ["V L", "O K"]);

        using PhaseMappingRun run = Run(fused, field.Edges[0].References, new PhaseMappingOptions { Seed = 1 });

        double accuracy = PhaseMappingEvaluation.Compare(run.Results[0].FinalMap, field.Edges[0].Truth).Accuracy;
        Assert.InRange(accuracy, 0.6, 1.0);
    }

    [Fact]
    public void Fuse_OneEnergyEdge_ThrowsNamingTheEdgeAndItsFile()
    {
        MultiEdgeDataset field = Field();
        SpectralStack ok = First(field.Edges[1].OpticalDensity, 1);
        ok = new SpectralStack(ok.Energies, 24, 24, ok.Data.ToArray(), SpectralQuantity.OpticalDensity, new StackMetadata { SourceFile = "ok.hdf5" });

        var ex = Assert.Throws<InvalidStackContentException>(() => EdgeFusion.Fuse([field.Edges[0].OpticalDensity, ok], ["V L", "O K"]));

        Assert.Equal("ok.hdf5", ex.FileName);
        Assert.Contains("Edge stack 1 (O K) has 1 energy (529.4 eV); an edge block needs at least 2", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BlockPearson_BlockOfWeightZeroWithNothingLeft_IsNotCorrelatedAndTheOtherBlockDecides()
    {
        // A 2-energy edge of weight 0 after its offset and slope are projected out: every reference is 0 there.
        MultiEdgeDataset field = Field();
        FusedEdgeStack fused = EdgeFusion.Fuse([field.Edges[0].OpticalDensity, First(field.Edges[1].OpticalDensity, 2)], ["V L", "O K"],
            new EdgeFusionOptions { BlockWeights = [1.0, 0.0] });
        var linear = new SpectralBackground(linear: true);
        SpectralStack vl = field.Edges[0].OpticalDensity;
        ReferenceSpectra refs = field.Edges[0].References.ResampleTo(fused.Stack.Energies);

        CorrelationResult both = new BlockPearsonCorrelator(fused.Blocks)
            .Correlate(linear.ProjectOut(fused.Stack, fused.Blocks), linear.ProjectOut(refs, fused.Blocks));
        CorrelationResult alone = new PearsonPhaseCorrelator()
            .Correlate(linear.ProjectOut(vl), linear.ProjectOut(field.Edges[0].References.ResampleTo(vl.Energies)));

        Assert.Equal(alone.PhaseMap.Labels.ToArray(), both.PhaseMap.Labels.ToArray());
        for (int i = 0; i < alone.Correlations.Length; i++)
        {
            Assert.Equal(alone.Correlations[i], both.Correlations[i], 5);
        }
    }

    [Fact]
    public void Fuse_ConstantEdge_ThrowsNamingTheEdgeAndItsFile()
    {
        MultiEdgeDataset field = Field();
        SpectralStack ok = field.Edges[1].OpticalDensity;
        var blank = new SpectralStack(ok.Energies, 24, 24, new float[3 * 576], SpectralQuantity.OpticalDensity,
            new StackMetadata { SourceFile = "blank.hdf5" });

        var ex = Assert.Throws<InvalidStackContentException>(() => EdgeFusion.Fuse([field.Edges[0].OpticalDensity, blank], ["V L", "O K"]));

        Assert.Equal("blank.hdf5", ex.FileName);
        Assert.Contains("Edge stack 1 (O K) has the same energy-integrated optical density at every pixel (0;", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Fuse_DifferentPixelSizes_ThrowsNamingBothSizes()
    {
        MultiEdgeDataset field = Field();
        SpectralStack vl = field.Edges[0].OpticalDensity, ok = field.Edges[1].OpticalDensity;
        SpectralStack With(SpectralStack s, double nm, string file) => new(s.Energies, s.Width, s.Height, s.Data.ToArray(),
            SpectralQuantity.OpticalDensity, new StackMetadata { SourceFile = file, PixelSizeXNm = nm, PixelSizeYNm = nm });

        var ex = Assert.Throws<IncompatibleInputException>(() => EdgeFusion.Fuse([With(vl, 50, "vl.hdf5"), With(ok, 100, "ok.hdf5")]));

        Assert.Equal("ok.hdf5", ex.FileName);
        Assert.Equal("pixel_size_x", ex.Field);
        Assert.Contains("x pixel size 100 nm but the first stack has 50 nm", ex.Message, StringComparison.Ordinal);
        _ = EdgeFusion.Fuse([With(vl, 50, "vl.hdf5"), With(ok, 50.2, "ok.hdf5")]); // within 1 %: the same scan pixel size
    }

    [Fact]
    public void Fuse_RegistrationCorrelation_HighForTheSameFieldLowForATinyOverlap()
    {
        MultiEdgeDataset field = Field();
        SpectralStack vl = field.Edges[0].OpticalDensity, ok = field.Edges[1].OpticalDensity;
        int n = ok.PixelCount;
        float[] far = new float[3 * n];
        for (int e = 0; e < 3; e++)
        {
            for (int p = 0; p < n; p++)
            {
                far[(e * n) + p] = p % 24 < 21 ? 0f : ok.Data.Span[(e * n) + p - 21]; // the field moved 21 of 24 px
            }
        }

        FusedEdgeStack same = EdgeFusion.Fuse([vl, ok]);
        FusedEdgeStack moved = EdgeFusion.Fuse([vl, new SpectralStack(ok.Energies, 24, 24, far, SpectralQuantity.OpticalDensity)]);

        Assert.Equal(1.0, same.RegistrationCorrelations[0]);
        Assert.InRange(same.RegistrationCorrelations[1], 0.9, 1.0);
        Assert.True(moved.RegistrationCorrelations[1] < 0.3 || moved.UncoveredPixelCounts[1] > n / 2,
            $"r = {moved.RegistrationCorrelations[1]}, uncovered {moved.UncoveredPixelCounts[1]} of {n}");
    }

    private sealed class Progress(List<WorkflowProgress> seen) : IProgress<WorkflowProgress>
    {
        public void Report(WorkflowProgress value) => seen.Add(value);
    }
}
