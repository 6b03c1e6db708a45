using System.Globalization;
using ScottPlot;
using StxmPhase.Spectra;

namespace StxmPhase.Figures;

public static partial class PhaseFigures
{
    /// <summary>Renders a phase map: each assigned pixel in its phase colour, unassigned pixels in the background colour, with a legend.</summary>
    /// <param name="map">The phase map.</param>
    /// <param name="options">Figure options (default <see cref="FigureOptions.Default"/>); default size 900 × 700, title "Phase map".</param>
    /// <param name="metadata">Optional stack metadata; its <see cref="StackMetadata.PixelSizeXNm"/> gives the scale bar unless
    /// <see cref="FigureOptions.PixelSizeNm"/> is set.</param>
    /// <returns>The PNG bytes.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="map"/> is <see langword="null"/>.</exception>
    public static byte[] RenderPhaseMap(PhaseMap map, FigureOptions? options = null, StackMetadata? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(map);
        return PhaseMapCore(map, default, hasReliability: false, Resolve(options), metadata);
    }

    /// <summary>
    /// Renders a phase map shaded by reliability (the paper's Fig. S3b): colour = phase, brightness = reliability.
    /// </summary>
    /// <param name="map">The phase map.</param>
    /// <param name="reliability">R = 100·(Q1 − Q2) per pixel, row-major, <see cref="PhaseMap.PixelCount"/> values.</param>
    /// <param name="options">Figure options; <see cref="FigureOptions.ReliabilityMax"/> sets R_max. Default size 900 × 700,
    /// title "Phase map (brightness = reliability)".</param>
    /// <param name="metadata">Optional stack metadata for the scale bar.</param>
    /// <returns>The PNG bytes.</returns>
    /// <remarks>
    /// An assigned pixel of phase p with reliability R is drawn as <c>Palette.GetColor(p) × b</c> per channel, with
    /// brightness <c>b = min(max(R, 0) / R_max, 1)</c> (NaN → 0): fully reliable pixels (R ≥ R_max) show the phase colour,
    /// R = 0 is black. Unassigned pixels use <see cref="FigureOptions.UnassignedColor"/> regardless of R. A grey bar
    /// beside the legend shows the brightness scale from 0 to R_max.
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="map"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="reliability"/> does not have one value per pixel.</exception>
    public static byte[] RenderPhaseMap(PhaseMap map, ReadOnlySpan<float> reliability, FigureOptions? options = null, StackMetadata? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(map);
        CheckLength(reliability.Length, map.PixelCount, nameof(reliability), "reliability values (one per pixel)");
        return PhaseMapCore(map, reliability, hasReliability: true, Resolve(options), metadata);
    }

    /// <summary>Renders the correlation (PCC) phase map of <paramref name="correlation"/> shaded by its reliability.</summary>
    /// <param name="correlation">A correlation result.</param>
    /// <param name="options">Figure options.</param>
    /// <param name="metadata">Optional stack metadata for the scale bar.</param>
    /// <returns>The PNG bytes.</returns>
    /// <remarks>Same as <see cref="RenderPhaseMap(PhaseMap, ReadOnlySpan{float}, FigureOptions?, StackMetadata?)"/> with
    /// <see cref="CorrelationResult.PhaseMap"/> and <see cref="CorrelationResult.Reliability"/>.</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="correlation"/> is <see langword="null"/>.</exception>
    public static byte[] RenderPhaseMap(CorrelationResult correlation, FigureOptions? options = null, StackMetadata? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(correlation);
        return RenderPhaseMap(correlation.PhaseMap, correlation.Reliability, options, metadata);
    }

    /// <summary>
    /// Renders an ambiguity map (the paper's Fig. 4b): ambiguous pixels in grey, other assigned pixels in their phase colours,
    /// unassigned pixels in the background colour, with a legend.
    /// </summary>
    /// <param name="map">The phase map (usually the correlation phase map).</param>
    /// <param name="ambiguous">The ambiguity mask, the same size as <paramref name="map"/>; ambiguous pixels are grey whatever their label.
    /// The legend lists "Ambiguous (count)" only when the mask has ambiguous pixels.</param>
    /// <param name="options">Figure options; default size 900 × 700, title "Ambiguity map".</param>
    /// <param name="metadata">Optional stack metadata for the scale bar.</param>
    /// <returns>The PNG bytes.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="map"/> or <paramref name="ambiguous"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The mask size differs from the map size.</exception>
    public static byte[] RenderAmbiguityMap(PhaseMap map, PixelMask ambiguous, FigureOptions? options = null, StackMetadata? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(map);
        ArgumentNullException.ThrowIfNull(ambiguous);
        if (ambiguous.Width != map.Width || ambiguous.Height != map.Height)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture,
                    $"Expected a {map.Width}×{map.Height} ambiguity mask but got {ambiguous.Width}×{ambiguous.Height}."), nameof(ambiguous));
        }

        FigureOptions o = Resolve(options);
        ScottPlot.Image image;
        using (var raster = new MapRaster(map.Width, map.Height))
        {
            ReadOnlySpan<int> labels = map.Labels;
            ReadOnlySpan<bool> mask = ambiguous.AsSpan();
            for (int i = 0; i < labels.Length; i++)
            {
                FigureColor c = mask[i] ? o.AmbiguousColor
                    : labels[i] == PhaseMap.NoMatch ? o.NoMatchColor
                    : labels[i] < 0 ? o.UnassignedColor
                    : o.Palette.GetColor(labels[i]);
                raster.Set(i, c);
            }

            image = raster.ToImage(); // a copy: the raster's memory is released here
        }

        using var figure = new FigureBuilder(o, 900, 700, "Ambiguity map");
        double? pixelSize = MapPanel.PixelSize(o, metadata);
        Plot panel = MapPanel.AddMapPanel(figure, map.Width, map.Height, pixelSize, false);
        figure.Own(image);
        MapPanel.Configure(figure, panel, image, pixelSize, null, (x, y) => map.Labels[(y * map.Width) + x] >= 0);
        List<LegendItem> legend = PhaseLegend(map.PhaseNames, o, MapPanel.FillItem);
        if (ambiguous.Count > 0)
        {
            legend.Add(MapPanel.FillItem(string.Create(CultureInfo.InvariantCulture, $"Ambiguous ({ambiguous.Count})"), o.AmbiguousColor));
        }

        if (map.CountOf(PhaseMap.Unassigned) > 0)
        {
            legend.Add(MapPanel.FillItem("Unassigned", o.UnassignedColor));
        }

        if (map.CountOf(PhaseMap.NoMatch) is > 0 and int noMatch)
        {
            legend.Add(MapPanel.FillItem(string.Create(CultureInfo.InvariantCulture, $"No matching reference ({noMatch})"), o.NoMatchColor));
        }

        figure.AddLegend(legend);
        return figure.Render();
    }

    /// <summary>Renders the ambiguity map of <paramref name="correlation"/> (its phase map and ambiguity mask).</summary>
    /// <param name="correlation">A correlation result.</param>
    /// <param name="options">Figure options.</param>
    /// <param name="metadata">Optional stack metadata for the scale bar.</param>
    /// <returns>The PNG bytes.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="correlation"/> is <see langword="null"/>.</exception>
    public static byte[] RenderAmbiguityMap(CorrelationResult correlation, FigureOptions? options = null, StackMetadata? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(correlation);
        return RenderAmbiguityMap(correlation.PhaseMap, correlation.Ambiguous, options, metadata);
    }

    /// <summary>
    /// Renders the correlation map of every phase as a grid of heatmaps with one shared colour bar (the paper's Fig. S3c–g).
    /// Pixels that are not <see cref="PixelStatus.Valid"/> are drawn in the background colour. A map with at least twice
    /// as many pixels per side as a panel has is drawn from k × k block means (see the other overload).
    /// </summary>
    /// <param name="correlation">A correlation result.</param>
    /// <param name="options">Figure options; <see cref="FigureOptions.CorrelationMin"/>/<see cref="FigureOptions.CorrelationMax"/> fix the colour
    /// range. Default size 1200 × 800, title "Correlation maps".</param>
    /// <param name="metadata">Optional stack metadata for the scale bars.</param>
    /// <returns>The PNG bytes.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="correlation"/> is <see langword="null"/>.</exception>
    public static byte[] RenderCorrelationMaps(CorrelationResult correlation, FigureOptions? options = null, StackMetadata? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(correlation);
        return CorrelationMapsCore(correlation.Width, correlation.Height, correlation.PhaseNames, correlation.Correlations, correlation.Status,
            Resolve(options), metadata);
    }

    /// <summary>Renders correlation maps given as phase-major planes (one heatmap per phase, one shared colour bar).</summary>
    /// <param name="width">Map width in pixels.</param>
    /// <param name="height">Map height in pixels.</param>
    /// <param name="phaseNames">Phase names; one map per name.</param>
    /// <param name="correlations">Phase-major planes: <c>correlations[p · width · height + y · width + x]</c>.
    /// NaN or ±∞ marks a pixel without a value (background colour).</param>
    /// <param name="options">Figure options.</param>
    /// <param name="metadata">Optional stack metadata for the scale bars.</param>
    /// <returns>The PNG bytes.</returns>
    /// <remarks>
    /// Colour = Viridis((c − min) / (max − min)), clamped to [0, 1]; min and max are the options, or else the extremes of
    /// the finite values over all maps (a single value v gives the range [v − 0.001, v + 0.001]). When a map has at least
    /// twice as many pixels per side as its panel can show, each drawn pixel is the mean of a k × k block of map pixels
    /// (k = ⌊min(map width / cell width, map height / cell height)⌋ for the figure's grid cells; the background colour
    /// where fewer than half of the block's pixels have a value), so the figure shows what the panel can resolve without
    /// aliasing and without holding every map at full resolution. Axes and scale bars stay in map pixels.
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="phaseNames"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="width"/> or <paramref name="height"/> is not positive.</exception>
    /// <exception cref="ArgumentException">No phase names, or <paramref name="correlations"/> is not
    /// phaseNames.Count × width × height long.</exception>
    public static byte[] RenderCorrelationMaps(
        int width, int height, IReadOnlyList<string> phaseNames, ReadOnlySpan<float> correlations, FigureOptions? options = null,
        StackMetadata? metadata = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        CheckPhaseNames(phaseNames, nameof(phaseNames));
        CheckLength(correlations.Length, (long)phaseNames.Count * width * height, nameof(correlations), "values (phases × width × height)");
        return CorrelationMapsCore(width, height, phaseNames, correlations, default, Resolve(options), metadata);
    }

    private static byte[] PhaseMapCore(PhaseMap map, ReadOnlySpan<float> reliability, bool hasReliability, FigureOptions o, StackMetadata? metadata)
    {
        double rMax = o.ReliabilityMax;
        string title = !hasReliability ? "Phase map" : "Phase map (brightness = reliability)";
        ScottPlot.Image image;
        using (var raster = new MapRaster(map.Width, map.Height))
        {
            ReadOnlySpan<int> labels = map.Labels;
            for (int i = 0; i < labels.Length; i++)
            {
                FigureColor c;
                if (labels[i] == PhaseMap.NoMatch)
                {
                    c = o.NoMatchColor;
                }
                else if (labels[i] < 0)
                {
                    c = o.UnassignedColor;
                }
                else
                {
                    c = o.Palette.GetColor(labels[i]);
                    if (hasReliability)
                    {
                        c = c.WithBrightness(ReliabilityBrightness(reliability[i], rMax));
                    }
                }

                raster.Set(i, c);
            }

            image = raster.ToImage(); // a copy: the raster's memory is released here
        }

        using var figure = new FigureBuilder(o, 900, 700, title);
        double? pixelSize = MapPanel.PixelSize(o, metadata);
        Plot panel = MapPanel.AddMapPanel(figure, map.Width, map.Height, pixelSize, false);
        figure.Own(image);
        MapPanel.Configure(figure, panel, image, pixelSize, null, (x, y) => map.Labels[(y * map.Width) + x] >= 0);
        List<LegendItem> legend = PhaseLegend(map.PhaseNames, o, MapPanel.FillItem);
        if (map.CountOf(PhaseMap.Unassigned) > 0)
        {
            legend.Add(MapPanel.FillItem("Unassigned", o.UnassignedColor));
        }

        if (map.CountOf(PhaseMap.NoMatch) is > 0 and int noMatch)
        {
            legend.Add(MapPanel.FillItem(string.Create(CultureInfo.InvariantCulture, $"No matching reference ({noMatch})"), o.NoMatchColor));
        }

        figure.AddLegend(legend, weight: 1.4f);
        if (hasReliability)
        {
            figure.AddColorKey(new ScottPlot.Colormaps.Grayscale(), 0, rMax, "Reliability R (brightness)");
        }

        return figure.Render();
    }

    /// <summary>Brightness b = min(max(R, 0) / R_max, 1), NaN → 0.</summary>
    internal static double ReliabilityBrightness(float reliability, double reliabilityMax) =>
        float.IsNaN(reliability) ? 0 : Math.Min(Math.Max(reliability, 0) / reliabilityMax, 1);

    /// <summary>
    /// Draws the maps straight from the caller's planes (no copy of them): a pixel has a value where it is finite and,
    /// when <paramref name="status"/> is given, <see cref="PixelStatus.Valid"/>.
    /// </summary>
    private static byte[] CorrelationMapsCore(int width, int height, IReadOnlyList<string> names, ReadOnlySpan<float> values,
        ReadOnlySpan<PixelStatus> status, FigureOptions o, StackMetadata? metadata)
    {
        int n = width * height;
        double lo = double.PositiveInfinity;
        double hi = double.NegativeInfinity;
        for (int p = 0; p < names.Count; p++)
        {
            ReadOnlySpan<float> plane = values.Slice(p * n, n);
            for (int i = 0; i < n; i++)
            {
                float v = plane[i];
                if (float.IsFinite(v) && (status.IsEmpty || status[i] == PixelStatus.Valid))
                {
                    lo = Math.Min(lo, v);
                    hi = Math.Max(hi, v);
                }
            }
        }

        if (double.IsInfinity(lo))
        {
            lo = 0;
            hi = 1;
        }

        lo = o.CorrelationMin ?? lo;
        hi = o.CorrelationMax ?? hi;
        if (!(hi > lo))
        {
            double mid = (lo + hi) / 2;
            lo = mid - 1e-3;
            hi = mid + 1e-3;
        }

        var viridis = new ScottPlot.Colormaps.Viridis();
        int phases = names.Count;
        using var figure = new FigureBuilder(o, 1200, 800, "Correlation maps");
        figure.Columns = (int)Math.Ceiling(Math.Sqrt(phases));
        figure.SideWidth96 = 120;
        double? pixelSize = MapPanel.PixelSize(o, metadata);
        // A map larger than its panel is drawn from k × k block means of the valid values (k the largest integer that
        // keeps the reduced raster at least as large as the panel can be; a block at least half valid gets the mean
        // colour, else the background): the figure looks the same, with less aliasing, and holds ~k² times less image
        // memory (five 1024² maps in a 1200 × 800 figure: 5 MB instead of 20 MB).
        (int cellWidth, int cellHeight) = figure.MaxCellSize(phases);
        int k = Math.Max(1, Math.Min(width / cellWidth, height / cellHeight));
        int rw = (width + k - 1) / k;
        int rh = (height + k - 1) / k;
        using var raster = new MapRaster(rw, rh); // refilled for each panel; ToImage copies it
        for (int p = 0; p < phases; p++)
        {
            ReadOnlySpan<float> plane = values.Slice(p * n, n);
            for (int by = 0; by < rh; by++)
            {
                int y0 = by * k;
                int y1 = Math.Min(y0 + k, height);
                for (int bx = 0; bx < rw; bx++)
                {
                    int x0 = bx * k;
                    int x1 = Math.Min(x0 + k, width);
                    double sum = 0;
                    int count = 0;
                    for (int y = y0; y < y1; y++)
                    {
                        for (int x = x0; x < x1; x++)
                        {
                            int i = (y * width) + x;
                            float v = plane[i];
                            if (float.IsFinite(v) && (status.IsEmpty || status[i] == PixelStatus.Valid))
                            {
                                sum += v;
                                count++;
                            }
                        }
                    }

                    FigureColor c;
                    if (count > 0 && 2 * count >= (y1 - y0) * (x1 - x0)) // mostly valid: edges stay where they are
                    {
                        ScottPlot.Color sc = viridis.GetColor(Math.Clamp(((sum / count) - lo) / (hi - lo), 0, 1));
                        c = new FigureColor(sc.R, sc.G, sc.B);
                    }
                    else
                    {
                        c = o.UnassignedColor;
                    }

                    raster.Set((by * rw) + bx, c);
                }
            }

            Plot panel = MapPanel.AddMapPanel(figure, width, height, pixelSize, true);
            MapPanel.Configure(figure, panel, figure.Own(raster.ToImage()), width, height, pixelSize, names[p]);
        }

        figure.AddColorKey(viridis, lo, hi, "Pearson correlation");
        return figure.Render();
    }
}
