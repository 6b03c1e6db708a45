using System.Globalization;
using ScottPlot;
using StxmPhase.Spectra;

namespace StxmPhase.Figures;

public static partial class PhaseFigures
{
    /// <summary>
    /// Renders a composition map with its uncertainty: colour = the coordinate on the viridis scale, brightness =
    /// 1 − min(sd / sd_max, 1) · 0.85 (confident pixels bright, uncertain ones dark), undefined (NaN) pixels in
    /// <see cref="FigureOptions.UnassignedColor"/>; a colour key for the coordinate whose label gives sd_max.
    /// </summary>
    /// <param name="width">Map width in pixels.</param>
    /// <param name="height">Map height in pixels.</param>
    /// <param name="values">The coordinate per pixel, row-major (NaN where undefined).</param>
    /// <param name="standardDeviations">Its standard uncertainty per pixel.</param>
    /// <param name="label">The coordinate's name for the key, e.g. "x (Na per formula unit)".</param>
    /// <param name="options">Figure options; default size 900 × 700, title "Composition (brightness = certainty)".</param>
    /// <param name="metadata">Optional stack metadata for the scale bar.</param>
    /// <returns>The PNG bytes.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A dimension is not positive.</exception>
    /// <exception cref="ArgumentException">An array does not have one value per pixel.</exception>
    /// <remarks>The colour range is the 1st–99th percentile of the finite values; sd_max is the 95th percentile of the finite sd.</remarks>
    public static byte[] RenderCompositionMap(
        int width, int height, ReadOnlySpan<float> values, ReadOnlySpan<float> standardDeviations, string label, FigureOptions? options = null,
        StackMetadata? metadata = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        CheckLength(values.Length, (long)width * height, nameof(values), "values (one per pixel)");
        CheckLength(standardDeviations.Length, (long)width * height, nameof(standardDeviations), "values (one per pixel)");
        FigureOptions o = Resolve(options);
        (double lo, double hi) = (Percentile(values, 0.01), Percentile(values, 0.99));
        if (!(hi > lo))
        {
            (lo, hi) = double.IsFinite(lo) ? (lo - 0.5, lo + 0.5) : (0, 1);
        }

        double sdMax = Percentile(standardDeviations, 0.95);
        if (!(sdMax > 0))
        {
            sdMax = 1;
        }

        var viridis = new ScottPlot.Colormaps.Viridis();
        ScottPlot.Image image;
        using (var raster = new MapRaster(width, height))
        {
            for (int i = 0; i < values.Length; i++)
            {
                if (!float.IsFinite(values[i]))
                {
                    raster.Set(i, o.UnassignedColor);
                    continue;
                }

                ScottPlot.Color c = viridis.GetColor(Math.Clamp((values[i] - lo) / (hi - lo), 0, 1));
                double sd = standardDeviations[i];
                double b = 1 - (0.85 * (double.IsFinite(sd) ? Math.Min(Math.Max(sd, 0) / sdMax, 1) : 1));
                raster.Set(i, new FigureColor(c.R, c.G, c.B).WithBrightness(b));
            }

            image = raster.ToImage();
        }

        using var figure = new FigureBuilder(o, 900, 700, "Composition (brightness = certainty)");
        double? pixelSize = MapPanel.PixelSize(o, metadata);
        Plot panel = MapPanel.AddMapPanel(figure, width, height, pixelSize, false);
        figure.Own(image);
        MapPanel.Configure(figure, panel, image, pixelSize, null);
        figure.AddColorKey(viridis, lo, hi,
            string.Create(CultureInfo.InvariantCulture, $"{label}; brightness: sd 0 bright, sd ≥ {sdMax:G3} dark"));
        return figure.Render();
    }

    private static double Percentile(ReadOnlySpan<float> values, double q)
    {
        var finite = new List<float>(values.Length);
        foreach (float v in values)
        {
            if (float.IsFinite(v))
            {
                finite.Add(v);
            }
        }

        if (finite.Count == 0)
        {
            return double.NaN;
        }

        finite.Sort();
        return finite[(int)Math.Round(q * (finite.Count - 1))];
    }
}
