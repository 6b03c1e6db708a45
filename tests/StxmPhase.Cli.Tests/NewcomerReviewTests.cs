using System.Text.Json;

namespace StxmPhase.Cli.Tests;

/// <summary>
/// What a newcomer's end-to-end review of the tool found in its console output and summary files (the crashes and ignored
/// options it found are cases of <see cref="HostileInputTests"/>): warnings that were missing, reasons printed as enum names,
/// notes printed twice, and baseline summaries without the run record every other summary.json has.
/// </summary>
public sealed class NewcomerReviewTests : IClassFixture<HostileCorpus>
{
    private readonly HostileCorpus _c;

    public NewcomerReviewTests(HostileCorpus corpus) => _c = corpus;

    [Fact]
    public async Task Map_TransmissionReadAsOpticalDensity_WarnsThatMostPixelsAreSaturated()
    {
        var (code, stdout, err) = await Run("map", "--stack", _c.PathOf("transmission.npy"), "--energies", _c.PathOf("energies.csv"),
            "--references", _c.PathOf("references.csv"), "--quantity", "od", "--mask", "none", "--encoder", "pca", "--no-figures",
            "--out", _c.NewOut());

        Assert.True(code == 0, err);
        Assert.Contains("warning", err, StringComparison.Ordinal);
        Assert.Contains("--max-od 2.5", err, StringComparison.Ordinal);
        Assert.Contains("--quantity", err, StringComparison.Ordinal);
        Assert.Contains("saturated", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Map_ThreeEnergies_SaysWhyNoEnergyOffsetWasEstimated()
    {
        var (code, stdout, err) = await Run("map", "--stack", _c.PathOf("three-energy.npy"), "--energies", _c.PathOf("three-energy.csv"),
            "--references", _c.PathOf("references.csv"), "--encoder", "pca", "--no-figures", "--out", _c.NewOut());

        Assert.True(code == 0, err);
        Assert.Contains("energy offset: 3 energies are too few to estimate", stdout, StringComparison.Ordinal);
        Assert.Contains("if known (--energy-offset VALUE).", stdout, StringComparison.Ordinal); // it said only "give it as fixed"
    }

    [Fact]
    public async Task Map_OffsetEstimateNotApplied_SaysWhyInWords()
    {
        var (code, stdout, err) = await Run("map", "--stack", _c.PathOf("od.npy"), "--energies", _c.PathOf("energies.csv"),
            "--references", _c.PathOf("references.csv"), "--encoder", "pca", "--no-figures", "--out", _c.NewOut());

        Assert.True(code == 0, err);
        string line = stdout.Split('\n').Single(l => l.Contains("energy offset:", StringComparison.Ordinal));
        Assert.DoesNotContain("Estimated:", line, StringComparison.Ordinal); // an enum name, not a reason
        Assert.DoesNotContain("not reliable or not significant", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("lcf")]
    [InlineData("nmf")]
    public async Task Map_Baseline_SummaryRecordsSourceEnergiesPhasesAndProvenance(string method)
    {
        string outDir = _c.NewOut();
        var (code, _, err) = await Run("map", "--stack", _c.PathOf("od.npy"), "--energies", _c.PathOf("energies.csv"),
            "--references", _c.PathOf("references.csv"), "--method", method, "--no-figures", "--out", outDir);

        Assert.True(code == 0, err);
        using JsonDocument summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "od", "summary.json")));
        JsonElement root = summary.RootElement;
        Assert.Equal(Path.GetFullPath(_c.PathOf("od.npy")), Path.GetFullPath(root.GetProperty("source").GetString()!));
        Assert.Equal(_c.Energies.Length, root.GetProperty("energies_eV").GetArrayLength());
        Assert.Equal(5, root.GetProperty("phases").GetArrayLength());
        Assert.Equal(64, root.GetProperty("provenance").GetProperty("input_sha256").GetString()!.Length);
        Assert.True(root.TryGetProperty("versions", out _));
        Assert.True(root.TryGetProperty("created_utc", out _));
    }

    [Fact]
    public async Task Map_SummaryJson_KeepsNonAsciiTextReadable()
    {
        string outDir = _c.NewOut();
        var (code, _, err) = await Run("map", "--stack", _c.PathOf("od.npy"), "--energies", _c.PathOf("energies.csv"),
            "--references", _c.PathOf("references.csv"), "--encoder", "pca", "--no-figures", "--out", outDir);

        Assert.True(code == 0, err);
        string text = File.ReadAllText(Path.Combine(outDir, "od", "summary.json"));
        Assert.Contains("±", text, StringComparison.Ordinal); // the energy-offset message, as the console prints it
        Assert.DoesNotContain("\\u00B1", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("demo", "noise-model posteriors and Potts MRF")] // it said "PCC → GMVAE → Mahalanobis", the paper's pipeline
    [InlineData("evaluate", "--doses 150 400 1500")] // "[default: 150|400|1500]" alone did not say how to give several
    [InlineData("map", "with --paper the paper's D²")] // "mahalanobis (paper)", though the default is the Gaussian log-likelihood
    public async Task Help_SaysWhatTheCommandDoesAndHowToGiveItsValues(string command, string expected)
    {
        var (code, stdout, _) = await Run(command, "--help");

        Assert.Equal(0, code);
        Assert.Contains(expected, stdout.ReplaceLineEndings(" "), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Batch_ManifestPathThatDoesNotExist_SaysRelativePathsFollowTheManifestsFolder()
    {
        // A user who writes paths relative to the shell's folder, not the manifest's, gets ROOT/bt/bt/… in the error.
        string manifest = _c.PathOf("wrong-relative.csv");
        await File.WriteAllLinesAsync(manifest, ["path,name", "data/od.npy,od"]);
        string outDir = _c.NewOut();

        var (code, _, err) = await Run("batch", "--manifest", manifest, "--references", _c.PathOf("references.csv"), "--out", outDir);

        Assert.Equal(ExitCodes.InvalidInput, code); // batch trains on every stack first
        Assert.Contains("(manifest entry 0, 'od') does not exist", err, StringComparison.Ordinal);
        Assert.Contains("resolved against the manifest's folder", err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ParseError_NamesTheCommandsHelpAndTheExpectedValueInWords()
    {
        var (code, _, err) = await Run("map", "--seed", "abc");

        Assert.Equal(ExitCodes.InvalidArguments, code);
        Assert.Contains("'abc' for option '--seed' as a whole number", err, StringComparison.Ordinal); // not 'System.Int32'
        Assert.Contains("Run 'stxmphase map --help' for usage.", err, StringComparison.Ordinal);
    }

    private static Task<(int Code, string Out, string Err)> Run(params string[] args) => CliRunner.Run(args);
}
