using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace StxmPhase.Benchmarks;

/// <summary>How much a run measures; chosen on the command line and read by <see cref="Config"/> and by the benchmarks'
/// <c>[ParamsSource]</c> members.</summary>
public enum BenchmarkMode
{
    /// <summary>The default: BenchmarkDotNet's standard out-of-process job and every parameter value, for publishing
    /// numbers.</summary>
    Full,

    /// <summary><c>--quick</c>: a short in-process job (1 warm-up, 3 iterations), and the two most expensive benchmarks
    /// (Pearson mapping, GMVAE epochs) without their largest size; a few minutes, no statistical claims.</summary>
    Quick,
}

/// <summary>
/// Shared benchmark configurations. <c>--quick</c> selects a short in-process job that CI can afford (1 warm-up,
/// 3 iterations; no statistical claims); the default is BenchmarkDotNet's standard out-of-process job for publishing
/// numbers, with a build timeout long enough for the libtorch-sized output folder. Benchmarks whose sizes depend on the
/// mode read <see cref="Mode"/> in their <c>[ParamsSource]</c> members (see <see cref="ByMode"/>).
/// </summary>
public static class Config
{
    /// <summary>Gets the mode of this run, set by <see cref="FromArgs"/> (the full mode until then, and in the child
    /// processes of out-of-process jobs, which get their parameter values from the host).</summary>
    public static BenchmarkMode Mode { get; private set; } = BenchmarkMode.Full;

    /// <summary>Removes <c>--quick</c> from <paramref name="args"/> (BenchmarkDotNet rejects options it does not
    /// know), sets <see cref="Mode"/> and returns the configuration for that mode.</summary>
    public static IConfig FromArgs(ref string[] args)
    {
        bool quick = args.Contains("--quick");
        args = args.Where(a => a != "--quick").ToArray();
        Mode = quick ? BenchmarkMode.Quick : BenchmarkMode.Full;
        IConfig config = DefaultConfig.Instance
            .AddDiagnoser(MemoryDiagnoser.Default)
            .WithBuildTimeout(TimeSpan.FromMinutes(15));
        if (Mode == BenchmarkMode.Quick)
        {
            config = config.AddJob(Job.ShortRun
                .WithWarmupCount(1)
                .WithIterationCount(3)
                .WithLaunchCount(1)
                .WithToolchain(InProcessEmitToolchain.Instance)
                .WithId("Quick"));
        }

        return config;
    }

    /// <summary>The parameter values for the current <see cref="Mode"/>, for <c>[ParamsSource]</c> members.</summary>
    /// <param name="full">Every value (the full mode).</param>
    /// <param name="quick">The values of the quick mode.</param>
    public static IEnumerable<T> ByMode<T>(T[] full, T[] quick) => Mode == BenchmarkMode.Quick ? quick : full;
}
