using StxmPhase.Spectra;

namespace StxmPhase.IO.Tests;

public class QuantityAndSidecarTests
{
    private static readonly EnergyAxis s_axis = new([700.0, 701.0, 702.0]);

    /// <summary>3 energies × 8 × 8: a sample-free frame of value <paramref name="background"/> around a 4 × 4 sample of <paramref name="sample"/>,
    /// plus ± <paramref name="noise"/>.</summary>
    private static float[] Frame(float background, float sample, float noise = 0)
    {
        float[] data = new float[3 * 64];
        for (int i = 0; i < data.Length; i++)
        {
            int p = i % 64, x = p % 8, y = p / 8;
            bool inside = x is >= 2 and < 6 && y is >= 2 and < 6;
            data[i] = (inside ? sample : background) + (noise * (((i * 7) % 5) - 2) / 2f);
        }

        return data;
    }

    private static SpectralStack WriteAndRead(float[] data, SpectralQuantity? quantity = null)
    {
        string dir = TestFiles.NewTempDir();
        string path = Path.Combine(dir, "stack.npy");
        NpyFile.Write(path, data, 3, 8, 8);
        EnergyAxisCsv.Write(Path.Combine(dir, "energies.csv"), s_axis);
        return StackFile.Read(path, new StackReadOptions { Quantity = quantity });
    }

    [Fact]
    public void Read_NpyWithSynthStyleEnergiesCsv_FindsAndReportsTheSidecar()
    {
        SpectralStack s = WriteAndRead(Frame(1000, 300));

        Assert.Equal(s_axis.ToArray(), s.Energies.ToArray());
        Assert.EndsWith("energies.csv", s.Metadata.Attributes["energies.source"], StringComparison.Ordinal);
    }

    [Fact]
    public void Read_CountsWithoutQuantity_DetectsTransmission()
    {
        SpectralStack s = WriteAndRead(Frame(1000, 300, noise: 20));

        Assert.Equal(SpectralQuantity.Transmission, s.Quantity);
        Assert.StartsWith("transmission (detected", s.Metadata.Attributes["quantity"], StringComparison.Ordinal);
    }

    [Fact]
    public void Read_OpticalDensityWithoutQuantity_DetectsOpticalDensity()
    {
        // OD ≈ 0 outside the sample with noise below 0, ≈ 0.8 on it: read as transmission it would give a wrong map.
        SpectralStack s = WriteAndRead(Frame(0, 0.8f, noise: 0.03f));

        Assert.Equal(SpectralQuantity.OpticalDensity, s.Quantity);
        Assert.Contains("optical density (detected", s.Metadata.Attributes["quantity"], StringComparison.Ordinal);
    }

    [Fact]
    public void Read_ThinOpticalDensityWithoutNoise_DetectsOpticalDensityFromTheZeroBackground()
    {
        SpectralStack s = WriteAndRead(Frame(0.01f, 0.4f));

        Assert.Equal(SpectralQuantity.OpticalDensity, s.Quantity);
    }

    [Fact]
    public void Read_TransmittanceWithoutQuantity_DetectsTransmittance()
    {
        SpectralStack s = WriteAndRead(Frame(0.98f, 0.45f));

        Assert.Equal(SpectralQuantity.Transmittance, s.Quantity);
    }

    [Fact]
    public void Read_GivenQuantity_IsUsedAndReported()
    {
        SpectralStack s = WriteAndRead(Frame(1000, 300), SpectralQuantity.OpticalDensity);

        Assert.Equal(SpectralQuantity.OpticalDensity, s.Quantity);
        Assert.Equal("optical density (given by the caller)", s.Metadata.Attributes["quantity"]);
    }

    [Fact]
    public void Read_ValuesThatFitNoRule_ThrowsAskingForTheQuantity()
    {
        // Everything between 0.3 and 0.6: neither counts, nor OD with a sample-free region, nor transmittance near 1.
        var ex = Assert.Throws<InvalidStackContentException>(() => WriteAndRead(Frame(0.5f, 0.35f)));

        Assert.Contains("StackReadOptions.Quantity", ex.Message, StringComparison.Ordinal);
        Assert.Contains("stack.npy", ex.Message, StringComparison.Ordinal);
    }
}
