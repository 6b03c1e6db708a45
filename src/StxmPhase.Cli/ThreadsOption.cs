using System.CommandLine;
using StxmPhase.Spectra;

namespace StxmPhase.Cli;

/// <summary>The <c>--threads</c> option of every command: how many CPUs the command may use.</summary>
internal static class ThreadsOption
{
    /// <summary>Creates the option (one instance per command).</summary>
    /// <returns>The option; its value is <see langword="null"/> when not given.</returns>
    public static Option<int?> Create()
    {
        var option = new Option<int?>("--threads")
        {
            Description = "Threads for every stage (default: the CPUs this process may use — affinity, cgroup quota, SLURM_CPUS_PER_TASK; " +
                          "GMVAE training uses one thread for the paper's mini-batches).",
        };
        option.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int?>() is int v && v < 1)
            {
                r.AddError($"--threads must be at least 1; got {v}.");
            }
        });
        return option;
    }

    /// <summary>The thread count a command uses: the option's value or <see cref="ProcessorBudget.Available"/>.</summary>
    /// <param name="threads">The option's value.</param>
    /// <returns>The thread count.</returns>
    public static int Resolve(int? threads) => ProcessorBudget.Resolve(threads);
}
