using BenchmarkDotNet.Attributes;
using StxmPhase.Spectra;
using StxmPhase.Unmixing;

namespace StxmPhase.Benchmarks.Unmixing;

/// <summary>
/// NNLS linear-combination fitting of a 256×256 px × 13 energies stack with 5 references (the peers' scipy
/// <c>nnls</c> loop case). Baseline: one <see cref="Nnls.Solve"/> per pixel on one thread (a fresh Householder QR per
/// passive set, like calling scipy.optimize.nnls in a loop); then the fitter (cached passive-set factors) on one thread
/// and on all cores.
/// </summary>
[MemoryDiagnoser]
public class NnlsLcfBenchmarks
{
    private SpectralStack _stack = null!;
    private ReferenceSpectra _refs = null!;
    private double[] _a = null!;
    private double[] _rows = null!;
    private double[] _x = null!;

    /// <summary>Gets or sets the image side in pixels: 256; 32 in the smoke mode.</summary>
    [ParamsSource(nameof(Sides))]
    public int Side { get; set; }

    /// <summary>Gets the values of <see cref="Side"/>.</summary>
    public static IEnumerable<int> Sides => Config.ByMode(full: [256], smoke: [32]);

    [GlobalSetup]
    public void Setup()
    {
        _stack = UnmixingData.Stack(Side, Side);
        _refs = UnmixingData.ReferenceSpectra(_stack.Energies);
        _a = new double[13 * 5];
        for (int k = 0; k < 13; k++)
        {
            for (int p = 0; p < 5; p++)
            {
                _a[(k * 5) + p] = _refs.Spectrum(p)[k];
            }
        }

        _rows = UnmixingData.PixelRows(Side * Side, 13).Select(v => (double)(float)v).ToArray();
        _x = new double[5];
    }

    [Benchmark(Baseline = true, Description = "Nnls.Solve per pixel (scalar loop)")]
    public double PerPixelSolve()
    {
        double sum = 0;
        int n = Side * Side;
        for (int i = 0; i < n; i++)
        {
            sum += Nnls.Solve(_a, 13, 5, _rows.AsSpan(i * 13, 13), _x).ResidualNorm;
        }

        return sum;
    }

    [Benchmark(Description = "LinearCombinationFitter, 1 thread")]
    public LinearCombinationFitResult FitterSingleThread() =>
        new LinearCombinationFitter(new LinearCombinationFitOptions { MaxDegreeOfParallelism = 1 }).Fit(_stack, _refs);

    [Benchmark(Description = "LinearCombinationFitter, all cores")]
    public LinearCombinationFitResult FitterParallel() => new LinearCombinationFitter().Fit(_stack, _refs);
}
