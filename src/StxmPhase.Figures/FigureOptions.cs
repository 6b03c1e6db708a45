using System.Globalization;

namespace StxmPhase.Figures;

/// <summary>
/// Options shared by every figure of <see cref="PhaseFigures"/>: size, resolution, title, colours, scale bar and the
/// figure-specific settings (reliability shading, colour range of correlation maps, scatter subsampling, log scale).
/// </summary>
/// <remarks>
/// <para>
/// <b>Size and resolution.</b> The PNG is exactly <see cref="WidthPx"/> × <see cref="HeightPx"/> pixels. <see cref="Dpi"/>
/// sets the physical resolution written into the PNG (pHYs chunk) and scales fonts, lines and markers by
/// <c>Dpi / 96</c>, so that a figure keeps its look when printed at <c>WidthPx / Dpi</c> inches: for a 7-inch-wide
/// journal figure at 300 dpi use <c>WidthPx = 2100, Dpi = 300</c>.
/// </para>
/// <para>Properties validate their values when set and throw <see cref="ArgumentOutOfRangeException"/> naming the property.</para>
/// </remarks>
/// <example>
/// <code>
/// var options = new FigureOptions { WidthPx = 2100, HeightPx = 1500, Dpi = 300, PixelSizeNm = 31, Title = "Na2.0VPF" };
/// PhaseFigures.SavePng("phase-map.png", PhaseFigures.RenderPhaseMap(correlation, options));
/// </code>
/// </example>
public sealed class FigureOptions
{
    private string? _title;

    private readonly int? _widthPx;
    private readonly int? _heightPx;
    private readonly double _dpi = 96;
    private readonly double? _pixelSizeNm;
    private readonly PhasePalette _palette = PhasePalette.OkabeIto;
    private readonly double _reliabilityMax = 10;
    private readonly int _maxScatterPoints = 20_000;
    private readonly double _markerSizePx = 3;

    /// <summary>Gets the default options.</summary>
    public static FigureOptions Default { get; } = new();

    /// <summary>
    /// Gets the image width in pixels (32–20000), or <see langword="null"/> (default) for the figure's own default
    /// (phase/ambiguity map 900, correlation maps 1200, latent projections 1350, loss curves 1100, spectra 900).
    /// </summary>
    public int? WidthPx
    {
        get => _widthPx;
        init => _widthPx = CheckSize(value, nameof(WidthPx));
    }

    /// <summary>
    /// Gets the image height in pixels (32–20000), or <see langword="null"/> (default) for the figure's own default
    /// (phase/ambiguity map 700, correlation maps 800, latent projections 900 with two rows or 480 with one, loss curves 500, spectra 600).
    /// </summary>
    public int? HeightPx
    {
        get => _heightPx;
        init => _heightPx = CheckSize(value, nameof(HeightPx));
    }

    /// <summary>Gets the resolution in dots per inch (24–2400, default 96); fonts and lines scale by <c>Dpi / 96</c>.</summary>
    public double Dpi
    {
        get => _dpi;
        init
        {
            if (!(value >= 24 && value <= 2400))
            {
                throw OutOfRange(nameof(Dpi), value, "between 24 and 2400");
            }

            _dpi = value;
        }
    }

    /// <summary>
    /// Gets the figure title. <see langword="null"/> (default) gives the figure's default title (e.g. "Phase map"); an
    /// empty string gives no title.
    /// </summary>
    public string? Title
    {
        get => _title;
        init => _title = value;
    }

    /// <summary>Returns a copy of these options with another <see cref="Title"/>.</summary>
    /// <param name="title">The new title (<see langword="null"/> = the figure's default, empty = none).</param>
    /// <returns>The copy.</returns>
    public FigureOptions WithTitle(string? title)
    {
        var copy = (FigureOptions)MemberwiseClone();
        copy._title = title;
        return copy;
    }

    /// <summary>
    /// Gets the pixel size in nanometres for the scale bar of maps, or <see langword="null"/> (default) to take it from the
    /// <see cref="StxmPhase.Spectra.StackMetadata.PixelSizeXNm"/> passed to the map method. With no pixel size the maps
    /// show pixel axes instead of a scale bar.
    /// </summary>
    public double? PixelSizeNm
    {
        get => _pixelSizeNm;
        init
        {
            if (value is double v && !(double.IsFinite(v) && v > 0))
            {
                throw OutOfRange(nameof(PixelSizeNm), v, "finite and positive");
            }

            _pixelSizeNm = value;
        }
    }

    /// <summary>Gets whether maps draw a scale bar when the pixel size is known (default <see langword="true"/>).</summary>
    public bool ShowScaleBar { get; init; } = true;

    /// <summary>Gets whether figures draw a legend (default <see langword="true"/>).</summary>
    public bool ShowLegend { get; init; } = true;

    /// <summary>Gets the phase palette (default <see cref="PhasePalette.OkabeIto"/>):
    /// phase p is drawn in <c>Palette.GetColor(p)</c> in every figure.</summary>
    public PhasePalette Palette
    {
        get => _palette;
        init => _palette = value ?? throw new ArgumentNullException(nameof(Palette));
    }

    /// <summary>Gets the colour of unassigned (−1), masked and invalid pixels in maps (default white #FFFFFF).</summary>
    public FigureColor UnassignedColor { get; init; } = new(255, 255, 255);

    /// <summary>Gets the colour of sample pixels that match no reference (<see cref="Spectra.PhaseMap.NoMatch"/>, −2)
    /// in maps (default black #000000).</summary>
    public FigureColor NoMatchColor { get; init; } = new(0, 0, 0);

    /// <summary>Gets the colour of ambiguous pixels and latent points (default grey #999999).</summary>
    public FigureColor AmbiguousColor { get; init; } = new(0x99, 0x99, 0x99);

    /// <summary>
    /// Gets R_max, the reliability at which the shaded phase map reaches full brightness (default 10, i.e. a gap
    /// Q1 − Q2 of 0.1 with R = 100·(Q1 − Q2)). Must be finite and positive.
    /// </summary>
    /// <remarks>Brightness b = min(max(R, 0) / R_max, 1) (NaN → 0); the pixel colour is the phase colour × b per channel.</remarks>
    public double ReliabilityMax
    {
        get => _reliabilityMax;
        init
        {
            if (!(double.IsFinite(value) && value > 0))
            {
                throw OutOfRange(nameof(ReliabilityMax), value, "finite and positive");
            }

            _reliabilityMax = value;
        }
    }

    /// <summary>
    /// Gets the lower end of the shared colour scale of the correlation maps, or <see langword="null"/> (default) for the
    /// smallest coefficient of any valid pixel in any map.
    /// </summary>
    public double? CorrelationMin { get; init; }

    /// <summary>
    /// Gets the upper end of the shared colour scale of the correlation maps, or <see langword="null"/> (default) for the
    /// largest coefficient of any valid pixel in any map.
    /// </summary>
    public double? CorrelationMax { get; init; }

    /// <summary>
    /// Gets the largest number of points a latent scatter draws (1–10,000,000, default 20,000). Larger sets are
    /// subsampled deterministically (see <see cref="SubsampleSeed"/>); the same points appear in every panel.
    /// </summary>
    public int MaxScatterPoints
    {
        get => _maxScatterPoints;
        init
        {
            if (value < 1 || value > 10_000_000)
            {
                throw OutOfRange(nameof(MaxScatterPoints), value, "between 1 and 10000000");
            }

            _maxScatterPoints = value;
        }
    }

    /// <summary>Gets the seed of the subsampling of latent points (default 0); equal seeds choose equal points.</summary>
    public ulong SubsampleSeed { get; init; }

    /// <summary>Gets the diameter of scatter markers in pixels at 96 dpi (0.5–50, default 3).</summary>
    public double MarkerSizePx
    {
        get => _markerSizePx;
        init
        {
            if (!(value >= 0.5 && value <= 50))
            {
                throw OutOfRange(nameof(MarkerSizePx), value, "between 0.5 and 50");
            }

            _markerSizePx = value;
        }
    }

    /// <summary>
    /// Gets whether loss curves use a logarithmic y axis (default <see langword="true"/>, as in the paper's Fig. S11).
    /// On a log axis, non-positive and non-finite values are left out (the line breaks there).
    /// </summary>
    public bool LogScaleY { get; init; } = true;

    private static int? CheckSize(int? value, string name)
    {
        if (value is int v && (v < 32 || v > 20_000))
        {
            throw OutOfRange(name, v, "between 32 and 20000");
        }

        return value;
    }

    private static ArgumentOutOfRangeException OutOfRange(string name, object value, string rule) =>
        new(name, value, string.Create(CultureInfo.InvariantCulture, $"{name} must be {rule}; got {value}."));
}
