using System.Text.Json;
using StxmPhase.Spectra;

namespace StxmPhase.Cli;

/// <summary>The <c>execution</c> object of <c>summary.json</c>: the threads a run used and, inside a Slurm job, which
/// job and array task ran it (so that a beamtime's results can be traced to the allocation that made them).</summary>
internal static class ExecutionSummary
{
    private static readonly (string Field, string Variable)[] s_slurmVariables =
    [
        ("job_id", "SLURM_JOB_ID"), ("array_job_id", "SLURM_ARRAY_JOB_ID"), ("array_task_id", "SLURM_ARRAY_TASK_ID"),
        ("cpus_per_task", "SLURM_CPUS_PER_TASK"), ("partition", "SLURM_JOB_PARTITION"), ("node", "SLURMD_NODENAME"),
    ];

    /// <summary>Writes the object.</summary>
    /// <param name="j">The JSON writer, inside the summary's root object.</param>
    /// <param name="threads">The run's <c>--threads</c> value, or null for the CPU budget.</param>
    public static void Write(Utf8JsonWriter j, int? threads)
    {
        j.WriteStartObject("execution");
        j.WriteNumber("threads", ProcessorBudget.Resolve(threads));
        j.WriteNumber("cpu_budget", ProcessorBudget.Available);
        j.WriteNumber("processor_count", Environment.ProcessorCount);
        if (Environment.GetEnvironmentVariable("SLURM_JOB_ID") is { Length: > 0 })
        {
            j.WriteStartObject("slurm");
            foreach ((string field, string variable) in s_slurmVariables)
            {
                if (Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value)
                {
                    j.WriteString(field, value);
                }
            }

            j.WriteEndObject();
        }

        j.WriteEndObject();
    }
}
