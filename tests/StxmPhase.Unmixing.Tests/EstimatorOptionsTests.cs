using StxmPhase.Spectra;

namespace StxmPhase.Unmixing.Tests;

/// <summary>
/// docs/adr/0003-one-fitting-idiom.md: options go to the constructor and are validated there, once; Fit takes only data
/// and checks only what depends on the data.
/// </summary>
public class EstimatorOptionsTests
{
    public static TheoryData<string, Action> BadOptions() => new()
    {
        { "KMeansOptions.ClusterCount", () => _ = new KMeans(new KMeansOptions { ClusterCount = 0 }) },
        { "KMeansOptions.InitCount", () => _ = new KMeans(new KMeansOptions { InitCount = 0 }) },
        { "KMeansOptions.MaxIterations", () => _ = new KMeans(new KMeansOptions { MaxIterations = 0 }) },
        { "KMeansOptions.Tolerance", () => _ = new KMeans(new KMeansOptions { Tolerance = double.NaN }) },
        { "KMeansOptions.MaxDegreeOfParallelism", () => _ = new KMeans(new KMeansOptions { MaxDegreeOfParallelism = 0 }) },
        { "ComponentCount", () => _ = new Nmf(new NmfOptions { ComponentCount = 0 }) },
        { "MaxIterations", () => _ = new Nmf(new NmfOptions { MaxIterations = 0 }) },
        { "L1Ratio", () => _ = new Nmf(new NmfOptions { L1Ratio = 2 }) },
        { "MaxDegreeOfParallelism", () => _ = new Nmf(new NmfOptions { MaxDegreeOfParallelism = -3 }) },
        { "Tolerance", () => _ = new RandomizedNmf(new NmfOptions { Tolerance = -1 }) },
        { "sketch", () => _ = new RandomizedNmf(sketch: new RandomizedNmfOptions { Oversampling = -1 }) },
        { "PcaOptions.ComponentCount", () => _ = new Pca(new PcaOptions { ComponentCount = 0 }) },
        { "PcaOptions.MaxDegreeOfParallelism", () => _ = new Pca(new PcaOptions { MaxDegreeOfParallelism = 0 }) },
        { "LinearCombinationFitOptions.Offset", () => _ = Lcf(new LinearCombinationFitOptions { Offset = (OffsetMode)9 }) },
        { "SumToOneWeight", () => _ = Lcf(new LinearCombinationFitOptions { SumToOneWeight = 0 }) },
        { "LinearCombinationFitOptions.EnergyToleranceEv", () => _ = Lcf(new LinearCombinationFitOptions { EnergyToleranceEv = -1 }) },
        { "LinearCombinationFitOptions.MaxDegreeOfParallelism", () => _ = Lcf(new LinearCombinationFitOptions { MaxDegreeOfParallelism = 0 }) },
        { "NmfPhaseMapOptions.Matching", () => _ = Mapper(new NmfPhaseMapOptions { Matching = (ComponentMatching)5 }) },
        { "NmfPhaseMapOptions.EnergyToleranceEv", () => _ = Mapper(new NmfPhaseMapOptions { EnergyToleranceEv = double.NaN }) },
        { "ComponentCount", () => _ = Mapper(new NmfPhaseMapOptions { Nmf = new NmfOptions { ComponentCount = -1 } }) },
        { "sketch", () => _ = Mapper(new NmfPhaseMapOptions { Randomized = true, Sketch = new RandomizedNmfOptions { PowerIterations = -1 } }) },
    };

    [Theory]
    [MemberData(nameof(BadOptions))]
    public void Constructor_BadOption_ThrowsArgumentOutOfRangeNamingIt(string named, Action construct)
    {
        ArgumentOutOfRangeException ex = Assert.Throws<ArgumentOutOfRangeException>(construct);
        Assert.Contains(named, ex.Message + " " + ex.ParamName, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_NullOptions_UsesTheDefaults()
    {
        Assert.Same(KMeansOptions.Default, new KMeans().Options);
        Assert.Same(NmfOptions.Default, new Nmf().Options);
        Assert.Same(NmfOptions.Default, new RandomizedNmf().Options);
        Assert.Same(RandomizedNmfOptions.Default, new RandomizedNmf().Sketch);
        Assert.Same(PcaOptions.Default, new Pca().Options);
        Assert.Same(LinearCombinationFitOptions.Default, new LinearCombinationFitter().Options);
        Assert.Same(NmfPhaseMapOptions.Default, new NmfPhaseMapper().Options);
    }

    [Fact]
    public void Fit_DataDependentBounds_AreCheckedAtFit()
    {
        var kmeans = new KMeans(new KMeansOptions { ClusterCount = 4 });
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => kmeans.Fit(new double[6], 3, 2));
        Assert.Contains("ClusterCount (4)", ex.Message, StringComparison.Ordinal);

        var pca = new Pca(new PcaOptions { ComponentCount = 3 });
        Assert.Throws<ArgumentOutOfRangeException>(() => pca.Fit(new float[4], 2, 2));

        var rnmf = new RandomizedNmf(new NmfOptions { ComponentCount = 3 });
        Assert.Throws<ArgumentOutOfRangeException>(() => rnmf.Fit(new double[4], 2, 2));
    }

    [Fact]
    public void Estimator_FittedTwice_GivesTheSameModel()
    {
        double[] x = Enumerable.Range(0, 40 * 3).Select(i => (double)((i * 7919) % 101)).ToArray();
        var kmeans = new KMeans(new KMeansOptions { ClusterCount = 3, Seed = 5 });
        KMeansResult a = kmeans.Fit(x, 40, 3);
        KMeansResult b = kmeans.Fit(x, 40, 3);
        Assert.Equal(a.Labels.ToArray(), b.Labels.ToArray());
        Assert.Equal(a.Inertia, b.Inertia);
    }

    private static LinearCombinationFitter Lcf(LinearCombinationFitOptions options) => new(options);

    private static NmfPhaseMapper Mapper(NmfPhaseMapOptions options) => new(options);
}
