using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace StxmPhase.Benchmarks;

/// <summary>
/// Shared benchmark configurations. <c>--quick</c> selects a short in-process job that CI can afford (1 warm-up,
/// 3 iterations; no statistical claims); the default is BenchmarkDotNet's standard out-of-process job for publishing
/// numbers, with a build timeout long enough for the libtorch-sized output folder.
/// </summary>
public static class Config
{
    public static IConfig FromArgs(ref string[] args)
    {
        bool quick = args.Contains("--quick");
        args = args.Where(a => a != "--quick").ToArray();
        IConfig config = DefaultConfig.Instance
            .AddDiagnoser(MemoryDiagnoser.Default)
            .WithBuildTimeout(TimeSpan.FromMinutes(15));
        if (quick)
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
}
