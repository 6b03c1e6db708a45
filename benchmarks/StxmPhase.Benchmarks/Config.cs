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

    /// <summary><c>--smoke</c>: BenchmarkDotNet's Dry job in-process (each case's setup, then one call of its method,
    /// no pilot or overhead runs) at small sizes; for CI, which needs to know that every benchmark still runs, not how
    /// fast. It measures nothing worth reading and compares no timing with anything, so noise cannot fail it; a
    /// benchmark that throws, a broken setup or a filter that matches nothing does (see <see cref="RunCheck"/>).</summary>
    Smoke,
}

/// <summary>
/// Shared benchmark configurations. <c>--quick</c> selects a short in-process job for a first look (1 warm-up,
/// 3 iterations; no statistical claims); <c>--smoke</c> runs every case once at small sizes, for CI (see
/// <see cref="BenchmarkMode.Smoke"/>); the default is BenchmarkDotNet's standard out-of-process job for publishing
/// numbers, with a build timeout long enough for the libtorch-sized output folder. Benchmarks whose sizes depend on the
/// mode read <see cref="Mode"/> in their <c>[ParamsSource]</c> members (see <see cref="ByMode"/>).
/// </summary>
public static class Config
{
    /// <summary>Gets the mode of this run, set by <see cref="FromArgs"/> (the full mode until then, and in the child
    /// processes of out-of-process jobs, which get their parameter values from the host).</summary>
    public static BenchmarkMode Mode { get; private set; } = BenchmarkMode.Full;

    /// <summary>Removes <c>--quick</c> and <c>--smoke</c> from <paramref name="args"/> (BenchmarkDotNet rejects
    /// options it does not know), sets <see cref="Mode"/> and returns the configuration for that mode.</summary>
    /// <exception cref="ArgumentException">Both <c>--quick</c> and <c>--smoke</c> are given.</exception>
    public static IConfig FromArgs(ref string[] args)
    {
        bool quick = args.Contains("--quick");
        bool smoke = args.Contains("--smoke");
        if (quick && smoke)
        {
            throw new ArgumentException("--quick and --smoke exclude each other.");
        }

        args = args.Where(a => a is not ("--quick" or "--smoke")).ToArray();
        Mode = smoke ? BenchmarkMode.Smoke : quick ? BenchmarkMode.Quick : BenchmarkMode.Full;
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
        else if (Mode == BenchmarkMode.Smoke)
        {
            config = config.AddJob(Job.Dry
                .WithToolchain(InProcessEmitToolchain.Instance)
                .WithId("Smoke"));
        }

        return config;
    }

    /// <summary>The parameter values for the current <see cref="Mode"/>, for <c>[ParamsSource]</c> members.</summary>
    /// <param name="full">Every value (the full mode).</param>
    /// <param name="smoke">The values of the smoke mode: small, just enough to run the setup and the method.</param>
    /// <param name="quick">The values of the quick mode; <see langword="null"/> for the full mode's.</param>
    public static IEnumerable<T> ByMode<T>(T[] full, T[] smoke, T[]? quick = null) => Mode switch
    {
        BenchmarkMode.Smoke => smoke,
        BenchmarkMode.Quick => quick ?? full,
        _ => full,
    };
}
