namespace StxmPhase.Cli.Tests;

/// <summary><c>collect ROOT</c> without a manifest: which folders are stacks.</summary>
public sealed class CollectCliTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "stxmphase-collect-" + Guid.NewGuid().ToString("N")[..8]);

    public CollectCliTests() => Directory.CreateDirectory(_dir);

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    [Fact]
    public async Task Collect_NoManifest_OtherFoldersIgnoredWithANote_StagingFolderIsAMissingStack()
    {
        var lines = new List<string> { "path,name" };
        for (int i = 0; i < 2; i++)
        {
            Assert.Equal(0, (await CliRunner.Run("synth", "--out", Path.Combine(_dir, $"s{i}"), "--width", "32", "--height", "32",
                "--seed", $"{i + 1}")).Code);
            lines.Add($"s{i}/stack.npy,p{i}");
        }

        string manifest = Path.Combine(_dir, "m.csv");
        await File.WriteAllLinesAsync(manifest, lines);
        string root = Path.Combine(_dir, "results");
        var (code, _, err) = await CliRunner.Run("batch", "--manifest", manifest, "--references", Path.Combine(_dir, "s0", "references.csv"),
            "--strategy", "none", "--out", root, "--no-figures", "-q", "--threads", "1");
        Assert.True(code == 0, err);

        // A user's own folders beside the stacks: not stacks.
        Directory.CreateDirectory(Path.Combine(root, "notes"));
        await File.WriteAllTextAsync(Path.Combine(root, "notes", "todo.txt"), "look at p1");
        Directory.CreateDirectory(Path.Combine(root, "figures-for-paper"));
        string stdout;
        (code, stdout, err) = await CliRunner.Run("collect", root);

        Assert.True(code == 0, err + stdout);
        string[] csv = File.ReadAllLines(Path.Combine(root, "summary.csv"));
        Assert.Equal(["p0,ok,", "p1,ok,"], csv[1..].Select(l => l[..6]));
        Assert.Contains("ignoring the folder", err, StringComparison.Ordinal);
        Assert.Contains("notes", err, StringComparison.Ordinal);
        Assert.Contains("figures-for-paper", err, StringComparison.Ordinal);

        // A staging folder of this tool (a stack being mapped, or killed while it was) is that stack, missing.
        Directory.CreateDirectory(Path.Combine(root, ".staging-p2-4242"));
        (code, _, _) = await CliRunner.Run("collect", root);
        Assert.Equal(ExitCodes.SomeStacksFailed, code);
        csv = File.ReadAllLines(Path.Combine(root, "summary.csv"));
        Assert.Equal(4, csv.Length);
        Assert.StartsWith("p2,missing,", csv[3], StringComparison.Ordinal);
    }
}
