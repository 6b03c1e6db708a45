using System.Globalization;
using System.Runtime.InteropServices;
using ScottPlot;
using SkiaSharp;

namespace StxmPhase.Figures;

/// <summary>Builds RGB rasters of maps and places them in a plot panel (pixel axes or scale bar).</summary>
internal static class MapPanel
{
    /// <summary>Adds a grid panel for a map: fitted to the map's aspect when it is drawn frameless with a scale bar.</summary>
    public static Plot AddMapPanel(FigureBuilder figure, int width, int height, double? pixelSizeNm, bool hasTitle) =>
        pixelSizeNm is not null && figure.Options.ShowScaleBar
            ? figure.AddPanel((double)width / height, hasTitle)
            : figure.AddPanel();

    /// <summary>Adds the raster to <paramref name="plot"/> with square pixels, y pointing down, and either pixel axes or a scale bar.</summary>
    public static void Configure(FigureBuilder figure, Plot plot, ScottPlot.Image image, double? pixelSizeNm, string? panelTitle,
        Func<int, int, bool>? isSample = null) =>
        Configure(figure, plot, image, image.Width, image.Height, pixelSizeNm, panelTitle, isSample);

    /// <summary>
    /// Adds a raster that shows a <paramref name="width"/> × <paramref name="height"/>-pixel map (the raster may be a
    /// reduced copy, stretched over the map's extent), with axes and scale bar in map pixels.
    /// </summary>
    public static void Configure(FigureBuilder figure, Plot plot, ScottPlot.Image image, int width, int height, double? pixelSizeNm,
        string? panelTitle, Func<int, int, bool>? isSample = null)
    {
        var rect = plot.Add.ImageRect(image, new CoordinateRect(0, width, height, 0));
        rect.AntiAlias = false;
        var outline = plot.Add.Rectangle(0, width, 0, height);
        outline.FillColor = Colors.Transparent;
        outline.LineColor = Colors.Black;
        outline.LineWidth = 1;
        plot.HideGrid();
        plot.Axes.SetLimits(0, width, height, 0);
        plot.Axes.SquareUnits();
        if (!string.IsNullOrEmpty(panelTitle))
        {
            plot.Title(panelTitle);
        }

        if (pixelSizeNm is double nm && figure.Options.ShowScaleBar)
        {
            plot.Axes.Frameless(true);
            if (!string.IsNullOrEmpty(panelTitle))
            {
                plot.Axes.Title.IsVisible = true;
            }

            AddScaleBar(plot, width, height, nm, isSample);
        }
        else
        {
            plot.XLabel("x (pixel)");
            plot.YLabel("y (pixel)");
        }
    }

    /// <summary>
    /// Draws a scale bar in data coordinates in a corner of the map: a black bar with a thin white outline (so it
    /// shows on dark and light pixels) of length 1, 2 or 5 × 10^k nm, about a fifth of the map width, labelled above.
    /// The corner is the one where bar and label cover the fewest sample pixels (<paramref name="isSample"/>; ties and
    /// <see langword="null"/> = bottom right), so the label is not drawn over a particle.
    /// </summary>
    public static void AddScaleBar(Plot plot, int width, int height, double pixelSizeNm, Func<int, int, bool>? isSample = null)
    {
        double lengthNm = NiceLength(0.2 * width * pixelSizeNm);
        double lengthPx = lengthNm / pixelSizeNm;
        double margin = 0.04 * Math.Min(width, height);
        double thickness = Math.Max(0.012 * Math.Max(width, height), 0.4);
        (bool left, bool top) = ChooseCorner(width, height, ScaleBarBox(width, height, lengthPx, margin, thickness), isSample);
        double right = left ? margin + lengthPx : width - margin;
        double bottom = top ? margin + LabelHeight(height) + thickness : height - margin;
        var bar = plot.Add.Rectangle(right - lengthPx, right, bottom - thickness, bottom);
        bar.FillColor = Colors.Black;
        bar.LineColor = Colors.White;
        bar.LineWidth = 1;
        var label = plot.Add.Text(FormatLength(lengthNm), right - (lengthPx / 2), bottom - thickness);
        label.LabelAlignment = Alignment.LowerCenter;
        label.LabelFontSize = 14;
        label.LabelFontColor = Colors.Black;
        label.LabelBackgroundColor = Colors.White.WithAlpha(0.75);
        label.LabelPadding = 2;
        label.OffsetY = -3;
    }

    /// <summary>The height of the scale bar's label in map pixels (≈ 14 pt text on a map drawn ≈ 600 px tall).</summary>
    private static double LabelHeight(int height) => 0.06 * height;

    /// <summary>The bar and label box, as width × height in map pixels measured from the corner.</summary>
    internal static (double Width, double Height) ScaleBarBox(int width, int height, double lengthPx, double margin, double thickness) =>
        (margin + Math.Max(lengthPx, 0.15 * width), margin + thickness + LabelHeight(height));

    /// <summary>
    /// The corner (left?, top?) whose box of <paramref name="box"/> map pixels holds the fewest sample pixels; bottom right
    /// first, then bottom left, top right, top left, so that ties and maps without sample information keep bottom right.
    /// </summary>
    internal static (bool Left, bool Top) ChooseCorner(int width, int height, (double Width, double Height) box, Func<int, int, bool>? isSample)
    {
        if (isSample is null)
        {
            return (false, false);
        }

        int bw = Math.Min(width, (int)Math.Ceiling(box.Width));
        int bh = Math.Min(height, (int)Math.Ceiling(box.Height));
        (bool Left, bool Top) best = (false, false);
        long bestCount = long.MaxValue;
        foreach ((bool left, bool top) in new[] { (false, false), (true, false), (false, true), (true, true) })
        {
            int x0 = left ? 0 : width - bw;
            int y0 = top ? 0 : height - bh;
            long count = 0;
            for (int y = y0; y < y0 + bh; y++)
            {
                for (int x = x0; x < x0 + bw; x++)
                {
                    if (isSample(x, y))
                    {
                        count++;
                    }
                }
            }

            if (count < bestCount)
            {
                bestCount = count;
                best = (left, top);
            }
        }

        return best;
    }

    /// <summary>Returns the largest 1, 2 or 5 × 10^k not above <paramref name="target"/> (target &gt; 0).</summary>
    public static double NiceLength(double target)
    {
        double decade = Math.Pow(10, Math.Floor(Math.Log10(target)));
        foreach (double m in (ReadOnlySpan<double>)[5, 2, 1])
        {
            if (m * decade <= target * (1 + 1e-9))
            {
                return m * decade;
            }
        }

        return decade;
    }

    /// <summary>Formats a length in nm as "200 nm" or, from 1000 nm, "1.5 µm".</summary>
    public static string FormatLength(double nm) =>
        nm >= 1000
            ? string.Create(CultureInfo.InvariantCulture, $"{nm / 1000:0.###} µm")
            : string.Create(CultureInfo.InvariantCulture, $"{nm:0.###} nm");

    /// <summary>Returns the pixel size to use: the option, else the metadata's x pixel size when finite and positive.</summary>
    public static double? PixelSize(FigureOptions options, StxmPhase.Spectra.StackMetadata? metadata)
    {
        if (options.PixelSizeNm is double nm)
        {
            return nm;
        }

        return metadata?.PixelSizeXNm is double m && double.IsFinite(m) && m > 0 ? m : null;
    }

    public static LegendItem FillItem(string label, FigureColor color) => new()
    {
        LabelText = label,
        FillColor = color.ToScottPlot(),
        OutlineColor = Colors.Black,
        OutlineWidth = 1,
    };

    public static LegendItem MarkerItem(string label, FigureColor color) => new()
    {
        LabelText = label,
        MarkerShape = MarkerShape.FilledCircle,
        MarkerFillColor = color.ToScottPlot(),
        MarkerLineColor = color.ToScottPlot(),
        MarkerSize = 10,
    };

    public static LegendItem LineItem(string label, FigureColor color, LinePattern pattern) => new()
    {
        LabelText = label,
        LineColor = color.ToScottPlot(),
        LineWidth = 2,
        LinePattern = pattern,
    };

    public static ScottPlot.Color ToScottPlot(this FigureColor color) => new(color.R, color.G, color.B);
}

/// <summary>
/// An opaque RGBA raster written straight into a native Skia bitmap (row 0 at the top), so a map costs no managed copy;
/// <see cref="ToImage"/> copies it into an immutable plot image, after which the raster can be refilled or disposed.
/// </summary>
internal sealed class MapRaster : IDisposable
{
    private readonly SKBitmap _bitmap;
    private readonly nint _pixels;
    private readonly int _count;

    /// <summary>Allocates a raster of <paramref name="width"/> × <paramref name="height"/> pixels.</summary>
    /// <param name="width">Width in pixels.</param>
    /// <param name="height">Height in pixels.</param>
    public MapRaster(int width, int height)
    {
        _bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        int rowBytes = _bitmap.RowBytes;
        if (rowBytes != width * 4)
        {
            _bitmap.Dispose();
            throw new InvalidOperationException($"Skia returned a {width}×{height} bitmap with {rowBytes} bytes per row; expected {width * 4}.");
        }

        _pixels = _bitmap.GetPixels();
        _count = width * height;
    }

    /// <summary>Sets pixel <paramref name="pixel"/> (y · width + x) to <paramref name="color"/>, fully opaque.</summary>
    /// <param name="pixel">The pixel index.</param>
    /// <param name="color">The colour.</param>
    public void Set(int pixel, FigureColor color)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)pixel, (uint)_count, nameof(pixel));
        int rgba = color.R | (color.G << 8) | (color.B << 16) | (255 << 24); // R, G, B, A in memory order
        Marshal.WriteInt32(_pixels, pixel * 4, rgba);
    }

    /// <summary>Copies the raster into a new plot image (owned by the caller).</summary>
    /// <returns>The image.</returns>
    public ScottPlot.Image ToImage() => new(_bitmap);

    /// <inheritdoc/>
    public void Dispose() => _bitmap.Dispose();
}
