using StxmPhase.Spectra;

namespace StxmPhase.Figures.Tests;

public sealed class PlotFigureTests
{
    private static readonly FigureColor s_olive = new(0x7F, 0x7F, 0x00);
    private static readonly string[] s_threePhases = ["A", "B", "C"];

    /// <summary>Three well-separated 3-D clusters of 200 points each; every fifth point of cluster 1 is ambiguous.</summary>
    private static (float[] Points, int[] Labels, bool[] Ambiguous) Clusters()
    {
        const int perCluster = 200;
        float[] points = new float[3 * perCluster * 3];
        int[] labels = new int[3 * perCluster];
        bool[] ambiguous = new bool[3 * perCluster];
        for (int i = 0; i < labels.Length; i++)
        {
            int c = i / perCluster;
            labels[i] = c;
            ambiguous[i] = c == 1 && i % 5 == 0;
            for (int d = 0; d < 3; d++)
            {
                points[(i * 3) + d] = (float)((d == c ? 5 : 0) + SyntheticFigureInputs.Noise(i, d));
            }
        }

        return (points, labels, ambiguous);
    }

    [Fact]
    public void RenderLatentProjections_ClustersWithAmbiguousPoints_PhaseAndAmbiguousColoursAppear()
    {
        (float[] points, int[] labels, bool[] ambiguous) = Clusters();
        var options = new FigureOptions { AmbiguousColor = s_olive, MarkerSizePx = 8 };

        var image = new FigureImage(PhaseFigures.RenderLatentProjections(points, 3, labels, ambiguous, s_threePhases, options));

        Assert.Equal((1350, 480), (image.Width, image.Height));
        for (int p = 0; p < 3; p++)
        {
            Assert.True(image.Count(PhasePalette.OkabeIto.GetColor(p)) > 500, $"phase {p}");
        }

        Assert.True(image.Count(s_olive) > 200);
    }

    [Fact]
    public void RenderLatentProjections_NoAmbiguousPoints_AmbiguousColourAbsent()
    {
        (float[] points, int[] labels, _) = Clusters();
        var options = new FigureOptions { AmbiguousColor = s_olive, MarkerSizePx = 8 };

        var image = new FigureImage(PhaseFigures.RenderLatentProjections(points, 3, labels, new bool[labels.Length], s_threePhases, options));

        Assert.Equal(0, image.Count(s_olive));
        Assert.True(image.Count(PhasePalette.OkabeIto.GetColor(1)) > 500);
    }

    [Fact]
    public void RenderLatentProjections_AllResolved_AmbiguousColourOnlyInTopRow()
    {
        (float[] points, int[] labels, bool[] ambiguous) = Clusters();
        var options = new FigureOptions { AmbiguousColor = s_olive, MarkerSizePx = 8, ShowLegend = false };

        var image = new FigureImage(PhaseFigures.RenderLatentProjections(points, 3, labels, ambiguous, labels, s_threePhases, options));

        Assert.Equal((1350, 900), (image.Width, image.Height));
        Assert.True(image.Count(s_olive, 0, 0, image.Height / 2) > 200);
        Assert.Equal(0, image.Count(s_olive, 0, image.Height / 2, image.Height));
        Assert.True(image.Count(PhasePalette.OkabeIto.GetColor(1), 0, image.Height / 2, image.Height) > 500);
    }

    [Fact]
    public void RenderLatentProjections_TwoDimensions_RendersOnePanel()
    {
        float[] points = [0, 0, 1, 1, 2, 0, 3, 1];
        byte[] png = PhaseFigures.RenderLatentProjections(points, 2, [0, 1, 0, 1], [false, false, false, true], ["P", "Q"],
            new FigureOptions { MarkerSizePx = 10 });

        var image = new FigureImage(png);
        Assert.True(image.Count(PhasePalette.OkabeIto.GetColor(0)) > 50);
        Assert.True(image.Count(FigureColor.FromHex("#999999")) > 50);
    }

    [Fact]
    public void RenderLatentProjections_SameInputsAndSeed_IdenticalPng()
    {
        CorrelationResult correlation = SyntheticFigureInputs.Correlation();
        (float[] points, int[] labels, bool[] ambiguous, _) = SyntheticFigureInputs.Latent(correlation);
        var options = new FigureOptions { MaxScatterPoints = 500, SubsampleSeed = 7, WidthPx = 600, HeightPx = 300 };

        byte[] first = PhaseFigures.RenderLatentProjections(points, 3, labels, ambiguous, SyntheticFigureInputs.PhaseNames, options);
        byte[] second = PhaseFigures.RenderLatentProjections(points, 3, labels, ambiguous, SyntheticFigureInputs.PhaseNames, options);

        Assert.Equal(first, second);
    }

    [Fact]
    public void SubsampleIndices_MoreThanMax_ReturnsMaxDistinctSortedIndicesDeterministically()
    {
        int[] a = PhaseFigures.SubsampleIndices(100_000, 20_000, 3);
        int[] b = PhaseFigures.SubsampleIndices(100_000, 20_000, 3);
        int[] c = PhaseFigures.SubsampleIndices(100_000, 20_000, 4);

        Assert.Equal(20_000, a.Length);
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
        for (int i = 1; i < a.Length; i++)
        {
            Assert.True(a[i] > a[i - 1]);
        }

        Assert.InRange(a[0], 0, 99);
        Assert.InRange(a[^1], 99_900, 99_999);

        // Uniform: each tenth of the index range holds about a tenth of the sample.
        for (int d = 0; d < 10; d++)
        {
            int inDecile = a.Count(i => i / 10_000 == d);
            Assert.InRange(inDecile, 1_800, 2_200);
        }
    }

    [Fact]
    public void SubsampleIndices_AtMostMax_ReturnsAllInOrder()
    {
        Assert.Equal([0, 1, 2, 3, 4], PhaseFigures.SubsampleIndices(5, 5, 0));
        Assert.Empty(PhaseFigures.SubsampleIndices(0, 5, 0));
    }

    [Fact]
    public void RenderLatentProjections_BadArguments_ThrowArgumentExceptions()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => PhaseFigures.RenderLatentProjections([1f, 2f], 1, [0, 0], [false, false], ["P"]));
        Assert.Equal("points", Assert.Throws<ArgumentException>(
            () => PhaseFigures.RenderLatentProjections([1f, 2f, 3f], 2, [0, 0], [false, false], ["P"])).ParamName);
        Assert.Equal("points", Assert.Throws<ArgumentException>(
            () => PhaseFigures.RenderLatentProjections([1f, float.NaN], 2, [0], [false], ["P"])).ParamName);
        Assert.Equal("labels", Assert.Throws<ArgumentException>(
            () => PhaseFigures.RenderLatentProjections([1f, 2f], 2, [1], [false], ["P"])).ParamName);
        Assert.Equal("ambiguous", Assert.Throws<ArgumentException>(
            () => PhaseFigures.RenderLatentProjections([1f, 2f], 2, [0], [], ["P"])).ParamName);
        Assert.Equal("resolvedLabels", Assert.Throws<ArgumentException>(
            () => PhaseFigures.RenderLatentProjections([1f, 2f], 2, [0], [false], [0, 0], ["P"])).ParamName);
        Assert.Throws<ArgumentNullException>(() => PhaseFigures.RenderLatentProjections([1f, 2f], 2, [0], [false], null!));
    }

    [Fact]
    public void RenderLossCurves_TrainAndValidation_DrawnInFirstTwoPaletteColours()
    {
        (double[] trainMse, double[] validationMse, double[] trainKl, double[] validationKl) = SyntheticFigureInputs.Losses(100);

        var image = new FigureImage(PhaseFigures.RenderLossCurves(trainMse, validationMse, trainKl, validationKl));

        Assert.Equal((1100, 500), (image.Width, image.Height));
        Assert.True(image.Count(PhasePalette.OkabeIto.GetColor(0)) > 300);
        Assert.True(image.Count(PhasePalette.OkabeIto.GetColor(1)) > 300);
    }

    [Fact]
    public void RenderLossCurves_OnlyTraining_ValidationColourAbsent()
    {
        double[] train = Enumerable.Range(1, 50).Select(e => 1.0 / e).ToArray();

        var image = new FigureImage(PhaseFigures.RenderLossCurves(train, [], [], [], new FigureOptions { LogScaleY = false }));

        Assert.True(image.Count(PhasePalette.OkabeIto.GetColor(0)) > 300);
        Assert.Equal(0, image.Count(PhasePalette.OkabeIto.GetColor(1)));
    }

    [Fact]
    public void RenderLossCurves_LogScaleWithNonPositiveAndNaN_LeavesGapsAndRenders()
    {
        double[] kl = [5, 3, -1, 0, double.NaN, 1, 0.5, 0.2];

        var image = new FigureImage(PhaseFigures.RenderLossCurves([], [], kl, kl));

        Assert.True(image.Count(PhasePalette.OkabeIto.GetColor(0)) > 50);
    }

    [Fact]
    public void RenderLossCurves_AllEmpty_ThrowsArgumentException()
    {
        Assert.Throws<ArgumentException>(() => PhaseFigures.RenderLossCurves([], [], [], []));
    }

    [Fact]
    public void LogTicks_ThreeDecades_LabelsPowersOfTenOnly()
    {
        List<(double Position, string? Label)> ticks = PhaseFigures.LogTicks(-3, 0);

        Assert.Equal(new[] { "0.001", "0.01", "0.1", "1" }, ticks.Where(t => t.Label is not null).Select(t => t.Label!).ToArray());
        Assert.Equal(new[] { -3.0, -2, -1, 0 }, ticks.Where(t => t.Label is not null).Select(t => t.Position).ToArray());
        Assert.Equal(3 * 8, ticks.Count(t => t.Label is null));
    }

    [Fact]
    public void LogTicks_OneDecade_LabelsOneTwoFive()
    {
        List<(double Position, string? Label)> ticks = PhaseFigures.LogTicks(0, 1);

        Assert.Equal(new[] { "1", "2", "5", "10" }, ticks.Where(t => t.Label is not null).Select(t => t.Label!).ToArray());
        Assert.Equal(Math.Log10(2), ticks.Single(t => t.Label == "2").Position, 12);
    }

    [Fact]
    public void RenderSpectra_References_EachPhaseColourDrawn()
    {
        ReferenceSpectra references = SyntheticFigureInputs.References();

        var image = new FigureImage(PhaseFigures.RenderSpectra(references));

        Assert.Equal((900, 600), (image.Width, image.Height));
        for (int p = 0; p < references.PhaseCount; p++)
        {
            Assert.True(image.Count(PhasePalette.OkabeIto.GetColor(p)) > 300, $"phase {p}");
        }
    }

    [Fact]
    public void RenderSpectra_WithReconstructions_MoreColouredPixelsThanReferencesAlone()
    {
        ReferenceSpectra references = SyntheticFigureInputs.References();
        FigureColor first = PhasePalette.OkabeIto.GetColor(0);

        var alone = new FigureImage(PhaseFigures.RenderSpectra(references));
        var both = new FigureImage(PhaseFigures.RenderSpectra(references, SyntheticFigureInputs.Reconstructions(references)));

        Assert.True(both.Count(first) > alone.Count(first) + 100);
    }

    [Fact]
    public void RenderSpectra_ReconstructionsOfWrongLength_ThrowArgumentException()
    {
        ReferenceSpectra references = SyntheticFigureInputs.References(10);

        var ex = Assert.Throws<ArgumentException>(() => PhaseFigures.RenderSpectra(references, new float[49]));
        Assert.Equal("reconstructions", ex.ParamName);
    }

    [Fact]
    public void RenderSpectra_LabelledSpectra_UnlabelledOnesAreAmbiguousColour()
    {
        var energies = new EnergyAxis([510.0, 515, 520, 525, 530]);
        float[] spectra = [0, 1, 2, 1, 0, 1, 2, 3, 2, 1, 0.5f, 0.5f, 2.5f, 0.5f, 0.5f];

        var image = new FigureImage(PhaseFigures.RenderSpectra(energies, spectra, [0, 1, -1], ["P", "Q"],
            new FigureOptions { AmbiguousColor = s_olive }));
        var labelled = new FigureImage(PhaseFigures.RenderSpectra(energies, spectra, [0, 1, 1], ["P", "Q"],
            new FigureOptions { AmbiguousColor = s_olive }));

        Assert.True(image.Count(s_olive) > 100);
        Assert.Equal(0, labelled.Count(s_olive));
    }

    [Fact]
    public void RenderSpectra_NonFiniteValue_ThrowsArgumentException()
    {
        var energies = new EnergyAxis([510.0, 515]);

        var ex = Assert.Throws<ArgumentException>(() => PhaseFigures.RenderSpectra(energies, [1f, float.PositiveInfinity], [0], ["P"]));
        Assert.Equal("spectra", ex.ParamName);
        Assert.Equal("phases", Assert.Throws<ArgumentException>(() => PhaseFigures.RenderSpectra(energies, [], [], ["P"])).ParamName);
    }
}
