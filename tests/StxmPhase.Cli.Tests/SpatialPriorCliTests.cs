namespace StxmPhase.Cli.Tests;

/// <summary><c>--spatial-prior</c>: a weight on a log-prior in nats, bounded where it stops being a prior.</summary>
public sealed class SpatialPriorCliTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "stxmphase-spatial-" + Guid.NewGuid().ToString("N")[..8]);

    public SpatialPriorCliTests() => Directory.CreateDirectory(_dir);

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    [Theory]
    [InlineData("10", 0)]
    [InlineData("10.5", 2)]
    [InlineData("1000", 2)]
    public async Task Map_SpatialPrior_AcceptedUpTo10(string weight, int exit)
    {
        string data = Path.Combine(_dir, "d");
        Assert.Equal(0, (await CliRunner.Run("synth", "--out", data, "--width", "24", "--height", "24", "--seed", "1")).Code);

        var (code, _, err) = await CliRunner.Run("map", "--stack", Path.Combine(data, "stack.npy"), "--references",
            Path.Combine(data, "references.csv"), "--encoder", "pca", "--no-figures", "-q", "--out", Path.Combine(_dir, "o"),
            "--spatial-prior", weight);

        Assert.True(code == exit, err);
        if (exit != 0)
        {
            Assert.Contains("--spatial-prior", err, StringComparison.Ordinal);
            Assert.Contains(weight, err, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task MapHelp_SpatialPrior_SaysWhatItScales()
    {
        var (code, stdout, _) = await CliRunner.Run("map", "--help");

        Assert.Equal(0, code);
        Assert.Contains("latent cost (nats)", stdout.ReplaceLineEndings(" "), StringComparison.Ordinal);
        Assert.Contains("in [0, 10]", stdout.ReplaceLineEndings(" "), StringComparison.Ordinal);
    }
}
