using System.Globalization;
using ScottPlot;

namespace StxmPhase.Figures;

public static partial class PhaseFigures
{
    /// <summary>
    /// Renders a reliability diagram of per-pixel phase posteriors: accuracy against mean confidence per confidence bin
    /// (markers where a bin holds pixels, in <c>Palette.GetColor(0)</c>), the diagonal of perfect calibration (dashed, in
    /// <see cref="FigureOptions.AmbiguousColor"/>), and the
    /// expected calibration error in the title.
    /// </summary>
    /// <param name="calibration">Calibration metrics, e.g. <see cref="WorkflowEvaluation.Calibration"/>.</param>
    /// <param name="options">Figure options. Default size 700 × 650, title "Reliability diagram (ECE = …)".</param>
    /// <returns>The PNG bytes.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="calibration"/> is <see langword="null"/>.</exception>
    public static byte[] RenderReliabilityDiagram(CalibrationMetrics calibration, FigureOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(calibration);
        FigureOptions o = Resolve(options);
        string title = string.Create(CultureInfo.InvariantCulture,
            $"Reliability diagram (ECE = {calibration.ExpectedCalibrationError:F3}, {calibration.Count} pixels)");
        using var figure = new FigureBuilder(o, 700, 650, title);
        Plot plot = figure.AddPanel();
        plot.XLabel("Confidence (largest posterior)");
        plot.YLabel("Accuracy");
        var diagonal = plot.Add.Scatter(new double[] { 0, 1 }, new double[] { 0, 1 }, o.AmbiguousColor.ToScottPlot());
        diagonal.LinePattern = LinePattern.Dashed;
        diagonal.MarkerSize = 0;
        var xs = new List<double>();
        var ys = new List<double>();
        for (int b = 0; b < calibration.BinCount.Count; b++)
        {
            if (calibration.BinCount[b] > 0)
            {
                xs.Add(calibration.BinConfidence[b]);
                ys.Add(calibration.BinAccuracy[b]);
            }
        }

        if (xs.Count > 0)
        {
            var line = plot.Add.Scatter(xs.ToArray(), ys.ToArray(), o.Palette.GetColor(0).ToScottPlot());
            line.LineWidth = 2;
            line.MarkerSize = 7;
        }

        plot.Axes.SetLimits(0, 1, 0, 1);
        return figure.Render();
    }
}
