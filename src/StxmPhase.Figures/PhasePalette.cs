using System.Globalization;

namespace StxmPhase.Figures;

/// <summary>
/// An ordered list of colours that gives every phase index the same colour in every figure: phase <c>p</c> is drawn in
/// <c>Colors[p mod Count]</c>.
/// </summary>
/// <remarks>
/// <para>
/// The built-in palettes are colour-blind safe. Black and grey are left out of them on purpose: black is what a phase
/// colour becomes at zero reliability in the shaded phase map (colour × brightness), and grey marks ambiguous pixels and
/// points (<see cref="FigureOptions.AmbiguousColor"/>).
/// </para>
/// <list type="table">
/// <listheader><term>palette</term><description>colours, in phase order</description></listheader>
/// <item><term><see cref="OkabeIto"/> (default)</term><description>Okabe &amp; Ito (2008) without black: orange #E69F00, sky blue #56B4E9,
/// bluish green #009E73, vermillion #D55E00, blue #0072B2, reddish purple #CC79A7, yellow #F0E442.</description></item>
/// <item><term><see cref="TolBright"/></term><description>Paul Tol's "bright" scheme without grey:
/// #4477AA, #EE6677, #228833, #CCBB44, #66CCEE, #AA3377.</description></item>
/// <item><term><see cref="TolMuted"/></term><description>Paul Tol's "muted" scheme without grey:
/// #CC6677, #332288, #DDCC77, #117733, #88CCEE, #882255, #44AA99, #999933, #AA4499.</description></item>
/// </list>
/// <para>With more phases than colours the palette repeats; use a palette with at least as many colours as phases.</para>
/// </remarks>
public sealed class PhasePalette
{
    private readonly FigureColor[] _colors;

    /// <summary>Initializes a palette from a copy of <paramref name="colors"/>.</summary>
    /// <param name="name">A short name (shown nowhere in figures; used in documentation and diagnostics).</param>
    /// <param name="colors">The colours, in phase order (at least one).</param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="colors"/> is empty.</exception>
    public PhasePalette(string name, IReadOnlyList<FigureColor> colors)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(colors);
        if (colors.Count == 0)
        {
            throw new ArgumentException("A palette must contain at least one colour.", nameof(colors));
        }

        Name = name;
        _colors = colors.ToArray();
    }

    /// <summary>Gets the Okabe–Ito palette without black (7 colours); the default of <see cref="FigureOptions.Palette"/>.</summary>
    public static PhasePalette OkabeIto { get; } = FromHex("Okabe-Ito", "#E69F00", "#56B4E9", "#009E73", "#D55E00", "#0072B2", "#CC79A7", "#F0E442");

    /// <summary>Gets Paul Tol's bright palette without grey (6 colours).</summary>
    public static PhasePalette TolBright { get; } = FromHex("Tol bright", "#4477AA", "#EE6677", "#228833", "#CCBB44", "#66CCEE", "#AA3377");

    /// <summary>Gets Paul Tol's muted palette without grey (9 colours).</summary>
    public static PhasePalette TolMuted { get; } =
        FromHex("Tol muted", "#CC6677", "#332288", "#DDCC77", "#117733", "#88CCEE", "#882255", "#44AA99", "#999933", "#AA4499");

    /// <summary>Gets the palette's name.</summary>
    public string Name { get; }

    /// <summary>Gets the colours, in phase order.</summary>
    public IReadOnlyList<FigureColor> Colors => _colors;

    /// <summary>Gets the number of distinct colours.</summary>
    public int Count => _colors.Length;

    /// <summary>Returns the colour of phase <paramref name="phase"/>: <c>Colors[phase mod Count]</c>.</summary>
    /// <param name="phase">A phase index (≥ 0).</param>
    /// <returns>The colour.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="phase"/> is negative.</exception>
    public FigureColor GetColor(int phase)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(phase);
        return _colors[phase % _colors.Length];
    }

    /// <summary>Returns the name and the number of colours.</summary>
    /// <returns>A description such as "Okabe-Ito (7 colours)".</returns>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Name} ({Count} colours)");

    private static PhasePalette FromHex(string name, params string[] hex) =>
        new(name, hex.Select(FigureColor.FromHex).ToArray());
}
