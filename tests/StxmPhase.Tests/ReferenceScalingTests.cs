using StxmPhase.Spectra;

namespace StxmPhase.Tests;

public class ReferenceScalingTests
{
    private static readonly ReferenceSpectra s_refs = new(
        new EnergyAxis([500.0, 501.0, 502.0]), ["a", "b", "c"], [1, 2, 3, 1, 0, 1, 1, 1, 1]);

    // Rows 0–1: phase a, confident (mean [3, 6, 9] = 3·r_a). Row 2: phase b, not confident. Row 3: phase c, confident but
    // anti-correlated with r_c (negative least-squares factor).
    private static readonly float[] s_spectra = [2, 4, 6, 4, 8, 12, 5, 5, 5, -1, -2, -1];
    private static readonly int[] s_labels = [0, 0, 1, 2];
    private static readonly int[] s_confident = [0, 1, 3];

    [Fact]
    public void Rows_Scaled_UsesTheLeastSquaresFactorAndKeepsOneWithoutDataOrWithANegativeFactor()
    {
        float[] rows = ReferenceScaling.Rows(s_refs, s_spectra, s_labels, s_confident, scale: true);

        Assert.Equal([3f, 6f, 9f, 1f, 0f, 1f, 1f, 1f, 1f], rows);
    }

    [Fact]
    public void Rows_NotScaled_AreTheReferences()
    {
        float[] rows = ReferenceScaling.Rows(s_refs, s_spectra, s_labels, s_confident, scale: false);

        Assert.Equal([1f, 2f, 3f, 1f, 0f, 1f, 1f, 1f, 1f], rows);
    }
}
