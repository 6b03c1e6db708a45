using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using StxmPhase.Gmvae;
using StxmPhase.Spectra;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace StxmPhase.Benchmarks.Gmvae;

/// <summary>
/// Seconds per training epoch of the paper-size GMVAE (13 → 512-256-128-64 → 3 + 5 logits, mirrored decoder,
/// batch 128, Adam) on N synthetic spectra × 13 energies with 2 libtorch threads: the same measurement as
/// ../shared/peers/gmvae_torch.py (one untimed warm-up epoch, then timed epochs). Also times encoding
/// (posterior means, evaluation mode, chunks of 4096). Run both with
/// <c>bash benchmarks/StxmPhase.Benchmarks/Gmvae/run-vs-pytorch.sh</c>.
/// </summary>
[Config(typeof(EpochConfig))]
public class GmvaeTrainingEpoch
{
    private GmvaeNetwork? _network;
    private GmvaeAdam? _optimizer;
    private Generator? _generator;
    private Tensor? _data;
    private GmvaeModel? _model;
    private float[] _raw = [];
    private float[] _latent = [];
    private readonly GmvaeOptions _options = new() { Threads = 2 };

    /// <summary>Gets or sets the number of spectra N.</summary>
    [ParamsSource(nameof(SpectraCounts))]
    public int Spectra { get; set; }

    /// <summary>Gets the values of <see cref="Spectra"/>: 20 000 and 100 000. The quick mode runs 20 000 only (the
    /// 100 000-spectrum cases and their setup took minutes of the quick run on a loaded machine); the full mode has
    /// both. The smoke mode runs 5 000 (40 batches of 128 and five encoding chunks of 1 024, the last ones
    /// partial).</summary>
    public static IEnumerable<int> SpectraCounts => Config.ByMode(full: [20_000, 100_000], quick: [20_000], smoke: [5_000]);

    /// <summary>Builds the data tensor, the paper-size network and its optimizer.</summary>
    [GlobalSetup]
    public void Setup()
    {
        TorchNative.EnsureLoaded();
        torch.set_num_threads(2);
        torch.manual_seed(0);
        _raw = SyntheticSpectra(Spectra, 13, seed: 3);
        _data = torch.tensor(_raw, [Spectra, 13]);
        _network = new GmvaeNetwork(13, _options);
        _optimizer = new GmvaeAdam(_network.parameters(), _options.LearningRate);
        _generator = new Generator(0);
        var axis = new EnergyAxis(Enumerable.Range(0, 13).Select(i => 510.0 + i).ToArray());
        var normalizer = GmvaeNormalizer.Fit(GmvaeNormalization.None, _raw, 13, Enumerable.Range(0, Spectra).ToArray());
        var encoderNetwork = new GmvaeNetwork(13, _options);
        _model = new GmvaeModel(encoderNetwork, normalizer, axis, _options,
            new GmvaeTrainingHistory([], Spectra, 0, 0, null, null, null, false, 0), CPU, null);
        _latent = new float[Spectra * 3];
    }

    /// <summary>One training epoch over all N spectra (⌈N/128⌉ Adam steps).</summary>
    /// <returns>The epoch's mean training loss.</returns>
    [Benchmark]
    public double TrainEpoch() =>
        GmvaeTrainer.TrainEpoch(_network!, _optimizer!, _generator!, _data!, Spectra, _options, CPU, CancellationToken.None).Loss;

    /// <summary>Posterior means of all N spectra (evaluation mode, no_grad, chunks of 4096).</summary>
    /// <returns>The first latent coordinate.</returns>
    [Benchmark]
    public float EncodeMeans()
    {
        _model!.Encode(_raw, Spectra, _latent);
        return _latent[0];
    }

    /// <summary>Releases native memory.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        _optimizer?.Dispose();
        _network?.Dispose();
        _generator?.Dispose();
        _data?.Dispose();
        _model?.Dispose();
    }

    /// <summary>In-process (libtorch's 480 MB of natives need no second build), one warm-up epoch, three timed epochs
    /// of one invocation each, like the PyTorch peer. The quick and smoke modes' jobs (<see cref="Config.FromArgs"/>)
    /// apply to this class too, and a second job here would run every case twice; so in quick mode these settings are
    /// added as a mutator, which turns the quick job into this one, and in smoke mode they are left out (one epoch per
    /// case is enough there).</summary>
    internal sealed class EpochConfig : ManualConfig
    {
        public EpochConfig()
        {
            Job epoch = Job.Default
                .WithStrategy(RunStrategy.Monitoring)
                .WithLaunchCount(1)
                .WithWarmupCount(1)
                .WithIterationCount(3)
                .WithInvocationCount(1)
                .WithUnrollFactor(1)
                .WithToolchain(new InProcessEmitToolchain(TimeSpan.FromHours(3), logOutput: true))
                .WithId("Epoch");
            switch (Config.Mode)
            {
                case BenchmarkMode.Full:
                    AddJob(epoch);
                    break;
                case BenchmarkMode.Quick:
                    AddJob(epoch.AsMutator());
                    break;
                case BenchmarkMode.Smoke:
                default:
                    break; // the smoke job alone
            }
        }
    }

    /// <summary>N spectra of 5 phases (Gaussian peaks on an edge), random thickness and noise, standardised per
    /// energy like the PyTorch peer's input.</summary>
    internal static float[] SyntheticSpectra(int count, int energies, int seed)
    {
        var random = new Random(seed);
        float[] x = new float[count * energies];
        for (int i = 0; i < count; i++)
        {
            int phase = random.Next(5);
            double thickness = 0.5 + random.NextDouble();
            for (int e = 0; e < energies; e++)
            {
                double t = e / (double)(energies - 1);
                double edge = 0.3 + (0.4 / (1 + Math.Exp(-(t - 0.35 - (0.03 * phase)) / 0.04)));
                double peak = 0.7 * Math.Exp(-Math.Pow((t - 0.2 - (0.12 * phase)) / 0.06, 2));
                double u1 = 1.0 - random.NextDouble();
                double noise = 0.02 * Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * random.NextDouble());
                x[(i * energies) + e] = (float)((thickness * (edge + peak)) + noise);
            }
        }

        for (int e = 0; e < energies; e++)
        {
            double mean = 0;
            double sq = 0;
            for (int i = 0; i < count; i++)
            {
                mean += x[(i * energies) + e];
            }

            mean /= count;
            for (int i = 0; i < count; i++)
            {
                sq += Math.Pow(x[(i * energies) + e] - mean, 2);
            }

            double std = Math.Sqrt(sq / count);
            for (int i = 0; i < count; i++)
            {
                x[(i * energies) + e] = (float)((x[(i * energies) + e] - mean) / std);
            }
        }

        return x;
    }
}
