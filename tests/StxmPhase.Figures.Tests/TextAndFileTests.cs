using StxmPhase.Spectra;

namespace StxmPhase.Figures.Tests;

public sealed class TextAndFileTests
{
    private static PhaseMap SmallMap() => PhaseMap.FromArray(8, 8, ["A", "B"], Enumerable.Range(0, 64).Select(i => i % 2).ToArray());

    [Fact]
    public void Render_LongerTitle_DrawsMoreDarkTextPixelsInTitleBand()
    {
        // If fonts failed to load, text would silently not draw and both counts would be zero.
        var shortTitle = new FigureImage(PhaseFigures.RenderPhaseMap(SmallMap(), new FigureOptions { Title = "I", PixelSizeNm = 10 }));
        var longTitle = new FigureImage(PhaseFigures.RenderPhaseMap(SmallMap(),
            new FigureOptions { Title = "WWWW Phase map WWWW", PixelSizeNm = 10 }));

        int shortDark = shortTitle.CountDark(0, 30);
        int longDark = longTitle.CountDark(0, 30);
        Assert.True(shortDark > 5, $"short title: {shortDark} dark pixels");
        Assert.True(longDark > 10 * shortDark, $"long title: {longDark} dark pixels, short: {shortDark}");
    }

    [Fact]
    public void Render_EmptyTitle_NoTextInTopBand()
    {
        var image = new FigureImage(PhaseFigures.RenderAmbiguityMap(SmallMap(), PixelMask.Uniform(8, 8, false),
            new FigureOptions { Title = string.Empty, PixelSizeNm = 10, WidthPx = 800, HeightPx = 400 }));

        Assert.Equal(0, image.CountDark(0, 5));
    }

    [Fact]
    public void Render_LongerPhaseNames_DrawMoreLegendText()
    {
        var shortNames = PhaseMap.FromArray(2, 1, ["a", "b"], [0, 1]);
        var longNames = PhaseMap.FromArray(2, 1, ["Na3.0VPF reference", "Na1.0VPF reference"], [0, 1]);
        var options = new FigureOptions { Title = string.Empty, WidthPx = 900, HeightPx = 400 };

        // The legend sits in the side column at the right (at least the rightmost 180 px).
        int shortDark = new FigureImage(PhaseFigures.RenderPhaseMap(shortNames, options)).CountDark(0, 400, 900 - 180);
        int longDark = new FigureImage(PhaseFigures.RenderPhaseMap(longNames, options)).CountDark(0, 400, 900 - 180);

        Assert.True(shortDark > 50, $"short names: {shortDark}");
        Assert.True(longDark > 1.3 * shortDark, $"long names: {longDark}, short names: {shortDark}");
    }

    [Fact]
    public void Render_HigherDpi_ScalesTextAndKeepsPixelSize()
    {
        var normal = new FigureImage(PhaseFigures.RenderPhaseMap(SmallMap(), new FigureOptions { Title = "Title", WidthPx = 800, HeightPx = 600 }));
        var doubled = new FigureImage(PhaseFigures.RenderPhaseMap(SmallMap(),
            new FigureOptions { Title = "Title", WidthPx = 800, HeightPx = 600, Dpi = 192 }));

        Assert.Equal((800, 600), (doubled.Width, doubled.Height));
        Assert.True(doubled.CountDark(0, 60) > 2.5 * normal.CountDark(0, 30));
    }

    [Fact]
    public void SavePng_ExistingFile_ReplacedAtomicallyWithoutTemporaryFiles()
    {
        string folder = Path.Combine(Path.GetTempPath(), "stxmphase-figures-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            string path = Path.Combine(folder, "map.png");
            File.WriteAllText(path, "old");
            byte[] png = PhaseFigures.RenderPhaseMap(SmallMap());

            PhaseFigures.SavePng(path, png);

            Assert.Equal(png, File.ReadAllBytes(path));
            Assert.Equal(new[] { "map.png" }, Directory.GetFiles(folder).Select(f => Path.GetFileName(f)).ToArray());
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void SavePng_MissingFolder_ThrowsDirectoryNotFoundException()
    {
        string path = Path.Combine(Path.GetTempPath(), "no-such-folder-" + Guid.NewGuid().ToString("N"), "map.png");

        var ex = Assert.Throws<DirectoryNotFoundException>(() => PhaseFigures.SavePng(path, [1, 2, 3]));
        Assert.Contains("map.png", ex.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => PhaseFigures.SavePng(" ", [1]));
    }

    [Fact]
    public void WithResolution_72Dpi_WritesStandardPhysChunkWithCorrectCrc()
    {
        byte[] png = PhaseFigures.RenderPhaseMap(SmallMap(), new FigureOptions { Dpi = 72 });

        // 72 dpi = 2835 pixels per metre (0x0B13); the CRC of this pHYs chunk is the well-known 0x009A9C18.
        byte[] expected = [0, 0, 0, 9, (byte)'p', (byte)'H', (byte)'Y', (byte)'s', 0, 0, 0x0B, 0x13, 0, 0, 0x0B, 0x13, 1, 0x00, 0x9A, 0x9C, 0x18];
        Assert.Equal(expected, png.AsSpan(33, expected.Length).ToArray());
        Assert.Equal(72, PhaseFigures.ReadPngDpi(png)!.Value, 0.05);
        Assert.Null(PhaseFigures.ReadPngDpi([0x89, (byte)'P', (byte)'N', (byte)'G', 13, 10, 26, 10]));
    }
}
