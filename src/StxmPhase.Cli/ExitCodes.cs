namespace StxmPhase.Cli;

/// <summary>The documented exit codes of <c>stxmphase</c>.</summary>
internal static class ExitCodes
{
    /// <summary>Success.</summary>
    public const int Success = 0;

    /// <summary>An unexpected error (a bug, or an environment problem such as a native library that cannot load).</summary>
    public const int Unexpected = 1;

    /// <summary>Invalid command-line arguments (unknown option, bad value, existing output folder).</summary>
    public const int InvalidArguments = 2;

    /// <summary>An input file is unreadable or its contents are invalid.</summary>
    public const int InvalidInput = 3;

    /// <summary>Inputs do not fit together (energies, references, shapes, checkpoint).</summary>
    public const int IncompatibleInputs = 4;

    /// <summary><c>batch</c> or <c>collect</c> finished, but at least one stack failed or is missing (its row in summary.csv says why).</summary>
    public const int SomeStacksFailed = 5;

    /// <summary><c>slurm --submit</c>: sbatch could not be run, failed (its message is shown) or printed no job id.</summary>
    public const int SubmissionFailed = 6;

    /// <summary>Cancelled by the user (Ctrl+C).</summary>
    public const int Cancelled = 130;
}
