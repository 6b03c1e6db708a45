using StxmPhase.Spectra;

namespace StxmPhase.Cli;

/// <summary>Maps exceptions to exit codes and one-line messages.</summary>
public static class ErrorMapper
{
    /// <summary>Returns the exit code for <paramref name="exception"/>.</summary>
    /// <param name="exception">The exception that ended a command.</param>
    /// <returns>One of <see cref="ExitCodes"/>.</returns>
    public static int ExitCodeFor(Exception exception) => exception switch
    {
        OperationCanceledException => ExitCodes.Cancelled,
        UsageException => ExitCodes.InvalidArguments,
        IncompatibleInputException => ExitCodes.IncompatibleInputs,
        CheckpointFormatException => ExitCodes.IncompatibleInputs,
        StxmPhaseException => ExitCodes.InvalidInput,
        FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException => ExitCodes.InvalidInput,
        IOException => ExitCodes.InvalidInput,
        _ => ExitCodes.Unexpected,
    };

    /// <summary>Returns a one-line message for <paramref name="exception"/> (file name first when known).</summary>
    /// <param name="exception">The exception.</param>
    /// <returns>The message.</returns>
    public static string Describe(Exception exception)
    {
        string text = exception switch
        {
            OperationCanceledException => "cancelled.",
            StxmPhaseException { FileName: { } file } s when !s.Message.Contains(file, StringComparison.Ordinal) => $"{file}: {s.Message}",
            _ => exception.Message,
        };
        string kind = ExitCodeFor(exception) == ExitCodes.Unexpected ? $"unexpected error ({exception.GetType().Name}): " : string.Empty;
        return "stxmphase: " + kind + text.ReplaceLineEndings(" ");
    }
}
