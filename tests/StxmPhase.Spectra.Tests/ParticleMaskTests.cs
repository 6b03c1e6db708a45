using System.Globalization;
using System.Text.Json;

namespace StxmPhase.Spectra.Tests;

public class ParticleMaskTests
{
    private static readonly ParticleMaskOptions s_otsu = new() { Method = ParticleMaskMethod.Otsu };

    public static TheoryData<string> OtsuCases() => ["bimodal_balanced", "bimodal_skewed", "bimodal_64bins", "tiny"];

    /// <summary>Thresholds from tests/TestData/Generators/prep_otsu.py (scikit-image threshold_otsu, NumPy 1.24.2).</summary>
    [Theory]
    [MemberData(nameof(OtsuCases))]
    public void OtsuThreshold_MatchesScikitImageReference(string name)
    {
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestData", "prep", "otsu.json")));
        JsonElement c = doc.RootElement.GetProperty("cases").EnumerateArray().Single(x => x.GetProperty("name").GetString() == name);
        float[] values = c.GetProperty("values").EnumerateArray()
            .Select(v => float.Parse(v.GetRawText(), NumberStyles.Float, CultureInfo.InvariantCulture)).ToArray();
        double expected = c.GetProperty("threshold").GetDouble();

        double t = ParticleMask.OtsuThreshold(values, c.GetProperty("bins").GetInt32());

        Assert.Equal(expected, t, 1e-9 * Math.Max(1, Math.Abs(expected)));
    }

    [Fact]
    public void OtsuThreshold_NonFiniteValues_AreIgnored()
    {
        float[] values = [0, 0, 1, 1, 1, 9, 10, 10];
        float[] withNaN = [.. values, float.NaN, float.PositiveInfinity, float.NegativeInfinity];

        Assert.Equal(ParticleMask.OtsuThreshold(values, 4), ParticleMask.OtsuThreshold(withNaN, 4));
        Assert.Equal(1.25, ParticleMask.OtsuThreshold(values, 4), 12);
    }

    [Fact]
    public void OtsuThreshold_ConstantOrEmpty_ReturnsValueOrNaN()
    {
        Assert.Equal(3.0, ParticleMask.OtsuThreshold([3f, 3f, 3f]));
        Assert.True(double.IsNaN(ParticleMask.OtsuThreshold([float.NaN])));
        Assert.True(double.IsNaN(ParticleMask.OtsuThreshold([])));
    }

    [Fact]
    public void OtsuThreshold_OneBin_Throws()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => ParticleMask.OtsuThreshold([1f, 2f], 1));
        Assert.Equal("binCount", ex.ParamName);
    }

    [Fact]
    public void Compute_SyntheticStack_RecoversParticles()
    {
        (SpectralStack t, _, bool[] particle) = I0EstimatorTests.SyntheticTransmission(11);
        OpticalDensityResult od = OpticalDensity.FromTransmission(t);

        ParticleMaskResult r = ParticleMask.Compute(od.OpticalDensity, s_otsu, od.ValidMask);

        int agree = 0;
        for (int p = 0; p < particle.Length; p++)
        {
            if (r.Mask[p] == particle[p])
            {
                agree++;
            }
        }

        // Disagreement is limited to the thin rims of the hemispheres.
        Assert.True(agree > 0.95 * particle.Length, $"{agree} of {particle.Length} pixels agree");
        Assert.Equal(r.OtsuThreshold, r.Threshold);
        Assert.Equal(t.PixelCount, r.IntegratedOd.Length);
    }

    [Fact]
    public void Compute_IntegratedOd_IsSumOverEnergies()
    {
        var axis = new EnergyAxis([1.0, 2.0, 3.0]);
        float[] data = [0, 1, 2, 3, 0.5f, 0.5f, 0.5f, 0.5f, 0, 0, 1, 1];
        var od = new SpectralStack(axis, 4, 1, data);

        ParticleMaskResult r = ParticleMask.Compute(od, s_otsu);

        Assert.Equal([0.5f, 1.5f, 3.5f, 4.5f], r.IntegratedOd.ToArray());
        Assert.Equal([false, false, true, true], r.Mask.AsSpan().ToArray());
    }

    [Fact]
    public void Compute_IncludeMask_RestrictsThresholdAndMask()
    {
        var axis = new EnergyAxis([1.0]);
        var od = new SpectralStack(axis, 6, 1, new float[] { 0, 0, 5, 5.2f, 100, 100 });
        var include = new PixelMask(6, 1, [true, true, true, true, false, false]);

        ParticleMaskResult r = ParticleMask.Compute(od, s_otsu, include);

        // Without the mask the outliers at 100 would set the threshold above 5.
        Assert.Equal([false, false, true, true, false, false], r.Mask.AsSpan().ToArray());
        Assert.InRange(r.OtsuThreshold, 0, 5);
    }

    [Fact]
    public void Compute_MinimumIntegratedOd_RaisesThreshold()
    {
        var axis = new EnergyAxis([1.0]);
        var od = new SpectralStack(axis, 6, 1, new float[] { 0, 0.1f, 0.2f, 2, 3, 3.2f });

        ParticleMaskResult r = ParticleMask.Compute(od, new ParticleMaskOptions { Method = ParticleMaskMethod.Otsu, MinimumIntegratedOd = 2.5 });

        Assert.Equal(2.5, r.Threshold);
        Assert.True(r.OtsuThreshold < 2.5);
        Assert.Equal([false, false, false, false, true, true], r.Mask.AsSpan().ToArray());
    }

    [Fact]
    public void Compute_NaNPixel_IsNeverParticle()
    {
        var axis = new EnergyAxis([1.0]);
        var od = new SpectralStack(axis, 4, 1, new float[] { 0, float.NaN, 5, 5 });

        ParticleMaskResult r = ParticleMask.Compute(od, s_otsu);

        Assert.False(r.Mask[1]);
        Assert.Equal(2, r.Mask.Count);
    }

    [Fact]
    public void Compute_IncludeWrongSize_Throws()
    {
        var od = new SpectralStack(new EnergyAxis([1.0]), 4, 1);

        var ex = Assert.Throws<ArgumentException>(() => ParticleMask.Compute(od, include: PixelMask.Uniform(2, 2)));

        Assert.Equal("include", ex.ParamName);
    }

    [Fact]
    public void Compute_NonFiniteMinimum_Throws()
    {
        var od = new SpectralStack(new EnergyAxis([1.0]), 4, 1);

        Assert.Throws<ArgumentOutOfRangeException>(() => ParticleMask.Compute(od, new ParticleMaskOptions { MinimumIntegratedOd = double.NaN }));
    }
}
