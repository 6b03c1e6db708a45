using StxmPhase.Spectra;

namespace StxmPhase.Correlation.Tests;

public class PearsonPhaseCorrelatorTests
{
    /// <summary>Vector widths to force (0 = the machine's widest), and −1 for the scalar float64 implementation.</summary>
    public static TheoryData<int, int, int> WidthsEnergiesPhases()
    {
        var data = new TheoryData<int, int, int>();
        foreach (int bits in new[] { -1, 0, 128, 256, 512 })
        {
            foreach (int e in new[] { 2, 3, 13, 17 })
            {
                foreach (int p in new[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 17 })
                {
                    data.Add(bits, e, p);
                }
            }
        }

        return data;
    }

    internal static CorrelationResult Run(int vectorBits, SpectralStack stack, ReferenceSpectra refs, PixelMask? mask = null,
        double delta = PearsonOptions.DefaultAmbiguityThreshold, int threads = -1)
    {
        var options = new PearsonOptions
        {
            AmbiguityThreshold = delta,
            MaxDegreeOfParallelism = threads,
            VectorBits = vectorBits < 0 ? 0 : vectorBits,
        };
        var correlator = new PearsonPhaseCorrelator(options);
        return vectorBits < 0 ? correlator.CorrelateScalar(stack, refs, mask) : correlator.Correlate(stack, refs, mask);
    }

    [Theory]
    [MemberData(nameof(WidthsEnergiesPhases))]
    public void Correlate_RaggedSizes_MatchesDoubleOracle(int vectorBits, int energies, int phases)
    {
        var rng = new Random((vectorBits * 1000) + (energies * 10) + phases + 7);
        ReferenceSpectra refs = TestStacks.References(rng, phases, energies);
        int[] widths = [1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 67];
        foreach (int width in widths)
        {
            int height = 1 + rng.Next(5);
            SpectralStack stack = TestStacks.Stack(rng, width, height, refs);
            PixelMask? mask = rng.Next(3) == 0
                ? new PixelMask(width, height, Enumerable.Range(0, width * height).Select(_ => rng.Next(4) != 0).ToArray())
                : null;
            CorrelationResult result = Run(vectorBits, stack, refs, mask);
            OracleAssert.Matches(DoubleOracle.Compute(stack, refs, mask, PearsonOptions.DefaultAmbiguityThreshold), result,
                $"bits {vectorBits}, {width}×{height}, E {energies}, P {phases}");
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(128)]
    [InlineData(256)]
    [InlineData(512)]
    public void Correlate_StackSpanningSeveralBandsWithSpecialPixels_MatchesDoubleOracle(int vectorBits)
    {
        var rng = new Random(42);
        ReferenceSpectra refs = TestStacks.References(rng, 5, 13);
        const int Width = 301;
        const int Height = 123; // 37,023 pixels: three bands of 16,384, the last one ending in a partial vector
        SpectralStack stack = TestStacks.Stack(rng, Width, Height, refs);
        Span<float> data = stack.Data.Span;
        int n = stack.PixelCount;
        for (int k = 0; k < 200; k++)
        {
            int pixel = rng.Next(n);
            int kind = rng.Next(4);
            int energy = rng.Next(13);
            switch (kind)
            {
                case 0:
                    data[(energy * n) + pixel] = float.NaN;
                    break;
                case 1:
                    data[(energy * n) + pixel] = rng.Next(2) == 0 ? float.PositiveInfinity : float.NegativeInfinity;
                    break;
                default:
                    for (int e = 0; e < 13; e++)
                    {
                        data[(e * n) + pixel] = kind == 2 ? 0.25f : 0f;
                    }

                    break;
            }
        }

        var mask = new PixelMask(Width, Height, Enumerable.Range(0, n).Select(i => i % 97 != 3).ToArray());
        CorrelationResult result = Run(vectorBits, stack, refs, mask);
        DoubleOracle oracle = DoubleOracle.Compute(stack, refs, mask, PearsonOptions.DefaultAmbiguityThreshold);
        OracleAssert.Matches(oracle, result, $"bits {vectorBits}");
        Assert.Equal(oracle.Status.Count(s => s == PixelStatus.Invalid), result.InvalidCount);
        Assert.Equal(oracle.Status.Count(s => s == PixelStatus.Masked), result.MaskedCount);
        Assert.True(result.InvalidCount >= 150);
        Assert.True(result.AmbiguousCount > 0);

        // The counts are taken band by band inside the kernel: they must agree with the arrays they describe.
        ReadOnlySpan<PixelStatus> status = result.Status;
        Assert.Equal(status.Count(PixelStatus.Masked), result.MaskedCount);
        Assert.Equal(status.Count(PixelStatus.Invalid), result.InvalidCount);
        Assert.Equal(status.Count(PixelStatus.Valid), result.ValidCount);
        Assert.Equal(result.Ambiguous.AsSpan().Count(true), result.AmbiguousCount);
        Assert.Equal(result.Ambiguous.IncludedIndices().Length, result.Ambiguous.Count);
        Assert.Equal(result.PhaseMap.CountOf(PhaseMap.Unassigned), result.MaskedCount + result.InvalidCount);
    }

    private static void AssertBitIdentical(CorrelationResult expected, CorrelationResult actual, string because)
    {
        Assert.True(expected.Correlations.SequenceEqual(actual.Correlations), because);
        Assert.True(expected.PhaseMap.Labels.SequenceEqual(actual.PhaseMap.Labels), because);
        Assert.True(expected.SecondLabels.SequenceEqual(actual.SecondLabels), because);
        Assert.True(expected.BestCoefficients.SequenceEqual(actual.BestCoefficients), because);
        Assert.True(expected.SecondCoefficients.SequenceEqual(actual.SecondCoefficients), because);
        Assert.True(expected.Reliability.SequenceEqual(actual.Reliability), because);
        Assert.True(expected.Ambiguous.AsSpan().SequenceEqual(actual.Ambiguous.AsSpan()), because);
        Assert.True(expected.Status.SequenceEqual(actual.Status), because);
        Assert.Equal(expected.MaskedCount, actual.MaskedCount);
        Assert.Equal(expected.InvalidCount, actual.InvalidCount);
        Assert.Equal(expected.AmbiguousCount, actual.AmbiguousCount);
    }

    [Fact]
    public void Correlate_OneVersusManyThreads_BitIdentical()
    {
        var rng = new Random(3);
        ReferenceSpectra refs = TestStacks.References(rng, 5, 13);
        SpectralStack stack = TestStacks.Stack(rng, 250, 250, refs);
        CorrelationResult one = Run(0, stack, refs, threads: 1);
        CorrelationResult many = Run(0, stack, refs, threads: 4);
        AssertBitIdentical(one, many, "1 vs 4 threads");
    }

    [Theory]
    [InlineData(128)]
    [InlineData(256)]
    [InlineData(512)]
    public void Correlate_DataAtEveryAlignment_MatchesOracleAndBitIdentical(int vectorBits)
    {
        // The bands start after the pixels that precede the first vector-aligned load, so their boundaries move with
        // the data's address: every offset of the data within one pinned (unmoving) array is another alignment.
        var rng = new Random(11);
        ReferenceSpectra refs = TestStacks.References(rng, 5, 13);
        const int Width = 257;
        const int Height = 130; // 33,410 pixels: a head, two full bands and a partial one ending in a partial vector
        SpectralStack source = TestStacks.Stack(rng, Width, Height, refs);
        float[] values = source.Data.ToArray();
        for (int k = 0; k < 60; k++)
        {
            values[rng.Next(values.Length)] = k % 3 == 0 ? float.PositiveInfinity : float.NaN;
        }

        var mask = new PixelMask(Width, Height, Enumerable.Range(0, Width * Height).Select(i => i % 89 != 5).ToArray());
        float[] pinned = GC.AllocateArray<float>(values.Length + 16, pinned: true);
        CorrelationResult? first = null;
        for (int offset = 0; offset < 16; offset++)
        {
            values.CopyTo(pinned, offset);
            var stack = new SpectralStack(source.Energies, Width, Height, pinned.AsMemory(offset, values.Length));
            foreach (int threads in new[] { 1, 2 })
            {
                CorrelationResult result = Run(vectorBits, stack, refs, mask, threads: threads);
                if (first is null)
                {
                    first = result;
                    OracleAssert.Matches(DoubleOracle.Compute(stack, refs, mask, PearsonOptions.DefaultAmbiguityThreshold), result,
                        $"bits {vectorBits}");
                    Assert.True(result.InvalidCount > 0);
                }
                else
                {
                    AssertBitIdentical(first, result, $"bits {vectorBits}, offset {offset}, {threads} threads");
                }
            }
        }
    }

    [Fact]
    public void Correlate_PowerOfTwoScaleOrNegation_BitIdenticalOrExactlyNegated()
    {
        var rng = new Random(11);
        ReferenceSpectra refs = TestStacks.References(rng, 5, 13);
        SpectralStack stack = TestStacks.Stack(rng, 40, 30, refs);
        CorrelationResult a = Run(0, stack, refs);
        CorrelationResult b = Run(0, new SpectralStack(stack.Energies, 40, 30, stack.Data.ToArray().Select(v => 4f * v).ToArray()), refs);
        CorrelationResult c = Run(0, new SpectralStack(stack.Energies, 40, 30, stack.Data.ToArray().Select(v => -v).ToArray()), refs);
        Assert.True(a.Correlations.SequenceEqual(b.Correlations));
        Assert.True(a.PhaseMap.Labels.SequenceEqual(b.PhaseMap.Labels));
        for (int i = 0; i < a.Correlations.Length; i++)
        {
            Assert.Equal(-a.Correlations[i], c.Correlations[i]);
        }
    }

    [Fact]
    public void Correlate_AffineTransformOfSpectra_SameLabelsAndCoefficients()
    {
        var rng = new Random(12);
        ReferenceSpectra refs = TestStacks.References(rng, 5, 13);
        SpectralStack stack = TestStacks.Stack(rng, 40, 30, refs, largeOffsets: false);
        float[] transformed = stack.Data.ToArray().Select(v => (float)((3.7 * v) + 12.5)).ToArray();
        CorrelationResult a = Run(0, stack, refs);
        CorrelationResult b = Run(0, new SpectralStack(stack.Energies, 40, 30, transformed), refs);
        for (int i = 0; i < a.Correlations.Length; i++)
        {
            Assert.InRange(b.Correlations[i] - a.Correlations[i], -1e-4, 1e-4);
        }

        for (int i = 0; i < a.PixelCount; i++)
        {
            if (a.Reliability[i] > 0.1f)
            {
                Assert.Equal(a.PhaseMap.Labels[i], b.PhaseMap.Labels[i]);
            }
        }
    }

    [Fact]
    public void Correlate_FiniteValuesWhoseSquaresOverflowFloat_FallsBackToDoubleAndMatchesOracle()
    {
        var rng = new Random(5);
        ReferenceSpectra refs = TestStacks.References(rng, 3, 13);
        double[] spectrum = refs.Spectrum(1).ToArray().Select(v => 1e25 * v).ToArray();
        double[] huge = refs.Spectrum(2).ToArray().Select(v => (3e36 * v) - 1e36).ToArray();
        double[][] pixels = Enumerable.Range(0, 20).Select(i => i == 4 ? spectrum : i == 17 ? huge : refs.Spectrum(i % 3).ToArray()).ToArray();
        SpectralStack stack = TestStacks.FromPixels(refs.Energies, pixels);
        foreach (int bits in new[] { 0, 128, 256, 512 })
        {
            CorrelationResult result = Run(bits, stack, refs);
            OracleAssert.Matches(DoubleOracle.Compute(stack, refs, null, 0.005), result, $"bits {bits}");
            Assert.Equal(PixelStatus.Valid, result.Status[4]);
            Assert.Equal(1, result.PhaseMap.Labels[4]);
            Assert.Equal(2, result.PhaseMap.Labels[17]);
        }
    }

    [Fact]
    public void Correlate_OverflowNextToNaNAndMaskedOverflow_EachLaneClassifiedAsTheOracle()
    {
        var rng = new Random(11);
        ReferenceSpectra refs = TestStacks.References(rng, 5, 13);
        // Shifted values ≈ 2.9e18: SS stays finite in float32 but S² overflows.
        double[] sumOverflows = refs.Spectrum(3).ToArray().Select((v, e) => e == 0 ? 0.0 : 2.9e18 * (1 + (0.01 * v))).ToArray();
        double[] squaresOverflow = refs.Spectrum(0).ToArray().Select(v => 1e25 * v).ToArray();
        double[] withNaN = refs.Spectrum(1).ToArray();
        withNaN[7] = double.NaN;
        double[] withInfinity = refs.Spectrum(2).ToArray();
        withInfinity[0] = double.NegativeInfinity;
        double[][] pixels = Enumerable.Range(0, 37).Select(i => (i % 8) switch
        {
            1 => sumOverflows,
            2 => withNaN,
            3 => squaresOverflow,
            4 => withInfinity,
            _ => refs.Spectrum(i % 5).ToArray(),
        }).ToArray();
        SpectralStack stack = TestStacks.FromPixels(refs.Energies, pixels);
        var mask = new PixelMask(stack.Width, stack.Height, Enumerable.Range(0, 37).Select(i => i != 11 && i != 25).ToArray());
        foreach (int bits in new[] { 0, 128, 256, 512 })
        {
            CorrelationResult result = Run(bits, stack, refs, mask);
            OracleAssert.Matches(DoubleOracle.Compute(stack, refs, mask, 0.005), result, $"bits {bits}");
            Assert.Equal(PixelStatus.Valid, result.Status[1]);
            Assert.Equal(PixelStatus.Valid, result.Status[3]);
            Assert.Equal(0, result.PhaseMap.Labels[3]);
            Assert.Equal(PixelStatus.Invalid, result.Status[2]);
            Assert.Equal(PixelStatus.Invalid, result.Status[4]);
            Assert.Equal(PixelStatus.Masked, result.Status[11]);
            Assert.Equal(PixelStatus.Masked, result.Status[25]);
            Assert.Equal(0f, result.Reliability[25]);
        }
    }

    [Fact]
    public void Correlate_SinglePhase_SecondIsMinusOneAndReliabilityFromMinusOne()
    {
        var rng = new Random(9);
        ReferenceSpectra refs = TestStacks.References(rng, 1, 13);
        SpectralStack stack = TestStacks.Stack(rng, 20, 3, refs);
        CorrelationResult result = Run(0, stack, refs);
        for (int i = 0; i < result.PixelCount; i++)
        {
            Assert.Equal(PixelStatus.Valid, result.Status[i]);
            Assert.Equal(0, result.PhaseMap.Labels[i]);
            Assert.Equal(-1, result.SecondLabels[i]);
            Assert.Equal(-1f, result.SecondCoefficients[i]);
            Assert.Equal(100f * (result.BestCoefficients[i] + 1f), result.Reliability[i]);
        }
    }

    [Fact]
    public void Correlate_DuplicateReferences_TieIsAmbiguousWithLowerIndexFirst()
    {
        var rng = new Random(21);
        ReferenceSpectra three = TestStacks.References(rng, 3, 13);
        double[] values = [.. three.Spectrum(0), .. three.Spectrum(1), .. three.Spectrum(1)];
        var refs = new ReferenceSpectra(three.Energies, ["a", "b", "b2"], values);
        double[][] pixels = new[] { three.Spectrum(1).ToArray().Select(v => (2 * v) + 0.3).ToArray() };
        foreach (int bits in new[] { -1, 0, 128, 256, 512 })
        {
            CorrelationResult result = Run(bits, TestStacks.FromPixels(refs.Energies, pixels), refs);
            Assert.Equal(1, result.PhaseMap.Labels[0]);
            Assert.Equal(2, result.SecondLabels[0]);
            Assert.Equal(result.BestCoefficients[0], result.SecondCoefficients[0]);
            Assert.Equal(0f, result.Reliability[0]);
            Assert.True(result.Ambiguous[0]);
        }
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(0)]
    [InlineData(128)]
    [InlineData(256)]
    [InlineData(512)]
    public void Correlate_GapExactlyAtThreshold_NotAmbiguousButJustAboveIs(int vectorBits)
    {
        var rng = new Random(13);
        ReferenceSpectra refs = TestStacks.References(rng, 5, 13);
        SpectralStack stack = TestStacks.Stack(rng, 37, 5, refs);
        CorrelationResult first = Run(vectorBits, stack, refs);
        int pixel = Enumerable.Range(0, first.PixelCount).First(i => first.Status[i] == PixelStatus.Valid && first.Reliability[i] > 1f);
        float gap = first.BestCoefficients[pixel] - first.SecondCoefficients[pixel];
        CorrelationResult atGap = Run(vectorBits, stack, refs, delta: gap);
        CorrelationResult aboveGap = Run(vectorBits, stack, refs, delta: Math.BitIncrement((double)gap));
        CorrelationResult belowGap = Run(vectorBits, stack, refs, delta: Math.BitDecrement((double)gap));
        Assert.Equal(gap, atGap.BestCoefficients[pixel] - atGap.SecondCoefficients[pixel]);
        Assert.Equal((double)gap, atGap.AmbiguityThreshold);
        Assert.False(atGap.Ambiguous[pixel]);
        Assert.True(aboveGap.Ambiguous[pixel]);
        Assert.False(belowGap.Ambiguous[pixel]);
    }

    [Fact]
    public void Correlate_SpecialValuesAndMask_InvalidOrMaskedWithZeroMaps()
    {
        EnergyAxis axis = TestStacks.Axis(13);
        var rng = new Random(1);
        ReferenceSpectra refs = TestStacks.References(rng, 5, 13);
        double[] good = refs.Spectrum(2).ToArray();
        double[] WithValue(int e, double v)
        {
            double[] s = (double[])good.Clone();
            s[e] = v;
            return s;
        }

        double[][] pixels =
        [
            good,
            WithValue(0, double.NaN),
            WithValue(12, double.PositiveInfinity),
            WithValue(5, double.NegativeInfinity),
            Enumerable.Repeat(0.7, 13).ToArray(),
            Enumerable.Repeat(0.0, 13).ToArray(),
            Enumerable.Repeat(1e6, 13).ToArray(),
            good,
            good,
        ];
        var mask = new PixelMask(9, 1, [true, true, true, true, true, true, true, false, true]);
        foreach (int bits in new[] { -1, 0, 128, 256, 512 })
        {
            CorrelationResult result = Run(bits, TestStacks.FromPixels(axis, pixels), refs, mask);
            PixelStatus[] expected =
            [
                PixelStatus.Valid, PixelStatus.Invalid, PixelStatus.Invalid, PixelStatus.Invalid, PixelStatus.Invalid,
                PixelStatus.Invalid, PixelStatus.Invalid, PixelStatus.Masked, PixelStatus.Valid,
            ];
            Assert.Equal(expected, result.Status.ToArray());
            Assert.Equal(6, result.InvalidCount);
            Assert.Equal(1, result.MaskedCount);
            Assert.Equal(2, result.ValidCount);
            Assert.Equal([2, -1, -1, -1, -1, -1, -1, -1, 2], result.PhaseMap.Labels.ToArray());
            for (int i = 1; i < 8; i++)
            {
                for (int j = 0; j < 5; j++)
                {
                    Assert.Equal(0f, result.CorrelationMap(j)[i]);
                }

                Assert.Equal(0f, result.Reliability[i]);
                Assert.False(result.Ambiguous[i]);
            }

            Assert.Equal(1f, result.BestCoefficients[0], 6);
        }
    }

    [Fact]
    public void Correlate_CancelledToken_ThrowsOperationCanceled()
    {
        var rng = new Random(2);
        ReferenceSpectra refs = TestStacks.References(rng, 5, 13);
        SpectralStack stack = TestStacks.Stack(rng, 200, 200, refs);
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        foreach (int threads in new[] { 1, -1 })
        {
            var correlator = new PearsonPhaseCorrelator(new PearsonOptions { MaxDegreeOfParallelism = threads });
            Assert.ThrowsAny<OperationCanceledException>(() => correlator.Correlate(stack, refs, null, cts.Token));
        }

        Assert.ThrowsAny<OperationCanceledException>(() => new PearsonPhaseCorrelator().CorrelateScalar(stack, refs, null, cts.Token));
    }

    [Fact]
    public void Correlate_ReferenceEnergiesDiffer_ThrowsIncompatibleEnergiesNamingEnergy()
    {
        var rng = new Random(4);
        ReferenceSpectra refs = TestStacks.References(rng, 2, 13);
        double[] energies = TestStacks.Axis(13).ToArray();
        energies[7] += 0.25;
        var stack = new SpectralStack(new EnergyAxis(energies), 4, 4);
        var ex = Assert.Throws<IncompatibleEnergiesException>(() => new PearsonPhaseCorrelator().Correlate(stack, refs));
        Assert.Contains("at energy 7 (zero-based index): 503.75 eV against 503.5 eV", ex.Message, StringComparison.Ordinal);
        Assert.Contains("ResampleTo", ex.Message, StringComparison.Ordinal);
        Assert.Equal(503.75, ex.EnergyEv);
    }

    [Fact]
    public void Correlate_ReferenceEnergyCountDiffers_ThrowsIncompatibleEnergies()
    {
        var rng = new Random(4);
        ReferenceSpectra refs = TestStacks.References(rng, 2, 13);
        var stack = new SpectralStack(TestStacks.Axis(12), 4, 4);
        var ex = Assert.Throws<IncompatibleEnergiesException>(() => new PearsonPhaseCorrelator().Correlate(stack, refs));
        Assert.Contains("12 energies", ex.Message, StringComparison.Ordinal);
        Assert.Contains("13", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Correlate_EnergiesWithinOneMeV_Accepted()
    {
        var rng = new Random(4);
        ReferenceSpectra refs = TestStacks.References(rng, 2, 13);
        var stack = new SpectralStack(new EnergyAxis(TestStacks.Axis(13).Select(e => e + 0.0009)), 4, 4);
        Assert.Equal(16, new PearsonPhaseCorrelator().Correlate(stack, refs).PixelCount);
    }

    [Fact]
    public void Correlate_ConstantReference_ThrowsArgumentNamingPhase()
    {
        EnergyAxis axis = TestStacks.Axis(5);
        var refs = new ReferenceSpectra(axis, ["olivine", "flat"], [0.1, 0.5, 0.9, 0.4, 0.2, 0.3, 0.3, 0.3, 0.3, 0.3]);
        var stack = new SpectralStack(axis, 3, 3);
        var ex = Assert.Throws<ArgumentException>(() => new PearsonPhaseCorrelator().Correlate(stack, refs));
        Assert.Equal("references", ex.ParamName);
        Assert.Contains("'flat' (phase 1)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Correlate_MaskOfOtherSize_ThrowsArgument()
    {
        var rng = new Random(4);
        ReferenceSpectra refs = TestStacks.References(rng, 2, 13);
        var stack = new SpectralStack(refs.Energies, 4, 4);
        var ex = Assert.Throws<ArgumentException>(() => new PearsonPhaseCorrelator().Correlate(stack, refs, PixelMask.Uniform(4, 5)));
        Assert.Equal("mask", ex.ParamName);
    }

    [Fact]
    public void Correlate_NullArguments_ThrowArgumentNull()
    {
        var rng = new Random(4);
        ReferenceSpectra refs = TestStacks.References(rng, 2, 13);
        var stack = new SpectralStack(refs.Energies, 4, 4);
        var correlator = new PearsonPhaseCorrelator();
        Assert.Throws<ArgumentNullException>("opticalDensity", () => correlator.Correlate(null!, refs));
        Assert.Throws<ArgumentNullException>("references", () => correlator.Correlate(stack, null!));
        Assert.Throws<ArgumentNullException>("options", () => new PearsonPhaseCorrelator(null!));
    }

    [Theory]
    [InlineData(-0.001)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(2.5)]
    public void PearsonOptions_BadThreshold_ThrowsArgumentOutOfRange(double value)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new PearsonOptions { AmbiguityThreshold = value });
        Assert.Equal("AmbiguityThreshold", ex.ParamName);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-2)]
    public void PearsonOptions_BadDegreeOfParallelism_ThrowsArgumentOutOfRange(int value)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new PearsonOptions { MaxDegreeOfParallelism = value });
        Assert.Equal("MaxDegreeOfParallelism", ex.ParamName);
        Assert.Contains("must be -1 (all cores) or at least 1", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PearsonOptions_Defaults_ArePaperValues()
    {
        var options = new PearsonOptions();
        Assert.Equal(0.005, options.AmbiguityThreshold);
        Assert.Equal(-1, options.MaxDegreeOfParallelism);
        Assert.Equal(0.005, new PearsonPhaseCorrelator().Options.AmbiguityThreshold);
    }
}
