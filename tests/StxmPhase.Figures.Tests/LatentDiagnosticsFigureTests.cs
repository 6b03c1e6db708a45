using StxmPhase.Spectra;

namespace StxmPhase.Figures.Tests;

/// <summary>The latent-path figure (Fig. S9) and the all-stacks latent overview (Fig. S6a/S10).</summary>
public sealed class LatentDiagnosticsFigureTests
{
    private static readonly string[] s_threePhases = ["A", "B", "C"];

    private static (float[] Points, int[] Labels) Clusters(int perCluster = 150)
    {
        float[] points = new float[3 * perCluster * 2];
        int[] labels = new int[3 * perCluster];
        for (int i = 0; i < labels.Length; i++)
        {
            int c = i / perCluster;
            labels[i] = c;
            points[i * 2] = (float)((c * 4) + SyntheticFigureInputs.Noise(i, 0));
            points[(i * 2) + 1] = (float)(c + SyntheticFigureInputs.Noise(i, 1));
        }

        return (points, labels);
    }

    [Fact]
    public void RenderLatentPath_PathBetweenPhases_FanRunsFromStartToEndColourThroughTheMix()
    {
        (float[] points, int[] labels) = Clusters();
        var energies = new EnergyAxis([510, 515, 520, 525, 530]);
        LatentPath path = LatentPath.Decode(new RampDecoder(5), [0f, 0f], [8f, 2f], steps: 5, energyCount: 5);
        var options = new FigureOptions { MarkerSizePx = 4 };

        var image = new FigureImage(PhaseFigures.RenderLatentPath(path, energies, points, 2, labels, s_threePhases, options));

        Assert.Equal((1350, 560), (image.Width, image.Height));
        // An arbitrary path is drawn from dark blue (t = 0) to red (t = 1); its middle spectrum has the mixed colour.
        var start = new FigureColor(40, 40, 160);
        var end = new FigureColor(200, 40, 40);
        Assert.True(image.Count(start) > 100, "start colour");
        Assert.True(image.Count(end) > 100, "end colour");
        Assert.True(image.Count(PhaseFigures.PathColor(start, end, 0.5)) > 50, "mid colour");
        Assert.True(image.Count(PhasePalette.OkabeIto.GetColor(1)) > 100, "scatter");
    }

    [Fact]
    public void PathColor_Ends_AreTheGivenColoursAndTheMiddleIsTheirMean()
    {
        var a = new FigureColor(0, 100, 200);
        var b = new FigureColor(200, 100, 0);
        Assert.Equal(a, PhaseFigures.PathColor(a, b, 0));
        Assert.Equal(b, PhaseFigures.PathColor(a, b, 1));
        Assert.Equal(new FigureColor(100, 100, 100), PhaseFigures.PathColor(a, b, 0.5));
    }

    [Fact]
    public void RenderLatentPath_DimensionMismatch_Throws()
    {
        (float[] points, int[] labels) = Clusters(10);
        LatentPath path = LatentPath.Decode(new RampDecoder(5), [0f, 0f, 0f], [1f, 1f, 1f], 3, 5);
        var energies = new EnergyAxis([510, 515, 520, 525, 530]);
        Assert.Throws<ArgumentException>(() => PhaseFigures.RenderLatentPath(path, energies, points, 2, labels, s_threePhases));
    }

    [Fact]
    public void IntensityAxis_IntensityTrackedBySecondCoordinate_PicksItWithTheDoublePrecisionPearsonR()
    {
        const int n = 400;
        float[] points = new float[n * 3];
        float[] intensity = new float[n];
        for (int i = 0; i < n; i++)
        {
            points[i * 3] = (float)SyntheticFigureInputs.Noise(i, 0);
            intensity[i] = (float)(1 + SyntheticFigureInputs.Noise(i, 1));
            points[(i * 3) + 1] = (float)((-2 * intensity[i]) + (0.3 * SyntheticFigureInputs.Noise(i, 2)));
            points[(i * 3) + 2] = (float)SyntheticFigureInputs.Noise(i, 3);
        }

        (int axis, double r) = PhaseFigures.IntensityAxis(points, 3, intensity);

        // Oracle: Pearson r of z2 and intensity, two-pass in double.
        double mz = 0, mi = 0;
        for (int i = 0; i < n; i++)
        {
            mz += points[(i * 3) + 1] / (double)n;
            mi += intensity[i] / (double)n;
        }

        double sxy = 0, sxx = 0, syy = 0;
        for (int i = 0; i < n; i++)
        {
            double a = points[(i * 3) + 1] - mz, b = intensity[i] - mi;
            sxy += a * b;
            sxx += a * a;
            syy += b * b;
        }

        Assert.Equal(1, axis);
        Assert.Equal(sxy / Math.Sqrt(sxx * syy), r, 9);
        Assert.True(r < -0.9);
    }

    [Fact]
    public void RenderLatentOverview_TwoStacks_BothStackColoursAndThePhaseColoursAppear()
    {
        (float[] points, int[] labels) = Clusters();
        int[] groups = new int[labels.Length];
        float[] intensity = new float[labels.Length];
        for (int i = 0; i < groups.Length; i++)
        {
            groups[i] = i % 2;
            intensity[i] = points[i * 2] / 10;
        }

        var image = new FigureImage(PhaseFigures.RenderLatentOverview(
            points, 2, groups, ["stack 1", "stack 2"], labels, s_threePhases, intensity, new FigureOptions { MarkerSizePx = 4 }));

        Assert.Equal((1500, 520), (image.Width, image.Height));
        Assert.True(image.Count(PhaseFigures.GroupColor(0)) > 100, "stack 1");
        Assert.True(image.Count(PhaseFigures.GroupColor(1)) > 100, "stack 2");
        Assert.NotEqual(PhaseFigures.GroupColor(0), PhaseFigures.GroupColor(1));
        for (int p = 0; p < 3; p++)
        {
            Assert.True(image.Count(PhasePalette.OkabeIto.GetColor(p)) > 100, $"phase {p}");
        }
    }

    [Fact]
    public void RenderLatentOverview_GroupOutOfRange_ThrowsNamingThePoint()
    {
        (float[] points, int[] labels) = Clusters(5);
        int[] groups = new int[labels.Length];
        groups[7] = 2;
        ArgumentException e = Assert.Throws<ArgumentException>(() =>
            PhaseFigures.RenderLatentOverview(points, 2, groups, ["a", "b"], labels, s_threePhases, new float[labels.Length]));
        Assert.Contains("point 7", e.Message, StringComparison.Ordinal);
    }

    /// <summary>spectrum[e] = z1 · (e + 1) / 10 + z2 — a ramp whose slope follows z1.</summary>
    private sealed class RampDecoder(int energies) : ILatentDecoder
    {
        public void Decode(ReadOnlySpan<float> latent, int count, Span<float> destination)
        {
            int d = latent.Length / count;
            for (int i = 0; i < count; i++)
            {
                for (int e = 0; e < energies; e++)
                {
                    destination[(i * energies) + e] = (latent[i * d] * (e + 1) / 10f) + latent[(i * d) + 1];
                }
            }
        }
    }
}
