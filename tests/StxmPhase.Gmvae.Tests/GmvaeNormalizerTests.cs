using StxmPhase.Gmvae;

namespace StxmPhase.Gmvae.Tests;

public sealed class GmvaeNormalizerTests
{
    [Fact]
    public void Percentile_OneToHundred_MatchesNumpyLinear()
    {
        // numpy.percentile(numpy.arange(1, 101), 99) == 99.01 (default linear interpolation)
        float[] sorted = Enumerable.Range(1, 100).Select(i => (float)i).ToArray();
        Assert.Equal(99.01, GmvaeNormalizer.Percentile(sorted, 99), 10);
        Assert.Equal(1.0, GmvaeNormalizer.Percentile(sorted, 0), 10);
        Assert.Equal(100.0, GmvaeNormalizer.Percentile(sorted, 100), 10);
    }

    [Fact]
    public void GlobalScale_FitsOnTrainingRowsOnly_AndInverts()
    {
        // rows 0..99 hold 1..100 in energy 0 and 0 elsewhere; row 100 (not in the training rows) is huge
        const int e = 2;
        float[] data = new float[101 * e];
        for (int i = 0; i < 100; i++)
        {
            data[i * e] = i + 1;
        }

        data[100 * e] = 1e6f;
        int[] rows = Enumerable.Range(0, 100).ToArray();
        var n = GmvaeNormalizer.Fit(GmvaeNormalization.GlobalScale, data, e, rows);
        // 200 values: 100 zeros and 1..100; the 99th percentile of |x| sorted is at position 0.99·199 = 197.01
        Assert.Equal(98 + 0.01, n.Scale, 4);
        float[] transformed = new float[101 * e];
        n.Apply(data, transformed, 101);
        Assert.Equal(1e6f / (float)n.Scale, transformed[100 * e], 1);
        n.Invert(transformed, 101);
        for (int i = 0; i < data.Length; i++)
        {
            Assert.Equal(data[i], transformed[i], Math.Max(1e-5f, Math.Abs(data[i]) * 1e-6f));
        }
    }

    [Fact]
    public void PerEnergy_StandardisesColumns_AndInverts()
    {
        var random = new Random(2);
        const int e = 4;
        float[] data = Enumerable.Range(0, 400 * e).Select(i => (float)((i % e) * 10 + ((i % e) + 1) * random.NextDouble())).ToArray();
        var n = GmvaeNormalizer.Fit(GmvaeNormalization.PerEnergy, data, e, Enumerable.Range(0, 400).ToArray());
        float[] t = new float[data.Length];
        n.Apply(data, t, 400);
        for (int j = 0; j < e; j++)
        {
            double[] column = Enumerable.Range(0, 400).Select(r => (double)t[(r * e) + j]).ToArray();
            Assert.Equal(0, column.Average(), 4);
            Assert.Equal(1, Math.Sqrt(column.Select(v => v * v).Average()), 4);
        }

        n.Invert(t, 400);
        for (int i = 0; i < data.Length; i++)
        {
            Assert.Equal(data[i], t[i], 1e-3f);
        }
    }

    [Fact]
    public void PerSpectrum_ConstantRowBecomesZero_OtherRowsStandardised()
    {
        float[] data = [2, 2, 2, 1, 2, 3];
        var n = GmvaeNormalizer.Fit(GmvaeNormalization.PerSpectrum, data, 3, [0, 1]);
        float[] t = new float[6];
        n.Apply(data, t, 2);
        Assert.Equal([0f, 0f, 0f], t[..3]);
        float s = (float)Math.Sqrt(2.0 / 3.0);
        Assert.Equal(-1 / s, t[3], 5);
        Assert.Equal(0, t[4], 5);
        Assert.Equal(1 / s, t[5], 5);
    }
}
