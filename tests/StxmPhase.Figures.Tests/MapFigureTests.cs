using StxmPhase.Spectra;

namespace StxmPhase.Figures.Tests;

public sealed class MapFigureTests
{
    private static readonly string[] s_fourPhases = ["A", "B", "C", "D"];
    private static readonly FigureColor s_magenta = new(255, 0, 255);
    private static readonly FigureColor s_olive = new(0x7F, 0x7F, 0x00);

    private static PhaseMap Map(int width, int height, Func<int, int, int> label)
    {
        int[] labels = new int[width * height];
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                labels[(y * width) + x] = label(x, y);
            }
        }

        return PhaseMap.FromArray(width, height, s_fourPhases, labels);
    }

    [Fact]
    public void RenderPhaseMap_RequestedSizeAndDpi_PngHasThatSizeAndResolution()
    {
        PhaseMap map = Map(30, 20, (x, y) => x / 10);

        byte[] png = PhaseFigures.RenderPhaseMap(map, new FigureOptions { WidthPx = 640, HeightPx = 480, Dpi = 192 });

        var image = new FigureImage(png);
        Assert.Equal(640, image.Width);
        Assert.Equal(480, image.Height);
        Assert.Equal(192, PhaseFigures.ReadPngDpi(png)!.Value, 0.05);
    }

    [Fact]
    public void RenderPhaseMap_DefaultOptions_Is900By700At96Dpi()
    {
        byte[] png = PhaseFigures.RenderPhaseMap(Map(10, 10, (x, y) => 0));

        var image = new FigureImage(png);
        Assert.Equal((900, 700), (image.Width, image.Height));
        Assert.Equal(96, PhaseFigures.ReadPngDpi(png)!.Value, 0.05);
    }

    [Fact]
    public void RenderPhaseMap_NoMatchPixels_DrawnInNoMatchColourNotUnassigned()
    {
        PhaseMap map = Map(40, 40, (x, y) => x < 20 ? PhaseMap.NoMatch : 1);

        var image = new FigureImage(PhaseFigures.RenderPhaseMap(map, new FigureOptions { NoMatchColor = s_magenta, UnassignedColor = s_olive }));

        Assert.True(image.Count(s_magenta) > 0.1 * image.PixelCount, $"no-match {image.Count(s_magenta)} of {image.PixelCount}");
        Assert.Equal(0, image.Count(s_olive));
    }

    [Fact]
    public void RenderPhaseMap_MostlyUnassigned_UnassignedColourDominates()
    {
        PhaseMap map = Map(40, 40, (x, y) => x is >= 5 and < 9 && y is >= 5 and < 9 ? 1 : PhaseMap.Unassigned);

        var image = new FigureImage(PhaseFigures.RenderPhaseMap(map, new FigureOptions { UnassignedColor = s_magenta }));

        int background = image.Count(s_magenta);
        int phase = image.Count(PhasePalette.OkabeIto.GetColor(1));
        Assert.True(background > 0.15 * image.PixelCount, $"background {background} of {image.PixelCount}");
        Assert.True(phase > 0);
        Assert.InRange((double)phase / background, 16.0 / 1600 * 0.7, 16.0 / 1584 * 1.6);
    }

    [Fact]
    public void RenderPhaseMap_ThreePhasesOfFour_MapAndLegendUsePaletteColours()
    {
        PhaseMap map = Map(30, 30, (x, y) => x / 10);
        FigureColor unused = PhasePalette.OkabeIto.GetColor(3);

        var withLegend = new FigureImage(PhaseFigures.RenderPhaseMap(map));
        var withoutLegend = new FigureImage(PhaseFigures.RenderPhaseMap(map, new FigureOptions { ShowLegend = false }));

        for (int p = 0; p < 3; p++)
        {
            Assert.True(withLegend.Count(PhasePalette.OkabeIto.GetColor(p)) > 10_000);
        }

        // Phase D is not in the map: its colour appears only as the legend swatch.
        int swatch = withLegend.Count(unused);
        Assert.InRange(swatch, 20, 2_000);
        Assert.Equal(0, withoutLegend.Count(unused));
    }

    [Fact]
    public void RenderPhaseMap_Quadrants_RowZeroAtTopColumnZeroAtLeft()
    {
        PhaseMap map = Map(20, 20, (x, y) => (x < 10 ? 0 : 1) + (y < 10 ? 0 : 2));

        var image = new FigureImage(PhaseFigures.RenderPhaseMap(map, new FigureOptions { ShowLegend = false }));

        (double X, double Y) topLeft = image.Centroid(PhasePalette.OkabeIto.GetColor(0));
        (double X, double Y) topRight = image.Centroid(PhasePalette.OkabeIto.GetColor(1));
        (double X, double Y) bottomLeft = image.Centroid(PhasePalette.OkabeIto.GetColor(2));
        Assert.True(topLeft.X < topRight.X);
        Assert.True(topLeft.Y < bottomLeft.Y);
        Assert.Equal(topLeft.Y, topRight.Y, 1.0);
    }

    [Theory]
    [InlineData(0f, 10, 0)]
    [InlineData(5f, 10, 0.5)]
    [InlineData(10f, 10, 1)]
    [InlineData(25f, 10, 1)]
    [InlineData(-3f, 10, 0)]
    [InlineData(float.NaN, 10, 0)]
    [InlineData(1f, 4, 0.25)]
    public void ReliabilityBrightness_Rule_IsMinOfROverRmaxAndOne(float r, double rMax, double expected)
    {
        Assert.Equal(expected, PhaseFigures.ReliabilityBrightness(r, rMax), 12);
    }

    [Fact]
    public void RenderPhaseMap_ReliabilityBands_BrightnessIncreasesWithReliability()
    {
        // One phase everywhere; reliability rises in four vertical bands from left to right.
        float[] bandR = [0.5f, 3f, 6f, 12f];
        const int width = 40, height = 20;
        PhaseMap map = Map(width, height, (x, y) => 0);
        float[] reliability = new float[width * height];
        for (int i = 0; i < reliability.Length; i++)
        {
            reliability[i] = bandR[(i % width) / 10];
        }

        var image = new FigureImage(PhaseFigures.RenderPhaseMap(map, reliability, new FigureOptions { ReliabilityMax = 10 }));

        FigureColor orange = PhasePalette.OkabeIto.GetColor(0);
        double previousX = double.NegativeInfinity;
        double previousLuminance = -1;
        foreach (float r in bandR)
        {
            FigureColor expected = orange.WithBrightness(Math.Min(r / 10.0, 1));
            Assert.True(image.Count(expected) > 2_000, $"band R = {r}: colour {expected} occurs {image.Count(expected)} times");
            (double x, _) = image.Centroid(expected);
            double luminance = (0.2126 * expected.R) + (0.7152 * expected.G) + (0.0722 * expected.B);
            Assert.True(x > previousX);
            Assert.True(luminance > previousLuminance);
            previousX = x;
            previousLuminance = luminance;
        }
    }

    [Fact]
    public void RenderPhaseMap_ReliabilityOfUnassignedPixels_KeepsBackgroundColour()
    {
        PhaseMap map = Map(20, 20, (x, y) => x < 10 ? PhaseMap.Unassigned : 2);
        float[] reliability = new float[400];

        var image = new FigureImage(PhaseFigures.RenderPhaseMap(map, reliability,
            new FigureOptions { UnassignedColor = s_magenta, ShowLegend = false }));

        // Left half background (not darkened), right half black (R = 0).
        int background = image.Count(s_magenta);
        Assert.True(background > 20_000);
        Assert.Equal(0, image.Count(PhasePalette.OkabeIto.GetColor(2)));
    }

    [Fact]
    public void RenderPhaseMap_ReliabilityOfWrongLength_ThrowsArgumentException()
    {
        PhaseMap map = Map(4, 4, (x, y) => 0);

        var ex = Assert.Throws<ArgumentException>(() => PhaseFigures.RenderPhaseMap(map, new float[15]));
        Assert.Equal("reliability", ex.ParamName);
        Assert.Throws<ArgumentNullException>(() => PhaseFigures.RenderPhaseMap((PhaseMap)null!));
    }

    [Fact]
    public void RenderPhaseMap_PixelSizeFromOptionOrMetadata_DrawsScaleBar()
    {
        PhaseMap map = Map(100, 50, (x, y) => x / 25);

        var withOption = new FigureImage(PhaseFigures.RenderPhaseMap(map, new FigureOptions { PixelSizeNm = 20 }));
        var withMetadata = new FigureImage(PhaseFigures.RenderPhaseMap(map, null, new StackMetadata { PixelSizeXNm = 20 }));
        var hidden = new FigureImage(PhaseFigures.RenderPhaseMap(map, new FigureOptions { PixelSizeNm = 20, ShowScaleBar = false }));
        var unknown = new FigureImage(PhaseFigures.RenderPhaseMap(map));

        Assert.True(withOption.HasThickBlackBar(20, 3));
        Assert.True(withMetadata.HasThickBlackBar(20, 3));
        Assert.False(hidden.HasThickBlackBar(20, 3));
        Assert.False(unknown.HasThickBlackBar(20, 3));
    }

    [Theory]
    [InlineData(400, 200)]
    [InlineData(199, 100)]
    [InlineData(1000, 1000)]
    [InlineData(620, 500)]
    [InlineData(0.37, 0.2)]
    public void NiceLength_Target_LargestOneTwoFiveStepNotAbove(double target, double expected)
    {
        Assert.Equal(expected, MapPanel.NiceLength(target), 9);
    }

    [Theory]
    [InlineData(200, "200 nm")]
    [InlineData(1000, "1 µm")]
    [InlineData(2000, "2 µm")]
    [InlineData(0.5, "0.5 nm")]
    public void FormatLength_Nanometres_UsesNmBelowOneMicrometre(double nm, string expected)
    {
        Assert.Equal(expected, MapPanel.FormatLength(nm));
    }

    [Fact]
    public void RenderAmbiguityMap_NoAmbiguousPixels_AmbiguousColourAbsent()
    {
        PhaseMap map = Map(20, 20, (x, y) => x / 5);
        var options = new FigureOptions { AmbiguousColor = s_olive };

        var image = new FigureImage(PhaseFigures.RenderAmbiguityMap(map, PixelMask.Uniform(20, 20, false), options));

        Assert.Equal(0, image.Count(s_olive));
        Assert.True(image.Count(PhasePalette.OkabeIto.GetColor(0)) > 5_000);
    }

    [Fact]
    public void RenderAmbiguityMap_AmbiguousBlock_DrawnInAmbiguousColourOverItsPhase()
    {
        const int n = 40;
        PhaseMap map = Map(n, n, (x, y) => 0);
        bool[] mask = new bool[n * n];
        for (int y = 10; y < 20; y++)
        {
            for (int x = 10; x < 20; x++)
            {
                mask[(y * n) + x] = true;
            }
        }

        var image = new FigureImage(PhaseFigures.RenderAmbiguityMap(map, PixelMask.FromArray(n, n, mask),
            new FigureOptions { AmbiguousColor = s_olive, ShowLegend = false }));

        int ambiguous = image.Count(s_olive);
        int phase = image.Count(PhasePalette.OkabeIto.GetColor(0));
        Assert.True(ambiguous > 1_000);
        Assert.InRange((double)ambiguous / phase, 100.0 / 1500 * 0.9, 100.0 / 1500 * 1.1);
    }

    [Fact]
    public void RenderAmbiguityMap_DefaultColours_AmbiguousPixelsAreGrey999999()
    {
        PhaseMap map = Map(20, 20, (x, y) => 1);
        bool[] half = new bool[400];
        for (int i = 0; i < 200; i++)
        {
            half[i] = true;
        }

        var some = new FigureImage(PhaseFigures.RenderAmbiguityMap(map, PixelMask.FromArray(20, 20, half)));
        var none = new FigureImage(PhaseFigures.RenderAmbiguityMap(map, PixelMask.Uniform(20, 20, false)));

        var grey = FigureColor.FromHex("#999999");
        Assert.True(some.Count(grey) > 20_000);
        Assert.True(none.Count(grey) < 200, $"grey occurs {none.Count(grey)} times without ambiguous pixels");
    }

    [Fact]
    public void RenderAmbiguityMap_MaskOfOtherSize_ThrowsArgumentException()
    {
        PhaseMap map = Map(10, 10, (x, y) => 0);

        var ex = Assert.Throws<ArgumentException>(() => PhaseFigures.RenderAmbiguityMap(map, PixelMask.Uniform(10, 9)));
        Assert.Equal("ambiguous", ex.ParamName);
    }

    [Fact]
    public void RenderAmbiguityMap_FromCorrelationResult_ShowsSyntheticAmbiguousBands()
    {
        CorrelationResult correlation = SyntheticFigureInputs.Correlation();
        Assert.True(correlation.AmbiguousCount > 100);

        var image = new FigureImage(PhaseFigures.RenderAmbiguityMap(correlation,
            new FigureOptions { AmbiguousColor = s_olive, UnassignedColor = s_magenta }));

        Assert.True(image.Count(s_olive) > 5 * correlation.AmbiguousCount);
        Assert.True(image.Count(s_magenta) > 5 * correlation.MaskedCount);
    }

    [Fact]
    public void RenderCorrelationMaps_FixedRange_EndpointsUseViridisEndsAndNaNUsesBackground()
    {
        const int w = 20, h = 10, n = w * h;
        float[] values = new float[2 * n];
        for (int i = 0; i < n; i++)
        {
            values[i] = i < n / 2 ? 0f : 1f;        // phase 0: half at the minimum, half at the maximum
            values[n + i] = i % w < 5 ? float.NaN : 0.5f; // phase 1: a NaN band
        }

        var viridis = new ScottPlot.Colormaps.Viridis();
        var low = ToFigureColor(viridis.GetColor(0));
        var high = ToFigureColor(viridis.GetColor(1));
        var options = new FigureOptions { CorrelationMin = 0, CorrelationMax = 1, UnassignedColor = s_magenta };

        var image = new FigureImage(PhaseFigures.RenderCorrelationMaps(w, h, ["P", "Q"], values, options));

        Assert.True(image.Count(low) > 1_000);
        Assert.True(image.Count(high) > 1_000);
        Assert.True(image.Count(s_magenta) > 1_000);
    }

    [Fact]
    public void RenderCorrelationMaps_AllFinite_NoBackgroundColour()
    {
        const int w = 12, h = 12;
        float[] values = Enumerable.Range(0, 3 * w * h).Select(i => (float)Math.Sin(i)).ToArray();

        var image = new FigureImage(PhaseFigures.RenderCorrelationMaps(w, h, ["P", "Q", "R"], values,
            new FigureOptions { UnassignedColor = s_magenta }));

        Assert.Equal(0, image.Count(s_magenta));
        Assert.Equal((1200, 800), (image.Width, image.Height));
    }

    [Fact]
    public void RenderCorrelationMaps_FromCorrelationResult_MaskedPixelsUseBackground()
    {
        CorrelationResult correlation = SyntheticFigureInputs.Correlation();

        var image = new FigureImage(PhaseFigures.RenderCorrelationMaps(correlation, new FigureOptions { UnassignedColor = s_magenta }));

        Assert.True(image.Count(s_magenta) > correlation.PhaseCount * correlation.MaskedCount);
    }

    [Fact]
    public void RenderCorrelationMaps_MapLargerThanItsPanel_DrawsBlockMeansNotAliasedPixels()
    {
        // Two phases in a 1200 × 800 figure: cells of at most 600 × 800 px, so a 1600² map is drawn from 2 × 2 block
        // means. A checkerboard of 0 and 1 then shows as the colour of 0.5 and never as either extreme; the NaN left
        // quarter of phase Q stays background, and a block with one value in four is background too.
        const int w = 1600, h = 1600, n = w * h;
        float[] values = new float[2 * n];
        for (int y = 0; y < h; y++)
        {
            for (int x = 0; x < w; x++)
            {
                int i = (y * w) + x;
                values[i] = (x + y) % 2 == 0 ? 0f : 1f;
                values[n + i] = x < w / 4 ? float.NaN : (x % 2 == 0 && y % 2 == 0 && x < w / 2 ? 0.5f : (x < w / 2 ? float.NaN : 0.5f));
            }
        }

        var viridis = new ScottPlot.Colormaps.Viridis();
        var options = new FigureOptions { CorrelationMin = 0, CorrelationMax = 1, UnassignedColor = s_magenta };

        var image = new FigureImage(PhaseFigures.RenderCorrelationMaps(w, h, ["P", "Q"], values, options));

        Assert.Equal((1200, 800), (image.Width, image.Height));
        Assert.True(image.Count(ToFigureColor(viridis.GetColor(0.5))) > 100_000); // both maps' valued parts
        Assert.True(image.Count(ToFigureColor(viridis.GetColor(0))) < 1_000);   // no aliased extremes (the colour bar's ends only)
        Assert.True(image.Count(ToFigureColor(viridis.GetColor(1))) < 1_000);
        Assert.True(image.Count(s_magenta) > 40_000);                           // the left half of Q: NaN, then 1-in-4 blocks
    }

    [Fact]
    public void RenderCorrelationMaps_WrongLength_ThrowsArgumentException()
    {
        var ex = Assert.Throws<ArgumentException>(() => PhaseFigures.RenderCorrelationMaps(4, 4, ["P", "Q"], new float[31]));
        Assert.Equal("correlations", ex.ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => PhaseFigures.RenderCorrelationMaps(0, 4, ["P"], new float[0]));
    }

    private static FigureColor ToFigureColor(ScottPlot.Color c) => new(c.R, c.G, c.B);
}
