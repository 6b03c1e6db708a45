using BenchmarkDotNet.Attributes;
using StxmPhase.Assignment;
using StxmPhase.Correlation;
using StxmPhase.Spectra;

namespace StxmPhase.Benchmarks.Correlation;

/// <summary>
/// The default pipeline's extra stages on a realistic square stack (13 energies, 5 references), against the PCC stage
/// they follow (baseline, all threads): the noise-model posteriors (<see cref="NoiseModelClassifier"/>, vectorised over
/// pixels, blocks in parallel) and the Potts MRF on those posteriors (<see cref="PottsRegularizer"/>, strength estimate
/// and ten mean-field sweeps, rows in parallel). docs/performance/default-vs-pcc.cs times the whole workflow both ways. The
/// issue-15 budget: the whole 1024² × 13 workflow within 1.5× of its time before.
/// </summary>
[Config(typeof(ThroughputConfig))]
public class PosteriorStages
{
    private SpectralStack _stack = null!;
    private ReferenceSpectra _references = null!;
    private PixelMask _sample = null!;
    private PhasePosteriors _posteriors = null!;
    private readonly PearsonPhaseCorrelator _pcc = new(new PearsonOptions { MaxDegreeOfParallelism = -1 });
    private readonly NoiseModelClassifier _classifier = new();

    /// <summary>Gets or sets the image side in pixels.</summary>
    [ParamsSource(nameof(Sides))]
    public int Side { get; set; }

    /// <summary>Gets the values of <see cref="Side"/>: 256 and 1024 (smoke: 128).</summary>
    public static IEnumerable<int> Sides => Config.ByMode(full: [256, 1024], quick: [256, 1024], smoke: [128]);

    [GlobalSetup]
    public void Setup()
    {
        (_stack, _references) = PearsonPhaseMapping.BuildStack(Side, Side, seed: 20261206);
        bool[] inside = new bool[Side * Side];
        for (int p = 0; p < inside.Length; p++)
        {
            inside[p] = (p % Side) >= Side / 8; // a sample-free band on the left
        }

        _sample = new PixelMask(Side, Side, inside);
        _posteriors = _classifier.Classify(_stack, _references, _sample, _sample.Not());
    }

    [Benchmark(Baseline = true)]
    public CorrelationResult Pcc() => _pcc.Correlate(_stack, _references, _sample);

    [Benchmark]
    public PhasePosteriors NoiseModelPosteriors() => _classifier.Classify(_stack, _references, _sample, _sample.Not());

    [Benchmark]
    public PottsResult PottsMeanField() => PottsRegularizer.Regularize(_posteriors.Posteriors, Side, Side, _posteriors.PhaseCount);
}
