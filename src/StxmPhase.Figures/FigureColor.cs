using System.Globalization;

namespace StxmPhase.Figures;

/// <summary>An opaque 24-bit sRGB colour used by the figures (phase colours, background, ambiguous grey).</summary>
/// <param name="R">Red, 0–255.</param>
/// <param name="G">Green, 0–255.</param>
/// <param name="B">Blue, 0–255.</param>
public readonly record struct FigureColor(byte R, byte G, byte B)
{
    /// <summary>Parses a colour written as <c>#RRGGBB</c> or <c>RRGGBB</c> (hexadecimal, case-insensitive).</summary>
    /// <param name="hex">The colour, e.g. <c>"#E69F00"</c>.</param>
    /// <returns>The colour.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="hex"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="hex"/> is not six hexadecimal digits with an optional leading '#'.</exception>
    public static FigureColor FromHex(string hex)
    {
        ArgumentNullException.ThrowIfNull(hex);
        ReadOnlySpan<char> s = hex.AsSpan().Trim();
        if (s.Length > 0 && s[0] == '#')
        {
            s = s[1..];
        }

        if (s.Length != 6 || !uint.TryParse(s, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out uint rgb))
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"A colour must be written as #RRGGBB (six hexadecimal digits); got '{hex}'."),
                nameof(hex));
        }

        return new FigureColor((byte)(rgb >> 16), (byte)(rgb >> 8), (byte)rgb);
    }

    /// <summary>Returns this colour with every channel multiplied by <paramref name="brightness"/> (clamped to [0, 1]).</summary>
    /// <param name="brightness">The factor; NaN counts as 0.</param>
    /// <returns>The darkened colour: <c>round(c · b)</c> per channel, so 1 gives this colour and 0 gives black.</returns>
    public FigureColor WithBrightness(double brightness)
    {
        double b = double.IsNaN(brightness) ? 0 : Math.Clamp(brightness, 0, 1);
        return new FigureColor(
            (byte)Math.Round(R * b, MidpointRounding.AwayFromZero),
            (byte)Math.Round(G * b, MidpointRounding.AwayFromZero),
            (byte)Math.Round(B * b, MidpointRounding.AwayFromZero));
    }

    /// <summary>Returns the colour as <c>#RRGGBB</c> (upper-case hexadecimal).</summary>
    /// <returns>The hexadecimal form.</returns>
    public string ToHex() => string.Create(CultureInfo.InvariantCulture, $"#{R:X2}{G:X2}{B:X2}");

    /// <summary>Returns <see cref="ToHex"/>.</summary>
    /// <returns>The hexadecimal form, e.g. <c>#E69F00</c>.</returns>
    public override string ToString() => ToHex();
}
