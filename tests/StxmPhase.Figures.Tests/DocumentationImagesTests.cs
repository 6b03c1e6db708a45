using StxmPhase.Spectra;

namespace StxmPhase.Figures.Tests;

/// <summary>
/// Renders one example of every figure from <see cref="SyntheticFigureInputs"/> and checks that each is a small, valid
/// PNG. When the environment variable STXMPHASE_DOC_IMAGES names a folder, the PNGs are also written there; this is how
/// docs/images/*.png are produced:
/// <c>STXMPHASE_DOC_IMAGES=$PWD/docs/images dotnet test tests/StxmPhase.Figures.Tests -c Release --filter DocumentationImages</c>.
/// </summary>
public sealed class DocumentationImagesTests
{
    public static IEnumerable<object[]> Figures() => s_names.Select(n => new object[] { n });

    private static readonly string[] s_names =
        ["phase-map", "phase-map-reliability", "ambiguity-map", "correlation-maps", "latent-projections", "loss-curves", "spectra-reconstructions"];

    [Theory]
    [MemberData(nameof(Figures))]
    public void DocumentationImages_SyntheticInputs_AreValidPngsUnder200KB(string name)
    {
        byte[] png = Render(name);

        string? folder = Environment.GetEnvironmentVariable("STXMPHASE_DOC_IMAGES");
        if (!string.IsNullOrEmpty(folder))
        {
            PhaseFigures.SavePng(Path.Combine(folder, name + ".png"), png);
        }

        var image = new FigureImage(png);
        Assert.True(image.Width >= 400 && image.Height >= 300);
        Assert.True(png.Length < 200 * 1024, $"{name}.png is {png.Length} bytes.");
    }

    internal static byte[] Render(string name)
    {
        CorrelationResult correlation = SyntheticFigureInputs.Correlation();
        var metadata = new StackMetadata { Name = "synthetic", PixelSizeXNm = 31, PixelSizeYNm = 31 };
        switch (name)
        {
            case "phase-map":
                return PhaseFigures.RenderPhaseMap(correlation.PhaseMap, new FigureOptions { Title = "Phase map (synthetic particle)" }, metadata);
            case "phase-map-reliability":
                return PhaseFigures.RenderPhaseMap(correlation, new FigureOptions { Title = "PCC phase map, brightness = reliability" }, metadata);
            case "ambiguity-map":
                return PhaseFigures.RenderAmbiguityMap(correlation, null, metadata);
            case "correlation-maps":
                return PhaseFigures.RenderCorrelationMaps(correlation, new FigureOptions { WidthPx = 1100, HeightPx = 640 }, metadata);
            case "latent-projections":
                (float[] points, int[] labels, bool[] ambiguous, int[] resolved) = SyntheticFigureInputs.Latent(correlation);
                return PhaseFigures.RenderLatentProjections(
                    points, 3, labels, ambiguous, resolved, SyntheticFigureInputs.PhaseNames,
                    new FigureOptions { WidthPx = 1000, HeightPx = 660, MaxScatterPoints = 1200 });
            case "loss-curves":
                (double[] trainMse, double[] validationMse, double[] trainKl, double[] validationKl) = SyntheticFigureInputs.Losses();
                return PhaseFigures.RenderLossCurves(trainMse, validationMse, trainKl, validationKl);
            case "spectra-reconstructions":
                ReferenceSpectra references = SyntheticFigureInputs.References();
                return PhaseFigures.RenderSpectra(references, SyntheticFigureInputs.Reconstructions(references));
            default:
                throw new ArgumentOutOfRangeException(nameof(name), name, "Unknown figure.");
        }
    }
}
