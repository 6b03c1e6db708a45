using StxmPhase.TestUtilities;

namespace StxmPhase.Figures.Tests;

/// <summary>
/// Tolerant golden-image check, one figure per kind: each figure of <see cref="DocumentationImagesTests"/> is
/// rendered from the same synthetic inputs and compared with its committed image in <c>docs/images/</c> (so the
/// documentation's images are also proven current). Font rasterisation differs between machines, so the check
/// allows a few differing pixels (text edges) and a small mean difference, but not a changed colour, layout, axis or
/// legend. Regenerate after an intended change with
/// <c>STXMPHASE_UPDATE_GOLDEN=1 dotnet test tests/StxmPhase.Figures.Tests -c Release --filter GoldenImage</c>
/// (or the <c>STXMPHASE_DOC_IMAGES</c> route of <see cref="DocumentationImagesTests"/>) and commit the images.
/// </summary>
public sealed class GoldenImageTests
{
    /// <summary>A pixel differs when one of its channels differs by more than this (of 255).</summary>
    private const int ChannelThreshold = 40;

    /// <summary>At most this fraction of pixels may differ (anti-aliased text of another font rasteriser).</summary>
    private const double MaxDifferingFraction = 0.01;

    /// <summary>At most this mean absolute channel difference over the whole image (of 255).</summary>
    private const double MaxMeanDifference = 1.5;

    public static IEnumerable<object[]> Figures() => DocumentationImagesTests.Figures();

    [Theory]
    [MemberData(nameof(Figures))]
    public void GoldenImage_SyntheticInputs_MatchCommittedImageWithinTolerance(string name)
    {
        byte[] png = DocumentationImagesTests.Render(name);
        string golden = RepositoryPaths.Combine("docs", "images", name + ".png");
        if (GoldenFile.UpdateRequested)
        {
            PhaseFigures.SavePng(golden, png);
            return;
        }

        Assert.True(File.Exists(golden), $"Golden image {golden} does not exist; create it with {GoldenFile.UpdateVariable}=1.");
        (double differing, double mean) = new FigureImage(png).CompareTo(new FigureImage(File.ReadAllBytes(golden)), ChannelThreshold);
        Assert.True(differing <= MaxDifferingFraction && mean <= MaxMeanDifference,
            $"{name}: {differing:P2} of pixels differ by more than {ChannelThreshold} (at most {MaxDifferingFraction:P2}), "
            + $"mean difference {mean:F2} (at most {MaxMeanDifference}) from {golden}. "
            + $"If the change is intended, regenerate with {GoldenFile.UpdateVariable}=1 and commit the images.");
    }

    [Fact]
    public void GoldenImage_RecolouredPhase_IsDetected()
    {
        // The tolerance must not swallow a real change: two phases with their colours swapped.
        byte[] golden = DocumentationImagesTests.Render("phase-map");
        IReadOnlyList<FigureColor> c = PhasePalette.OkabeIto.Colors;
        var options = new FigureOptions
        {
            Title = "Phase map (synthetic particle)", Palette = new PhasePalette("swapped", [c[1], c[0], .. c.Skip(2)]),
        };
        byte[] recoloured = PhaseFigures.RenderPhaseMap(SyntheticFigureInputs.Correlation().PhaseMap, options,
            new Spectra.StackMetadata { Name = "synthetic", PixelSizeXNm = 31, PixelSizeYNm = 31 });
        (double differing, double mean) = new FigureImage(recoloured).CompareTo(new FigureImage(golden), ChannelThreshold);
        Assert.False(differing <= MaxDifferingFraction && mean <= MaxMeanDifference, $"differing {differing:P2}, mean {mean:F2}");
    }
}
