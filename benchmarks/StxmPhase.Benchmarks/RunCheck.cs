using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Validators;

namespace StxmPhase.Benchmarks;

/// <summary>
/// Decides from BenchmarkDotNet's summaries whether a run did what it was asked, for <see cref="Program"/>'s exit code.
/// BenchmarkDotNet itself reports a failed case (an exception in a <c>[GlobalSetup]</c> or a benchmark method, a
/// failed build, a timeout) only in its log and summary table and still returns normally; so does a filter that
/// matches nothing. Only whether each case ran is checked: timings are never compared with anything.
/// </summary>
public static class RunCheck
{
    private static readonly string[] s_informationOptions = ["--list", "--help", "-h", "-?", "--version", "--info"];

    /// <summary>Whether the arguments ask BenchmarkDotNet to print something (the benchmark list, help, version,
    /// environment) instead of running benchmarks, so that no summary is the expected outcome.</summary>
    public static bool PrintsInformationOnly(IEnumerable<string> args) =>
        args.Any(a => s_informationOptions.Contains(a, StringComparer.OrdinalIgnoreCase));

    /// <summary>The problems of a run, one line each; empty when every selected case ran and produced a
    /// measurement.</summary>
    /// <param name="summaries">The summaries <c>BenchmarkSwitcher.Run</c> returned (one per class, or one joined).</param>
    public static IReadOnlyList<string> Problems(IReadOnlyCollection<Summary> summaries)
    {
        var problems = new List<string>();
        if (summaries.Count == 0)
        {
            // BenchmarkSwitcher returns no summary when the filter matched nothing or the arguments were invalid.
            problems.Add("no benchmark ran: the filter matched no benchmark, or the arguments were invalid (see above)");
            return problems;
        }

        int cases = 0;
        foreach (Summary summary in summaries)
        {
            foreach (ValidationError error in summary.ValidationErrors.Where(e => e.IsCritical))
            {
                problems.Add($"validation error: {error.Message}");
            }

            foreach (BenchmarkCase benchmarkCase in summary.BenchmarksCases)
            {
                cases++;
                BenchmarkReport? report = summary[benchmarkCase];
                if (report is null)
                {
                    problems.Add($"not run: {benchmarkCase.DisplayInfo}");
                }
                else if (!report.Success || report.ResultStatistics is null)
                {
                    problems.Add($"failed: {benchmarkCase.DisplayInfo}");
                }
            }
        }

        if (cases == 0 && problems.Count == 0)
        {
            problems.Add("no benchmark case ran: the selected classes have no runnable case");
        }

        return problems;
    }
}
