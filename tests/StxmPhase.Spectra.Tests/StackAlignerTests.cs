namespace StxmPhase.Spectra.Tests;

public class StackAlignerTests
{
    private const int Big = 128;
    private const int Size = 100;

    /// <summary>
    /// Drifting stack: a 128 × 128 periodic image of 30 smooth blobs, Fourier-shifted by the planted drift of each energy
    /// and cropped to its central 100 × 100 window (so borders are not periodic, as in real scans). Each energy also
    /// scales the contrast (absorption changes across an edge). Optional additive Gaussian noise, σ relative to the
    /// image's standard deviation. Seeded.
    /// </summary>
    private static (SpectralStack Stack, ImageShift[] Planted) DriftingStack(int energies, int seed, double noise, Func<int, ImageShift> drift)
    {
        double[] baseImage = SyntheticImages.PeriodicBlobs(Big, Big, 30, seed);
        double sd = Math.Sqrt(baseImage.Select(v => v * v).Average() - Math.Pow(baseImage.Average(), 2));
        var rng = new Random(seed + 1000);
        float[] data = new float[energies * Size * Size];
        var planted = new ImageShift[energies];
        for (int e = 0; e < energies; e++)
        {
            planted[e] = drift(e);
            double[] shifted = SyntheticImages.FourierShift(baseImage, Big, Big, planted[e].X, planted[e].Y);
            Span<float> plane = data.AsSpan(e * Size * Size, Size * Size);
            SyntheticImages.CropCentre(shifted, Big, Big, Size, Size, plane);
            double contrast = 1 + (0.5 * Math.Sin(e));
            for (int p = 0; p < plane.Length; p++)
            {
                plane[p] = (float)((plane[p] * contrast) + (noise * sd * SyntheticImages.Gaussian(rng)));
            }
        }

        var axis = new EnergyAxis(Enumerable.Range(0, energies).Select(e => 700.0 + e));
        return (new SpectralStack(axis, Size, Size, data, SpectralQuantity.Transmission), planted);
    }

    private static void AssertRecovered(ImageShift[] planted, IReadOnlyList<ImageShift> found, int reference, double tolerance)
    {
        for (int e = 0; e < planted.Length; e++)
        {
            double ex = planted[e].X - planted[reference].X;
            double ey = planted[e].Y - planted[reference].Y;
            Assert.True(Math.Abs(found[e].X - ex) < tolerance && Math.Abs(found[e].Y - ey) < tolerance,
                $"energy {e}: found {found[e]}, planted ({ex:F3}, {ey:F3})");
        }
    }

    private static ImageShift LinearDrift(int e) => new((0.37 * e) - 1.1, (-0.23 * e) + (0.3 * Math.Sin(3 * e)));

    [Fact]
    public void Align_FixedReference_RecoversPlantedSubPixelShifts()
    {
        (SpectralStack stack, ImageShift[] planted) = DriftingStack(9, 1, 0, LinearDrift);

        StackAlignmentResult r = StackAligner.Align(stack, new StackAlignmentOptions { Reference = AlignmentReference.Fixed, ReferenceIndex = 0 });

        AssertRecovered(planted, r.Shifts, 0, 0.1);
        Assert.Equal(new ImageShift(0, 0), r.Shifts[0]);
    }

    [Fact]
    public void Align_NeighbourChain_RecoversPlantedSubPixelShifts()
    {
        (SpectralStack stack, ImageShift[] planted) = DriftingStack(9, 2, 0, LinearDrift);

        StackAlignmentResult r = StackAligner.Align(stack);

        AssertRecovered(planted, r.Shifts, 4, 0.1); // default reference: the middle energy
    }

    [Theory]
    [InlineData(AlignmentReference.Fixed, AlignmentEdgeFilter.None, 0.1)]
    [InlineData(AlignmentReference.Neighbor, AlignmentEdgeFilter.None, 0.1)]
    [InlineData(AlignmentReference.Fixed, AlignmentEdgeFilter.Sobel, 0.0)]
    [InlineData(AlignmentReference.Neighbor, AlignmentEdgeFilter.Sobel, 0.0)]
    public void Align_NoisyOrFilteredStack_RecoversPlantedShiftsWithin01Pixel(AlignmentReference mode, AlignmentEdgeFilter filter, double noise)
    {
        // Noise σ relative to the image standard deviation (10 %).
        (SpectralStack stack, ImageShift[] planted) = DriftingStack(7, 3, noise, LinearDrift);

        StackAlignmentResult r = StackAligner.Align(stack, new StackAlignmentOptions { Reference = mode, EdgeFilter = filter });

        AssertRecovered(planted, r.Shifts, 3, 0.1);
    }

    [Fact]
    public void Align_LargeDrift_CropsToCommonRegion()
    {
        (SpectralStack stack, ImageShift[] planted) = DriftingStack(4, 4, 0, e => new ImageShift(3.4 * e, -2.6 * e));

        StackAlignmentResult r = StackAligner.Align(stack, new StackAlignmentOptions { Reference = AlignmentReference.Fixed, ReferenceIndex = 0 });

        AssertRecovered(planted, r.Shifts, 0, 0.1);

        // Shifts up to (10.2, −7.8): columns 0…88 (99 − 10.2 = 88.8) and rows 8…99 are sampled inside every image.
        Assert.Equal(0, r.CropX);
        Assert.Equal(8, r.CropY);
        Assert.Equal(89, r.Aligned.Width);
        Assert.Equal(92, r.Aligned.Height);
        Assert.All(r.Aligned.Data.ToArray(), v => Assert.True(float.IsFinite(v)));
        Assert.Equal(SpectralQuantity.Transmission, r.Aligned.Quantity);
    }

    [Fact]
    public void Align_AlignedImages_MatchReferenceContent()
    {
        (SpectralStack stack, _) = DriftingStack(3, 5, 0, e => new ImageShift(2.5 * e, 1.25 * e));

        StackAlignmentResult r = StackAligner.Align(stack, new StackAlignmentOptions { Reference = AlignmentReference.Fixed, ReferenceIndex = 0 });

        // After alignment, image 2 / contrast(2) ≈ image 0 / contrast(0) (bilinear interpolation error only).
        ReadOnlySpan<float> a = r.Aligned.Plane(0);
        ReadOnlySpan<float> b = r.Aligned.Plane(2);
        double c0 = 1;
        double c2 = 1 + (0.5 * Math.Sin(2));
        double maxDiff = 0;
        double maxValue = 0;
        for (int p = 0; p < a.Length; p++)
        {
            maxDiff = Math.Max(maxDiff, Math.Abs((a[p] / c0) - (b[p] / c2)));
            maxValue = Math.Max(maxValue, Math.Abs(a[p]));
        }

        Assert.True(maxDiff < 0.05 * maxValue, $"max difference {maxDiff} of {maxValue}");
    }

    [Fact]
    public void Align_MaximumShift_LimitsSearch()
    {
        (SpectralStack stack, _) = DriftingStack(2, 6, 0, e => new ImageShift(9 * e, 0));

        StackAlignmentResult r = StackAligner.Align(stack, new StackAlignmentOptions
        {
            Reference = AlignmentReference.Fixed,
            ReferenceIndex = 0,
            MaximumShift = 4,
        });

        Assert.True(Math.Abs(r.Shifts[1].X) <= 4 + 1e-12, $"{r.Shifts[1]}");
    }

    [Fact]
    public void Align_ReportsProgressOncePerEnergy()
    {
        (SpectralStack stack, _) = DriftingStack(5, 7, 0, LinearDrift);
        var reports = new List<int>();
        var progress = new SynchronousProgress(reports);

        StackAligner.Align(stack, new StackAlignmentOptions { UpsampleFactor = 10 }, progress);

        Assert.Equal([1, 2, 3, 4, 5], reports.Order().ToArray());
    }

    [Fact]
    public void Align_Cancelled_Throws()
    {
        (SpectralStack stack, _) = DriftingStack(3, 8, 0, LinearDrift);
        using var cts = new CancellationTokenSource();
        cts.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() => StackAligner.Align(stack, null, null, cts.Token));
    }

    [Fact]
    public void Align_NaNPixels_DoNotBreakRegistration()
    {
        (SpectralStack stack, ImageShift[] planted) = DriftingStack(3, 9, 0, LinearDrift);
        stack.Plane(1)[500] = float.NaN;
        stack.Plane(2)[7000] = float.PositiveInfinity;

        StackAlignmentResult r = StackAligner.Align(stack, new StackAlignmentOptions { Reference = AlignmentReference.Fixed, ReferenceIndex = 0 });

        AssertRecovered(planted, r.Shifts, 0, 0.1);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(3)]
    public void Align_ReferenceIndexOutOfRange_ThrowsNamingValue(int index)
    {
        var stack = new SpectralStack(new EnergyAxis([1.0, 2.0, 3.0]), 8, 8);

        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => StackAligner.Align(stack, new StackAlignmentOptions { ReferenceIndex = index }));

        Assert.Contains(index.ToString(System.Globalization.CultureInfo.InvariantCulture), ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Align_BadUpsampleFactor_Throws()
    {
        var stack = new SpectralStack(new EnergyAxis([1.0, 2.0]), 8, 8);

        Assert.Throws<ArgumentOutOfRangeException>(() => StackAligner.Align(stack, new StackAlignmentOptions { UpsampleFactor = 0 }));
    }

    [Fact]
    public void ApplyShifts_WrongCount_Throws()
    {
        var stack = new SpectralStack(new EnergyAxis([1.0, 2.0]), 8, 8);

        var ex = Assert.Throws<ArgumentException>(() => StackAligner.ApplyShifts(stack, [new ImageShift(0, 0)]));

        Assert.Equal("shifts", ex.ParamName);
    }

    [Fact]
    public void ApplyShifts_ShiftLargerThanImage_ThrowsInvalidStackContent()
    {
        var stack = new SpectralStack(new EnergyAxis([1.0, 2.0]), 8, 8);

        Assert.Throws<InvalidStackContentException>(() => StackAligner.ApplyShifts(stack, [new ImageShift(0, 0), new ImageShift(9, 0)]));
    }

    [Fact]
    public void ApplyShifts_NoCrop_FillsOutsideWithFillValue()
    {
        var stack = new SpectralStack(new EnergyAxis([1.0]), 4, 1, new float[] { 1, 2, 3, 4 }, SpectralQuantity.Transmission);

        StackAlignmentResult r = StackAligner.ApplyShifts(stack, [new ImageShift(1.5, 0)], cropToCommonRegion: false, fillValue: -1);

        Assert.Equal([2.5f, 3.5f, -1f, -1f], r.Aligned.Plane(0).ToArray());
    }

    [Fact]
    public void EstimateShift_MismatchedImage_Throws()
    {
        var ex = Assert.Throws<ArgumentException>(() => StackAligner.EstimateShift(new float[16], new float[15], 4, 4));

        Assert.Equal("moving", ex.ParamName);
    }

    private sealed class SynchronousProgress(List<int> reports) : IProgress<int>
    {
        public void Report(int value)
        {
            lock (reports)
            {
                reports.Add(value);
            }
        }
    }
}
