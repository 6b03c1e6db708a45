using StxmPhase.Cli;

namespace StxmPhase.Cli.Tests;

public sealed class DefaultsAndThreadsCliTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "stxmphase-cli-t-" + Guid.NewGuid().ToString("N")[..8]);

    public DefaultsAndThreadsCliTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static Task<(int Code, string Out, string Err)> Run(params string[] args) => CliRunner.Run(args);

    [Theory]
    [InlineData("od", "optical density (detected")]
    [InlineData("transmission", "transmission (detected")]
    public async Task Map_SynthOutputWithoutEnergiesOrQuantity_FindsTheSidecarAndReportsTheDetectedQuantity(string written, string expected)
    {
        string data = Path.Combine(_dir, "d");
        Assert.Equal(0, (await Run("synth", "--out", data, "--width", "40", "--height", "40", "--dose", "300", "--quantity", written)).Code);

        var (code, stdout, err) = await Run("map", "--stack", Path.Combine(data, "stack.npy"), "--references", Path.Combine(data, "references.csv"),
            "--encoder", "pca", "--no-figures", "--out", Path.Combine(_dir, "o"));

        Assert.True(code == 0, err);
        Assert.Contains(expected, stdout, StringComparison.Ordinal);
        Assert.Contains("energies from " + Path.Combine(data, "energies.csv"), stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("demo")]
    [InlineData("map")]
    [InlineData("synth")]
    [InlineData("evaluate")]
    public async Task Threads_ZeroOnAnyComputingCommand_ExitsWithInvalidArguments(string command)
    {
        var (code, _, err) = await Run(command, "--threads", "0");

        Assert.Equal(2, code);
        Assert.Contains("--threads must be at least 1", err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Synth_OneThread_WritesTheSameStackAsAllThreads()
    {
        string a = Path.Combine(_dir, "a"), b = Path.Combine(_dir, "b");
        Assert.Equal(0, (await Run("synth", "--out", a, "--width", "32", "--height", "32", "--threads", "1")).Code);
        Assert.Equal(0, (await Run("synth", "--out", b, "--width", "32", "--height", "32")).Code);

        Assert.Equal(File.ReadAllBytes(Path.Combine(a, "stack.npy")), File.ReadAllBytes(Path.Combine(b, "stack.npy")));
    }
}
