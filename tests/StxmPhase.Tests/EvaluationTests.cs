using StxmPhase.Spectra;
using StxmPhase.Synthetic;

namespace StxmPhase.Tests;

public class EvaluationTests
{
    [Fact]
    public void Compare_KnownMaps_GivesHandComputedAccuracyF1AndConfusion()
    {
        string[] names = ["a", "b"];
        // truth:     a a b b -1
        // predicted: a b b -1 a
        var truth = new PhaseMap(5, 1, names, [0, 0, 1, 1, -1]);
        var predicted = new PhaseMap(5, 1, names, [0, 1, 1, -1, 0]);

        ClassificationMetrics m = PhaseMappingEvaluation.Compare(predicted, truth);

        Assert.Equal(4, m.Count);
        Assert.Equal(0.5, m.Accuracy, 12);
        Assert.Equal(1, m.Unassigned);
        Assert.Equal(1, m.Confusion(0, 0));
        Assert.Equal(1, m.Confusion(0, 1));
        Assert.Equal(1, m.Confusion(1, 1));
        // a: tp 1, fp 0, fn 1 → 2/3; b: tp 1, fp 1, fn 1 (unassigned) → 0.5
        Assert.Equal(2.0 / 3, m.F1[0], 12);
        Assert.Equal(0.5, m.F1[1], 12);
        Assert.Equal(((2.0 / 3) + 0.5) / 2, m.MacroF1, 12);
    }

    [Fact]
    public void FractionError_IdenticalMaps_IsZero()
    {
        var map = new PhaseMap(3, 1, ["a", "b"], [0, 1, 1]);
        Assert.Equal(0, PhaseMappingEvaluation.FractionError(map, map), 12);
    }

    [Fact]
    public void FractionError_OnePixelOfThreeWrong_IsMeanAbsoluteDifferenceInPoints()
    {
        var truth = new PhaseMap(3, 1, ["a", "b"], [0, 1, 1]);
        var predicted = new PhaseMap(3, 1, ["a", "b"], [0, 0, 1]);
        // fractions 1/3,2/3 vs 2/3,1/3 → mean |diff| = 1/3 → 33.3 points
        Assert.Equal(100.0 / 3, PhaseMappingEvaluation.FractionError(predicted, truth), 9);
    }

    [Fact]
    public void Compare_DifferentSizes_Throws()
    {
        Assert.Throws<ArgumentException>(() => PhaseMappingEvaluation.Compare(
            new PhaseMap(2, 1, ["a"], [0, 0]), new PhaseMap(1, 2, ["a"], [0, 0])));
    }

    [Fact]
    public void Evaluate_PixelsLeftOutByTheMask_CountAsWrong()
    {
        SyntheticDataset data = SyntheticStackGenerator.Generate(new SyntheticStackOptions { Width = 64, Height = 64, Seed = 5, Dose = 1500 });
        var otsu = new PhaseMappingOptions
        {
            ResolveAmbiguities = false, ParticleMask = new ParticleMaskOptions { Method = ParticleMaskMethod.Otsu },
        };
        using PhaseMappingRun run = new PhaseMappingWorkflow { Options = otsu }.Run(new PhaseMappingInput(data.Transmission, "s"), data.References);
        PhaseMappingResult r = run.Results[0];

        WorkflowEvaluation e = PhaseMappingEvaluation.Evaluate(r, data.Truth, data.BoundaryMask);

        int particle = data.ParticleMask.Count;
        int interior = data.ParticleMask.And(data.BoundaryMask.Not()).Count;
        int analysedParticle = r.Valid.And(data.ParticleMask).Count;
        int correct = Enumerable.Range(0, particle == 0 ? 0 : data.Truth.PixelCount)
            .Count(i => data.Truth.Labels[i] >= 0 && r.FinalMap.Labels[i] == data.Truth.Labels[i]);
        Assert.True(analysedParticle < particle, "Otsu must leave thin edges out for this test to mean anything");
        Assert.Equal(interior, e.Final.Count);
        Assert.Equal(particle, e.FinalAll!.Count);
        Assert.Equal((double)correct / particle, e.FinalAll.Accuracy, 12);
        Assert.Equal(particle - analysedParticle, e.FinalAll.Unassigned);
        Assert.Equal((double)analysedParticle / particle, e.Coverage, 12);
        Assert.Equal((double)(r.Valid.Count - analysedParticle) / r.Valid.Count, e.FalseInclusion, 12);
    }

    [Fact]
    public void FractionError_PredictedLabelsOutsideTheTruth_CountTowardsTheFractionsAUserReads()
    {
        // truth: a a b -1; predicted: a a b b (the background pixel labelled b) → fractions 1/2,1/2 vs 2/3,1/3 → 16.7 points.
        var truth = new PhaseMap(4, 1, ["a", "b"], [0, 0, 1, -1]);
        var predicted = new PhaseMap(4, 1, ["a", "b"], [0, 0, 1, 1]);
        Assert.Equal(100.0 / 6, PhaseMappingEvaluation.FractionError(predicted, truth), 9);
    }

    [Fact]
    public void ThinDomainMask_StripesOfOneTwoAndThreePixels_FoundByWidth()
    {
        // 20 × 22 of phase 0 (bands of 4 rows) with horizontal stripes of phase 1: rows 4 (1 px), 9–10 (2 px) and 15–17
        // (3 px); a 1-px background border on the right.
        const int W = 20, H = 22;
        int[] labels = new int[W * H];
        for (int y = 0; y < H; y++)
        {
            for (int x = 0; x < W; x++)
            {
                labels[(y * W) + x] = x == W - 1 ? -1 : y is 4 or 9 or 10 or 15 or 16 or 17 ? 1 : 0;
            }
        }

        var truth = new PhaseMap(W, H, ["a", "b"], labels);
        for (int width = 1; width <= 3; width++)
        {
            PixelMask thin = PhaseMappingEvaluation.ThinDomainMask(truth, width);
            int[] rows = [.. Enumerable.Range(0, H).Where(y => thin[0, y])];
            int[] expected = width switch { 1 => [4], 2 => [9, 10], _ => [15, 16, 17] };
            Assert.Equal(expected, rows);
            Assert.Equal(expected.Length * (W - 1), thin.Count); // whole stripes, never the border or the wide bands
        }
    }
}
