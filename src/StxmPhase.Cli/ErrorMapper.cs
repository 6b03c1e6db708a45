using StxmPhase.Spectra;

namespace StxmPhase.Cli;

/// <summary>Maps exceptions to exit codes and one-line messages.</summary>
internal static class ErrorMapper
{
    /// <summary>Returns the exit code for <paramref name="exception"/>.</summary>
    /// <param name="exception">The exception that ended a command.</param>
    /// <returns>One of <see cref="ExitCodes"/>.</returns>
    public static int ExitCodeFor(Exception exception) => exception switch
    {
        OperationCanceledException => ExitCodes.Cancelled,
        UsageException => ExitCodes.InvalidArguments,
        SubmissionException => ExitCodes.SubmissionFailed,
        OutputWriteException => ExitCodes.Unexpected,
        IncompatibleInputException => ExitCodes.IncompatibleInputs,
        CheckpointFormatException => ExitCodes.InvalidInput,
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
            OutputWriteException => exception.Message,
            SubmissionException => exception.Message,
            FileNotFoundException { FileName: { } missing } when Directory.Exists(missing) => $"'{missing}' is a folder, not a file.",
            FileNotFoundException { FileName: { } missing } when missing.Contains('\uFFFD', StringComparison.Ordinal) =>
                $"{exception.Message} The name holds bytes that are not valid UTF-8 (shown as \uFFFD), which .NET cannot pass to the "
                + "file system; rename the file with UTF-8 characters only.",
            StxmPhaseException { FileName: { } file } s when !s.Message.Contains(file, StringComparison.Ordinal) => $"{file}: {s.Message}",
            _ => exception.Message,
        };
        string kind = IsUnexpected(exception) ? $"unexpected error ({exception.GetType().Name}): " : string.Empty;
        return "stxmphase: " + kind + text.ReplaceLineEndings(" ");
    }

    /// <summary>Returns whether <paramref name="exception"/> is a bug or an unforeseen environment problem (not an output error).</summary>
    /// <param name="exception">The exception.</param>
    /// <returns><see langword="true"/> when the message should say "unexpected error" and suggest --verbose.</returns>
    internal static bool IsUnexpected(Exception exception) =>
        ExitCodeFor(exception) == ExitCodes.Unexpected && exception is not OutputWriteException;
}
