using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Jobs;
using StxmPhase.Correlation;
using StxmPhase.Spectra;

namespace StxmPhase.Benchmarks.Correlation;

/// <summary>
/// The Pearson kernel at pixel counts that are a multiple of every vector width (6·512 = 3072, 1024² = 1 048 576) and
/// ragged ones (6·512 + 7 = 3079, 1024² + 7), so that the scalar tail of each band is measured, and, in the full and
/// quick modes, with AVX-512 or AVX2 switched off (jobs <c>NoAvx512</c>: <c>DOTNET_EnableAVX512=0</c>, Vector256
/// code; <c>NoAvx2</c>: <c>DOTNET_EnableAVX2=0</c>, which also turns AVX-512 off: Vector128 code). .NET 10 reads
/// these knobs; the older <c>DOTNET_EnableAVX512F</c> is ignored, so the setup checks that the knob took effect and
/// throws if it did not. The stack is one row of <see cref="Pixels"/> pixels × 13 energies, 5 references.
/// </summary>
[Config(typeof(IsaConfig))]
public class PearsonIsaAndRaggedSizes
{
    private SpectralStack _stack = null!;
    private ReferenceSpectra _references = null!;
    private CorrelationBuffers _buffers = null!;
    private PearsonPhaseCorrelator _oneThread = null!;

    /// <summary>Gets or sets the pixel count.</summary>
    [ParamsSource(nameof(PixelCounts))]
    public int Pixels { get; set; }

    /// <summary>Gets the values of <see cref="Pixels"/>: aligned and ragged, small (cache-resident) and 1024² (from
    /// memory); the smoke mode runs the small pair only.</summary>
    public static IEnumerable<int> PixelCounts => Config.ByMode(full: [3072, 3079, 1 << 20, (1 << 20) + 7], smoke: [3072, 3079]);

    [GlobalSetup]
    public void Setup()
    {
        IsaConfig.EnsureKnobsTookEffect();
        (_stack, _references) = PearsonPhaseMapping.BuildStack(Pixels, 1, seed: 20261206);
        _buffers = new CorrelationBuffers(Pixels, 1, _references.PhaseCount);
        _oneThread = new PearsonPhaseCorrelator(new PearsonOptions { MaxDegreeOfParallelism = 1 });
    }

    [Benchmark(Baseline = true)]
    public CorrelationResult Scalar() => _oneThread.CorrelateScalar(_stack, _references);

    [Benchmark]
    public int ReusedBuffers_1Thread()
    {
        _oneThread.CorrelateInto(_stack, _references, null, _buffers);
        return _buffers.AmbiguousCount;
    }

    /// <summary>The throughput columns, and one job per instruction-set level in the full and quick modes.</summary>
    public sealed class IsaConfig : ThroughputConfig
    {
        /// <summary>The .NET 10 knob that switches AVX-512 off.</summary>
        public const string Avx512Knob = "DOTNET_EnableAVX512";

        /// <summary>The knob that switches AVX2 (and with it AVX-512) off.</summary>
        public const string Avx2Knob = "DOTNET_EnableAVX2";

        public IsaConfig()
        {
            // The smoke mode keeps its single in-process job (the knobs act at process start only).
            if (Config.Mode == BenchmarkMode.Smoke)
            {
                return;
            }

            Job job = Config.Mode == BenchmarkMode.Quick
                ? Job.ShortRun.WithWarmupCount(1).WithIterationCount(3).WithLaunchCount(1)
                : Job.Default;
            if (Config.Mode == BenchmarkMode.Full)
            {
                AddJob(job.WithId("AllIsa"));
            }

            AddJob(job.WithEnvironmentVariable(Avx512Knob, "0").WithId("NoAvx512"));
            AddJob(job.WithEnvironmentVariable(Avx2Knob, "0").WithId("NoAvx2"));
        }

        /// <summary>Throws when a knob is set to 0 but the instruction set is still in use (an ignored knob name).</summary>
        /// <exception cref="InvalidOperationException">The runtime ignored the knob.</exception>
        public static void EnsureKnobsTookEffect()
        {
            if (Environment.GetEnvironmentVariable(Avx512Knob) == "0" && Vector512.IsHardwareAccelerated)
            {
                throw new InvalidOperationException($"{Avx512Knob}=0 is set but Vector512 is still hardware accelerated.");
            }

            if (Environment.GetEnvironmentVariable(Avx2Knob) == "0" && (Avx2.IsSupported || Vector256.IsHardwareAccelerated))
            {
                throw new InvalidOperationException($"{Avx2Knob}=0 is set but AVX2 / Vector256 is still in use.");
            }

            Console.WriteLine(
                $"// ISA: Vector512 {Vector512.IsHardwareAccelerated}, Vector256 {Vector256.IsHardwareAccelerated}, AVX2 {Avx2.IsSupported}");
        }
    }
}
