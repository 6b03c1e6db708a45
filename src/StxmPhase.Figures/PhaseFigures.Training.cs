using System.Globalization;
using ScottPlot;

namespace StxmPhase.Figures;

public static partial class PhaseFigures
{
    /// <summary>
    /// Renders training loss curves (the paper's Fig. S11): one panel with the reconstruction MSE and one with the KL term,
    /// each with the training curve (solid) and the validation curve (dashed) against the epoch (1, 2, …).
    /// </summary>
    /// <param name="trainMse">Training mean squared error per epoch (may be empty).</param>
    /// <param name="validationMse">Validation mean squared error per epoch (may be empty).</param>
    /// <param name="trainKl">Training KL divergence per epoch (may be empty).</param>
    /// <param name="validationKl">Validation KL divergence per epoch (may be empty).</param>
    /// <param name="options">Figure options; <see cref="FigureOptions.LogScaleY"/> (default on) selects a logarithmic y axis.
    /// Default size 1100 × 500, title "Training losses".</param>
    /// <returns>The PNG bytes.</returns>
    /// <remarks>
    /// A panel is drawn only when one of its two series is non-empty. Training curves use <c>Palette.GetColor(0)</c>,
    /// validation curves <c>Palette.GetColor(1)</c>. Series may have different lengths; value k is drawn at epoch k + 1.
    /// NaN and ±∞ values, and on a log axis also values ≤ 0, are left out and break the line.
    /// </remarks>
    /// <exception cref="ArgumentException">All four series are empty.</exception>
    public static byte[] RenderLossCurves(
        ReadOnlySpan<double> trainMse, ReadOnlySpan<double> validationMse, ReadOnlySpan<double> trainKl, ReadOnlySpan<double> validationKl,
        FigureOptions? options = null)
    {
        if (trainMse.IsEmpty && validationMse.IsEmpty && trainKl.IsEmpty && validationKl.IsEmpty)
        {
            throw new ArgumentException("At least one loss series must contain values.", nameof(trainMse));
        }

        FigureOptions o = Resolve(options);
        using var figure = new FigureBuilder(o, 1100, 500, "Training losses");
        int panels = 0;
        if (!trainMse.IsEmpty || !validationMse.IsEmpty)
        {
            LossPanel(figure.AddPanel(), "Reconstruction (MSE)", "Mean squared error", trainMse, validationMse, o);
            panels++;
        }

        if (!trainKl.IsEmpty || !validationKl.IsEmpty)
        {
            LossPanel(figure.AddPanel(), "Kullback–Leibler divergence", "KL divergence", trainKl, validationKl, o);
            panels++;
        }

        figure.Columns = panels;
        return figure.Render();
    }

    private static void LossPanel(
        Plot plot, string title, string yLabel, ReadOnlySpan<double> train, ReadOnlySpan<double> validation, FigureOptions o)
    {
        plot.Title(title);
        plot.XLabel("Epoch");
        plot.YLabel(o.LogScaleY ? yLabel + " (log scale)" : yLabel);
        double lo = double.PositiveInfinity;
        double hi = double.NegativeInfinity;
        bool anyTrain = AddLossSeries(plot, train, o.Palette.GetColor(0), LinePattern.Solid, o.LogScaleY, ref lo, ref hi);
        bool anyValidation = AddLossSeries(plot, validation, o.Palette.GetColor(1), LinePattern.Dashed, o.LogScaleY, ref lo, ref hi);
        if (o.ShowLegend)
        {
            var items = new List<LegendItem>();
            if (anyTrain)
            {
                items.Add(MapPanel.LineItem("Training", o.Palette.GetColor(0), LinePattern.Solid));
            }

            if (anyValidation)
            {
                items.Add(MapPanel.LineItem("Validation", o.Palette.GetColor(1), LinePattern.Dashed));
            }

            if (items.Count > 0)
            {
                plot.ShowLegend(items, Alignment.UpperRight);
            }
        }

        int epochs = Math.Max(train.Length, validation.Length);
        plot.Axes.SetLimitsX(epochs > 1 ? 1 : 0, Math.Max(epochs, 2));
        if (!(hi >= lo))
        {
            return;
        }

        double pad = hi > lo ? (hi - lo) * 0.05 : 0.5;
        plot.Axes.SetLimitsY(lo - pad, hi + pad);
        if (o.LogScaleY)
        {
            plot.Axes.Left.TickGenerator = LogTickGenerator(lo - pad, hi + pad);
        }
    }

    /// <summary>
    /// Ticks for a log10-transformed axis over [lo, hi] (in decades): labelled majors at 1 × 10^k (and 2, 5 × 10^k when the
    /// range spans under three decades, every m × 10^k under half a decade), unlabelled minors at the other m × 10^k.
    /// </summary>
    internal static List<(double Position, string? Label)> LogTicks(double lo, double hi)
    {
        double span = hi - lo;
        ReadOnlySpan<int> majors = span >= 3 ? [1] : span >= 0.5 ? [1, 2, 5] : [1, 2, 3, 4, 5, 6, 7, 8, 9];
        var ticks = new List<(double Position, string? Label)>();
        for (int k = (int)Math.Floor(lo) - 1; k <= (int)Math.Ceiling(hi); k++)
        {
            for (int m = 1; m <= 9; m++)
            {
                double position = k + Math.Log10(m);
                if (position < lo - 1e-12 || position > hi + 1e-12)
                {
                    continue;
                }

                string? label = null;
                if (majors.Contains(m))
                {
                    double value = m * Math.Pow(10, k);
                    label = value.ToString(Math.Abs(k) >= 4 ? "0.#E+0" : "G6", CultureInfo.InvariantCulture);
                }

                ticks.Add((position, label));
            }
        }

        return ticks;
    }

    private static ScottPlot.TickGenerators.NumericManual LogTickGenerator(double lo, double hi)
    {
        var generator = new ScottPlot.TickGenerators.NumericManual();
        foreach ((double position, string? label) in LogTicks(lo, hi))
        {
            if (label is null)
            {
                generator.AddMinor(position);
            }
            else
            {
                generator.AddMajor(position, label);
            }
        }

        return generator;
    }

    /// <summary>Adds a series as contiguous line segments (gaps at non-drawable values); returns whether any point was drawn.</summary>
    private static bool AddLossSeries(
        Plot plot, ReadOnlySpan<double> values, FigureColor color, LinePattern pattern, bool log, ref double lo, ref double hi)
    {
        bool any = false;
        int k = 0;
        while (k < values.Length)
        {
            while (k < values.Length && !Drawable(values[k], log))
            {
                k++;
            }

            int start = k;
            while (k < values.Length && Drawable(values[k], log))
            {
                k++;
            }

            int count = k - start;
            if (count == 0)
            {
                continue;
            }

            double[] xs = new double[count];
            double[] ys = new double[count];
            for (int j = 0; j < count; j++)
            {
                xs[j] = start + j + 1;
                ys[j] = log ? Math.Log10(values[start + j]) : values[start + j];
                lo = Math.Min(lo, ys[j]);
                hi = Math.Max(hi, ys[j]);
            }

            var line = plot.Add.Scatter(xs, ys, color.ToScottPlot());
            line.LineWidth = 2;
            line.LinePattern = pattern;
            line.MarkerSize = count == 1 ? 6 : 0;
            any = true;
        }

        return any;
    }

    private static bool Drawable(double v, bool log) => double.IsFinite(v) && (!log || v > 0);
}
