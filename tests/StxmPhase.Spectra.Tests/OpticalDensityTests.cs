namespace StxmPhase.Spectra.Tests;

public class OpticalDensityTests
{
    public static TheoryData<int> Lengths()
    {
        var data = new TheoryData<int>();
        for (int n = 0; n <= 40; n++)
        {
            data.Add(n);
        }

        data.Add(255);
        data.Add(1021);
        data.Add(4099);
        return data;
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void FromTransmission_Span_MatchesDoubleOracle(int length)
    {
        var rng = new Random(length + 1);
        float[] i = new float[length];
        float[] i0 = new float[length];
        for (int k = 0; k < length; k++)
        {
            i0[k] = (float)(100 + (1000 * rng.NextDouble()));
            i[k] = (float)(i0[k] * Math.Exp(-3 * rng.NextDouble()) * (0.95 + (0.1 * rng.NextDouble())));
        }

        float[] od = new float[length];
        int invalid = OpticalDensity.FromTransmission(i, i0, od);

        Assert.Equal(0, invalid);
        for (int k = 0; k < length; k++)
        {
            double expected = -Math.Log((double)i[k] / i0[k]);
            Assert.True(Math.Abs(od[k] - expected) <= 2e-6 * Math.Max(1, Math.Abs(expected)), $"k={k}: {od[k]} vs {expected}");
        }
    }

    [Fact]
    public void FromTransmission_KnownRatios_GiveExactOd()
    {
        float[] i = [1000f, 500f, 250f, 1000f * MathF.Exp(-2f), 1010f];
        float[] i0 = [1000f, 1000f, 1000f, 1000f, 1000f];
        float[] od = new float[i.Length];

        OpticalDensity.FromTransmission(i, i0, od);

        Assert.Equal(0f, od[0]);
        Assert.Equal(Math.Log(2), od[1], 6);
        Assert.Equal(Math.Log(4), od[2], 6);
        Assert.Equal(2.0, od[3], 5);
        Assert.Equal(-Math.Log(1.01), od[4], 6); // small negative OD from noise is kept
    }

    [Fact]
    public void FromTransmission_InvalidValues_AreZeroAndCounted()
    {
        // Every invalid kind in both the vector body and the scalar tail (length 37).
        float[] i = new float[37];
        float[] i0 = new float[37];
        Array.Fill(i, 50f);
        Array.Fill(i0, 100f);
        int[] bad = [0, 1, 2, 3, 4, 5, 33, 34, 35, 36];
        i[0] = 0f;
        i[1] = -5f;
        i[2] = float.NaN;
        i0[3] = 0f;
        i0[4] = float.PositiveInfinity;
        i[5] = float.PositiveInfinity;
        i[33] = 0f;
        i0[34] = -1f;
        i0[35] = float.NaN;
        i[36] = float.Epsilon; // I0 / I overflows to +∞
        float[] od = new float[37];

        int invalid = OpticalDensity.FromTransmission(i, i0, od);

        Assert.Equal(bad.Length, invalid);
        for (int k = 0; k < od.Length; k++)
        {
            Assert.True(float.IsFinite(od[k]));
            Assert.Equal(bad.Contains(k) ? 0f : MathF.Log(2f), od[k], 6);
        }
    }

    [Fact]
    public void FromTransmission_InPlace_MatchesOutOfPlace()
    {
        var rng = new Random(3);
        float[] i = Enumerable.Range(0, 100).Select(_ => (float)(1 + (99 * rng.NextDouble()))).ToArray();
        float[] i0 = Enumerable.Range(0, 100).Select(_ => 120f).ToArray();
        float[] expected = new float[100];
        OpticalDensity.FromTransmission(i, i0, expected);

        OpticalDensity.FromTransmission(i, i0, i);

        Assert.Equal(expected, i);
    }

    [Fact]
    public void FromTransmission_ScalarI0_MatchesSpanI0()
    {
        float[] i = [10f, 20f, 0f, 40f, 80f, 160f, 320f, 640f, 1280f, 7f, 3f];
        float[] a = new float[i.Length];
        float[] b = new float[i.Length];

        int invalidA = OpticalDensity.FromTransmission(i, 1000f, a);
        int invalidB = OpticalDensity.FromTransmission(i, Enumerable.Repeat(1000f, i.Length).ToArray(), b);

        Assert.Equal(1, invalidA);
        Assert.Equal(invalidB, invalidA);
        Assert.Equal(b, a);
    }

    [Fact]
    public void FromTransmission_MismatchedLengths_Throws()
    {
        var ex = Assert.Throws<ArgumentException>(() => OpticalDensity.FromTransmission(new float[4], new float[5], new float[4]));
        Assert.Equal("i0", ex.ParamName);
    }

    [Fact]
    public void FromTransmission_ShortDestination_Throws()
    {
        var ex = Assert.Throws<ArgumentException>(() => OpticalDensity.FromTransmission(new float[4], new float[4], new float[3]));
        Assert.Equal("destination", ex.ParamName);
    }

    [Fact]
    public void FromTransmission_PartialOverlap_Throws()
    {
        float[] buffer = new float[10];
        var ex = Assert.Throws<ArgumentException>(() =>
            OpticalDensity.FromTransmission(buffer.AsSpan(0, 8), 1f, buffer.AsSpan(1, 8)));
        Assert.Equal("destination", ex.ParamName);
    }

    private static SpectralStack Transmission(int energies, int w, int h, Func<int, int, float> value, StackMetadata? metadata = null)
    {
        var axis = new EnergyAxis(Enumerable.Range(0, energies).Select(e => 700.0 + e));
        float[] data = new float[energies * w * h];
        for (int e = 0; e < energies; e++)
        {
            for (int p = 0; p < w * h; p++)
            {
                data[(e * w * h) + p] = value(e, p);
            }
        }

        return new SpectralStack(axis, w, h, data, SpectralQuantity.Transmission, metadata);
    }

    [Fact]
    public void FromTransmissionStack_SpectrumI0_GivesExactOdAndCarriesMetadata()
    {
        var meta = new StackMetadata { Name = "s1", PixelSizeXNm = 30 };
        double[] i0 = [1000, 2000, 4000];
        SpectralStack t = Transmission(3, 4, 2, (e, p) => (float)(i0[e] * Math.Exp(-0.1 * p)), meta);

        OpticalDensityResult r = OpticalDensity.FromTransmission(t, new OpticalDensityOptions { I0 = I0Source.FromSpectrum(i0) });

        Assert.Equal(SpectralQuantity.OpticalDensity, r.OpticalDensity.Quantity);
        Assert.Same(meta, r.OpticalDensity.Metadata);
        Assert.Equal(i0, r.I0);
        Assert.Null(r.SampleFreeMask);
        Assert.Equal(8, r.ValidMask.Count);
        Assert.Equal(0, r.InvalidPixelCount);
        for (int e = 0; e < 3; e++)
        {
            for (int p = 0; p < 8; p++)
            {
                Assert.Equal(0.1 * p, r.OpticalDensity.Plane(e)[p], 5);
            }
        }
    }

    [Fact]
    public void FromTransmissionStack_InvalidPixels_AreMaskedCountedAndZero()
    {
        // Pixel 1: I = 0 at e0; pixel 2: negative at e1; pixel 3: NaN at e2; pixel 4: ∞ at e0 and e1.
        SpectralStack t = Transmission(3, 3, 2, (e, p) => (e, p) switch
        {
            (0, 1) => 0f,
            (1, 2) => -3f,
            (2, 3) => float.NaN,
            (0 or 1, 4) => float.PositiveInfinity,
            _ => 500f,
        });

        OpticalDensityResult r = OpticalDensity.FromTransmission(t, new OpticalDensityOptions { I0 = I0Source.FromSpectrum([1000, 1000, 1000]) });

        Assert.Equal(4, r.InvalidPixelCount);
        Assert.Equal(5, r.InvalidValueCount);
        Assert.Equal([true, false, false, false, false, true], r.ValidMask.AsSpan().ToArray());
        Assert.Equal(0f, r.OpticalDensity.Plane(0)[1]);
        Assert.Equal(0f, r.OpticalDensity.Plane(1)[2]);
        Assert.Equal(0f, r.OpticalDensity.Plane(2)[3]);
        Assert.Equal(Math.Log(2), r.OpticalDensity.Plane(2)[1], 6); // valid energies of an invalid pixel keep their OD
        Assert.All(r.OpticalDensity.Data.ToArray(), v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void FromTransmissionStack_ZeroI0AtOneEnergy_InvalidatesEveryPixel()
    {
        SpectralStack t = Transmission(2, 2, 2, (_, _) => 10f);

        OpticalDensityResult r = OpticalDensity.FromTransmission(t, new OpticalDensityOptions { I0 = I0Source.FromSpectrum([100, 0]) });

        Assert.Equal(4, r.InvalidPixelCount);
        Assert.Equal(0, r.ValidMask.Count);
    }

    [Fact]
    public void FromTransmissionStack_ImageI0_UsesPerPixelValues()
    {
        SpectralStack t = Transmission(2, 3, 1, (e, p) => 100f);
        SpectralStack i0 = Transmission(2, 3, 1, (e, p) => p == 2 && e == 1 ? 0f : 100f * (p + 1));

        OpticalDensityResult r = OpticalDensity.FromTransmission(t, new OpticalDensityOptions { I0 = I0Source.FromImages(i0) });

        Assert.Equal(0f, r.OpticalDensity.Plane(0)[0]);
        Assert.Equal(Math.Log(2), r.OpticalDensity.Plane(0)[1], 6);
        Assert.Equal(Math.Log(3), r.OpticalDensity.Plane(0)[2], 6);
        Assert.Equal(0f, r.OpticalDensity.Plane(1)[2]);
        Assert.Equal(1, r.InvalidPixelCount);
        Assert.Equal(200, r.I0[0], 9);  // mean of 100, 200, 300
        Assert.Equal(150, r.I0[1], 9);  // mean of the positive values 100, 200
    }

    [Fact]
    public void FromTransmissionStack_NormalizationFactors_DivideTransmission()
    {
        // I(e) = 1000 · f(e) · exp(−0.5): after I / f the OD against I0 = 1000 is 0.5 at every energy.
        double[] f = [2.0, 0.5, 1.25];
        SpectralStack t = Transmission(3, 2, 2, (e, _) => (float)(1000 * f[e] * Math.Exp(-0.5)));

        OpticalDensityResult r = OpticalDensity.FromTransmission(t, new OpticalDensityOptions
        {
            I0 = I0Source.FromSpectrum([1000, 1000, 1000]),
            NormalizationFactors = f,
        });

        Assert.All(r.OpticalDensity.Data.ToArray(), v => Assert.Equal(0.5, v, 5));
    }

    public static TheoryData<string> InPlaceSources() => new() { "auto", "spectrum", "region", "images", "factors" };

    [Theory]
    [MemberData(nameof(InPlaceSources))]
    public void FromTransmissionInPlace_SameResultAsCopyAndSharesTheStacksMemory(string source)
    {
        var rng = new Random(source.Length);
        const int W = 37, H = 23, E = 5;
        Func<int, int, float> value = (e, p) => p % 7 == 0 ? 1000f + e
            : p == 11 && e == 2 ? float.NaN
            : (float)((1000 + e) * Math.Exp(-2 * ((p * 7919) % 101) / 101.0) * (0.98 + (0.04 * rng.NextDouble())));
        SpectralStack original = Transmission(E, W, H, value);
        OpticalDensityOptions options = source switch
        {
            "spectrum" => new OpticalDensityOptions { I0 = I0Source.FromSpectrum([1000, 1001, 1002, 1003, 1004]) },
            "region" => new OpticalDensityOptions
            {
                I0 = I0Source.FromRegion(new PixelMask(W, H, Enumerable.Range(0, W * H).Select(p => p % 7 == 0).ToArray())),
            },
            "images" => new OpticalDensityOptions { I0 = I0Source.FromImages(Transmission(E, W, H, (e, _) => 1000f + e)) },
            "factors" => new OpticalDensityOptions { NormalizationFactors = [1.0, 2.0, 0.5, 1.5, 3.0] },
            _ => new OpticalDensityOptions(),
        };
        SpectralStack consumed = original.Clone();

        OpticalDensityResult copy = OpticalDensity.FromTransmission(original, options);
        OpticalDensityResult inPlace = OpticalDensity.FromTransmissionInPlace(consumed, options);

        Assert.True(copy.OpticalDensity.Data.Span.SequenceEqual(inPlace.OpticalDensity.Data.Span));
        Assert.True(inPlace.OpticalDensity.Data.Span.Overlaps(consumed.Data.Span));
        Assert.True(consumed.Data.Span.SequenceEqual(inPlace.OpticalDensity.Data.Span));
        Assert.Equal(SpectralQuantity.OpticalDensity, inPlace.OpticalDensity.Quantity);
        Assert.Equal(copy.I0, inPlace.I0);
        Assert.Equal(copy.InvalidPixelCount, inPlace.InvalidPixelCount);
        Assert.True(copy.ValidMask.AsSpan().SequenceEqual(inPlace.ValidMask.AsSpan()));
        Assert.Equal(1, inPlace.InvalidPixelCount);
        Assert.False(original.Data.Span.SequenceEqual(consumed.Data.Span)); // the copying overload left its input alone
    }

    [Fact]
    public void FromTransmissionInPlace_InvalidOptions_ThrowBeforeAnyValueChanges()
    {
        SpectralStack t = Transmission(3, 4, 4, (e, p) => 100f + e + p);
        float[] before = t.Data.ToArray();

        Assert.Throws<ArgumentException>(() =>
            OpticalDensity.FromTransmissionInPlace(t, new OpticalDensityOptions { I0 = I0Source.FromSpectrum([1, 2]) }));
        Assert.Throws<ArgumentException>(() =>
            OpticalDensity.FromTransmissionInPlace(t, new OpticalDensityOptions { NormalizationFactors = [1.0, -1.0, 1.0] }));
        Assert.Throws<ArgumentException>(() => OpticalDensity.FromTransmissionInPlace(
            new SpectralStack(t.Energies, 4, 4, t.Data.ToArray(), SpectralQuantity.OpticalDensity, null)));
        Assert.Throws<ArgumentNullException>(() => OpticalDensity.FromTransmissionInPlace(null!));

        Assert.True(before.AsSpan().SequenceEqual(t.Data.Span));
    }

    [Fact]
    public void FromTransmissionInPlace_NoSampleFreePixel_ThrowsAndLeavesValuesUnchanged()
    {
        SpectralStack t = Transmission(3, 4, 4, (_, p) => p < 8 ? -1f : float.NaN);
        float[] before = t.Data.ToArray();

        Assert.Throws<InvalidStackContentException>(() => OpticalDensity.FromTransmissionInPlace(t));

        Assert.True(before.AsSpan().SequenceEqual(t.Data.Span));
    }

    [Fact]
    public void FromTransmissionStack_RegionI0_AveragesRegion()
    {
        SpectralStack t = Transmission(2, 4, 1, (e, p) => p < 2 ? 1000f * (e + 1) : 100f);
        PixelMask region = new(4, 1, [true, true, false, false]);

        OpticalDensityResult r = OpticalDensity.FromTransmission(t, new OpticalDensityOptions { I0 = I0Source.FromRegion(region) });

        Assert.Same(region, r.SampleFreeMask);
        Assert.Equal([1000.0, 2000.0], r.I0);
        Assert.Equal(Math.Log(20), r.OpticalDensity.Plane(1)[3], 5);
    }

    [Fact]
    public void FromTransmissionStack_WrongI0Length_ThrowsNamingCounts()
    {
        SpectralStack t = Transmission(3, 2, 2, (_, _) => 1f);

        var ex = Assert.Throws<ArgumentException>(() =>
            OpticalDensity.FromTransmission(t, new OpticalDensityOptions { I0 = I0Source.FromSpectrum([1, 2]) }));

        Assert.Contains("(3)", ex.Message, StringComparison.Ordinal);
        Assert.Contains("got 2", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromTransmissionStack_MismatchedI0Images_Throws()
    {
        SpectralStack t = Transmission(3, 2, 2, (_, _) => 1f);
        SpectralStack i0 = Transmission(3, 2, 3, (_, _) => 1f);

        var ex = Assert.Throws<ArgumentException>(() =>
            OpticalDensity.FromTransmission(t, new OpticalDensityOptions { I0 = I0Source.FromImages(i0) }));

        Assert.Contains("2×3", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromTransmissionStack_MismatchedRegion_Throws()
    {
        SpectralStack t = Transmission(3, 2, 2, (_, _) => 1f);

        Assert.Throws<ArgumentException>(() => OpticalDensity.FromTransmission(t,
            new OpticalDensityOptions { I0 = I0Source.FromRegion(PixelMask.Uniform(3, 2)) }));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    public void FromTransmissionStack_BadNormalizationFactor_ThrowsNamingIndexAndValue(double bad)
    {
        SpectralStack t = Transmission(3, 2, 2, (_, _) => 1f);

        var ex = Assert.Throws<ArgumentException>(() => OpticalDensity.FromTransmission(t,
            new OpticalDensityOptions { I0 = I0Source.FromSpectrum([1, 1, 1]), NormalizationFactors = [1, bad, 1] }));

        Assert.Contains("index 1", ex.Message, StringComparison.Ordinal);
        Assert.Equal("options", ex.ParamName);
    }

    [Fact]
    public void FromTransmissionStack_WrongNormalizationLength_Throws()
    {
        SpectralStack t = Transmission(3, 2, 2, (_, _) => 1f);

        var ex = Assert.Throws<ArgumentException>(() => OpticalDensity.FromTransmission(t,
            new OpticalDensityOptions { I0 = I0Source.FromSpectrum([1, 1, 1]), NormalizationFactors = [1, 1] }));

        Assert.Contains("got 2", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromTransmissionStack_AlreadyOd_Throws()
    {
        var od = new SpectralStack(new EnergyAxis([1.0, 2.0]), 2, 2);

        var ex = Assert.Throws<ArgumentException>(() => OpticalDensity.FromTransmission(od));

        Assert.Equal("transmission", ex.ParamName);
    }

    [Fact]
    public void FromTransmissionStack_Cancelled_Throws()
    {
        SpectralStack t = Transmission(3, 2, 2, (_, _) => 1f);
        using var cts = new CancellationTokenSource();
        cts.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() => OpticalDensity.FromTransmission(t,
            new OpticalDensityOptions { I0 = I0Source.FromSpectrum([1, 1, 1]) }, cts.Token));
    }

    [Fact]
    public void FromTransmissionStack_I0OnOwnAxis_IsInterpolatedOntoStackEnergies()
    {
        // Stack energies 700, 701, 702; I0 tabulated at 699.5 and 702.5 eV, linear from 1000 to 1600 → 1100, 1300, 1500.
        SpectralStack t = Transmission(3, 2, 1, (e, _) => 100f);

        OpticalDensityResult r = OpticalDensity.FromTransmission(t, new OpticalDensityOptions
        {
            I0 = I0Source.FromSpectrum(new EnergyAxis([699.5, 702.5]), [1000, 1600]),
        });

        Assert.Equal(1100, r.I0[0], 9);
        Assert.Equal(1300, r.I0[1], 9);
        Assert.Equal(1500, r.I0[2], 9);
        Assert.Equal(Math.Log(15), r.OpticalDensity.Plane(2)[0], 5);
    }

    [Fact]
    public void FromTransmissionStack_I0AxisNotCoveringStack_ThrowsIncompatibleEnergies()
    {
        SpectralStack t = Transmission(3, 2, 1, (e, _) => 100f);

        var ex = Assert.Throws<IncompatibleEnergiesException>(() => OpticalDensity.FromTransmission(t, new OpticalDensityOptions
        {
            I0 = I0Source.FromSpectrum(new EnergyAxis([690.0, 701.0]), [1000, 1600]),
        }));

        Assert.Contains("702", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void I0Source_EmptyRegion_Throws()
    {
        Assert.Throws<ArgumentException>(() => I0Source.FromRegion(PixelMask.Uniform(2, 2, false)));
    }
}
