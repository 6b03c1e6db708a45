namespace StxmPhase.Assignment.Tests;

public class EuclideanReferenceModelTests
{
    private static readonly string[] s_names = ["a", "b", "c"];

    [Fact]
    public void Fit_NullReferences_ThrowsArgumentExceptionNamingReferences()
    {
        var set = new LatentSet([0, 0, 0], 3, [0], s_names);
        var ex = Assert.Throws<ArgumentException>(() => new EuclideanReferenceAssigner().Fit(set));
        Assert.Equal("references", ex.ParamName);
        Assert.Contains("references", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Fit_MismatchedDimensionOrPhases_Throws()
    {
        var set = new LatentSet([0, 0, 0], 3, [0], s_names);
        Assert.Throws<ArgumentException>(() => new EuclideanReferenceAssigner().Fit(set, new LatentSet([0, 0], 2, [0], s_names)));
        Assert.Throws<ArgumentException>(() => new EuclideanReferenceAssigner().Fit(set, new LatentSet([0, 0, 0], 3, [0], ["a"])));
    }

    [Fact]
    public void Assign_NearestReference_WinsWithDistanceScoreAndOffsetsReported()
    {
        var labelled = new LatentSet([1, 0, 0, 3, 0, 0, 10, 0, 0], 3, [0, 0, 1], s_names);
        // Two anchors for phase 0, one for phase 1, one for phase 2 (phase 2 has no labelled point: ignored by default).
        var references = new LatentSet([0, 0, 0, 2.5f, 0, 0, 9, 0, 0, 5, 0, 0], 3, [0, 0, 1, 2], s_names);
        EuclideanReferenceModel model = new EuclideanReferenceAssigner().Fit(labelled, references);
        int[] phase = new int[3];
        float[] score = new float[3];
        model.Assign([5, 0, 0, 6, 0, 0, 2.5f, 4, 0], 3, phase, score);
        Assert.Equal([0, 1, 0], phase);
        Assert.Equal([2.5f, 3f, 4f], score);
        Assert.Equal(3, model.AnchorCount);
        Assert.False(model.HasPhase(2));
        Assert.Equal(0.5, model.ReferenceOffset(0), 12);   // centroid 2, nearest anchor 2.5
        Assert.Equal(1.0, model.ReferenceOffset(1), 12);
        Assert.True(double.IsNaN(model.ReferenceOffset(2)));

        EuclideanReferenceModel all = new EuclideanReferenceAssigner(new EuclideanReferenceOptions { RequireLabelledPoints = false })
            .Fit(labelled, references);
        all.Assign([5, 0, 0], 1, phase.AsSpan(0, 1), score.AsSpan(0, 1));
        Assert.Equal(2, phase[0]);
        Assert.Equal(0f, score[0]);
    }
}
