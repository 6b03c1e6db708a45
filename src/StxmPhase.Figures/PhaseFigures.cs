using System.Globalization;
using ScottPlot;
using StxmPhase.Spectra;

namespace StxmPhase.Figures;

/// <summary>
/// Renders publication-quality PNG figures of STXM phase-mapping results: the phase map shaded by reliability, the
/// ambiguity map, the grid of correlation maps, the latent-space projections, the training loss curves and spectra.
/// Every method returns the encoded PNG; <see cref="SavePng"/> writes it atomically.
/// </summary>
/// <remarks>
/// <para>
/// Phase <c>p</c> has the colour <c>options.Palette.GetColor(p)</c> in every figure (default: Okabe–Ito without black,
/// see <see cref="PhasePalette"/>). Unassigned (−1), masked and invalid pixels are drawn in
/// <see cref="FigureOptions.UnassignedColor"/> (default white); ambiguous pixels and points in
/// <see cref="FigureOptions.AmbiguousColor"/> (default grey #999999).
/// </para>
/// <para>
/// Maps are drawn with square pixels, row 0 at the top and no interpolation. With a pixel size (option or metadata) a
/// scale bar of 1, 2 or 5 × 10^k nm, about a fifth of the image width, replaces the pixel axes.
/// </para>
/// <para>The methods are thread-safe (they share no state) and never write to the console.</para>
/// </remarks>
public static partial class PhaseFigures
{
    /// <summary>Writes a PNG (or any bytes) to <paramref name="path"/> atomically: a temporary file in the same folder, then a rename.</summary>
    /// <param name="path">The destination file; an existing file is replaced.</param>
    /// <param name="png">The bytes to write, e.g. from <see cref="RenderPhaseMap(PhaseMap, FigureOptions?, StackMetadata?)"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty or has no parent folder.</exception>
    /// <exception cref="DirectoryNotFoundException">The destination folder does not exist.</exception>
    /// <exception cref="IOException">The file could not be written or renamed.</exception>
    public static void SavePng(string path, ReadOnlySpan<byte> png)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        PngFile.WriteAtomic(path, png);
    }

    /// <summary>Returns the physical resolution recorded in a PNG's pHYs chunk, in dots per inch,
    /// or <see langword="null"/> when there is none.</summary>
    /// <param name="png">A PNG file's bytes.</param>
    /// <returns>The horizontal resolution in dpi.</returns>
    public static double? ReadPngDpi(ReadOnlySpan<byte> png) => PngFile.ReadDpi(png);

    private static FigureOptions Resolve(FigureOptions? options) => options ?? FigureOptions.Default;

    private static void CheckLength(int actual, long expected, string paramName, string what)
    {
        if (actual != expected)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"Expected {expected} {what} but got {actual}."), paramName);
        }
    }

    private static void CheckPhaseNames(IReadOnlyList<string> phaseNames, string paramName)
    {
        ArgumentNullException.ThrowIfNull(phaseNames, paramName);
        if (phaseNames.Count == 0)
        {
            throw new ArgumentException("At least one phase name is required.", paramName);
        }
    }

    private static void CheckLabels(ReadOnlySpan<int> labels, int phaseCount, string paramName)
    {
        for (int i = 0; i < labels.Length; i++)
        {
            if (labels[i] < PhaseMap.NoMatch || labels[i] >= phaseCount)
            {
                throw new ArgumentException(
                    string.Create(CultureInfo.InvariantCulture, $"Label {i} is {labels[i]}; labels must be −2, −1 or in [0, {phaseCount})."),
                    paramName);
            }
        }
    }

    private static List<LegendItem> PhaseLegend(IReadOnlyList<string> names, FigureOptions o, Func<string, FigureColor, LegendItem> item)
    {
        var items = new List<LegendItem>(names.Count + 2);
        for (int p = 0; p < names.Count; p++)
        {
            items.Add(item(names[p], o.Palette.GetColor(p)));
        }

        return items;
    }
}
