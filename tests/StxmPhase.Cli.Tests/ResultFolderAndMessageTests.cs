using System.Globalization;
using StxmPhase.IO;
using StxmPhase.TestUtilities;

namespace StxmPhase.Cli.Tests;

/// <summary>
/// Small user-facing defects left by earlier sessions: with <c>--overwrite</c>, files of an earlier run that the new run does not
/// write (composition, posteriors) survived into the new result folder as the user's own; messages about missing SDF frames
/// listed every file name.
/// </summary>
public sealed class ResultFolderAndMessageTests : IClassFixture<HostileCorpus>
{
    private readonly HostileCorpus _c;

    public ResultFolderAndMessageTests(HostileCorpus corpus) => _c = corpus;

    private string[] MapArgs(string outDir, params string[] extra) =>
        ["map", "--stack", _c.PathOf("od.npy"), "--energies", _c.PathOf("energies.csv"), "--references", _c.PathOf("references.csv"),
         "--strategy", "none", "--threads", "1", "-q", "--out", outDir, .. extra];

    [Fact]
    public async Task Map_OverwriteByARunWithFewerOutputs_LeavesNoFileOfTheEarlierRunButKeepsTheUsersOwn()
    {
        string outDir = _c.NewOut();
        var (code, _, err) = await CliRunner.Run(MapArgs(outDir, "--reference-values", "3,2.4,2,1,0.8"));
        Assert.True(code == 0, err);
        string folder = Path.Combine(outDir, "od");
        string[] first = [.. Directory.EnumerateFiles(folder).Select(Path.GetFileName).OfType<string>()];
        Assert.Contains("composition.npy", first);
        Assert.Contains("posterior.npy", first);
        File.WriteAllText(Path.Combine(folder, "my-notes.txt"), "mine");

        // The paper's pipeline computes no posteriors; no --reference-values, no figures: fewer files than the first run.
        (code, _, err) = await CliRunner.Run(MapArgs(outDir, "--paper", "--no-figures", "--overwrite"));
        Assert.True(code == 0, err);

        string[] second = [.. Directory.EnumerateFiles(folder).Select(Path.GetFileName).OfType<string>()];
        foreach (string stale in new[] { "composition.npy", "composition-sd.npy", "composition.png", "posterior.npy", "phase-map.png" })
        {
            Assert.DoesNotContain(stale, second);
        }

        Assert.Contains("phase-map.npy", second);
        Assert.Equal("mine", File.ReadAllText(Path.Combine(folder, "my-notes.txt")));
    }

    [Fact]
    public async Task Map_EveryFileOfAResultFolderWithEveryOutput_IsAKnownFile()
    {
        // The guard against the list drifting again: a run with figures, particles, composition and posteriors.
        string outDir = _c.NewOut();
        var (code, _, err) = await CliRunner.Run(MapArgs(outDir, "--reference-values", "3,2.4,2,1,0.8"));
        Assert.True(code == 0, err);

        foreach (string file in Directory.EnumerateFiles(Path.Combine(outDir, "od")).Select(Path.GetFileName).OfType<string>())
        {
            Assert.Contains(file, OutputFolders.KnownFiles);
        }
    }

    [Fact]
    public async Task Map_SdfStackMissingSeveralFrames_NamesTheFirstAndLastAndTheCount()
    {
        // The corpus stack lacks its last frame; a copy with only its first 7 frames lacks 6 (a007 … a012).
        string dir = Path.Combine(_c.Root, "sdf-short-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        string source = Path.GetDirectoryName(_c.SdfHeader)!;
        File.Copy(_c.SdfHeader, Path.Combine(dir, Path.GetFileName(_c.SdfHeader)));
        for (int f = 0; f < 7; f++)
        {
            string frame = string.Create(CultureInfo.InvariantCulture, $"scan_a{f:000}.xim");
            File.Copy(Path.Combine(source, frame), Path.Combine(dir, frame));
        }

        string header = Path.Combine(dir, Path.GetFileName(_c.SdfHeader));
        string[] map = ["map", "--stack", header, "--references", _c.PathOf("references.csv"), "--quantity", "transmission",
            "--encoder", "pca", "--no-figures", "--threads", "1"];

        var (code, _, err) = await CliRunner.Run([.. map, "--out", _c.NewOut()]);
        Assert.Equal(ExitCodes.InvalidInput, code);
        Assert.Contains("the frame files scan_a007.xim … scan_a012.xim (6 files) listed in the header are missing", err,
            StringComparison.Ordinal);
        Assert.DoesNotContain("scan_a009.xim", err, StringComparison.Ordinal);

        (code, _, err) = await CliRunner.Run([.. map, "--allow-partial-stack", "--out", _c.NewOut()]);
        Assert.True(code == 0, err);
        Assert.Contains("frame files scan_a007.xim … scan_a012.xim (6 files) are missing; mapping the 7 energies present", err,
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task Map_MaskWithNegativeValues_WarnsThatTheyCountAsSample()
    {
        // A phase map given as --mask (truth.npy: −1 = not sample) silently included every pixel.
        const int size = HostileCorpus.Size;
        int[] labels = new int[size * size];
        Array.Fill(labels, -1);
        labels.AsSpan(0, size * 4).Fill(0);
        string truth = Path.Combine(_c.Root, "truth-" + Guid.NewGuid().ToString("N")[..8] + ".npy");
        NpyFile.Write(truth, labels, size, size);

        var (code, _, err) = await CliRunner.Run(MapArgs(_c.NewOut(), "--mask", truth, "--no-figures"));

        Assert.True(code == 0, err);
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"{(size * size) - (size * 4)} pixels are negative"), err,
            StringComparison.Ordinal);
        Assert.Contains("count as included", err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Map_LaterRunWithoutLatentPaths_RemovesTheEarlierRunsLatentPathFilesFromTheOutputFolder()
    {
        // The files of the whole run (latent-paths.csv, latent-all-stacks.png, latent-path-P-Q.png) are written into --out itself;
        // a later run that writes none of them (no decoder) left the earlier run's beside its own results.
        string outDir = _c.NewOut();
        string[] gmvae = ["map", "--stack", _c.PathOf("od.npy"), "--energies", _c.PathOf("energies.csv"), "--references",
            _c.PathOf("references.csv"), "--epochs", "2", "--max-training-spectra", "300", "--threads", "1", "-q", "--out", outDir];
        var (code, _, err) = await CliRunner.Run(gmvae);
        Assert.True(code == 0, err);
        Assert.True(File.Exists(Path.Combine(outDir, "latent-paths.csv")));
        Assert.NotEmpty(Directory.GetFiles(outDir, "latent-path-*.png"));
        File.WriteAllText(Path.Combine(outDir, "my-notes.txt"), "mine");

        (code, _, err) = await CliRunner.Run(MapArgs(outDir, "--overwrite"));
        Assert.True(code == 0, err);

        Assert.False(File.Exists(Path.Combine(outDir, "latent-paths.csv")));
        Assert.Empty(Directory.GetFiles(outDir, "latent-path*.png"));
        Assert.False(File.Exists(Path.Combine(outDir, "latent-all-stacks.png"))); // --strategy none: no latent space to show
        Assert.True(File.Exists(Path.Combine(outDir, "my-notes.txt")));
    }

    [Fact]
    public async Task Info_SdfHeaderWithoutFrames_SaysWhyOnceOnStandardErrorAndAbbreviatesTheMissingFrames()
    {
        string header = RepositoryPaths.Combine("tests", "TestData", "io", "real", "xanespy", "NS_181111148.hdr");

        var (code, stdout, err) = await CliRunner.Run("info", header);

        Assert.Equal(ExitCodes.InvalidInput, code);
        Assert.Contains("none of the 46 frame files", err, StringComparison.Ordinal);
        Assert.DoesNotContain("none of the 46 frame files", stdout, StringComparison.Ordinal); // it was printed on both
        Assert.Contains("Size:       60 × 60 px, 46 energies", stdout, StringComparison.Ordinal);
        Assert.Contains("NS_181111148_a045.xim (46 in all)", stdout, StringComparison.Ordinal);
    }
}
