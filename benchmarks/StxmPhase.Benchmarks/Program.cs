using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace StxmPhase.Benchmarks;

/// <summary>
/// Entry point. Examples:
/// <c>dotnet run -c Release --project benchmarks/StxmPhase.Benchmarks -- --filter '*Pearson*'</c> (full measurement),
/// <c>... -- --filter '*' --quick</c> (quick mode: in-process, 1 warm-up and 3 iterations; minutes, no statistical claims),
/// <c>... -- --filter '*' --smoke</c> (smoke mode, for CI: every case once at small sizes; see
/// <see cref="BenchmarkMode.Smoke"/>).
/// Exit codes: 0 every selected case ran (or only information was asked for: <c>--list</c>, <c>--help</c>, ...), 1 a
/// case failed or nothing ran (see <see cref="RunCheck"/>), 2 both <c>--quick</c> and <c>--smoke</c>.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        IConfig config;
        try
        {
            config = Config.FromArgs(ref args);
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine(e.Message);
            return 2;
        }

        Summary[] summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config).ToArray();
        if (summaries.Length == 0 && RunCheck.PrintsInformationOnly(args))
        {
            return 0;
        }

        IReadOnlyList<string> problems = RunCheck.Problems(summaries);
        int cases = summaries.Sum(s => s.BenchmarksCases.Length);
        if (problems.Count == 0)
        {
            Console.WriteLine($"Benchmark check ({Config.Mode} mode): all {cases} benchmark cases ran.");
            return 0;
        }

        string selected = cases > 0 ? $", {cases} benchmark cases selected" : "";
        Console.Error.WriteLine($"Benchmark check ({Config.Mode} mode) FAILED{selected}:");
        foreach (string problem in problems)
        {
            Console.Error.WriteLine("  " + problem);
        }

        return 1;
    }
}
