namespace StxmPhase.Cli;

/// <summary>Entry point of the <c>stxmphase</c> tool.</summary>
internal static class Program
{
    /// <summary>Runs the tool; Ctrl+C cancels the running command cleanly (exit code 130).</summary>
    /// <param name="args">Command-line arguments.</param>
    /// <returns>The exit code (see <see cref="ExitCodes"/>).</returns>
    public static Task<int> Main(string[] args) => CliApp.RunAsync(args, Console.Out, Console.Error);
}
