using System.Globalization;

namespace StxmPhase.Spectra;

/// <summary>
/// A translation in pixels: the displacement of an image's content relative to the reference image (content at
/// reference position (x, y) appears at (x + X, y + Y)). Positive X is to the right (increasing column), positive Y down
/// (increasing row).
/// </summary>
/// <param name="X">Shift along x (columns) in pixels.</param>
/// <param name="Y">Shift along y (rows) in pixels.</param>
public readonly record struct ImageShift(double X, double Y)
{
    /// <summary>Returns a description such as "(+1.250, −0.500) px".</summary>
    /// <returns>The description.</returns>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"({X:+0.000;-0.000;+0.000}, {Y:+0.000;-0.000;+0.000}) px");
}
