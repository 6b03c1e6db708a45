using System.Globalization;
using ScottPlot;
using StxmPhase.Spectra;

namespace StxmPhase.Figures;

public static partial class PhaseFigures
{
    /// <summary>
    /// Renders the decoder's spectra along a latent path (the paper's Fig. S9): left, the latent scatter (z1–z2) coloured by
    /// phase with the path drawn on it; right, the decoded spectra as a fan coloured by position along the path, from the
    /// start phase's colour (t = 0) to the end phase's colour (t = 1).
    /// </summary>
    /// <param name="path">The decoded path (e.g. <c>PhaseMappingRun.DecodePath</c>).</param>
    /// <param name="energies">The energy axis of the decoded spectra (E = <c>path.EnergyCount</c>).</param>
    /// <param name="points">Row-major latent points of the data, drawn behind the path: <c>points[i · dimension + j]</c>.</param>
    /// <param name="dimension">Latent dimension of the points (≥ 2, equal to the path's).</param>
    /// <param name="labels">Phase label per point (−1 for none, drawn grey).</param>
    /// <param name="phaseNames">Phase names, by label.</param>
    /// <param name="options">Figure options; at most <see cref="FigureOptions.MaxScatterPoints"/> points are drawn (seeded subsample).
    /// Default size 1350 × 560, title "Decoder spectra along a latent path".</param>
    /// <returns>The PNG bytes.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="path"/>,
    /// <paramref name="energies"/> or <paramref name="phaseNames"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="dimension"/> is below 2.</exception>
    /// <exception cref="ArgumentException">
    /// The dimension or the energy count differs from the path's, lengths do not match, a label is out of range, or a value is NaN or ±∞.
    /// </exception>
    public static byte[] RenderLatentPath(
        LatentPath path, EnergyAxis energies, ReadOnlySpan<float> points, int dimension, ReadOnlySpan<int> labels, IReadOnlyList<string> phaseNames,
        FigureOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(energies);
        CheckLatent(points, dimension, labels, new bool[labels.Length], phaseNames);
        if (path.LatentDimension != dimension)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"The path has latent dimension {path.LatentDimension}; the points have {dimension}."),
                nameof(dimension));
        }

        if (path.EnergyCount != energies.Count)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"The path's spectra have {path.EnergyCount} energies; the axis has {energies.Count}."),
                nameof(energies));
        }

        CheckFinite(path.Spectra, path.EnergyCount, nameof(path));
        FigureOptions o = Resolve(options);
        FigureColor start = path.FromPhase >= 0 && path.FromPhase < phaseNames.Count
            ? o.Palette.GetColor(path.FromPhase)
            : new FigureColor(40, 40, 160);
        FigureColor end = path.ToPhase >= 0 && path.ToPhase < phaseNames.Count ? o.Palette.GetColor(path.ToPhase) : new FigureColor(200, 40, 40);
        string fromName = path.FromPhase >= 0 && path.FromPhase < phaseNames.Count ? phaseNames[path.FromPhase] : "start";
        string toName = path.ToPhase >= 0 && path.ToPhase < phaseNames.Count ? phaseNames[path.ToPhase] : "end";

        using var figure = new FigureBuilder(o, 1350, 560, "Decoder spectra along a latent path");
        figure.Columns = 2;

        // Left: the latent scatter (z1–z2) with the path.
        Plot scatter = figure.AddPanel();
        scatter.Title(string.Create(CultureInfo.InvariantCulture, $"Latent space z1–z2: path {fromName} → {toName}"));
        scatter.XLabel("z1");
        scatter.YLabel("z2");
        int[] chosen = SubsampleIndices(labels.Length, o.MaxScatterPoints, o.SubsampleSeed);
        int phases = phaseNames.Count;
        for (int g = 0; g <= phases; g++)
        {
            var xs = new List<double>();
            var ys = new List<double>();
            foreach (int i in chosen)
            {
                int group = labels[i] < 0 ? phases : labels[i];
                if (group == g)
                {
                    xs.Add(points[i * dimension]);
                    ys.Add(points[(i * dimension) + 1]);
                }
            }

            if (xs.Count > 0)
            {
                FigureColor color = g == phases ? o.AmbiguousColor : o.Palette.GetColor(g);
                scatter.Add.Markers(xs.ToArray(), ys.ToArray(), MarkerShape.FilledCircle, (float)o.MarkerSizePx, color.ToScottPlot());
            }
        }

        int steps = path.Steps;
        double[] px = new double[steps];
        double[] py = new double[steps];
        for (int k = 0; k < steps; k++)
        {
            px[k] = path.Points[k * dimension];
            py[k] = path.Points[(k * dimension) + 1];
        }

        var line = scatter.Add.Scatter(px, py, new FigureColor(0, 0, 0).ToScottPlot());
        line.LineWidth = 2.5f;
        line.MarkerSize = 0;
        for (int k = 0; k < steps; k++)
        {
            FigureColor c = PathColor(start, end, path.Positions[k]);
            scatter.Add.Marker(px[k], py[k], MarkerShape.FilledCircle, (float)(o.MarkerSizePx * 3), c.ToScottPlot());
        }

        // Right: the spectra fan, coloured by position.
        Plot fan = SpectraPanel(figure);
        fan.Title("Decoded spectra (colour = position along the path)");
        double[] ex = energies.AsSpan().ToArray();
        for (int k = 0; k < steps; k++)
        {
            AddSpectrum(fan, ex, path.Spectrum(k), PathColor(start, end, path.Positions[k]), LinePattern.Solid,
                k == 0 || k == steps - 1 ? 2.5f : 1.5f, 0);
        }

        figure.AddLegend(
        [
            MapPanel.LineItem(string.Create(CultureInfo.InvariantCulture, $"t = 0 ({fromName})"), start, LinePattern.Solid),
            MapPanel.LineItem("t = 0.5", PathColor(start, end, 0.5), LinePattern.Solid),
            MapPanel.LineItem(string.Create(CultureInfo.InvariantCulture, $"t = 1 ({toName})"), end, LinePattern.Solid),
            MapPanel.LineItem("Path", new FigureColor(0, 0, 0), LinePattern.Solid),
        ]);
        return figure.Render();
    }

    /// <summary>Interpolates linearly in sRGB between two colours: t = 0 gives <paramref name="start"/>,
    /// t = 1 gives <paramref name="end"/>.</summary>
    internal static FigureColor PathColor(FigureColor start, FigureColor end, double t)
    {
        double u = double.IsNaN(t) ? 0 : Math.Clamp(t, 0, 1);
        static byte Mix(byte a, byte b, double u) => (byte)Math.Round(a + ((b - a) * u), MidpointRounding.AwayFromZero);
        return new FigureColor(Mix(start.R, end.R, u), Mix(start.G, end.G, u), Mix(start.B, end.B, u));
    }
}
