using StxmPhase.Spectra;

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
}
