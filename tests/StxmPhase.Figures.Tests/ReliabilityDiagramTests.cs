using StxmPhase.Spectra;

namespace StxmPhase.Figures.Tests;

public sealed class ReliabilityDiagramTests
{
    [Fact]
    public void RenderReliabilityDiagram_Calibration_DrawsBinsInPhaseColourAtRequestedSize()
    {
        // Two phases, 100 pixels: confidence 0.7 everywhere, 70 % correct.
        int n = 100;
        float[] posteriors = new float[2 * n];
        int[] truth = new int[n];
        for (int p = 0; p < n; p++)
        {
            posteriors[p] = 0.7f;
            posteriors[n + p] = 0.3f;
            truth[p] = p < 70 ? 0 : 1;
        }

        CalibrationMetrics cal = PhaseMappingEvaluation.Calibration(posteriors, new PhaseMap(10, 10, ["a", "b"], truth));
        FigureColor magenta = new(255, 0, 255);

        byte[] png = PhaseFigures.RenderReliabilityDiagram(cal,
            new FigureOptions { WidthPx = 600, HeightPx = 500, Palette = new PhasePalette("test", [magenta]) });

        var image = new FigureImage(png);
        Assert.Equal((600, 500), (image.Width, image.Height));
        Assert.True(image.Count(magenta) > 0);
        Assert.Equal(0, cal.ExpectedCalibrationError, 6);
    }
}
