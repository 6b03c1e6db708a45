using StxmPhase.Spectra;
using Xunit;

namespace StxmPhase.Spectra.Tests;

/// <summary>Signed numbers that round to zero print "+0.000", never "-+0.000" (.NET's two-section custom format prefixes a
/// minus sign when a negative value rounds to zero in the second section).</summary>
public sealed class SignedFormatTests
{
    [Theory]
    [InlineData(-0.0004, 0.0, "(+0.000, +0.000) px")]
    [InlineData(-0.0, 1.25, "(+0.000, +1.250) px")]
    [InlineData(-0.0123, -0.5, "(-0.012, -0.500) px")]
    public void ImageShift_ToString_NoMinusBeforeAPlusSign(double x, double y, string expected) =>
        Assert.Equal(expected, new ImageShift(x, y).ToString());
}
