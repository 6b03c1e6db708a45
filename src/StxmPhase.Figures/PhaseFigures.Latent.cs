using System.Globalization;
using ScottPlot;

namespace StxmPhase.Figures;

public static partial class PhaseFigures
{
    /// <summary>
    /// Renders the 2-D projections of a latent space coloured by phase, with ambiguous points in grey (the paper's Fig. 4d).
    /// </summary>
    /// <param name="points">Row-major latent points: <c>points[i · dimension + j]</c>.</param>
    /// <param name="dimension">Latent dimension (≥ 2). Dimension 2 gives one panel (z1–z2);
    /// 3 or more give the three projections z1–z2, z1–z3, z2–z3 of the first three coordinates.</param>
    /// <param name="labels">Phase label per point (−1 for none).</param>
    /// <param name="ambiguous">Ambiguity per point; ambiguous points, and points labelled −1,
    /// are drawn in <see cref="FigureOptions.AmbiguousColor"/> on top of the phase points.</param>
    /// <param name="phaseNames">Phase names, by label.</param>
    /// <param name="options">Figure options; at most <see cref="FigureOptions.MaxScatterPoints"/> points are drawn (deterministic subsample).
    /// Default size 1350 × 480, title "Latent space".</param>
    /// <returns>The PNG bytes.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="phaseNames"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="dimension"/> is below 2.</exception>
    /// <exception cref="ArgumentException">Lengths do not match, a label is out of range, or a coordinate is NaN or ±∞.</exception>
    public static byte[] RenderLatentProjections(
        ReadOnlySpan<float> points, int dimension, ReadOnlySpan<int> labels, ReadOnlySpan<bool> ambiguous, IReadOnlyList<string> phaseNames,
        FigureOptions? options = null)
    {
        CheckLatent(points, dimension, labels, ambiguous, phaseNames);
        return LatentCore(points, dimension, labels, ambiguous, null, phaseNames, Resolve(options));
    }

    /// <summary>
    /// Renders the 2-D projections of a latent space before and after resolving the ambiguous points (the paper's
    /// Fig. 4d–f): the top row colours points by their correlation labels with ambiguous points in grey, the bottom row by
    /// their resolved labels (points still labelled −1 in grey). Both rows show the same points on the same axes.
    /// </summary>
    /// <param name="points">Row-major latent points: <c>points[i · dimension + j]</c>.</param>
    /// <param name="dimension">Latent dimension (≥ 2); see the
    /// <see cref="RenderLatentProjections(ReadOnlySpan{float},int,ReadOnlySpan{int},ReadOnlySpan{bool},IReadOnlyList{string},FigureOptions?)"/>
    /// overload.</param>
    /// <param name="labels">Phase label per point before resolution (−1 for none).</param>
    /// <param name="ambiguous">Ambiguity per point before resolution.</param>
    /// <param name="resolvedLabels">Phase label per point after latent-space reassignment (−1 for unresolved).</param>
    /// <param name="phaseNames">Phase names, by label.</param>
    /// <param name="options">Figure options; default size 1350 × 900, title "Latent space before and after resolution".</param>
    /// <returns>The PNG bytes.</returns>
    /// <remarks>
    /// When there are more points than <see cref="FigureOptions.MaxScatterPoints"/>, a uniformly random subset of exactly that
    /// many points is drawn, chosen by a partial Fisher–Yates shuffle driven by SplitMix64 seeded with
    /// <see cref="FigureOptions.SubsampleSeed"/>: the same inputs and seed always give the same picture.
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="phaseNames"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="dimension"/> is below 2.</exception>
    /// <exception cref="ArgumentException">Lengths do not match, a label is out of range, or a coordinate is NaN or ±∞.</exception>
    public static byte[] RenderLatentProjections(
        ReadOnlySpan<float> points,
        int dimension,
        ReadOnlySpan<int> labels,
        ReadOnlySpan<bool> ambiguous,
        ReadOnlySpan<int> resolvedLabels,
        IReadOnlyList<string> phaseNames,
        FigureOptions? options = null)
    {
        CheckLatent(points, dimension, labels, ambiguous, phaseNames);
        CheckLength(resolvedLabels.Length, labels.Length, nameof(resolvedLabels), "resolved labels (one per point)");
        CheckLabels(resolvedLabels, phaseNames.Count, nameof(resolvedLabels));
        return LatentCore(points, dimension, labels, ambiguous, resolvedLabels.ToArray(), phaseNames, Resolve(options));
    }

    /// <summary>Returns the indices of the points drawn: all when count ≤ max,
    /// else a seeded random subset of max indices in increasing order.</summary>
    internal static int[] SubsampleIndices(int count, int max, ulong seed)
    {
        int[] indices = new int[count];
        for (int i = 0; i < count; i++)
        {
            indices[i] = i;
        }

        if (count <= max)
        {
            return indices;
        }

        ulong state = seed;
        for (int i = 0; i < max; i++)
        {
            int j = i + (int)(NextSplitMix64(ref state) % (ulong)(count - i));
            (indices[i], indices[j]) = (indices[j], indices[i]);
        }

        int[] chosen = indices[..max];
        Array.Sort(chosen);
        return chosen;
    }

    private static ulong NextSplitMix64(ref ulong state)
    {
        ulong z = state += 0x9E3779B97F4A7C15ul;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ul;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBul;
        return z ^ (z >> 31);
    }

    private static void CheckLatent(
        ReadOnlySpan<float> points, int dimension, ReadOnlySpan<int> labels, ReadOnlySpan<bool> ambiguous, IReadOnlyList<string> phaseNames)
    {
        CheckPhaseNames(phaseNames, nameof(phaseNames));
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 2);
        CheckLength(points.Length, (long)labels.Length * dimension, nameof(points), "coordinates (points × dimension)");
        CheckLength(ambiguous.Length, labels.Length, nameof(ambiguous), "ambiguity flags (one per point)");
        CheckLabels(labels, phaseNames.Count, nameof(labels));
        for (int i = 0; i < points.Length; i++)
        {
            if (!float.IsFinite(points[i]))
            {
                throw new ArgumentException(
                    string.Create(CultureInfo.InvariantCulture,
                        $"Latent point {i / dimension} has a non-finite coordinate {i % dimension} ({points[i]})."),
                    nameof(points));
            }
        }
    }

    private static byte[] LatentCore(
        ReadOnlySpan<float> points, int dimension, ReadOnlySpan<int> labels, ReadOnlySpan<bool> ambiguous, int[]? resolved,
        IReadOnlyList<string> names, FigureOptions o)
    {
        int[] chosen = SubsampleIndices(labels.Length, o.MaxScatterPoints, o.SubsampleSeed);
        (int X, int Y)[] pairs = dimension == 2 ? [(0, 1)] : [(0, 1), (0, 2), (1, 2)];
        int rows = resolved is null ? 1 : 2;
        string title = resolved is null ? "Latent space" : "Latent space before and after resolution";
        using var figure = new FigureBuilder(o, 1350, rows == 1 ? 480 : 900, title);
        figure.Columns = pairs.Length;

        // Group point indices once per row: phase groups, then the grey group.
        int phases = names.Count;
        var groups = new List<int>[rows][];
        for (int r = 0; r < rows; r++)
        {
            groups[r] = new List<int>[phases + 1];
            for (int g = 0; g <= phases; g++)
            {
                groups[r][g] = [];
            }
        }

        foreach (int i in chosen)
        {
            int before = ambiguous[i] || labels[i] < 0 ? phases : labels[i];
            groups[0][before].Add(i);
            if (resolved is not null)
            {
                groups[1][resolved[i] < 0 ? phases : resolved[i]].Add(i);
            }
        }

        float[] coordinates = points.ToArray();
        for (int r = 0; r < rows; r++)
        {
            foreach ((int a, int b) in pairs)
            {
                Plot plot = figure.AddPanel();
                string row = resolved is null ? string.Empty : r == 0 ? "Correlation labels: " : "After resolution: ";
                plot.Title(string.Create(CultureInfo.InvariantCulture, $"{row}z{a + 1}–z{b + 1}"));
                plot.XLabel(string.Create(CultureInfo.InvariantCulture, $"z{a + 1}"));
                plot.YLabel(string.Create(CultureInfo.InvariantCulture, $"z{b + 1}"));
                for (int g = 0; g <= phases; g++)
                {
                    List<int> members = groups[r][g];
                    if (members.Count == 0)
                    {
                        continue;
                    }

                    double[] xs = new double[members.Count];
                    double[] ys = new double[members.Count];
                    for (int k = 0; k < members.Count; k++)
                    {
                        xs[k] = coordinates[(members[k] * dimension) + a];
                        ys[k] = coordinates[(members[k] * dimension) + b];
                    }

                    FigureColor color = g == phases ? o.AmbiguousColor : o.Palette.GetColor(g);
                    plot.Add.Markers(xs, ys, MarkerShape.FilledCircle, (float)o.MarkerSizePx, color.ToScottPlot());
                }

                (double xMin, double xMax) = Extent(coordinates, dimension, a, chosen);
                (double yMin, double yMax) = Extent(coordinates, dimension, b, chosen);
                plot.Axes.SetLimits(xMin, xMax, yMin, yMax);
            }
        }

        List<LegendItem> legend = PhaseLegend(names, o, MapPanel.MarkerItem);
        if (groups.Any(row => row[phases].Count > 0))
        {
            legend.Add(MapPanel.MarkerItem(resolved is null ? "Ambiguous" : "Ambiguous / unresolved", o.AmbiguousColor));
        }

        figure.AddLegend(legend);
        if (chosen.Length < labels.Length)
        {
            figure.AddLegend(
                [new LegendItem { LabelText = string.Create(CultureInfo.InvariantCulture, $"{chosen.Length} of {labels.Length} points shown") }],
                weight: 0.25f);
        }

        return figure.Render();
    }

    private static (double Min, double Max) Extent(float[] coordinates, int dimension, int axis, int[] chosen)
    {
        double min = double.PositiveInfinity;
        double max = double.NegativeInfinity;
        foreach (int i in chosen)
        {
            double v = coordinates[(i * dimension) + axis];
            min = Math.Min(min, v);
            max = Math.Max(max, v);
        }

        if (chosen.Length == 0)
        {
            return (-1, 1);
        }

        double pad = max > min ? (max - min) * 0.05 : Math.Max(Math.Abs(min) * 0.05, 0.5);
        return (min - pad, max + pad);
    }
}
