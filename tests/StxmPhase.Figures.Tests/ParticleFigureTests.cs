using StxmPhase.Spectra;

namespace StxmPhase.Figures.Tests;

public class ParticleFigureTests
{
    [Fact]
    public void RenderParticleMap_TwoParticles_DrawsEachInItsCycledColour()
    {
        bool[] v = new bool[40 * 40];
        for (int y = 5; y < 15; y++)
        {
            for (int x = 5; x < 15; x++)
            {
                v[(y * 40) + x] = true;
                v[((y + 20) * 40) + x + 20] = true;
            }
        }

        ParticleLabels labels = ParticleSegmentation.Segment(PixelMask.FromArray(40, 40, v));

        var image = new FigureImage(PhaseFigures.RenderParticleMap(labels, new FigureOptions { WidthPx = 500, HeightPx = 400 }));

        Assert.Equal(500, image.Width);
        Assert.True(image.Count(PhasePalette.TolMuted.GetColor(0)) > 100);
        Assert.True(image.Count(PhasePalette.TolMuted.GetColor(1)) > 100);
        Assert.True(image.Centroid(PhasePalette.TolMuted.GetColor(0)).Y < image.Centroid(PhasePalette.TolMuted.GetColor(1)).Y);
    }

    [Fact]
    public void RenderCompositionMap_WrongLength_ThrowsNamingTheArgument()
    {
        var ex = Assert.Throws<ArgumentException>(() => PhaseFigures.RenderCompositionMap(4, 4, new float[15], new float[16], "x"));

        Assert.Equal("values", ex.ParamName);
    }

    [Fact]
    public void RenderCompositionMap_UncertainPixelsAreDarker()
    {
        float[] x = new float[32 * 32];
        float[] certain = new float[32 * 32];
        float[] uncertain = new float[32 * 32];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = 1f + (i % 32 / 16f);
            uncertain[i] = 1f;
        }

        uncertain[0] = 0f; // sd_max (95th percentile) stays 1
        var options = new FigureOptions { WidthPx = 600, HeightPx = 500 };

        int darkCertain = Dark(new FigureImage(PhaseFigures.RenderCompositionMap(32, 32, x, certain, "x", options)));
        int darkUncertain = Dark(new FigureImage(PhaseFigures.RenderCompositionMap(32, 32, x, uncertain, "x", options)));

        Assert.True(darkUncertain > darkCertain + 20000, $"dark pixels: certain {darkCertain}, uncertain {darkUncertain}");
    }

    private static int Dark(FigureImage image)
    {
        int dark = 0;
        for (int y = 0; y < image.Height; y++)
        {
            for (int px = 0; px < image.Width; px++)
            {
                var c = image[px, y];
                if (c.Red + c.Green + c.Blue < 120)
                {
                    dark++;
                }
            }
        }

        return dark;
    }
}
