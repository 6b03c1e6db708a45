namespace StxmPhase.Tests;

/// <summary><see cref="PairedDifference"/>: Student-t quantiles and the paired t-interval, against tabulated and hand-computed values.</summary>
public sealed class PairedDifferenceTests
{
    [Theory]
    [InlineData(0.975, 1, 12.706204736174698)] // scipy.stats.t.ppf(p, df), checked by student_t_oracle.py; df 1: tan(0.475 π)
    [InlineData(0.975, 2, 4.302652729749464)]
    [InlineData(0.975, 3, 3.182446305284263)]
    [InlineData(0.975, 4, 2.7764451051977987)]
    [InlineData(0.975, 19, 2.093024054408263)]
    [InlineData(0.95, 10, 1.8124611228107335)]
    [InlineData(0.025, 5, -2.5705818356363146)]
    [InlineData(0.5, 7, 0)]
    public void StudentTQuantile_MatchesTabulatedValues(double probability, int df, double expected)
    {
        Assert.Equal(expected, PairedDifference.StudentTQuantile(probability, df), 9);
    }

    [Fact]
    public void StudentTQuantile_ManyDegreesOfFreedom_ApproachesTheNormalQuantile()
    {
        Assert.Equal(1.959963984540054, PairedDifference.StudentTQuantile(0.975, 100_000), 4);
    }

    [Fact]
    public void Of_FourDifferences_GivesTheHandComputedInterval()
    {
        // mean 0.02; deviations −0.01, 0.01, −0.03, 0.03 → sd = √(0.002 / 3) = 0.0258199; se = sd / 2 = 0.0129099;
        // half-width = t(0.975, 3) · se = 3.1824463 · 0.0129099 = 0.0410852.
        PairedDifference d = PairedDifference.Of([0.01, 0.03, -0.01, 0.05]);

        Assert.Equal(0.02, d.Mean, 12);
        Assert.Equal(0.025819888974716113, d.StandardDeviation, 12);
        Assert.Equal(0.02 - 0.04108520513521758, d.Lower, 10);
        Assert.Equal(0.02 + 0.04108520513521758, d.Upper, 10);
        Assert.False(d.ExcludesZero);
        Assert.Equal("+0.02 (95 % interval −0.02 … +0.06, n = 4)", d.Format());
    }

    [Fact]
    public void Of_ConsistentGain_ExcludesZero_OnePairHasNoInterval()
    {
        Assert.True(PairedDifference.Of([0.010, 0.012, 0.011]).ExcludesZero);
        PairedDifference one = PairedDifference.Of([0.5]);
        Assert.True(double.IsNaN(one.Lower) && double.IsNaN(one.Upper));
        Assert.False(one.ExcludesZero);
    }

    [Fact]
    public void Of_BadInput_ThrowsNamingTheValue()
    {
        Assert.Throws<ArgumentException>(() => PairedDifference.Of([]));
        ArgumentException e = Assert.Throws<ArgumentException>(() => PairedDifference.Of([0.1, double.NaN]));
        Assert.Contains("Difference 1 is NaN", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => PairedDifference.Of([0.1, 0.2], 1));
    }

    [Fact]
    public void Summarize_ChoosesTheBestEdgePerStageByItsMeanAndPairsOverSeeds()
    {
        // Edge B is better than edge A on average in the final map (0.90 vs 0.85) though A wins seed 3; fusion − B = +0.01,
        // +0.02, +0.03 → mean +2.00 points, sd 1 point, t(0.975, 2) · 1/√3 = 2.484 points → −0.48 … +4.48.
        MultiEdgeEvaluationResult Seed(double a, double b, double fused) => new(
            [Row("A", a), Row("B", b), Row("naive", 0.5), Row("fusion", fused)], [0, 0.01]) { BlockWeights = [0.5, 0.5] };
        MultiEdgeEvaluationResult[] seeds = [Seed(0.80, 0.90, 0.91), Seed(0.80, 0.90, 0.92), Seed(0.95, 0.90, 0.93)];

        string text = MultiEdgeEvaluationResult.Summarize(seeds);

        string final = text.Split('\n').Single(l => l.StartsWith("| final map | ", StringComparison.Ordinal));
        Assert.Equal("| final map | B | +2.00 | −0.48 … +4.48 | 3 / 0 / 0 |", final.TrimEnd());
        Assert.Contains("| posterior labels (no MRF) | — | — | — | — |", text, StringComparison.Ordinal); // NaN: not computed
        Assert.Contains("Final map, weighted fusion − B, per seed: +1.0 / +2.0 / +3.0 points.", text, StringComparison.Ordinal);
        // Against the naive concatenation (0.5 on every seed): fusion − naive = +41, +42, +43 points in the PCC and final map.
        Assert.Contains("Weighted fusion − naive, paired, in points: PCC map +42.00 (95 % interval +39.52 … +44.48, n = 3); "
            + "final map +42.00 (95 % interval +39.52 … +44.48, n = 3).", text, StringComparison.Ordinal);
    }

    private static MultiEdgeEvaluationRow Row(string name, double final) =>
        new(name, final, final) { InteriorAccuracy = final, BoundaryAccuracy = final };
}
