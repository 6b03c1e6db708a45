using StxmPhase.Correlation;
using StxmPhase.Spectra;
using StxmPhase.Synthetic;

namespace StxmPhase.Tests;

public class FusionTests
{
    [Fact]
    public void Generate_MultiEdge_SeparateStacksShareTheSceneWithAPlantedOffset()
    {
        MultiEdgeDataset field = MultiEdgeGenerator.Generate(new MultiEdgeOptions());

        Assert.Equal(9, field.Edges[0].OpticalDensity.EnergyCount);
        Assert.Equal(4, field.Edges[1].OpticalDensity.EnergyCount);
        Assert.Equal(field.Edges[0].Truth.Labels.ToArray(), field.Edges[1].Truth.Labels.ToArray());
        Assert.Equal(field.Edges[0].ParticleCount, field.Edges[1].ParticleCount);
        Assert.Equal(new PixelShift(3.3, -1.6), field.Offsets[1]);
        Assert.Equal(400, field.Edges[1].Options.Dose);
    }

    [Fact]
    public void Generate_MultiEdgeWithDifferentSeeds_ThrowsNamingTheEdge()
    {
        var ex = Assert.Throws<ArgumentException>(() => MultiEdgeGenerator.Generate(new MultiEdgeOptions
        {
            Edges = [new() { Width = 32, Height = 32, Seed = 1 }, new() { Width = 32, Height = 32, Seed = 2 }],
            Offsets = [default, default],
        }));

        Assert.Contains("Edges[1]", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(3.3, -1.6)]
    [InlineData(-2.45, 0.7)]
    public void Fuse_SyntheticField_RegistersWithinATenthOfAPixel(double dx, double dy)
    {
        MultiEdgeDataset field = MultiEdgeGenerator.Generate(new MultiEdgeOptions { Offsets = [default, new(dx, dy)] });

        FusedEdgeStack fused = EdgeFusion.Fuse([field.Edges[0].OpticalDensity, field.Edges[1].OpticalDensity], ["V L", "O K"]);

        Assert.InRange(fused.Shifts[1].X, dx - 0.1, dx + 0.1);
        Assert.InRange(fused.Shifts[1].Y, dy - 0.1, dy + 0.1);
        Assert.Equal(13, fused.Stack.EnergyCount);
        Assert.Equal([9, 4], fused.Blocks.Counts);
        Assert.True(fused.Blocks.Weights[0] > fused.Blocks.Weights[1], "the noisier, shorter O K block weighs less");
        Assert.Equal(0, fused.UncoveredPixelCounts[0]);
        Assert.True(fused.UncoveredPixelCounts[1] > 0);
        Assert.All(fused.Stack.Data[..(9 * fused.Stack.PixelCount)].ToArray(), v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void Fuse_OverlappingEnergies_ThrowsIncompatibleEnergies()
    {
        MultiEdgeDataset field = MultiEdgeGenerator.Generate(new MultiEdgeOptions());

        var ex = Assert.Throws<IncompatibleEnergiesException>(
            () => EdgeFusion.Fuse([field.Edges[1].OpticalDensity, field.Edges[0].OpticalDensity], ["O K", "V L"]));

        Assert.Contains("V L", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SpectralBlocks_NegativeWeight_ThrowsNamingTheBlock()
    {
        var ex = Assert.Throws<ArgumentException>(() => new SpectralBlocks(["V L", "O K"], [9, 4], [1.0, -0.5]));

        Assert.Contains("1 (O K)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BlockPearson_AllWeightOnOneBlock_EqualsPearsonOnThatBlockAlone()
    {
        SyntheticDataset data = SyntheticStackGenerator.Generate(new SyntheticStackOptions { Width = 32, Height = 32, Dose = 800, Seed = 3 });
        var blocks = new SpectralBlocks(["a", "b"], [8, 5], [0.0, 1.0]);
        int n = data.OpticalDensity.PixelCount;
        var tail = new SpectralStack(blocks.BlockEnergies(data.OpticalDensity.Energies, 1), 32, 32,
            data.OpticalDensity.Data.Slice(8 * n, 5 * n).ToArray(), SpectralQuantity.OpticalDensity);

        CorrelationResult fused = new BlockPearsonCorrelator(blocks).Correlate(data.OpticalDensity, data.ReferencesOnStack);
        CorrelationResult alone = new PearsonPhaseCorrelator().Correlate(tail, data.ReferencesOnStack.ResampleTo(tail.Energies));

        Assert.Equal(alone.PhaseMap.Labels.ToArray(), fused.PhaseMap.Labels.ToArray());
        for (int i = 0; i < alone.Correlations.Length; i++)
        {
            Assert.Equal(alone.Correlations[i], fused.Correlations[i], 5);
        }
    }

    [Fact]
    public void BlockPearson_EdgeOffsetAndScaleDifferPerBlock_StillMatchesTheReference()
    {
        // One pixel: reference 2 in both blocks, but block b is scaled by 5 and lifted by 3 (another edge's jump and film).
        ReferenceSpectra refs = NaVanadiumFluorophosphateReferences.Evaluate(NaVanadiumFluorophosphateReferences.DefaultEnergies);
        float[] x = new float[13];
        for (int e = 0; e < 13; e++)
        {
            x[e] = (float)(e < 9 ? refs.Spectrum(2)[e] : (5 * refs.Spectrum(2)[e]) + 3);
        }

        var stack = new SpectralStack(refs.Energies, 1, 1, x, SpectralQuantity.OpticalDensity);
        CorrelationResult r = new BlockPearsonCorrelator(new SpectralBlocks(["a", "b"], [9, 4])).Correlate(stack, refs);

        Assert.Equal(2, r.PhaseMap.Labels[0]);
        Assert.Equal(1.0, r.BestCoefficients[0], 5);
    }

    [Fact]
    public void NoiseModel_OffsetBlocks_FitAPerEdgeBackgroundExactly()
    {
        ReferenceSpectra refs = NaVanadiumFluorophosphateReferences.Evaluate(NaVanadiumFluorophosphateReferences.DefaultEnergies);
        float[] x = new float[13];
        for (int e = 0; e < 13; e++)
        {
            x[e] = (float)((0.8 * refs.Spectrum(1)[e]) + (e < 9 ? 0.05 : 0.4));
        }

        var stack = new SpectralStack(refs.Energies, 1, 1, x, SpectralQuantity.OpticalDensity);
        var options = new NoiseModelOptions { CalibrateScale = false, NoMatchQuantile = null, EstimatePrior = false };

        PhasePosteriors one = new NoiseModelClassifier(options).Classify(stack, refs);
        PhasePosteriors two = new NoiseModelClassifier(options.WithOffsetBlocks([9, 4])).Classify(stack, refs);

        // χ² of the true phase: exact with one offset per edge, a misfit with one offset for both (the 0.35 step between edges).
        Assert.True(two.ChiSquare[0] < 1e-9, $"chi2 with blocks {two.ChiSquare[0]}");
        Assert.True(one.ChiSquare[0] > 1e-4, $"chi2 with one offset {one.ChiSquare[0]}");
        Assert.Equal(one.DegreesOfFreedom - 1, two.DegreesOfFreedom);
    }

    [Fact]
    public void Evaluate_MultiEdgeField_FusionIsAtLeastAsGoodAsTheVanadiumEdgeAlone()
    {
        var options = new MultiEdgeOptions
        {
            Edges =
            [
                new() { Width = 64, Height = 64, Seed = 2, Energies = MultiEdgeGenerator.VanadiumLEnergies, Dose = 1500 },
                new() { Width = 64, Height = 64, Seed = 2, Energies = MultiEdgeGenerator.OxygenKEnergies, Dose = 400 },
            ],
        };

        MultiEdgeEvaluationResult r = MultiEdgeEvaluation.Evaluate(options,
            () => new PhaseMappingWorkflow { EncoderTrainer = new PcaEncoderTrainer(), Options = new PhaseMappingOptions { Seed = 2 } });

        Console.WriteLine(r.ToMarkdown());
        Assert.True(r.RegistrationErrors[1] < 0.2, $"registration error {r.RegistrationErrors[1]:F3} px");
        MultiEdgeEvaluationRow vl = r.Rows[0], ok = r.Rows[1], fused = r.Rows[3];
        Assert.True(ok.FinalAccuracy < vl.FinalAccuracy);
        Assert.True(fused.FinalAccuracy >= vl.FinalAccuracy - 0.005, $"fused {fused.FinalAccuracy:P1} vs V L {vl.FinalAccuracy:P1}");
    }
}
