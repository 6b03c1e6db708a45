namespace StxmPhase.Assignment.Tests;

public class AmbiguousPixelResolverTests
{
    // One-dimensional latent space with centroids at 0 (a), 10 (b) and 20 (c), one point each (pooled variance taken as 1):
    // the cost is ½(z − centroid)², the score of the unrestricted Assign the distance |z − centroid|.
    private static readonly NearestCentroidModel s_model = new NearestCentroidAssigner().Fit(
        new LatentSet([0, 10, 20], 1, [0, 1, 2], ["a", "b", "c"]));

    private const int Centre = 4;

    [Fact]
    public void Resolve_RestrictedAmbiguousPixel_ChoosesWithinItsPairEvenWhenAThirdPhaseIsNearer()
    {
        CorrelationResult corr = Image(pcc: 0, second: 1, ambiguous: true);
        (int[] labels, float[] scores) = Start(corr);

        new AmbiguousPixelResolver().Resolve(s_model, corr, [Centre], [19f], labels, scores);

        Assert.Equal(1, labels[Centre]);
        Assert.Equal(40.5f, scores[Centre]);
        Assert.Equal(corr.PhaseMap.Labels.ToArray().Where((_, i) => i != Centre), labels.Where((_, i) => i != Centre));
    }

    [Fact]
    public void Resolve_Unrestricted_ChoosesTheNearestOfAllPhases()
    {
        CorrelationResult corr = Image(pcc: 0, second: 1, ambiguous: true);
        (int[] labels, float[] scores) = Start(corr);

        new AmbiguousPixelResolver(restrictToAmbiguousPair: false).Resolve(s_model, corr, [Centre], [19f], labels, scores);

        Assert.Equal(2, labels[Centre]);
        Assert.Equal(1f, scores[Centre]);
    }

    [Fact]
    public void Resolve_RestrictedButNotAmbiguous_ChoosesAmongAllPhases()
    {
        // A latent-space false positive (confident PCC label) has no ambiguous pair to keep.
        CorrelationResult corr = Image(pcc: 0, second: 1, ambiguous: false);
        (int[] labels, float[] scores) = Start(corr);

        new AmbiguousPixelResolver().Resolve(s_model, corr, [Centre], [19f], labels, scores);

        Assert.Equal(2, labels[Centre]);
    }

    [Theory]
    [InlineData(0.1)]
    [InlineData(1.0)]
    [InlineData(3.0)]
    public void Resolve_SpatialPrior_MinimisesCostMinusWeightedLogNeighbourShare(double w)
    {
        // Every neighbour is PCC-labelled b, except pixel 5 (labelled c), which is being resolved too and so is not
        // counted: n_b = 7, n_a = n_c = 0, n = 7, P = 3.
        CorrelationResult corr = Image(pcc: 0, second: 1, ambiguous: true, neighbours: 1, pixel5: 2);
        (int[] labels, float[] scores) = Start(corr);
        const double z = 15.1;

        new AmbiguousPixelResolver(restrictToAmbiguousPair: false, spatialPriorWeight: w)
            .Resolve(s_model, corr, [Centre, 5], [(float)z, 1f], labels, scores);

        int[] n = [0, 7, 0];
        double[] cost = new[] { 0, 1, 2 }.Select(c => (0.5 * (z - (10.0 * c)) * (z - (10.0 * c))) - (w * Math.Log((n[c] + 1.0) / (7 + 3)))).ToArray();
        int expected = Array.IndexOf(cost, cost.Min());
        Assert.Equal(expected, labels[Centre]);
        Assert.Equal(cost[expected], scores[Centre], 1e-5);
        Assert.Equal(w < 0.5 ? 2 : 1, expected); // the weights cover both outcomes: nearest phase, and the neighbours' phase
    }

    [Fact]
    public void Resolve_NoCandidateWithAFiniteCost_LeavesTheEntries()
    {
        // Phases c and d have no labelled points, so their cost is +∞ and the ambiguous pair (c, d) cannot be chosen.
        NearestCentroidModel model = new NearestCentroidAssigner().Fit(new LatentSet([0, 10], 1, [0, 1], ["a", "b", "c", "d"]));
        CorrelationResult corr = Image(pcc: 2, second: 3, ambiguous: true, phases: 4);
        (int[] labels, float[] scores) = Start(corr);
        scores[Centre] = -7;

        new AmbiguousPixelResolver().Resolve(model, corr, [Centre], [3f], labels, scores);

        Assert.Equal(2, labels[Centre]);
        Assert.Equal(-7f, scores[Centre]);
    }

    [Fact]
    public void Resolve_AssignmentWithoutPhaseCosts_UsesItsUnrestrictedAssign()
    {
        CorrelationResult corr = Image(pcc: 0, second: 1, ambiguous: true);
        (int[] labels, float[] scores) = Start(corr);
        var resolver = new AmbiguousPixelResolver(spatialPriorWeight: 2);

        resolver.Resolve(new AssignOnly(s_model), corr, [Centre], [19f], labels, scores);

        Assert.True(resolver.UsesPhaseCosts);
        Assert.Equal(2, labels[Centre]);
        Assert.Equal(1f, scores[Centre]);
    }

    [Theory]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Constructor_InvalidSpatialPriorWeight_ThrowsNamingTheValue(double w)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new AmbiguousPixelResolver(spatialPriorWeight: w));
        Assert.Equal("spatialPriorWeight", ex.ParamName);
        Assert.False(new AmbiguousPixelResolver(restrictToAmbiguousPair: false).UsesPhaseCosts);
    }

    [Fact]
    public void Resolve_BadArguments_Throw()
    {
        CorrelationResult corr = Image(pcc: 0, second: 1, ambiguous: true);
        (int[] labels, float[] scores) = Start(corr);
        var resolver = new AmbiguousPixelResolver();

        var outside = Assert.Throws<ArgumentOutOfRangeException>(() => resolver.Resolve(s_model, corr, [9], [1f], labels, scores));
        Assert.Contains("index 9", outside.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => resolver.Resolve(s_model, corr, [Centre], [1f], new int[8], scores));
        Assert.Throws<ArgumentException>(() => resolver.Resolve(s_model, corr, [Centre, 5], [1f, 2f, 3f], labels, scores));
        Assert.Throws<ArgumentException>(() => resolver.Resolve(s_model, Image(0, 1, true, phases: 4), [Centre], [1f], labels, scores));
        Assert.Throws<ArgumentNullException>(() => resolver.Resolve(null!, corr, [Centre], [1f], labels, scores));
    }

    /// <summary>A 3×3 image: the centre pixel has the given PCC pair and ambiguity, the others the label <paramref name="neighbours"/>.</summary>
    private static CorrelationResult Image(int pcc, int second, bool ambiguous, int phases = 3, int neighbours = 0, int pixel5 = -1)
    {
        const int n = 9;
        int[] labels = Enumerable.Repeat(neighbours, n).ToArray();
        int[] seconds = Enumerable.Repeat(neighbours == 0 ? 1 : 0, n).ToArray();
        bool[] amb = new bool[n];
        labels[Centre] = pcc;
        seconds[Centre] = second;
        amb[Centre] = ambiguous;
        if (pixel5 >= 0)
        {
            labels[5] = pixel5;
            seconds[5] = pixel5 == 0 ? 1 : 0;
        }

        return new CorrelationResult(3, 3, Enumerable.Range(0, phases).Select(p => ((char)('a' + p)).ToString()).ToArray(),
            new float[phases * n], labels, seconds, new float[n], new float[n], new float[n], amb,
            Enumerable.Repeat(PixelStatus.Valid, n).ToArray(), 0.005);
    }

    private static (int[] Labels, float[] Scores) Start(CorrelationResult corr)
    {
        float[] scores = new float[corr.PixelCount];
        Array.Fill(scores, float.NaN);
        return (corr.PhaseMap.Labels.ToArray(), scores);
    }

    /// <summary>A caller's assignment that gives only a phase and a score (no per-phase costs).</summary>
    private sealed class AssignOnly(ILatentAssignment inner) : ILatentAssignment
    {
        public int PhaseCount => inner.PhaseCount;

        public void Assign(ReadOnlySpan<float> points, int count, Span<int> phase, Span<float> score) => inner.Assign(points, count, phase, score);
    }
}
