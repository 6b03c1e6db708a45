using System.Globalization;
using ScottPlot;
using StxmPhase.Spectra;

namespace StxmPhase.Figures;

public static partial class PhaseFigures
{
    /// <summary>
    /// Renders a labelled-particle map: particle k filled with colour (k − 1) mod 9 of <see cref="PhasePalette.TolMuted"/>
    /// (distinct from the phase palette, so particles are not read as phases), the background in
    /// <see cref="FigureOptions.UnassignedColor"/>, and each particle's number at its centroid.
    /// </summary>
    /// <param name="particles">The particle labels.</param>
    /// <param name="options">Figure options; default size 900 × 700, title "Particles (N)".</param>
    /// <param name="metadata">Optional stack metadata for the scale bar.</param>
    /// <returns>The PNG bytes.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="particles"/> is <see langword="null"/>.</exception>
    public static byte[] RenderParticleMap(ParticleLabels particles, FigureOptions? options = null, StackMetadata? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(particles);
        FigureOptions o = Resolve(options);
        PhasePalette palette = PhasePalette.TolMuted;
        int k = particles.Count;
        double[] sx = new double[k + 1];
        double[] sy = new double[k + 1];
        ScottPlot.Image image;
        using (var raster = new MapRaster(particles.Width, particles.Height))
        {
            ReadOnlySpan<int> labels = particles.Labels;
            for (int i = 0; i < labels.Length; i++)
            {
                int l = labels[i];
                raster.Set(i, l == 0 ? o.UnassignedColor : palette.GetColor((l - 1) % palette.Count));
                sx[l] += i % particles.Width;
                sy[l] += i / particles.Width;
            }

            image = raster.ToImage();
        }

        using var figure = new FigureBuilder(o, 900, 700, string.Create(CultureInfo.InvariantCulture, $"Particles ({k})"));
        double? pixelSize = MapPanel.PixelSize(o, metadata);
        Plot panel = MapPanel.AddMapPanel(figure, particles.Width, particles.Height, pixelSize, false);
        figure.Own(image);
        MapPanel.Configure(figure, panel, image, pixelSize, null);
        for (int l = 1; l <= k; l++)
        {
            double n = particles.PixelCountOf(l);
            var text = panel.Add.Text(l.ToString(CultureInfo.InvariantCulture), (sx[l] / n) + 0.5, (sy[l] / n) + 0.5);
            text.LabelFontColor = Colors.Black;
            text.LabelBackgroundColor = Colors.White.WithAlpha(0.7);
            text.LabelAlignment = Alignment.MiddleCenter;
            text.LabelFontSize = 14;
        }

        return figure.Render();
    }
}
