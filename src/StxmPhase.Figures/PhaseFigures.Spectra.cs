using System.Globalization;
using ScottPlot;
using StxmPhase.Spectra;

namespace StxmPhase.Figures;

public static partial class PhaseFigures
{
    /// <summary>Renders reference spectra against photon energy, one colour per phase.</summary>
    /// <param name="references">The reference spectra.</param>
    /// <param name="options">Figure options; default size 900 × 600, title "Reference spectra".</param>
    /// <returns>The PNG bytes.</returns>
    /// <remarks>Lines are solid; markers are drawn at the tabulated energies when there are at most 60.</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="references"/> is <see langword="null"/>.</exception>
    public static byte[] RenderSpectra(ReferenceSpectra references, FigureOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(references);
        return SpectraCore(references, null, Resolve(options), "Reference spectra");
    }

    /// <summary>
    /// Renders reference spectra (solid) together with decoder reconstructions (dashed, same colour per phase), as in the
    /// paper's Fig. S9/S10d–g.
    /// </summary>
    /// <param name="references">The reference spectra.</param>
    /// <param name="reconstructions">
    /// One reconstructed spectrum per phase, phase-major on the reference energy axis:
    /// <c>reconstructions[p · E + e]</c>, E = references.Energies.Count (e.g. the decoder output at each phase's latent centre).
    /// </param>
    /// <param name="options">Figure options; default size 900 × 600, title "Reference spectra and decoder reconstructions".</param>
    /// <returns>The PNG bytes.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="references"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="reconstructions"/> is not PhaseCount × E long.</exception>
    public static byte[] RenderSpectra(ReferenceSpectra references, ReadOnlySpan<float> reconstructions, FigureOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(references);
        CheckLength(reconstructions.Length, (long)references.PhaseCount * references.Energies.Count, nameof(reconstructions),
            "values (phases × energies)");
        return SpectraCore(references, reconstructions.ToArray(), Resolve(options), "Reference spectra and decoder reconstructions");
    }

    /// <summary>
    /// Renders any number of spectra (e.g. decoder outputs along a path through the latent space, Fig. S9), each in the
    /// colour of its phase; spectra labelled −1 are grey.
    /// </summary>
    /// <param name="energies">The energy axis of the spectra.</param>
    /// <param name="spectra">Row-major spectra: <c>spectra[i · E + e]</c>, E = energies.Count.</param>
    /// <param name="phases">The phase label of each spectrum (−1 for none).</param>
    /// <param name="phaseNames">Phase names, by label (used by the legend).</param>
    /// <param name="options">Figure options; default size 900 × 600, title "Spectra".</param>
    /// <returns>The PNG bytes.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="energies"/> or <paramref name="phaseNames"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">
    /// No spectra, a length mismatch between <paramref name="spectra"/> and <paramref name="phases"/>, a label out of range,
    /// or a value that is NaN or ±∞.
    /// </exception>
    public static byte[] RenderSpectra(
        EnergyAxis energies, ReadOnlySpan<float> spectra, ReadOnlySpan<int> phases, IReadOnlyList<string> phaseNames, FigureOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(energies);
        CheckPhaseNames(phaseNames, nameof(phaseNames));
        if (phases.IsEmpty)
        {
            throw new ArgumentException("At least one spectrum is required.", nameof(phases));
        }

        CheckLength(spectra.Length, (long)phases.Length * energies.Count, nameof(spectra), "values (spectra × energies)");
        CheckLabels(phases, phaseNames.Count, nameof(phases));
        CheckFinite(spectra, energies.Count, nameof(spectra));

        FigureOptions o = Resolve(options);
        using var figure = new FigureBuilder(o, 900, 600, "Spectra");
        Plot plot = SpectraPanel(figure);
        double[] xs = energies.AsSpan().ToArray();
        int e = energies.Count;
        bool[] used = new bool[phaseNames.Count + 1];
        for (int i = 0; i < phases.Length; i++)
        {
            FigureColor color = phases[i] < 0 ? o.AmbiguousColor : o.Palette.GetColor(phases[i]);
            used[phases[i] < 0 ? phaseNames.Count : phases[i]] = true;
            AddSpectrum(plot, xs, spectra.Slice(i * e, e), color, LinePattern.Solid, 1.5f, e <= 60 ? 4 : 0);
        }

        var legend = new List<LegendItem>();
        for (int p = 0; p < phaseNames.Count; p++)
        {
            if (used[p])
            {
                legend.Add(MapPanel.LineItem(phaseNames[p], o.Palette.GetColor(p), LinePattern.Solid));
            }
        }

        if (used[phaseNames.Count])
        {
            legend.Add(MapPanel.LineItem("No phase", o.AmbiguousColor, LinePattern.Solid));
        }

        figure.AddLegend(legend);
        return figure.Render();
    }

    private static byte[] SpectraCore(ReferenceSpectra references, float[]? reconstructions, FigureOptions o, string title)
    {
        if (reconstructions is not null)
        {
            CheckFinite(reconstructions, references.Energies.Count, nameof(reconstructions));
        }

        using var figure = new FigureBuilder(o, 900, 600, title);
        Plot plot = SpectraPanel(figure);
        double[] xs = references.Energies.AsSpan().ToArray();
        int e = xs.Length;
        float marker = e <= 60 ? 5 : 0;
        var legend = new List<LegendItem>();
        for (int p = 0; p < references.PhaseCount; p++)
        {
            FigureColor color = o.Palette.GetColor(p);
            float[] reference = references.Spectrum(p).ToArray().Select(v => (float)v).ToArray();
            AddSpectrum(plot, xs, reference, color, LinePattern.Solid, 2, marker);
            legend.Add(MapPanel.LineItem(references.PhaseNames[p], color, LinePattern.Solid));
            if (reconstructions is not null)
            {
                AddSpectrum(plot, xs, reconstructions.AsSpan(p * e, e), color, LinePattern.Dashed, 2, 0);
            }
        }

        if (reconstructions is not null)
        {
            legend.Add(MapPanel.LineItem("Reference", new FigureColor(0, 0, 0), LinePattern.Solid));
            legend.Add(MapPanel.LineItem("Reconstruction", new FigureColor(0, 0, 0), LinePattern.Dashed));
        }

        figure.AddLegend(legend);
        return figure.Render();
    }

    private static Plot SpectraPanel(FigureBuilder figure)
    {
        Plot plot = figure.AddPanel();
        plot.XLabel("Photon energy (eV)");
        plot.YLabel("Optical density");
        return plot;
    }

    private static void AddSpectrum(
        Plot plot, double[] xs, ReadOnlySpan<float> ys, FigureColor color, LinePattern pattern, float width, float markerSize)
    {
        double[] y = new double[ys.Length];
        for (int i = 0; i < y.Length; i++)
        {
            y[i] = ys[i];
        }

        var line = plot.Add.Scatter(xs, y, color.ToScottPlot());
        line.LineWidth = width;
        line.LinePattern = pattern;
        line.MarkerSize = markerSize;
    }

    private static void CheckFinite(ReadOnlySpan<float> values, int energies, string paramName)
    {
        for (int i = 0; i < values.Length; i++)
        {
            if (!float.IsFinite(values[i]))
            {
                throw new ArgumentException(
                    string.Create(CultureInfo.InvariantCulture,
                        $"Spectrum {i / energies} has a non-finite value ({values[i]}) at energy index {i % energies}."),
                    paramName);
            }
        }
    }
}
