using ScottPlot;
using SkiaSharp;

namespace StxmPhase.Figures;

/// <summary>
/// Lays out one figure: an optional title band, a grid of ScottPlot panels and an optional side column (legend,
/// colour key), renders them onto one Skia surface and encodes a PNG with the requested dpi. Owns and disposes the
/// plots and images it is given.
/// </summary>
internal sealed class FigureBuilder : IDisposable
{
    private readonly List<IDisposable> _owned = [];
    private readonly List<Plot> _panels = [];
    private readonly List<(double Aspect, bool HasTitle)?> _aspects = [];
    private readonly List<(Plot Plot, float Weight)> _side = [];
    private readonly string? _title;

    private const float PanelTitleSize = 15;

    public FigureBuilder(FigureOptions options, int defaultWidth, int defaultHeight, string defaultTitle)
    {
        Options = options;
        Width = options.WidthPx ?? defaultWidth;
        Height = options.HeightPx ?? defaultHeight;
        _title = options.Title ?? defaultTitle;
        Scale = (float)(options.Dpi / 96.0);
    }

    public FigureOptions Options { get; }

    public int Width { get; }

    public int Height { get; }

    /// <summary>Gets the factor by which fonts, lines and markers grow: Dpi / 96.</summary>
    public float Scale { get; }

    /// <summary>Gets or sets the number of panel columns.</summary>
    public int Columns { get; set; } = 1;

    /// <summary>Gets or sets the width of the side column in pixels at 96 dpi.</summary>
    public float SideWidth96 { get; set; } = 180;

    /// <summary>
    /// Returns an upper bound of the pixels a panel can occupy when the grid holds <paramref name="panels"/> panels:
    /// the whole figure divided into the grid's cells (the title band and side column only make panels smaller).
    /// </summary>
    /// <param name="panels">The number of panels the figure will hold.</param>
    /// <returns>The cell width and height in pixels.</returns>
    public (int Width, int Height) MaxCellSize(int panels)
    {
        int columns = Math.Max(1, Math.Min(Columns, panels));
        int rows = Math.Max(1, (panels + columns - 1) / columns);
        return (Math.Max(1, Width / columns), Math.Max(1, Height / rows));
    }

    public T Own<T>(T disposable)
        where T : IDisposable
    {
        _owned.Add(disposable);
        return disposable;
    }

    /// <summary>Adds a panel that fills its grid cell.</summary>
    public Plot AddPanel() => AddPanel(null, false);

    /// <summary>
    /// Adds a panel. With <paramref name="dataAspect"/> (data width / height) the panel is shrunk and centred in its cell
    /// so that a frameless data area has that aspect (a map then fills its data area and the scale bar sits on it).
    /// </summary>
    public Plot AddPanel(double? dataAspect, bool hasTitle)
    {
        var plot = Own(new Plot());
        plot.Axes.Title.Label.FontSize = PanelTitleSize;
        _panels.Add(plot);
        _aspects.Add(dataAspect is double a ? (a, hasTitle) : null);
        return plot;
    }

    public Plot AddSide(float weight)
    {
        var plot = Own(new Plot());
        _side.Add((plot, weight));
        return plot;
    }

    /// <summary>Adds a side plot that shows only a legend.</summary>
    public void AddLegend(IReadOnlyList<LegendItem> items, float weight = 1)
    {
        if (!Options.ShowLegend || items.Count == 0)
        {
            return;
        }

        // Widen the side column so that the longest label fits (about 8 px per character at 14 pt, plus the symbol).
        int longest = items.Max(item => item.LabelText?.Length ?? 0);
        SideWidth96 = Math.Max(SideWidth96, 60 + (8.2f * longest));

        Plot plot = AddSide(weight);
        plot.Axes.Frameless(true);
        plot.HideGrid();
        plot.Legend.ManualItems.AddRange(items);
        plot.Legend.Alignment = Alignment.MiddleLeft;
        plot.Legend.FontSize = 14;
        plot.Legend.IsVisible = true;
        plot.Legend.ShadowColor = Colors.Transparent;
    }

    /// <summary>Adds a side plot that shows only a vertical colour bar of <paramref name="colormap"/> over [min, max].</summary>
    public void AddColorKey(IColormap colormap, double min, double max, string label, float weight = 1)
    {
        Plot plot = AddSide(weight);
        plot.Axes.Frameless(true);
        plot.HideGrid();
        var heatmap = plot.Add.Heatmap(new double[,] { { min }, { max } });
        heatmap.Colormap = colormap;
        heatmap.ManualRange = new ScottPlot.Range(min, max);
        heatmap.IsVisible = false;
        var bar = plot.Add.ColorBar(heatmap, Edge.Left);
        bar.Label = label;
        bar.LabelStyle.FontSize = 14;
        bar.Width = 22;

        // The bar is drawn left of the (empty) data area: leave room for it, its ticks and its label, and for the
        // top and bottom tick labels.
        plot.Layout.Fixed(new PixelPadding(SideWidth96 - 24, 12, 24, 24));
    }

    public byte[] Render()
    {
        var info = new SKImageInfo(Width, Height, SKColorType.Rgba8888, SKAlphaType.Opaque);
        using SKSurface surface = SKSurface.Create(info)
            ?? throw new InvalidOperationException($"Could not create a {Width}×{Height} drawing surface.");
        SKCanvas canvas = surface.Canvas;
        canvas.Clear(SKColors.White);

        float top = DrawTitle(canvas);
        float sideWidth = _side.Count == 0 ? 0 : Math.Min(SideWidth96 * Scale, Width * 0.45f);
        float gridWidth = Width - sideWidth;

        int columns = Math.Max(1, Math.Min(Columns, _panels.Count));
        int rows = Math.Max(1, (_panels.Count + columns - 1) / columns);
        float cellWidth = gridWidth / columns;
        float cellHeight = (Height - top) / rows;
        for (int i = 0; i < _panels.Count; i++)
        {
            int r = i / columns;
            int c = i % columns;
            var rect = new PixelRect(c * cellWidth, (c + 1) * cellWidth, top + ((r + 1) * cellHeight), top + (r * cellHeight));
            if (_aspects[i] is (double aspect, bool hasTitle))
            {
                rect = FitAspect(rect, aspect, hasTitle);
            }

            RenderPlot(_panels[i], canvas, rect);
        }

        float totalWeight = _side.Sum(s => s.Weight);
        float y = top;
        foreach ((Plot plot, float weight) in _side)
        {
            float h = (Height - top) * weight / totalWeight;
            RenderPlot(plot, canvas, new PixelRect(gridWidth, Width, y + h, y));
            y += h;
        }

        using SKImage image = surface.Snapshot();
        using SKData data = image.Encode(SKEncodedImageFormat.Png, 100)
            ?? throw new InvalidOperationException("The PNG encoder failed.");
        return PngFile.WithResolution(data.ToArray(), Options.Dpi);
    }

    public void Dispose()
    {
        for (int i = _owned.Count - 1; i >= 0; i--)
        {
            _owned[i].Dispose();
        }

        _owned.Clear();
    }

    private PixelRect FitAspect(PixelRect cell, double aspect, bool hasTitle)
    {
        float margin = 8 * Scale;
        float titleHeight = hasTitle ? (PanelTitleSize + 16) * Scale : 0;
        float availableWidth = cell.Width - (2 * margin);
        float availableHeight = cell.Height - (2 * margin) - titleHeight;
        if (availableWidth <= 1 || availableHeight <= 1)
        {
            return cell;
        }

        float width = availableWidth;
        float height = (float)(width / aspect);
        if (height > availableHeight)
        {
            height = availableHeight;
            width = (float)(height * aspect);
        }

        float left = cell.Left + ((cell.Width - width) / 2);
        float top = cell.Top + ((cell.Height - height - titleHeight) / 2);
        return new PixelRect(left, left + width, top + titleHeight + height, top);
    }

    private void RenderPlot(Plot plot, SKCanvas canvas, PixelRect rect)
    {
        // Whole pixels: fractional edges leave faint anti-aliased lines between neighbouring panels.
        rect = new PixelRect(MathF.Round(rect.Left), MathF.Round(rect.Right), MathF.Round(rect.Bottom), MathF.Round(rect.Top));
        plot.ScaleFactor = Scale;
        int save = canvas.Save();
        canvas.ClipRect(new SKRect(rect.Left, rect.Top, rect.Right, rect.Bottom));
        plot.Render(canvas, rect);
        canvas.RestoreToCount(save);
    }

    private float DrawTitle(SKCanvas canvas)
    {
        if (string.IsNullOrEmpty(_title))
        {
            return 0;
        }

        float size = 20 * Scale;
        using SKTypeface typeface = SKTypeface.FromFamilyName(Fonts.Default, SKFontStyle.Bold);
        using var font = new SKFont(typeface, size);
        float measured = font.MeasureText(_title);
        if (measured > Width * 0.96f)
        {
            font.Size = size * Width * 0.96f / measured;
        }

        using var paint = new SKPaint { Color = SKColors.Black, IsAntialias = true };
        float baseline = (8 * Scale) + font.Size;
        canvas.DrawText(_title, Width / 2f, baseline, SKTextAlign.Center, font, paint);
        return baseline + (10 * Scale);
    }
}
