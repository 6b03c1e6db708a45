using BenchmarkDotNet.Attributes;
using StxmPhase.Correlation;
using StxmPhase.Spectra;

namespace StxmPhase.Benchmarks.Correlation;

/// <summary>
/// PCC phase mapping of a realistic square stack (13 energies, 5 references) from the stack in memory to all outputs
/// in memory, as in ../shared/peers/pcc_numpy.py. <c>Scalar</c> is the plain float64 per-pixel implementation
/// (baseline); <c>FreshResult*</c> call the public <see cref="PearsonPhaseCorrelator.Correlate"/> (a new immutable
/// result per call); <c>ReusedBuffers*</c> call the public <see cref="PearsonPhaseCorrelator.CorrelateInto"/> with one
/// <see cref="CorrelationBuffers"/> allocated in the setup (validation, reference preparation, kernel and counts; no
/// fresh output memory). Mpx/s and GB/s columns: see docs/performance/correlation.md (52 B read + 42 B written per
/// pixel).
/// </summary>
[Config(typeof(ThroughputConfig))]
public class PearsonPhaseMapping
{
    private const int Energies = 13;
    private const int Phases = 5;

    private SpectralStack _stack = null!;
    private ReferenceSpectra _references = null!;
    private CorrelationBuffers _buffers = null!;
    private PearsonPhaseCorrelator _oneThread = null!;
    private PearsonPhaseCorrelator _allThreads = null!;

    /// <summary>Gets or sets the image side in pixels (the stack is Side × Side × 13).</summary>
    [ParamsSource(nameof(Sides))]
    public int Side { get; set; }

    /// <summary>Gets the values of <see cref="Side"/>: 256, 1024 and 2048. The quick mode leaves out 2048 (a 218 MB
    /// stack, built again for each of the five methods: a third of this class's quick run); 1024² remains, and the full
    /// mode has all three. The smoke mode runs 128² only.</summary>
    public static IEnumerable<int> Sides => Config.ByMode(full: [256, 1024, 2048], quick: [256, 1024], smoke: [128]);

    [GlobalSetup]
    public void Setup()
    {
        (_stack, _references) = BuildStack(Side, Side, seed: 20261123);
        _buffers = new CorrelationBuffers(Side, Side, Phases);
        _oneThread = new PearsonPhaseCorrelator(new PearsonOptions { MaxDegreeOfParallelism = 1 });
        _allThreads = new PearsonPhaseCorrelator(new PearsonOptions { MaxDegreeOfParallelism = -1 });
    }

    [Benchmark(Baseline = true)]
    public CorrelationResult Scalar() => _oneThread.CorrelateScalar(_stack, _references);

    [Benchmark]
    public CorrelationResult FreshResult_1Thread() => _oneThread.Correlate(_stack, _references);

    [Benchmark]
    public CorrelationResult FreshResult_AllThreads() => _allThreads.Correlate(_stack, _references);

    [Benchmark]
    public int ReusedBuffers_1Thread()
    {
        _oneThread.CorrelateInto(_stack, _references, null, _buffers);
        return _buffers.AmbiguousCount;
    }

    [Benchmark]
    public int ReusedBuffers_AllThreads()
    {
        _allThreads.CorrelateInto(_stack, _references, null, _buffers);
        return _buffers.AmbiguousCount;
    }

    /// <summary>
    /// Five Gaussian-peak references on a rising edge; pixels are random Dirichlet-like mixtures, scaled, offset and
    /// noisy (as the peers' synthetic stack), stored energy-major.
    /// </summary>
    internal static (SpectralStack Stack, ReferenceSpectra References) BuildStack(int width, int height, int seed)
    {
        var rng = new Random(seed);
        double[] energies = Enumerable.Range(0, Energies).Select(k => 525.0 + (20.0 * k / (Energies - 1))).ToArray();
        double[] refValues = new double[Phases * Energies];
        for (int j = 0; j < Phases; j++)
        {
            double centre = 529.0 + (3.2 * j);
            for (int e = 0; e < Energies; e++)
            {
                refValues[(j * Energies) + e] = 0.1 + (0.02 * (energies[e] - 525.0)) + Math.Exp(-0.5 * Math.Pow((energies[e] - centre) / 1.8, 2));
            }
        }

        var axis = new EnergyAxis(energies);
        var references = new ReferenceSpectra(axis, Enumerable.Range(0, Phases).Select(j => "phase" + j).ToArray(), refValues);
        int n = width * height;
        float[] data = new float[Energies * n];
        double[] w = new double[Phases];
        for (int i = 0; i < n; i++)
        {
            double sum = 0;
            for (int j = 0; j < Phases; j++)
            {
                w[j] = Math.Pow(rng.NextDouble(), 4);
                sum += w[j];
            }

            double a = 0.2 + (2.8 * rng.NextDouble());
            double b = (2.0 * rng.NextDouble()) - 0.5;
            for (int e = 0; e < Energies; e++)
            {
                double v = 0;
                for (int j = 0; j < Phases; j++)
                {
                    v += w[j] / sum * refValues[(j * Energies) + e];
                }

                data[(e * n) + i] = (float)((a * v) + b + (0.01 * ((2.0 * rng.NextDouble()) - 1.0)));
            }
        }

        return (new SpectralStack(axis, width, height, data), references);
    }
}
