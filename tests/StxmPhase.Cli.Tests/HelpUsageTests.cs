namespace StxmPhase.Cli.Tests;

/// <summary>
/// The usage lines of <c>--help</c> name the tool <c>stxmphase</c>, as the documentation does, however it is started: from the
/// build folder (<c>StxmPhase.Cli</c>), with <c>dotnet run</c>, or in-process (here, the test host), not the executable's name.
/// </summary>
public sealed class HelpUsageTests
{
    [Theory]
    [InlineData(new[] { "--help" }, "stxmphase [command] [options]")]
    [InlineData(new[] { "-h" }, "stxmphase [command] [options]")]
    [InlineData(new[] { "map", "--help" }, "stxmphase map [options]")]
    [InlineData(new[] { "batch", "-h" }, "stxmphase batch [options]")]
    [InlineData(new[] { "evaluate", "--help" }, "stxmphase evaluate [options]")]
    public async Task Help_UsageLineNamesTheToolStxmphase(string[] args, string usage)
    {
        var (code, stdout, _) = await CliRunner.Run(args);

        Assert.Equal(0, code);
        Assert.Contains("Usage:" + Environment.NewLine + "  " + usage, stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("StxmPhase.Cli", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("testhost", stdout, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Version_IsStillAnOptionOfTheTool()
    {
        // In-process the version is the entry assembly's (the test host's); the tool prints its own. Here: it is still accepted.
        var (code, stdout, err) = await CliRunner.Run("--version");

        Assert.True(code == 0, err);
        Assert.Matches(@"^\d+\.\d+\.\d+", stdout.Trim());
    }

    [Fact]
    public async Task NoCommand_IsAUsageErrorPointingAtTheToolsHelp()
    {
        var (code, _, err) = await CliRunner.Run();

        Assert.Equal(ExitCodes.InvalidArguments, code);
        Assert.Contains("Run 'stxmphase --help' for usage.", err, StringComparison.Ordinal);
    }
}
