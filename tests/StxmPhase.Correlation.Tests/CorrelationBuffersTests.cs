using StxmPhase.Spectra;

namespace StxmPhase.Correlation.Tests;

public class CorrelationBuffersTests
{
    private static void AssertSame(CorrelationResult expected, CorrelationBuffers actual)
    {
        Assert.True(actual.HasResult);
        Assert.Equal(expected.PhaseNames, actual.PhaseNames);
        Assert.Equal(expected.AmbiguityThreshold, actual.AmbiguityThreshold);
        Assert.True(expected.Correlations.SequenceEqual(actual.Correlations));
        Assert.True(expected.PhaseMap.Labels.SequenceEqual(actual.Labels));
        Assert.True(expected.SecondLabels.SequenceEqual(actual.SecondLabels));
        Assert.True(expected.BestCoefficients.SequenceEqual(actual.BestCoefficients));
        Assert.True(expected.SecondCoefficients.SequenceEqual(actual.SecondCoefficients));
        Assert.True(expected.Reliability.SequenceEqual(actual.Reliability));
        Assert.True(expected.Ambiguous.AsSpan().SequenceEqual(actual.Ambiguous));
        Assert.True(expected.Status.SequenceEqual(actual.Status));
        Assert.Equal(expected.MaskedCount, actual.MaskedCount);
        Assert.Equal(expected.InvalidCount, actual.InvalidCount);
        Assert.Equal(expected.ValidCount, actual.ValidCount);
        Assert.Equal(expected.AmbiguousCount, actual.AmbiguousCount);
        for (int p = 0; p < expected.PhaseCount; p++)
        {
            Assert.True(expected.CorrelationMap(p).SequenceEqual(actual.CorrelationMap(p)));
        }
    }

    private static SpectralStack WithSpecialPixels(Random rng, SpectralStack stack)
    {
        Span<float> data = stack.Data.Span;
        int n = stack.PixelCount;
        for (int k = 0; k < 40; k++)
        {
            data[(rng.Next(stack.Energies.Count) * n) + rng.Next(n)] = k % 2 == 0 ? float.NaN : float.PositiveInfinity;
        }

        return stack;
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(0, -1)]
    [InlineData(128, -1)]
    [InlineData(256, -1)]
    public void CorrelateInto_ReusedForSeveralStacks_EachTimeEqualsCorrelate(int vectorBits, int threads)
    {
        var rng = new Random(31 + vectorBits + threads);
        ReferenceSpectra refs = TestStacks.References(rng, 5, 13);
        var correlator = new PearsonPhaseCorrelator(new PearsonOptions { MaxDegreeOfParallelism = threads, VectorBits = vectorBits });
        const int Width = 171;
        const int Height = 103; // 17,613 pixels: two bands, the second ending in a partial vector
        var buffers = new CorrelationBuffers(Width, Height, refs.PhaseCount);
        for (int round = 0; round < 3; round++)
        {
            SpectralStack stack = WithSpecialPixels(rng, TestStacks.Stack(rng, Width, Height, refs));
            PixelMask? mask = round == 1
                ? new PixelMask(Width, Height, Enumerable.Range(0, Width * Height).Select(i => i % 7 != 0).ToArray())
                : null;
            correlator.CorrelateInto(stack, refs, mask, buffers);
            CorrelationResult expected = correlator.Correlate(stack, refs, mask);
            AssertSame(expected, buffers);
            Assert.True(buffers.InvalidCount > 0);
            Assert.Equal(round == 1 ? expected.MaskedCount : 0, buffers.MaskedCount);

            CorrelationResult copy = buffers.ToResult();
            OracleAssert.Matches(DoubleOracle.Compute(stack, refs, mask, PearsonOptions.DefaultAmbiguityThreshold), copy, $"round {round}");
            AssertSame(copy, buffers);
        }
    }

    [Fact]
    public void ToResult_IsACopyThatLaterCallsDoNotChange()
    {
        var rng = new Random(8);
        ReferenceSpectra refs = TestStacks.References(rng, 3, 13);
        var correlator = new PearsonPhaseCorrelator();
        var buffers = new CorrelationBuffers(40, 30, 3);
        SpectralStack first = TestStacks.Stack(rng, 40, 30, refs);
        correlator.CorrelateInto(first, refs, null, buffers);
        CorrelationResult kept = buffers.ToResult();
        float[] keptCorrelations = kept.Correlations.ToArray();
        int[] keptLabels = kept.PhaseMap.Labels.ToArray();

        correlator.CorrelateInto(TestStacks.Stack(rng, 40, 30, refs), refs, null, buffers);

        Assert.False(buffers.Correlations.SequenceEqual(keptCorrelations));
        Assert.True(kept.Correlations.SequenceEqual(keptCorrelations));
        Assert.True(kept.PhaseMap.Labels.SequenceEqual(keptLabels));
    }

    [Fact]
    public void NewBuffers_HoldNoResult()
    {
        var buffers = new CorrelationBuffers(3, 2, 4);
        Assert.False(buffers.HasResult);
        Assert.Equal(6, buffers.PixelCount);
        Assert.Equal(4, buffers.PhaseCount);
        Assert.Equal(24, buffers.Correlations.Length);
        Assert.Empty(buffers.PhaseNames);
        Assert.Equal(0, buffers.ValidCount);
        Assert.True(buffers.Reliability.ToArray().All(v => v == 0f));
        InvalidOperationException e = Assert.Throws<InvalidOperationException>(buffers.ToResult);
        Assert.Contains("CorrelateInto", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => buffers.CorrelationMap(4));
    }

    [Theory]
    [InlineData(0, 5, 5)]
    [InlineData(5, -1, 5)]
    [InlineData(5, 5, 0)]
    public void Constructor_NonPositiveSize_Throws(int width, int height, int phases) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new CorrelationBuffers(width, height, phases));

    [Fact]
    public void Constructor_MoreValuesThanAnArrayHolds_ThrowsNamingTheCount()
    {
        ArgumentOutOfRangeException e = Assert.Throws<ArgumentOutOfRangeException>(() => new CorrelationBuffers(65536, 65536, 5));
        Assert.Contains("21474836480", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(20, 10, 5)]
    [InlineData(10, 20, 5)]
    [InlineData(10, 10, 4)]
    public void CorrelateInto_BuffersOfAnotherShape_ThrowsNamingBothShapes(int width, int height, int phases)
    {
        var rng = new Random(3);
        ReferenceSpectra refs = TestStacks.References(rng, 5, 13);
        SpectralStack stack = TestStacks.Stack(rng, 10, 10, refs);
        ArgumentException e = Assert.Throws<ArgumentException>(() =>
            new PearsonPhaseCorrelator().CorrelateInto(stack, refs, null, new CorrelationBuffers(width, height, phases)));
        Assert.Equal("destination", e.ParamName);
        Assert.Contains($"{width}×{height} pixels and {phases} phases", e.Message, StringComparison.Ordinal);
        Assert.Contains("10×10 and there are 5 references", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CorrelateInto_Cancelled_ThrowsAndBuffersHoldNoResult()
    {
        var rng = new Random(4);
        ReferenceSpectra refs = TestStacks.References(rng, 5, 13);
        SpectralStack stack = TestStacks.Stack(rng, 200, 200, refs);
        var buffers = new CorrelationBuffers(200, 200, 5);
        var correlator = new PearsonPhaseCorrelator();
        correlator.CorrelateInto(stack, refs, null, buffers);
        Assert.True(buffers.HasResult);
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => correlator.CorrelateInto(stack, refs, null, buffers, cts.Token));
        Assert.False(buffers.HasResult);
        Assert.Equal(0, buffers.ValidCount);
        Assert.Throws<InvalidOperationException>(buffers.ToResult);
    }

    [Fact]
    public void CorrelateInto_NullArguments_ThrowArgumentNull()
    {
        var rng = new Random(5);
        ReferenceSpectra refs = TestStacks.References(rng, 2, 5);
        SpectralStack stack = TestStacks.Stack(rng, 4, 4, refs);
        var buffers = new CorrelationBuffers(4, 4, 2);
        var correlator = new PearsonPhaseCorrelator();
        Assert.Throws<ArgumentNullException>(() => correlator.CorrelateInto(null!, refs, null, buffers));
        Assert.Throws<ArgumentNullException>(() => correlator.CorrelateInto(stack, null!, null, buffers));
        Assert.Throws<ArgumentNullException>(() => correlator.CorrelateInto(stack, refs, null, null!));
    }
}
