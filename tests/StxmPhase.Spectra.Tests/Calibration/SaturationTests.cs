
namespace StxmPhase.Spectra.Tests.Calibration;

public class SaturationTests
{
    private static SpectralStack Stack(float[] data, int width, int height) =>
        new(new EnergyAxis([500.0, 510.0, 520.0]), width, height, data, SpectralQuantity.OpticalDensity);

    [Fact]
    public void Detect_PixelAboveLimitAtAnyEnergy_FlaggedOthersNot()
    {
        // 2 × 2 pixels, energy-major: pixel 1 exceeds 2.5 at the last energy only; pixel 2 is NaN (invalid, not saturated).
        float[] data =
        [
            0.1f, 1.0f, float.NaN, 2.5f,
            0.2f, 2.0f, 0.3f, 2.4f,
            0.3f, 2.6f, 0.4f, 2.5f,
        ];

        PixelMask saturated = Saturation.Detect(Stack(data, 2, 2), 2.5);

        Assert.Equal(new[] { false, true, false, false }, Enumerable.Range(0, 4).Select(i => saturated[i]).ToArray());
    }

    [Fact]
    public void Detect_OutsideMask_NotFlagged()
    {
        float[] data = [3f, 3f, 3f, 3f, 3f, 3f];
        var mask = PixelMask.FromArray(2, 1, [true, false]);

        PixelMask saturated = Saturation.Detect(Stack(data, 2, 1), 2.5, mask);

        Assert.True(saturated[0]);
        Assert.False(saturated[1]);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    public void Detect_BadLimit_Throws(double limit)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => Saturation.Detect(Stack([1f, 1f, 1f], 1, 1), limit));
        Assert.Equal("maxOpticalDensity", ex.ParamName);
    }
}
