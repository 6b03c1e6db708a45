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

        Assert.Equal(10, field.Edges[0].OpticalDensity.EnergyCount);
        Assert.Equal(3, field.Edges[1].OpticalDensity.EnergyCount);
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
        Assert.Equal([10, 3], fused.Blocks.Counts);
        Assert.True(fused.Blocks.Weights[0] > fused.Blocks.Weights[1], "the noisier, shorter O K block weighs less");
        Assert.Equal(0, fused.UncoveredPixelCounts[0]);
        Assert.True(fused.UncoveredPixelCounts[1] > 0);
        Assert.All(fused.Stack.Data[..(10 * fused.Stack.PixelCount)].ToArray(), v => Assert.True(float.IsFinite(v)));
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
        // Issue 17's configuration on a small field (per-edge calibration offsets off: see docs/accuracy.md for both).
        var options = new MultiEdgeOptions { Edges = MultiEdgeGenerator.IssueEdges(64, 2, 1500, calibrationOffsets: false) };

        MultiEdgeEvaluationResult r = MultiEdgeEvaluation.Evaluate(options,
            () => new PhaseMappingWorkflow { EncoderTrainer = new PcaEncoderTrainer(), Options = new PhaseMappingOptions { Seed = 2 } });

        Console.WriteLine(r.ToMarkdown());
        Assert.True(r.RegistrationErrors[1] < 0.2, $"registration error {r.RegistrationErrors[1]:F3} px");
        MultiEdgeEvaluationRow vl = r.Rows[0], ok = r.Rows[1], fused = r.Rows[3];
        Assert.True(ok.FinalAccuracy < vl.FinalAccuracy);
        Assert.True(fused.FinalAccuracy >= vl.FinalAccuracy - 0.005, $"fused {fused.FinalAccuracy:P1} vs V L {vl.FinalAccuracy:P1}");
        Assert.Contains("Weighted fusion − best single edge", MultiEdgeEvaluationResult.Summarize([r, r]), StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_InformativeOxygenEdge_WeightedFusionBeatsTheBestSingleEdge()
    {
        // O K at 50× issue 17's dose (as much O K signal as its 41.7 % implies), V L at dose 300.
        var options = new MultiEdgeOptions { Edges = MultiEdgeGenerator.IssueEdges(64, 2, 300, calibrationOffsets: false, oxygenDose: 20000) };

        MultiEdgeEvaluationResult r = MultiEdgeEvaluation.Evaluate(options,
            () => new PhaseMappingWorkflow { EncoderTrainer = new PcaEncoderTrainer(), Options = new PhaseMappingOptions { Seed = 2 } });

        double best = Math.Max(r.Rows[0].PccAccuracy, r.Rows[1].PccAccuracy);
        Assert.True(r.Rows[3].PccAccuracy > best + 0.01, $"fused PCC {r.Rows[3].PccAccuracy:P1} vs best single edge {best:P1}");
        double bestFinal = Math.Max(r.Rows[0].FinalAccuracy, r.Rows[1].FinalAccuracy);
        Assert.True(r.Rows[3].FinalAccuracy >= bestFinal - 0.005, $"fused final {r.Rows[3].FinalAccuracy:P1} vs {bestFinal:P1}");
    }

    [Fact]
    public void Generate_IssueEdges_EachEdgeHasItsOwnFilmCalibrationOffsetAndDose()
    {
        MultiEdgeDataset field = MultiEdgeGenerator.Generate(new MultiEdgeOptions
        {
            Edges = MultiEdgeGenerator.IssueEdges(48, 4, 1500, calibrationOffsets: true), Offsets = [default, default],
        });

        SyntheticDataset vl = field.Edges[0], ok = field.Edges[1];
        Assert.Equal((1500, 0.05, 0.10), (vl.Options.Dose, vl.Options.SupportFilmOd, vl.Options.EnergyOffsetEv));
        Assert.Equal((400, 0.08, -0.25), (ok.Options.Dose, ok.Options.SupportFilmOd, ok.Options.EnergyOffsetEv));
        // Off the particles the O K stack reads its own film: 0.08 · c(E) (mean over the sample-free pixels, ± noise).
        for (int e = 0; e < ok.OpticalDensity.EnergyCount; e++)
        {
            float[] plane = ok.OpticalDensity.Plane(e).ToArray();
            double mean = Enumerable.Range(0, plane.Length).Where(p => !ok.ParticleMask[p]).Average(p => (double)plane[p]);
            double film = 0.08 * NaVanadiumFluorophosphateReferences.SupportFilmAbsorption(ok.OpticalDensity.Energies[e]);
            Assert.InRange(mean, film - 0.01, film + 0.01);
        }

        // Noise of the O K stack (dose 400) is about √(1500/400) ≈ 1.9 times the V L stack's at the pre-edge film.
        double Sd(SyntheticDataset d) => Math.Sqrt(Enumerable.Range(0, d.OpticalDensity.PixelCount).Where(p => !d.ParticleMask[p])
            .Select(p => (double)d.OpticalDensity.Plane(0)[p]).Aggregate((0.0, 0.0, 0), (a, v) => (a.Item1 + v, a.Item2 + (v * v), a.Item3 + 1),
                a => (a.Item2 / a.Item3) - (a.Item1 / a.Item3 * (a.Item1 / a.Item3))));
        Assert.InRange(Sd(ok) / Sd(vl), 1.6, 2.3);
    }

    [Fact]
    public void OxygenPreEdgeShift_Negative_MovesTheOxidisedPhasesPreEdgeToLowerEnergy()
    {
        SyntheticDataset data = SyntheticStackGenerator.Generate(new SyntheticStackOptions
        {
            Width = 8, Height = 8, OxygenPreEdgeShiftEv = MultiEdgeGenerator.OxygenPreEdgeShiftEv,
        });
        SyntheticDataset plain = SyntheticStackGenerator.Generate(new SyntheticStackOptions { Width = 8, Height = 8 });

        double Peak(ReferenceSpectra r, int phase)
        {
            var (best, at) = (double.MinValue, 0.0);
            for (int e = 0; e < r.Energies.Count; e++)
            {
                double v = r.Spectrum(phase)[e];
                if (r.Energies[e] is >= 527.5 and <= 530.2 && v > best)
                {
                    (best, at) = (v, r.Energies[e]);
                }
            }

            return at;
        }

        Assert.True(Peak(data.References, 4) < Peak(data.References, 0) - 0.5, "t2g of Na1-y below Na3.0's");
        Assert.True(Peak(plain.References, 4) > Peak(plain.References, 0), "the single-stack model moves it up");
        Assert.Equal(NaVanadiumFluorophosphateReferences.HighResolution().Values.ToArray(), plain.References.Values.ToArray());
    }

    [Fact]
    public void Generate_MultiEdgeWithDifferentOxygenShifts_ThrowsBecauseTheEdgesShowOneSample()
    {
        IReadOnlyList<SyntheticStackOptions> edges = MultiEdgeGenerator.IssueEdges(32, 1, 1500, calibrationOffsets: false);

        var ex = Assert.Throws<ArgumentException>(() => MultiEdgeGenerator.Generate(new MultiEdgeOptions
        {
            Edges = [edges[0], new() { Width = 32, Height = 32, Seed = 1, Energies = MultiEdgeGenerator.OxygenKEnergies }],
        }));

        Assert.Contains("one sample", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Workflow_FusedStackWithPerEnergyNoiseWeights_CalibratesEachEdgeOnItsOwnWeights()
    {
        // A caller's EnergyWeights for the fused axis reached each edge's calibration uncut ("has 13 values but the stack has
        // 10 energies") once the V L offset was tested on the noise model; all 1 they are the default fit, so the run must
        // equal the one without them. V L read 0.4 eV low: its offset is estimated, tested and applied.
        (MultiEdgeDataset field, FusedEdgeStack fused) = VanadiumOffsetField.Generate();
        var input = new PhaseMappingInput(fused.Stack) { Blocks = fused.Blocks };
        PhaseMappingRun Run(NoiseModelOptions? noise) => new PhaseMappingWorkflow
        {
            EncoderTrainer = new PcaEncoderTrainer(), Options = new PhaseMappingOptions { Seed = 6, NoiseModel = noise },
        }.Run(input, field.Edges[0].References);

        using PhaseMappingRun plain = Run(null);
        using PhaseMappingRun ones = Run(new NoiseModelOptions { EnergyWeights = [.. Enumerable.Repeat(1.0, fused.Stack.EnergyCount)] });

        Assert.InRange(ones.EnergyCalibration!.BlockOffsetsEv![0], 0.3, 0.5);
        Assert.Equal(plain.EnergyCalibration!.BlockOffsetsEv, ones.EnergyCalibration.BlockOffsetsEv);
        Assert.Equal(plain.Results[0].FinalMap.Labels.ToArray(), ones.Results[0].FinalMap.Labels.ToArray());
    }
}
