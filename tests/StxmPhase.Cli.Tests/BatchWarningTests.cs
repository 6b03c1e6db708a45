namespace StxmPhase.Cli.Tests;

/// <summary><c>batch --jobs N</c>: per-stack warnings reach stderr as with one job, prefixed with the stack's name.</summary>
public sealed class BatchWarningTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "stxmphase-batchwarn-" + Guid.NewGuid().ToString("N")[..8]);

    public BatchWarningTests() => Directory.CreateDirectory(_dir);

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    [Fact]
    public async Task Batch_TwoJobs_EachStacksEnergyOffsetWarningOnStderrWithItsName()
    {
        var lines = new List<string> { "path,name" };
        for (int i = 0; i < 2; i++)
        {
            string dir = Path.Combine(_dir, $"s{i}");
            var (synthCode, _, synthErr) = await CliRunner.Run("synth", "--out", dir, "--width", "96", "--height", "96", "--seed", $"{i + 2}",
                "--energy-offset", "0.25");
            Assert.True(synthCode == 0, synthErr);
            lines.Add($"s{i}/stack.npy,p{i}");
        }

        string manifest = Path.Combine(_dir, "m.csv");
        await File.WriteAllLinesAsync(manifest, lines);
        string model = Path.Combine(_dir, "model.ckpt");
        var (code, _, err) = await CliRunner.Run("train", "--manifest", manifest, "--references", Path.Combine(_dir, "s0", "references.csv"),
            "--model", model, "--strategy", "none", "-q");
        Assert.True(code == 0, err);

        string[] batch = ["batch", "--manifest", manifest, "--model", model, "--no-figures", "-q", "--threads", "2"];
        var (oneCode, _, oneErr) = await CliRunner.Run([.. batch, "--out", Path.Combine(_dir, "one"), "--jobs", "1"]);
        (code, _, err) = await CliRunner.Run([.. batch, "--out", Path.Combine(_dir, "two"), "--jobs", "2"]);

        Assert.True(oneCode == 0, oneErr);
        Assert.True(code == 0, err);
        const string Warning = "stxmphase: warning: the stack's energy scale is offset by";
        Assert.Equal(2, oneErr.Split('\n').Count(l => l.StartsWith(Warning, StringComparison.Ordinal)));
        string[] errLines = err.Split('\n');
        Assert.Single(errLines, l => l.StartsWith("[p0] " + Warning, StringComparison.Ordinal));
        Assert.Single(errLines, l => l.StartsWith("[p1] " + Warning, StringComparison.Ordinal));
    }
}
