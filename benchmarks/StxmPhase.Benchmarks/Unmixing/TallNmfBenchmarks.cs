using BenchmarkDotNet.Attributes;
using StxmPhase.Unmixing;

namespace StxmPhase.Benchmarks.Unmixing;

/// <summary>
/// HALS vs randomized HALS (QB, l = k + 10, q = 2) on a tall 4D-STEM-shaped matrix: 65 536 positions × 1 024 features,
/// k = 5, random initialisation (cheap, so the timing is the iterations plus, for RNMF, the QB). Each method runs with
/// 1 and 11 iterations: (t₁₁ − t₁)/10 is the time per iteration, t₁ the set-up cost.
/// 65 536 × 4 096 (2 GiB of float64) is too slow to benchmark repeatedly on the 2-core build machine. Run with a
/// short monitoring job, e.g. <c>--inProcess --strategy Monitoring --launchCount 1 --warmupCount 0 --iterationCount 2</c>.
/// </summary>
[MemoryDiagnoser]
public class TallNmfBenchmarks
{
    private const int Rows = 65536;
    private const int K = 5;
    private double[] _x = null!;

    /// <summary>Gets or sets the number of features (columns): 1 024; 32 in the smoke mode.</summary>
    [ParamsSource(nameof(ColumnCounts))]
    public int Columns { get; set; }

    /// <summary>Gets the values of <see cref="Columns"/>.</summary>
    public static IEnumerable<int> ColumnCounts => Config.ByMode(full: [1024], smoke: [32]);

    [Params(1, 11)]
    public int Iterations { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        // Low-rank (k = 5) non-negative data plus 1 % noise.
        _x = UnmixingData.PixelRows(Rows, Columns);
        for (int i = 0; i < _x.Length; i++)
        {
            _x[i] = Math.Max(_x[i], 0);
        }
    }

    private NmfOptions Options => new()
    {
        ComponentCount = K, Initialization = NmfInitialization.Random, Tolerance = 0, MaxIterations = Iterations,
        UpdateOrder = NmfUpdateOrder.HFirst, Seed = 1,
    };

    [Benchmark(Baseline = true, Description = "HALS (H first)")]
    public NmfResult Hals() => new Nmf(Options).Fit(_x, Rows, Columns);

    [Benchmark(Description = "randomized HALS (QB l=k+10, q=2)")]
    public NmfResult Randomized() => new RandomizedNmf(Options, new RandomizedNmfOptions { Oversampling = 10, PowerIterations = 2 })
        .Fit(_x, Rows, Columns);
}
