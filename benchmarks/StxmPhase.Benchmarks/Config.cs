using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;

namespace StxmPhase.Benchmarks;

/// <summary>
/// Shared benchmark configurations. <c>--quick</c> selects a short job that CI can afford (a few iterations, no
/// statistical claims); the default is BenchmarkDotNet's standard job for publishing numbers.
/// </summary>
public static class Config
{
    public static IConfig FromArgs(ref string[] args)
    {
        bool quick = args.Contains("--quick");
        args = args.Where(a => a != "--quick").ToArray();
        IConfig config = DefaultConfig.Instance.AddDiagnoser(MemoryDiagnoser.Default);
        if (quick)
        {
            config = config.AddJob(Job.ShortRun.WithWarmupCount(1).WithIterationCount(3).WithLaunchCount(1).WithId("Quick"));
        }

        return config;
    }
}
