using System.Text.Json;
using StxmPhase.Spectra;

namespace StxmPhase.Unmixing.Tests;

public class PcaAndKMeansTests
{
    private static (float[] X, int N, JsonElement Root) PcaData()
    {
        JsonElement root = TestData.Load("pca_sklearn.json");
        double[] x = TestData.Matrix(root.GetProperty("X"), out int n, out _);
        return (x.Select(v => (float)v).ToArray(), n, root);
    }

    [Fact]
    public void PcaFit_FixedInput_MatchesSklearn()
    {
        (float[] x, int n, JsonElement root) = PcaData();
        PcaEncoder pca = new Pca(new PcaOptions { ComponentCount = 3 }).Fit(x, n, 13);
        Assert.Equal(3, pca.LatentDimension);
        TestData.AllClose(TestData.Vector(root.GetProperty("mean")), pca.Mean, 1e-12, 1e-14, "mean");
        TestData.AllClose(TestData.Vector(root.GetProperty("explained_variance")), pca.ExplainedVariance, 1e-9, 0, "variance");
        TestData.AllClose(TestData.Vector(root.GetProperty("explained_variance_ratio")), pca.ExplainedVarianceRatio, 1e-9, 0, "ratio");
        TestData.AllClose(TestData.Vector(root.GetProperty("singular_values")), pca.SingularValues, 1e-9, 0, "singular");
        TestData.AllClose(TestData.Matrix(root.GetProperty("components")), pca.Components, 1e-7, 1e-9, "components");

        double[] z = new double[5 * 3];
        pca.Transform(x.AsSpan(0, 5 * 13).ToArray().Select(v => (double)v).ToArray(), 5, z);
        TestData.AllClose(TestData.Matrix(root.GetProperty("transform_first5")), z, 1e-7, 1e-9, "scores");
    }

    [Fact]
    public void PcaEncode_Whitened_MatchesSklearnAsFloat()
    {
        (float[] x, int n, JsonElement root) = PcaData();
        PcaEncoder pca = new Pca(new PcaOptions { ComponentCount = 3, Whiten = true }).Fit(x, n, 13);
        float[] z = new float[5 * 3];
        pca.Encode(x.AsSpan(0, 5 * 13), 5, z);
        double[] expected = TestData.Matrix(root.GetProperty("whiten_transform_first5"));
        TestData.AllClose(expected, z.Select(v => (double)v).ToArray(), 1e-5, 1e-6, "whitened");
    }

    [Fact]
    public void PcaFit_AllComponents_RatiosMatchAndSumToOne()
    {
        (float[] x, int n, JsonElement root) = PcaData();
        PcaEncoder pca = new Pca(new PcaOptions { ComponentCount = 13 }).Fit(x, n, 13);
        double[] expected = TestData.Vector(root.GetProperty("full_explained_variance_ratio"));
        TestData.AllClose(expected[..5], pca.ExplainedVarianceRatio[..5], 1e-8, 1e-12, "ratio");
        TestData.Close(1.0, pca.ExplainedVarianceRatio.ToArray().Sum(), 1e-12);
    }

    [Fact]
    public void PcaFit_StackWithNaNPixel_SkipsAndCountsIt()
    {
        double[][] pixels = Enumerable.Range(0, 6)
            .Select(i => TestData.V0References.Skip((i % 5) * 13).Take(13).Select(v => v * (1 + (0.1 * i))).ToArray()).ToArray();
        pixels[2][3] = double.NaN;
        SpectralStack stack = LinearCombinationFitterTests.StackOf(pixels);
        PcaEncoder pca = new Pca(new PcaOptions { ComponentCount = 2 }).Fit(stack, null);
        Assert.Equal(1, pca.InvalidCount);
        Assert.Equal(5, pca.SampleCount);
        ILatentEncoder encoder = pca;
        Assert.Equal(2, encoder.LatentDimension);
    }

    [Fact]
    public void PcaFit_TooManyComponents_Throws()
    {
        (float[] x, int n, _) = PcaData();
        Assert.Throws<ArgumentOutOfRangeException>(() => new Pca(new PcaOptions { ComponentCount = 14 }).Fit(x, n, 13));
    }

    [Fact]
    public void KMeansFit_WellSeparated_MatchesSklearnInertiaAndPartition()
    {
        JsonElement root = TestData.Load("kmeans_sklearn.json");
        double[] x = TestData.Matrix(root.GetProperty("X"), out int n, out int d);
        KMeansResult r = new KMeans(new KMeansOptions { ClusterCount = 3 }).Fit(x, n, d);
        TestData.Close(root.GetProperty("inertia").GetDouble(), r.Inertia, 1e-9);
        int[] expected = root.GetProperty("labels").EnumerateArray().Select(v => v.GetInt32()).ToArray();

        // Same partition up to a permutation of the labels.
        var map = new Dictionary<int, int>();
        for (int i = 0; i < n; i++)
        {
            if (map.TryGetValue(r.Labels[i], out int m))
            {
                Assert.Equal(m, expected[i]);
            }
            else
            {
                map[r.Labels[i]] = expected[i];
            }
        }

        Assert.Equal(3, map.Values.Distinct().Count());
        Assert.True(r.Converged);
    }

    [Fact]
    public void KMeansFit_SameSeed_IsDeterministicAndParallelIndependent()
    {
        double[] x = NmfTests.LowRankPlusNoise(new Random(9), 9000, 6, 3, 0.5);
        KMeansResult a = new KMeans(new KMeansOptions { ClusterCount = 4, InitCount = 2, Seed = 3 }).Fit(x, 9000, 6);
        KMeansResult b = new KMeans(new KMeansOptions { ClusterCount = 4, InitCount = 2, Seed = 3, MaxDegreeOfParallelism = 1 }).Fit(x, 9000, 6);
        Assert.True(a.Labels.SequenceEqual(b.Labels));
        Assert.Equal(a.Inertia, b.Inertia);
    }

    [Fact]
    public void KMeansFit_StackOverload_ReturnsClusterMapWithUnassignedMaskedPixels()
    {
        double[][] pixels = Enumerable.Range(0, 8).Select(i => TestData.V0References.Skip((i % 2) * 4 * 13).Take(13).ToArray()).ToArray();
        SpectralStack stack = LinearCombinationFitterTests.StackOf(pixels);
        bool[] m = Enumerable.Repeat(true, 8).ToArray();
        m[5] = false;
        (KMeansResult clusters, PhaseMap map) = new KMeans(new KMeansOptions { ClusterCount = 2 }).Fit(stack, PixelMask.FromArray(8, 1, m));
        Assert.Equal(7, clusters.Labels.Length);
        Assert.Equal(PhaseMap.Unassigned, map.Labels[5]);
        Assert.NotEqual(map.Labels[0], map.Labels[1]);
        Assert.Equal(map.Labels[0], map.Labels[2]);
        TestData.Close(0.0, clusters.Inertia, 0, 1e-10);
    }

    [Fact]
    public void KMeansFit_MoreClustersThanSamples_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new KMeans(new KMeansOptions { ClusterCount = 4 }).Fit(new double[6], 3, 2));
    }

    [Fact]
    public void KMeansAndPca_Cancelled_Throw()
    {
        (float[] x, int n, _) = PcaData();
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => new Pca().Fit(x, n, 13, cts.Token));
        double[] xd = x.Select(v => (double)v).ToArray();
        Assert.ThrowsAny<OperationCanceledException>(() => new KMeans(new KMeansOptions { ClusterCount = 3 }).Fit(xd, n, 13, cts.Token));
    }

    [Fact]
    public void PcaEncode_NaNSpectrum_GivesNaNCoordinates()
    {
        (float[] x, int n, _) = PcaData();
        PcaEncoder pca = new Pca().Fit(x, n, 13);
        float[] one = x[..13];
        one[5] = float.NaN;
        float[] z = new float[3];
        pca.Encode(one, 1, z);
        Assert.All(z, v => Assert.True(float.IsNaN(v)));
    }

    [Fact]
    public void PcaEncodeAndTransform_WrongSizes_ThrowNamingTheArgument()
    {
        (float[] x, int n, _) = PcaData();
        PcaEncoder pca = new Pca().Fit(x, n, 13);
        var encode = Assert.Throws<ArgumentException>(() => pca.Encode(new float[12], 1, new float[3]));
        Assert.Equal("spectra", encode.ParamName);
        Assert.Contains("1 × 13 values; got 12", encode.Message, StringComparison.Ordinal);
        var transform = Assert.Throws<ArgumentException>(() => pca.Transform(new double[26], 2, new double[5]));
        Assert.Equal("destination", transform.ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => pca.Encode([], -1, []));
        Assert.Throws<ArgumentOutOfRangeException>(() => pca.Transform([], -1, []));
    }
}
