namespace StxmPhase.Cli;

/// <summary>Where an <c>evaluate</c> report goes: standard output, or a file written atomically.</summary>
internal static class ReportOutput
{
    /// <summary>
    /// Prints <paramref name="markdown"/> when <paramref name="reportPath"/> is <see langword="null"/>; otherwise writes it
    /// to that file (temp file + rename) and says where.
    /// </summary>
    /// <exception cref="OutputWriteException">The file cannot be written (the message names it).</exception>
    public static int Emit(CliContext ctx, string? reportPath, string markdown)
    {
        if (reportPath is null)
        {
            ctx.Out.Write(markdown);
            return ExitCodes.Success;
        }

        try
        {
            AtomicFile.WriteText(reportPath, markdown);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new OutputWriteException($"cannot write the report to '{reportPath}': {ex.Message}", ex);
        }

        ctx.Out.WriteLine($"Report written to {Path.GetFullPath(reportPath)}");
        return ExitCodes.Success;
    }
}
