using StxmPhase.Cli;
using StxmPhase.TestUtilities;

namespace StxmPhase.Cli.Tests;

/// <summary>
/// Golden-file tests: <c>summary.json</c> of small, seeded CLI runs against the files in
/// <c>tests/TestData/golden/summary/</c>, so that any change of what the workflow computes or of the summary's shape
/// is a failing test and, once intended, a reviewed diff. Timings, dates, versions, memory and absolute paths are left
/// out of the comparison. Regenerate after an intended change with
/// <c>STXMPHASE_UPDATE_GOLDEN=1 dotnet test tests/StxmPhase.Cli.Tests -c Release --filter GoldenSummary</c>
/// (see <see cref="GoldenFile"/>) and commit the diff.
/// </summary>
public sealed class GoldenSummaryTests : IDisposable
{
    /// <summary>What legitimately differs between two runs of the same command.</summary>
    private static readonly string[] s_volatile =
        ["source", "timings_s", "peak_memory_mb_before_figures", "versions", "created_utc", "provenance", "execution"];

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "stxmphase-golden-" + Guid.NewGuid().ToString("N")[..8]);

    public GoldenSummaryTests() => Directory.CreateDirectory(_dir);

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    public static TheoryData<string> MapCases => new(s_mapCases.Keys);

    /// <summary>Map options of each golden case (beside the synthetic stack of <see cref="Synth"/>).</summary>
    private static readonly Dictionary<string, string[]> s_mapCases = new()
    {
        ["map-pca-mahalanobis"] = ["--quantity", "transmission", "--encoder", "pca"],
        ["map-pca-euclidean-fp-spatial"] =
            ["--quantity", "transmission", "--encoder", "pca", "--strategy", "euclidean", "--resolve", "ambiguous+fp", "--spatial-prior", "0.5"],
        ["map-pca-knn-threshold"] = ["--quantity", "transmission", "--encoder", "pca", "--strategy", "knn", "--ambiguity-threshold", "0.02"],
        ["map-lcf"] = ["--quantity", "transmission", "--method", "lcf"],
        ["map-nmf"] = ["--quantity", "transmission", "--method", "nmf"],
    };

    [Theory]
    [MemberData(nameof(MapCases))]
    public async Task GoldenSummary_MapOfSeededSyntheticStack_MatchesGoldenFile(string name)
    {
        string data = await Synth();
        string outDir = Path.Combine(_dir, "out");
        var (code, _, err) = await CliRunner.Run(["map", "--stack", Path.Combine(data, "stack.npy"), "--energies", Path.Combine(data, "energies.csv"),
            "--references", Path.Combine(data, "references.csv"), "--no-figures", "--out", outDir, .. s_mapCases[name]]);
        Assert.True(code == 0, err);

        // Managed code throughout (Pearson, PCA, assigners, NNLS, NMF): the same numbers on every machine.
        GoldenFile.AssertJson(GoldenFile.PathOf("summary", name + ".json"), File.ReadAllText(Path.Combine(outDir, "stack", "summary.json")),
            relative: 1e-9, absolute: 1e-12, s_volatile);
    }

    [Fact]
    public async Task GoldenSummary_DemoWithPca_MatchesGoldenFileIncludingEvaluation()
    {
        string outDir = Path.Combine(_dir, "demo");
        var (code, _, err) = await CliRunner.Run("demo", "--out", outDir, "--size", "48", "--dose", "300", "--encoder", "pca", "--no-figures");
        Assert.True(code == 0, err);
        GoldenFile.AssertJson(GoldenFile.PathOf("summary", "demo-pca.json"), File.ReadAllText(Path.Combine(outDir, "demo", "summary.json")),
            relative: 1e-9, absolute: 1e-12, s_volatile);
    }

    [Fact]
    public async Task GoldenSummary_DemoWithGmvae_MatchesGoldenFileUpToTheTrainedEncoder()
    {
        string outDir = Path.Combine(_dir, "demo");
        var (code, _, err) = await CliRunner.Run(
            "demo", "--out", outDir, "--size", "48", "--dose", "300", "--epochs", "3", "--max-training-spectra", "1500", "--no-figures");
        Assert.True(code == 0, err);

        // libtorch's reduction order depends on its thread count and CPU kernels, so what follows from the trained
        // encoder (final fractions and accuracy, relabelled pixels, losses) differs in more than the last bits between
        // machines; everything before training, the summary's shape and the options are compared exactly.
        string[] trained = ["fractions_after", "changed", "latent_false_positives", "final_train_mse", "test_loss",
            "final_accuracy", "final_macro_f1", "final_accuracy_ambiguous", "final_fraction_error_points"];
        GoldenFile.AssertJson(GoldenFile.PathOf("summary", "demo-gmvae.json"), File.ReadAllText(Path.Combine(outDir, "demo", "summary.json")),
            relative: 1e-9, absolute: 1e-12, [.. s_volatile, .. trained]);
    }

    [Fact]
    public async Task GoldenFile_ChangedNumberOrMissingProperty_FailsNamingThePath()
    {
        if (GoldenFile.UpdateRequested)
        {
            return; // The checks write instead of comparing while regenerating.
        }

        string golden = GoldenFile.PathOf("summary", "map-lcf.json");
        string text = await File.ReadAllTextAsync(golden);
        using var doc = System.Text.Json.JsonDocument.Parse(text);
        var node = System.Text.Json.Nodes.JsonNode.Parse(text)!;
        node["fractions"]![doc.RootElement.GetProperty("fractions").EnumerateObject().First().Name] = 0.5;
        var changed = Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => GoldenFile.AssertJson(golden, node.ToJsonString(), 1e-9, 1e-12));
        Assert.Contains("$.fractions.", changed.Message, StringComparison.Ordinal);

        node = System.Text.Json.Nodes.JsonNode.Parse(text)!;
        node.AsObject().Remove("labelled");
        var missing = Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => GoldenFile.AssertJson(golden, node.ToJsonString(), 1e-9, 1e-12));
        Assert.Contains("labelled", missing.Message, StringComparison.Ordinal);

        GoldenFile.AssertJson(golden, text, 1e-9, 1e-12);
    }

    private async Task<string> Synth()
    {
        string dir = Path.Combine(_dir, "synth");
        var (code, _, err) = await CliRunner.Run(
            "synth", "--out", dir, "--width", "48", "--height", "48", "--seed", "3", "--dose", "300", "--quantity", "transmission");
        Assert.True(code == 0, err);
        return dir;
    }
}
