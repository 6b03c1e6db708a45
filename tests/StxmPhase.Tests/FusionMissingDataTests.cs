using StxmPhase.Correlation;
using StxmPhase.Spectra;
using StxmPhase.Synthetic;

namespace StxmPhase.Tests;

/// <summary>Pixels an edge stack did not cover (its block is NaN there): missing data, not invented data (issue 17).</summary>
public class FusionMissingDataTests
{
    private static readonly ReferenceSpectra s_refs =
        NaVanadiumFluorophosphateReferences.Evaluate(NaVanadiumFluorophosphateReferences.DefaultEnergies);

    [Fact]
    public void Fuse_ShiftedEdge_UncoveredStripIsNaNInItsBlockOnly()
    {
        MultiEdgeDataset field = MultiEdgeGenerator.Generate(new MultiEdgeOptions { Offsets = [default, new(3.3, -1.6)] });

        FusedEdgeStack fused = EdgeFusion.Fuse([field.Edges[0].OpticalDensity, field.Edges[1].OpticalDensity], ["V L", "O K"]);

        int w = fused.Stack.Width, h = fused.Stack.Height, first = fused.Blocks.Counts[0], nan = 0;
        for (int y = 0; y < h; y++)
        {
            for (int x = 0; x < w; x++)
            {
                double sx = x + fused.Shifts[1].X, sy = y + fused.Shifts[1].Y;
                bool outside = sx < -0.5 || sx > w - 0.5 || sy < -0.5 || sy > h - 0.5;
                nan += outside ? 1 : 0;
                for (int e = 0; e < fused.Stack.EnergyCount; e++)
                {
                    float v = fused.Stack.Plane(e)[(y * w) + x];
                    Assert.Equal(e >= first && outside, float.IsNaN(v));
                }
            }
        }

        Assert.Equal(nan, fused.UncoveredPixelCounts[1]);
        Assert.Equal((3 * h) + (2 * w) - 6, nan); // x + 3.3 > 95.5 (3 columns), y − 1.6 < −0.5 (2 rows)
    }

    [Fact]
    public void BlockPearson_BlockMissingAtAPixel_UsesTheOtherBlockAloneWithItsWeightRenormalised()
    {
        SyntheticDataset data = SyntheticStackGenerator.Generate(new SyntheticStackOptions { Width = 32, Height = 32, Dose = 800, Seed = 3 });
        SpectralStack od = WithMissingOxygen(data.OpticalDensity, 24, both: 30);
        var blocks = new SpectralBlocks(["V L", "O K"], [9, 4], [0.7, 0.3]);
        int n = od.PixelCount;
        var vl = new SpectralStack(blocks.BlockEnergies(od.Energies, 0), 32, 32, od.Data[..(9 * n)].ToArray(), SpectralQuantity.OpticalDensity);

        CorrelationResult fused = new BlockPearsonCorrelator(blocks).Correlate(od, s_refs);
        CorrelationResult alone = new PearsonPhaseCorrelator().Correlate(vl, s_refs.ResampleTo(vl.Energies));

        for (int p = 0; p < n; p++)
        {
            int x = p % 32;
            if (x >= 30)
            {
                Assert.Equal(PixelStatus.Invalid, fused.Status[p]); // no block left
            }
            else if (x >= 24)
            {
                Assert.Equal(alone.Status[p], fused.Status[p]);
                Assert.Equal(alone.PhaseMap.Labels[p], fused.PhaseMap.Labels[p]);
                for (int k = 0; k < s_refs.PhaseCount && alone.Status[p] == PixelStatus.Valid; k++)
                {
                    Assert.Equal(alone.Correlations[(k * n) + p], fused.Correlations[(k * n) + p], 5);
                }
            }
        }

        Assert.True(Enumerable.Range(0, n).Count(p => p % 32 is >= 24 and < 30 && fused.Status[p] == PixelStatus.Valid) > 150);
    }

    [Fact]
    public void BlockPearson_WithBackground_PixelMissingABlock_IsComparedWithTheReferencesProjectedOnTheBlocksItHas()
    {
        SyntheticDataset data = SyntheticStackGenerator.Generate(new SyntheticStackOptions { Width = 32, Height = 32, Dose = 800, Seed = 3 });
        SpectralStack od = WithMissingOxygen(data.OpticalDensity, 24, both: 30);
        var blocks = new SpectralBlocks(["V L", "O K"], [9, 4], [0.7, 0.3]);
        int n = od.PixelCount;
        EnergyAxis vlAxis = blocks.BlockEnergies(od.Energies, 0);
        // One layer with structure at both edges (one amount): projecting its spectrum out over both blocks mixes them.
        double[] layer = [.. od.Energies.AsSpan().ToArray().Select(e => Math.Cos((e - 505) / 2.5))];
        var background = new SpectralBackground(false, new ReferenceSpectra(od.Energies, ["layer"], layer));
        var vlBackground = new SpectralBackground(false, new ReferenceSpectra(vlAxis, ["layer"], layer[..9]));
        var vl = new SpectralStack(vlAxis, 32, 32, od.Data[..(9 * n)].ToArray(), SpectralQuantity.OpticalDensity);
        ReferenceSpectra vlRefs = s_refs.ResampleTo(vlAxis);

        CorrelationResult fused = new BlockPearsonCorrelator(blocks) { Background = background }.Correlate(od, s_refs);
        CorrelationResult alone = new PearsonPhaseCorrelator().Correlate(vlBackground.ProjectOut(vl), vlBackground.ProjectOut(vlRefs));
        // What the strip got before: its V L spectrum against the V L part of the references projected over both edges.
        ReferenceSpectra both = background.ProjectOut(s_refs, blocks);
        var bothVl = new ReferenceSpectra(vlAxis, both.PhaseNames,
            [.. Enumerable.Range(0, both.PhaseCount).SelectMany(k => both.Spectrum(k)[..9].ToArray())]);
        CorrelationResult before = new PearsonPhaseCorrelator().Correlate(vlBackground.ProjectOut(vl), bothVl);
        CorrelationResult complete = new BlockPearsonCorrelator(blocks).Correlate(background.ProjectOut(od, blocks), both);

        double largest = 0;
        int compared = 0;
        for (int p = 0; p < n; p++)
        {
            int x = p % 32;
            for (int k = 0; k < s_refs.PhaseCount && x < 24; k++)
            {
                Assert.Equal(complete.Correlations[(k * n) + p], fused.Correlations[(k * n) + p]); // both edges: as before
            }

            if (x is < 24 or >= 30 || alone.Status[p] != PixelStatus.Valid)
            {
                continue;
            }

            compared++;
            Assert.Equal(PixelStatus.Valid, fused.Status[p]);
            Assert.Equal(alone.PhaseMap.Labels[p], fused.PhaseMap.Labels[p]);
            for (int k = 0; k < s_refs.PhaseCount; k++)
            {
                Assert.Equal(alone.Correlations[(k * n) + p], fused.Correlations[(k * n) + p], 1e-5);
                largest = Math.Max(largest, Math.Abs(before.Correlations[(k * n) + p] - alone.Correlations[(k * n) + p]));
            }
        }

        Assert.True(compared > 150, $"{compared} pixels compared");
        Assert.True(largest > 0.01, $"references projected over both edges change r by at most {largest}"); // the test can fail
    }

    [Fact]
    public void NoiseModel_BlockMissingAtAPixel_FitsTheOtherBlockAlone_ButAPartlyMissingBlockIsNotAnalysed()
    {
        // Pixel 0: the O K block missing (NaN at all 4 energies); pixel 1: one O K value missing (corrupt); pixel 2: complete.
        float[] x = new float[13 * 3];
        for (int e = 0; e < 13; e++)
        {
            for (int p = 0; p < 3; p++)
            {
                x[(e * 3) + p] = (float)((0.8 * s_refs.Spectrum(1)[e]) + (e < 9 ? 0.05 : 0.4) + (0.01 * Math.Sin((e * 7) + p)));
            }
        }

        for (int e = 9; e < 13; e++)
        {
            x[e * 3] = float.NaN;
        }

        x[(11 * 3) + 1] = float.NaN;
        var stack = new SpectralStack(s_refs.Energies, 3, 1, x, SpectralQuantity.OpticalDensity);
        var options = new NoiseModelOptions { CalibrateScale = false, NoMatchQuantile = null, EstimatePrior = false };
        float[] head = new float[9];
        for (int e = 0; e < 9; e++)
        {
            head[e] = x[e * 3];
        }

        var vlAxis = new EnergyAxis(s_refs.Energies.AsSpan()[..9].ToArray());
        PhasePosteriors fused = new NoiseModelClassifier(options.WithOffsetBlocks([9, 4])).Classify(stack, s_refs);
        PhasePosteriors alone = new NoiseModelClassifier(options).Classify(
            new SpectralStack(vlAxis, 1, 1, head, SpectralQuantity.OpticalDensity), s_refs.ResampleTo(vlAxis));

        Assert.Equal(2, fused.AnalysedCount);
        Assert.Equal(PhaseMap.Unassigned, fused.Labels[1]);
        Assert.Equal(1, fused.Labels[0]);
        Assert.Equal(1, fused.Labels[2]);
        Assert.Equal(alone.ChiSquare[0], fused.ChiSquare[0], 4);
        for (int k = 0; k < s_refs.PhaseCount; k++)
        {
            Assert.Equal(alone.Posteriors[k], fused.Posteriors[k * 3], 4);
        }
    }

    [Fact]
    public void Workflow_FusedStackWithAnUncoveredStrip_LabelsTheStripFromTheCoveredEdge()
    {
        SyntheticDataset data = SyntheticStackGenerator.Generate(new SyntheticStackOptions { Width = 64, Height = 64, Dose = 1500, Seed = 5 });
        SpectralStack od = WithMissingOxygen(data.OpticalDensity, 32, both: 64);
        var input = new PhaseMappingInput(od) { Blocks = new SpectralBlocks(["V L", "O K"], [9, 4], [0.9, 0.1]) };

        using PhaseMappingRun run = new PhaseMappingWorkflow
        {
            EncoderTrainer = new PcaEncoderTrainer(), Options = new PhaseMappingOptions { Seed = 5 },
        }.Run(input, data.References);

        PhaseMap final = run.Results[0].FinalMap;
        bool[] strip = [.. Enumerable.Range(0, 64 * 64).Select(p => p % 64 >= 32)];
        var metrics = PhaseMappingEvaluation.Compare(final, data.Truth, PixelMask.FromArray(64, 64, strip));
        int particle = Enumerable.Range(0, 64 * 64).Count(p => strip[p] && data.Truth.Labels[p] >= 0);
        Assert.True(particle > 100, $"{particle} truth particle pixels in the strip");
        Assert.True(metrics.Accuracy > 0.8, $"strip accuracy {metrics.Accuracy:P1}");
    }

    [Fact]
    public void Workflow_FusedEdgesWithTheirOwnCalibrationErrors_CalibratesEachEdgeBlockOnItsOwn()
    {
        // V L read 0.4 eV low, O K exact: one offset over the fused axis cannot fit both edges.
        (MultiEdgeDataset field, FusedEdgeStack fused) = VanadiumOffsetField.Generate();

        using PhaseMappingRun run = new PhaseMappingWorkflow
        {
            EncoderTrainer = new PcaEncoderTrainer(), Options = new PhaseMappingOptions { Seed = 6 },
        }.Run(new PhaseMappingInput(fused.Stack) { Blocks = fused.Blocks }, field.Edges[0].References);

        IReadOnlyList<double> offsets = run.EnergyCalibration!.BlockOffsetsEv!;
        Assert.InRange(offsets[0], 0.3, 0.5);
        Assert.Equal(0, offsets[1]); // 3 energies: too few to estimate
        // The O K block's references are read at its nominal energies, not at the V L edge's offset.
        EnergyAxis okAxis = fused.Blocks.BlockEnergies(fused.Stack.Energies, 1);
        ReferenceSpectra ok = field.Edges[0].References.ResampleTo(okAxis), used = run.EnergyCalibration.References;
        for (int k = 0; k < ok.PhaseCount; k++)
        {
            for (int e = 0; e < okAxis.Count; e++)
            {
                Assert.Equal(ok.Spectrum(k)[e], used.Spectrum(k)[10 + e], 9);
            }
        }

        double accuracy = PhaseMappingEvaluation.Compare(run.Results[0].FinalMap, field.Edges[0].Truth).Accuracy;
        Assert.True(accuracy > 0.9, $"final map {accuracy:P1}");
    }

    [Fact]
    public void Workflow_ThreeEnergyStack_EstimatesNoEnergyOffset()
    {
        // Alone, the 3-energy O K stack (even at dose 20000) "found" −0.65 eV in mode Auto and lost 23–29 points.
        MultiEdgeDataset field = MultiEdgeGenerator.Generate(new MultiEdgeOptions
        {
            Edges = MultiEdgeGenerator.IssueEdges(48, 1, 300, calibrationOffsets: false, oxygenDose: 20000), Offsets = [default, default],
        });

        using PhaseMappingRun run = new PhaseMappingWorkflow
        {
            EncoderTrainer = new PcaEncoderTrainer(), Options = new PhaseMappingOptions { Seed = 1 },
        }.Run(new PhaseMappingInput(field.Edges[1].OpticalDensity), field.Edges[1].References);

        Assert.Equal(0, run.EnergyCalibration!.AppliedOffsetEv);
        Assert.Contains("too few", run.EnergyCalibration.Message, StringComparison.Ordinal);
    }

    /// <summary>A copy with the O K block (energies 9–12) NaN from column <paramref name="from"/> on, and the V L block too from
    /// column <paramref name="both"/> on.</summary>
    private static SpectralStack WithMissingOxygen(SpectralStack od, int from, int both)
    {
        float[] data = od.Data.ToArray();
        int n = od.PixelCount, w = od.Width;
        for (int e = 0; e < od.EnergyCount; e++)
        {
            for (int p = 0; p < n; p++)
            {
                if (p % w >= (e >= 9 ? from : both))
                {
                    data[(e * n) + p] = float.NaN;
                }
            }
        }

        return new SpectralStack(od.Energies, od.Width, od.Height, data, SpectralQuantity.OpticalDensity);
    }
}
