using BenchmarkDotNet.Attributes;
using StxmPhase.Gmvae;
using StxmPhase.Spectra;
using StxmPhase.Synthetic;

namespace StxmPhase.Benchmarks.Beamtime;

/// <summary>
/// The per-stack cost of <c>map --model</c> / <c>batch --model</c> (issue 18): one stack mapped by the workflow with a
/// trained GMVAE (encode every valid pixel, fit the Mahalanobis statistics on the stack's confident pixels, resolve the
/// ambiguous ones) against the same stack with <c>--strategy none</c> (the baseline: PCC, noise-model posteriors, MRF).
/// The difference is what the model path adds per stack once libtorch is loaded; the CLI's start-up and libtorch's
/// loading are paid once per process (docs/performance.md, "Beamtime").
/// </summary>
public class ModelPathBenchmarks
{
    private SpectralStack? _stack;
    private ReferenceSpectra? _references;
    private GmvaeModel? _model;

    /// <summary>Gets or sets the stack side in pixels (512² × 13 energies; 64² in smoke mode).</summary>
    [ParamsSource(nameof(Sides))]
    public int Side { get; set; }

    /// <summary>Gets the values of <see cref="Side"/>.</summary>
    public static IEnumerable<int> Sides => Config.ByMode(full: [512], quick: [512], smoke: [64]);

    /// <summary>Generates the stack and trains a small GMVAE on it (2 epochs: the weights do not change the cost).</summary>
    [GlobalSetup]
    public void Setup()
    {
        SyntheticDataset data = SyntheticStackGenerator.Generate(new SyntheticStackOptions { Width = Side, Height = Side, Seed = 2, Dose = 1000 });
        _stack = data.OpticalDensity;
        _references = data.References;
        var workflow = new PhaseMappingWorkflow { Options = new PhaseMappingOptions { Seed = 1 } };
        LatentTrainingData training = workflow.PrepareTrainingData(new PhaseMappingInput(_stack, "stack"), _references);
        _model = (GmvaeModel)new GmvaeEncoderTrainer(new GmvaeOptions { Epochs = 2, Seed = 1 }).Train(training, null, CancellationToken.None);
    }

    /// <summary><c>--strategy none</c>: no latent stage.</summary>
    /// <returns>The number of assigned pixels.</returns>
    [Benchmark(Baseline = true)]
    public int StrategyNone() => Map(new PhaseMappingWorkflow { Options = new PhaseMappingOptions { Seed = 1, ResolveAmbiguities = false } });

    /// <summary>With the trained model: encode, fit the class statistics per stack, resolve.</summary>
    /// <returns>The number of assigned pixels.</returns>
    [Benchmark]
    public int WithModel() => Map(new PhaseMappingWorkflow { Options = new PhaseMappingOptions { Seed = 1 }, Encoder = _model });

    /// <summary>Releases the model.</summary>
    [GlobalCleanup]
    public void Cleanup() => _model?.Dispose();

    private int Map(PhaseMappingWorkflow workflow)
    {
        using PhaseMappingRun run = workflow.Run(new PhaseMappingInput(_stack!, "stack"), _references!);
        return run.Results[0].FinalMap.Labels.Length;
    }
}
