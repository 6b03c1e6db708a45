namespace StxmPhase.Figures.Tests;

public class ScaleBarPlacementTests
{
    private static readonly (double Width, double Height) s_box = (30, 12);

    [Fact]
    public void ChooseCorner_NoSampleInformationOrEmptyMap_BottomRight()
    {
        Assert.Equal((false, false), MapPanel.ChooseCorner(100, 100, s_box, null));
        Assert.Equal((false, false), MapPanel.ChooseCorner(100, 100, s_box, (_, _) => false));
    }

    [Fact]
    public void ChooseCorner_ParticleInTheBottomRight_MovesToAnEmptyCorner()
    {
        // A particle over the lower right quarter, where the label used to be drawn over it.
        (bool left, bool top) = MapPanel.ChooseCorner(100, 100, s_box, (x, y) => x >= 50 && y >= 50);

        Assert.Equal((true, false), (left, top));
    }

    [Fact]
    public void ChooseCorner_ParticleAlongTheBottom_MovesToTheTop()
    {
        (bool left, bool top) = MapPanel.ChooseCorner(100, 100, s_box, (_, y) => y >= 60);

        Assert.Equal((false, true), (left, top));
    }

    [Fact]
    public void RenderPhaseMap_ParticleUnderTheDefaultCorner_StillRendersWithAScaleBar()
    {
        int w = 64, h = 64;
        int[] labels = new int[w * h];
        for (int i = 0; i < labels.Length; i++)
        {
            labels[i] = (i % w) >= 32 && (i / w) >= 32 ? 1 : -1;
        }

        byte[] png = PhaseFigures.RenderPhaseMap(new StxmPhase.Spectra.PhaseMap(w, h, ["A", "B"], labels), new FigureOptions { PixelSizeNm = 30 });

        Assert.True(png.Length > 1000);
    }
}
