namespace StxmPhase.Figures.Tests;

public sealed class PaletteAndOptionsTests
{
    [Theory]
    [InlineData("#E69F00", 0xE6, 0x9F, 0x00)]
    [InlineData("56b4e9", 0x56, 0xB4, 0xE9)]
    [InlineData(" #000000 ", 0, 0, 0)]
    public void FromHex_ValidText_ParsesChannels(string hex, int r, int g, int b)
    {
        FigureColor c = FigureColor.FromHex(hex);

        Assert.Equal(new FigureColor((byte)r, (byte)g, (byte)b), c);
    }

    [Theory]
    [InlineData("#E69F0")]
    [InlineData("#GGGGGG")]
    [InlineData("")]
    [InlineData("#E69F00FF")]
    public void FromHex_InvalidText_ThrowsArgumentException(string hex)
    {
        var ex = Assert.Throws<ArgumentException>(() => FigureColor.FromHex(hex));
        Assert.Equal("hex", ex.ParamName);
    }

    [Fact]
    public void ToHex_Colour_RoundTripsThroughFromHex()
    {
        var c = new FigureColor(0x12, 0xAB, 0xEF);

        Assert.Equal("#12ABEF", c.ToHex());
        Assert.Equal(c, FigureColor.FromHex(c.ToHex()));
    }

    [Theory]
    [InlineData(1.0, 200, 100, 50)]
    [InlineData(0.5, 100, 50, 25)]
    [InlineData(0.0, 0, 0, 0)]
    [InlineData(2.0, 200, 100, 50)]
    [InlineData(-1.0, 0, 0, 0)]
    [InlineData(double.NaN, 0, 0, 0)]
    public void WithBrightness_Factor_ScalesAndClamps(double b, int r, int g, int bl)
    {
        Assert.Equal(new FigureColor((byte)r, (byte)g, (byte)bl), new FigureColor(200, 100, 50).WithBrightness(b));
    }

    [Fact]
    public void OkabeIto_Default_StartsWithOrangeSkyBlueBluishGreen()
    {
        Assert.Same(PhasePalette.OkabeIto, FigureOptions.Default.Palette);
        Assert.Equal("#E69F00", PhasePalette.OkabeIto.GetColor(0).ToHex());
        Assert.Equal("#56B4E9", PhasePalette.OkabeIto.GetColor(1).ToHex());
        Assert.Equal("#009E73", PhasePalette.OkabeIto.GetColor(2).ToHex());
        Assert.Equal(7, PhasePalette.OkabeIto.Count);
    }

    [Fact]
    public void BuiltInPalettes_Colours_ContainNoGreyOrBlackAndAreDistinct()
    {
        foreach (PhasePalette palette in new[] { PhasePalette.OkabeIto, PhasePalette.TolBright, PhasePalette.TolMuted })
        {
            Assert.DoesNotContain(palette.Colors, c => c.R == c.G && c.G == c.B);
            Assert.Equal(palette.Count, palette.Colors.Distinct().Count());
        }
    }

    [Fact]
    public void GetColor_PhaseBeyondCount_Cycles()
    {
        PhasePalette p = PhasePalette.TolBright;

        Assert.Equal(p.GetColor(1), p.GetColor(1 + p.Count));
        Assert.Throws<ArgumentOutOfRangeException>(() => p.GetColor(-1));
    }

    [Fact]
    public void PhasePalette_EmptyColours_ThrowsArgumentException()
    {
        var ex = Assert.Throws<ArgumentException>(() => new PhasePalette("none", []));
        Assert.Equal("colors", ex.ParamName);
    }

    [Fact]
    public void FigureOptions_Defaults_AreDocumentedValues()
    {
        var o = new FigureOptions();

        Assert.Null(o.WidthPx);
        Assert.Null(o.HeightPx);
        Assert.Equal(96, o.Dpi);
        Assert.Equal(10, o.ReliabilityMax);
        Assert.Equal(20_000, o.MaxScatterPoints);
        Assert.Equal(new FigureColor(255, 255, 255), o.UnassignedColor);
        Assert.Equal(new FigureColor(0x99, 0x99, 0x99), o.AmbiguousColor);
        Assert.True(o.LogScaleY);
        Assert.True(o.ShowLegend);
        Assert.True(o.ShowScaleBar);
    }

    [Fact]
    public void FigureOptions_OutOfRangeValues_ThrowWithPropertyName()
    {
        Assert.Equal("WidthPx", Assert.Throws<ArgumentOutOfRangeException>(() => new FigureOptions { WidthPx = 10 }).ParamName);
        Assert.Equal("HeightPx", Assert.Throws<ArgumentOutOfRangeException>(() => new FigureOptions { HeightPx = 30_000 }).ParamName);
        Assert.Equal("Dpi", Assert.Throws<ArgumentOutOfRangeException>(() => new FigureOptions { Dpi = double.NaN }).ParamName);
        Assert.Equal("PixelSizeNm", Assert.Throws<ArgumentOutOfRangeException>(() => new FigureOptions { PixelSizeNm = 0 }).ParamName);
        Assert.Equal("ReliabilityMax", Assert.Throws<ArgumentOutOfRangeException>(() => new FigureOptions { ReliabilityMax = -1 }).ParamName);
        Assert.Equal("MaxScatterPoints", Assert.Throws<ArgumentOutOfRangeException>(() => new FigureOptions { MaxScatterPoints = 0 }).ParamName);
        Assert.Equal("MarkerSizePx", Assert.Throws<ArgumentOutOfRangeException>(() => new FigureOptions { MarkerSizePx = 100 }).ParamName);
        Assert.Throws<ArgumentNullException>(() => new FigureOptions { Palette = null! });
    }
}
