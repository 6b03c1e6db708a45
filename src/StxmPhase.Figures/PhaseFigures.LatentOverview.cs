using System.Globalization;
using ScottPlot;

namespace StxmPhase.Figures;

public static partial class PhaseFigures
{
    /// <summary>
    /// Renders one latent view of many stacks (the paper's Fig. S6a and S10): z1–z2 coloured by group (stack, or any
    /// per-stack column such as the state of charge), z1–z2 coloured by phase, and the intensity (e.g. mean optical density,
    /// a thickness proxy) against the latent coordinate that tracks it best (largest |Pearson r|).
    /// </summary>
    /// <param name="points">Row-major latent points of all stacks: <c>points[i · dimension + j]</c>.</param>
    /// <param name="dimension">Latent dimension (≥ 2).</param>
    /// <param name="groups">Group of each point (e.g. its stack), in [0, groupNames.Count).</param>
    /// <param name="groupNames">Group names, by group (at most 64).</param>
    /// <param name="phases">Phase label of each point (−1 for none, drawn grey).</param>
    /// <param name="phaseNames">Phase names, by label.</param>
    /// <param name="intensity">Intensity of each point (e.g. the pixel's mean optical density).</param>
    /// <param name="options">Figure options; at most <see cref="FigureOptions.MaxScatterPoints"/> points are drawn (seeded subsample).
    /// Default size 1500 × 520, title "Latent space of all stacks".</param>
    /// <returns>The PNG bytes.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="groupNames"/> or <paramref name="phaseNames"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="dimension"/> is below 2.</exception>
    /// <exception cref="ArgumentException">Lengths do not match, a group or label is out of range, there are no or more than 64 groups,
    /// or a value is NaN or ±∞.</exception>
    public static byte[] RenderLatentOverview(
        ReadOnlySpan<float> points,
        int dimension,
        ReadOnlySpan<int> groups,
        IReadOnlyList<string> groupNames,
        ReadOnlySpan<int> phases,
        IReadOnlyList<string> phaseNames,
        ReadOnlySpan<float> intensity,
        FigureOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(groupNames);
        CheckLatent(points, dimension, phases, new bool[phases.Length], phaseNames);
        if (groupNames.Count is 0 or > 64)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"Expected 1 to 64 groups; got {groupNames.Count}."), nameof(groupNames));
        }

        CheckLength(groups.Length, phases.Length, nameof(groups), "groups (one per point)");
        CheckLength(intensity.Length, phases.Length, nameof(intensity), "intensities (one per point)");
        for (int i = 0; i < groups.Length; i++)
        {
            if (groups[i] < 0 || groups[i] >= groupNames.Count)
            {
                throw new ArgumentException(
                    string.Create(CultureInfo.InvariantCulture, $"Group of point {i} is {groups[i]}; it must be in [0, {groupNames.Count})."),
                    nameof(groups));
            }

            if (!float.IsFinite(intensity[i]))
            {
                throw new ArgumentException(
                    string.Create(CultureInfo.InvariantCulture, $"Intensity of point {i} is not finite ({intensity[i]})."), nameof(intensity));
            }
        }

        FigureOptions o = Resolve(options);
        int[] chosen = SubsampleIndices(phases.Length, o.MaxScatterPoints, o.SubsampleSeed);
        float[] z = points.ToArray();
        (int axis, double r) = IntensityAxis(points, dimension, intensity);
        using var figure = new FigureBuilder(o, 1500, 520, "Latent space of all stacks");
        figure.Columns = 3;

        void Scatter(Plot plot, Func<int, int> groupOf, int groupCount, Func<int, FigureColor> colorOf, int xAxis, Func<int, double> y)
        {
            for (int g = 0; g < groupCount; g++)
            {
                var xs = new List<double>();
                var ys = new List<double>();
                foreach (int i in chosen)
                {
                    if (groupOf(i) == g)
                    {
                        xs.Add(z[(i * dimension) + xAxis]);
                        ys.Add(y(i));
                    }
                }

                if (xs.Count > 0)
                {
                    plot.Add.Markers(xs.ToArray(), ys.ToArray(), MarkerShape.FilledCircle, (float)o.MarkerSizePx, colorOf(g).ToScottPlot());
                }
            }
        }

        int[] groupArray = groups.ToArray();
        int[] phaseArray = phases.ToArray();
        float[] intensityArray = intensity.ToArray();
        int phaseCount = phaseNames.Count;
        int PhaseGroup(int i) => phaseArray[i] < 0 ? phaseCount : phaseArray[i];
        FigureColor PhaseColor(int g) => g == phaseCount ? o.AmbiguousColor : o.Palette.GetColor(g);

        Plot byGroup = figure.AddPanel();
        byGroup.Title("z1–z2 by stack");
        byGroup.XLabel("z1");
        byGroup.YLabel("z2");
        Scatter(byGroup, i => groupArray[i], groupNames.Count, GroupColor, 0, i => z[(i * dimension) + 1]);

        Plot byPhase = figure.AddPanel();
        byPhase.Title("z1–z2 by phase");
        byPhase.XLabel("z1");
        byPhase.YLabel("z2");
        Scatter(byPhase, PhaseGroup, phaseCount + 1, PhaseColor, 0, i => z[(i * dimension) + 1]);

        Plot byIntensity = figure.AddPanel();
        byIntensity.Title(string.Create(CultureInfo.InvariantCulture, $"Intensity along z{axis + 1} (r = {r:F2})"));
        byIntensity.XLabel(string.Create(CultureInfo.InvariantCulture, $"z{axis + 1}"));
        byIntensity.YLabel("Mean optical density");
        Scatter(byIntensity, PhaseGroup, phaseCount + 1, PhaseColor, axis, i => intensityArray[i]);

        var legend = new List<LegendItem>();
        for (int g = 0; g < groupNames.Count; g++)
        {
            legend.Add(MapPanel.MarkerItem(groupNames[g], GroupColor(g)));
        }

        legend.AddRange(PhaseLegend(phaseNames, o, MapPanel.MarkerItem));
        figure.AddLegend(legend);
        return figure.Render();
    }

    /// <summary>
    /// Returns the latent coordinate whose Pearson correlation with <paramref name="intensity"/> is largest in magnitude, and
    /// that correlation (0 when every coordinate or the intensity is constant). Computed in double precision.
    /// </summary>
    internal static (int Axis, double R) IntensityAxis(ReadOnlySpan<float> points, int dimension, ReadOnlySpan<float> intensity)
    {
        int n = intensity.Length;
        int best = 0;
        double bestR = 0;
        if (n < 2)
        {
            return (0, 0);
        }

        double mi = 0;
        for (int i = 0; i < n; i++)
        {
            mi += intensity[i];
        }

        mi /= n;
        for (int j = 0; j < dimension; j++)
        {
            double mz = 0;
            for (int i = 0; i < n; i++)
            {
                mz += points[(i * dimension) + j];
            }

            mz /= n;
            double sxy = 0, sxx = 0, syy = 0;
            for (int i = 0; i < n; i++)
            {
                double a = points[(i * dimension) + j] - mz;
                double b = intensity[i] - mi;
                sxy += a * b;
                sxx += a * a;
                syy += b * b;
            }

            double r = sxx > 0 && syy > 0 ? sxy / Math.Sqrt(sxx * syy) : 0;
            if (Math.Abs(r) > Math.Abs(bestR))
            {
                best = j;
                bestR = r;
            }
        }

        return (best, bestR);
    }

    /// <summary>A fixed qualitative colour per group, distinct from one group to the next (golden-angle hues).</summary>
    internal static FigureColor GroupColor(int group)
    {
        double h = (group * 137.508) % 360 / 60.0;
        double s = 0.65, v = group % 2 == 0 ? 0.85 : 0.6;
        double c = v * s, x = c * (1 - Math.Abs((h % 2) - 1)), m = v - c;
        (double r, double g, double b) = (int)h switch
        {
            0 => (c, x, 0.0),
            1 => (x, c, 0.0),
            2 => (0.0, c, x),
            3 => (0.0, x, c),
            4 => (x, 0.0, c),
            _ => (c, 0.0, x),
        };
        static byte B(double u) => (byte)Math.Round(u * 255, MidpointRounding.AwayFromZero);
        return new FigureColor(B(r + m), B(g + m), B(b + m));
    }
}
