using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;

namespace StxmPhase.Benchmarks;

/// <summary>
/// Entry point. Examples:
/// <c>dotnet run -c Release --project benchmarks/StxmPhase.Benchmarks -- --filter '*Pearson*'</c> (full measurement),
/// <c>... -- --filter '*' --quick</c> (quick mode: in-process, 1 warm-up and 3 iterations; minutes, no statistical claims).
/// </summary>
public static class Program
{
    public static void Main(string[] args)
    {
        IConfig config = Config.FromArgs(ref args);
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
    }
}
