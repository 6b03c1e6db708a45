using BenchmarkDotNet.Running;

namespace StxmPhase.Benchmarks;

/// <summary>
/// Entry point. Examples:
/// <c>dotnet run -c Release --project benchmarks/StxmPhase.Benchmarks -- --filter '*Pearson*'</c> (full measurement),
/// <c>... -- --filter '*' --job short</c> (quick mode, a few minutes).
/// </summary>
public static class Program
{
    public static void Main(string[] args) =>
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, Config.FromArgs(ref args));
}
