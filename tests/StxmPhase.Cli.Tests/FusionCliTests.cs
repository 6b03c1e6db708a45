using System.Text.Json;
using StxmPhase.Cli;
using StxmPhase.IO;
using StxmPhase.Synthetic;

namespace StxmPhase.Cli.Tests;

public sealed class FusionCliTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "stxmphase-fusion-" + Guid.NewGuid().ToString("N")[..8]);

    public FusionCliTests() => Directory.CreateDirectory(_dir);

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    [Fact]
    public async Task Map_EdgeStack_FusesAndReportsTheShiftInSummary()
    {
        MultiEdgeDataset field = MultiEdgeGenerator.Generate(new MultiEdgeOptions
        {
            Edges =
            [
                new() { Width = 48, Height = 48, Seed = 4, Energies = MultiEdgeGenerator.VanadiumLEnergies, Dose = 1500 },
                new() { Width = 48, Height = 48, Seed = 4, Energies = MultiEdgeGenerator.OxygenKEnergies, Dose = 400 },
            ],
        });
        string[] names = ["vl", "ok"];
        for (int i = 0; i < 2; i++)
        {
            NpyFile.Write(Path.Combine(_dir, names[i] + ".npy"), field.Edges[i].OpticalDensity);
            EnergyAxisCsv.Write(Path.Combine(_dir, names[i] + "-energies.csv"), field.Edges[i].OpticalDensity.Energies);
        }

        ReferenceSpectraCsv.Write(Path.Combine(_dir, "references.csv"), field.Edges[0].References);
        string outDir = Path.Combine(_dir, "out");

        var (code, stdout, err) = await CliRunner.Run([
            "map", "--stack", Path.Combine(_dir, "vl.npy"), "--energies", Path.Combine(_dir, "vl-energies.csv"),
            "--edge", Path.Combine(_dir, "ok.npy"), "--edge-energies", Path.Combine(_dir, "ok-energies.csv"), "--quantity", "od",
            "--references", Path.Combine(_dir, "references.csv"), "--encoder", "pca", "--out", outDir]);

        Assert.True(code == 0, err + stdout);
        using JsonDocument summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "vl", "summary.json")));
        JsonElement blocks = summary.RootElement.GetProperty("fusion").GetProperty("blocks");
        Assert.Equal(2, blocks.GetArrayLength());
        Assert.Equal(3, blocks[1].GetProperty("energies").GetInt32());
        Assert.Equal(0, blocks[0].GetProperty("uncovered_pixels").GetInt32());
        int uncovered = blocks[1].GetProperty("uncovered_pixels").GetInt32();
        Assert.Equal((3 * 48) + (2 * 48) - 6, uncovered); // x + 3.3 > 47.5: 3 columns; y − 1.6 < −0.5: 2 rows
        Assert.Equal(uncovered, summary.RootElement.GetProperty("fusion").GetProperty("incomplete_pixels").GetInt32());
        Assert.Equal(2, summary.RootElement.GetProperty("energy_offset_blocks_eV").GetArrayLength());
        Assert.InRange(blocks[1].GetProperty("shift_x").GetDouble(), 3.1, 3.5);
        Assert.InRange(blocks[1].GetProperty("shift_y").GetDouble(), -1.8, -1.4);
        Assert.Equal(1.0, blocks[0].GetProperty("weight").GetDouble() + blocks[1].GetProperty("weight").GetDouble(), 4);
    }

    [Fact]
    public async Task Map_FusedModelSavedThenLoaded_ReproducesTheInProcessMap()
    {
        MultiEdgeDataset field = MultiEdgeGenerator.Generate(new MultiEdgeOptions
        {
            Edges =
            [
                new() { Width = 32, Height = 32, Seed = 5, Energies = MultiEdgeGenerator.VanadiumLEnergies, Dose = 1500 },
                new() { Width = 32, Height = 32, Seed = 5, Energies = MultiEdgeGenerator.OxygenKEnergies, Dose = 400 },
            ],
        });
        string[] names = ["vl", "ok"];
        for (int i = 0; i < 2; i++)
        {
            NpyFile.Write(Path.Combine(_dir, names[i] + ".npy"), field.Edges[i].OpticalDensity);
            EnergyAxisCsv.Write(Path.Combine(_dir, names[i] + "-energies.csv"), field.Edges[i].OpticalDensity.Energies);
        }

        ReferenceSpectraCsv.Write(Path.Combine(_dir, "references.csv"), field.Edges[0].References);
        string model = Path.Combine(_dir, "fused.ckpt");
        string[] common = [
            "map", "--stack", Path.Combine(_dir, "vl.npy"), "--energies", Path.Combine(_dir, "vl-energies.csv"),
            "--edge", Path.Combine(_dir, "ok.npy"), "--edge-energies", Path.Combine(_dir, "ok-energies.csv"), "--quantity", "od",
            "--references", Path.Combine(_dir, "references.csv"), "--block-weights", "0.7,0.3", "--no-figures"];

        var (trained, stdout, err) = await CliRunner.Run([.. common, "--epochs", "2", "--max-training-spectra", "600", "--seed", "2",
            "--save-model", model, "--out", Path.Combine(_dir, "a")]);
        Assert.True(trained == 0, err + stdout);
        var (loaded, stdout2, err2) = await CliRunner.Run([.. common, "--model", model, "--seed", "2", "--out", Path.Combine(_dir, "b")]);
        Assert.True(loaded == 0, err2 + stdout2);

        using (Gmvae.GmvaeModel gmvae = Gmvae.GmvaeModel.Load(model))
        {
            Assert.Equal([10, 3], gmvae.BlockNormalization!.Blocks.Counts);
            Assert.Equal(0.7, gmvae.BlockNormalization.Blocks.Weights[0], 12);
        }

        foreach (string file in new[] { "phase-map.npy", "latent.npy" })
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(_dir, "a", "vl", file)), File.ReadAllBytes(Path.Combine(_dir, "b", "vl", file)));
        }
    }

    [Fact]
    public async Task Evaluate_SyntheticComposition_PrintsRmseCoverageAndDefinedFraction()
    {
        var (code, stdout, err) = await CliRunner.Run(["evaluate", "--synthetic", "--composition", "--doses", "2000", "--size", "48",
            "--seed", "3", "--seeds", "1"]);

        Assert.True(code == 0, err);
        string row = stdout.Split('\n').Single(l => l.StartsWith("| 2000 | 3 |", StringComparison.Ordinal));
        double rmse = double.Parse(row.Split('|')[3], System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(rmse, 0.01, 0.12);
        Assert.EndsWith("100.0 % |", row.TrimEnd(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--block-weights", "1,2")]
    [InlineData("--edge-energies", "a.csv")]
    public async Task Map_EdgeOptionsUnpaired_ExitsWithInvalidArguments(string option, string value)
    {
        var (code, _, err) = await CliRunner.Run(["map", "--stack", "x.npy", "--edge", "y.npy", "--edge", "z.npy", option, value,
            "--references", "r.csv", "--out", Path.Combine(_dir, "o")]);

        Assert.Equal(ExitCodes.InvalidArguments, code);
        Assert.Contains(option, err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Evaluate_FusionOneField_PrintsEveryStageAndThePairedInterval()
    {
        var (code, stdout, err) = await CliRunner.Run(["evaluate", "--synthetic", "--fusion", "--edge-doses", "300", "20000",
            "--calibration-errors", "off", "--size", "40", "--seed", "2", "--seeds", "2"]);

        Assert.True(code == 0, err);
        Assert.Single(stdout.Split('\n'), l => l.StartsWith("### ", StringComparison.Ordinal));
        Assert.Contains("### V L dose 300, O K dose 20000, no calibration offsets; 40² px, seeds 2–3", stdout, StringComparison.Ordinal);
        Assert.Contains("Pipeline: default, encoder pca, strategy mahalanobis, MRF on, block weights from each block's noise.", stdout,
            StringComparison.Ordinal);
        Assert.Contains("| input | PCC map | posterior labels (no MRF) | final map | final map, interior | final map, boundary |", stdout,
            StringComparison.Ordinal);
        foreach (string stage in new[] { "PCC map", "posterior labels (no MRF)", "final map", "final map, interior", "final map, boundary" })
        {
            string row = stdout.Split('\n').Single(l => l.StartsWith($"| {stage} | 505", StringComparison.Ordinal));
            Assert.Contains(" … ", row, StringComparison.Ordinal); // two seeds: a t-interval
        }
    }

    [Fact]
    public async Task Evaluate_FusionWithModelOptions_HonoursPaperAndMrf()
    {
        string[] common = ["evaluate", "--synthetic", "--fusion", "--edge-doses", "300", "400", "--size", "40", "--seed", "3", "--seeds", "1"];

        var (paper, paperOut, err) = await CliRunner.Run([.. common, "--paper"]);
        var (on, onOut, err2) = await CliRunner.Run(common);
        var (off, offOut, err3) = await CliRunner.Run([.. common, "--mrf", "off"]);

        Assert.True(paper == 0 && on == 0 && off == 0, err + err2 + err3);
        Assert.Contains("Pipeline: paper (--paper), encoder pca, strategy mahalanobis, MRF off,", paperOut, StringComparison.Ordinal);
        Assert.Contains("| posterior labels (no MRF) | — |", paperOut, StringComparison.Ordinal); // the paper computes no posteriors
        Assert.Contains("MRF off,", offOut, StringComparison.Ordinal);
        Assert.NotEqual(FusedRow(onOut), FusedRow(offOut)); // the MRF reaches the workflow: the final map changes
        Assert.Equal(FusedRow(onOut).Split('|')[2], FusedRow(offOut).Split('|')[2]); // the PCC map does not
    }

    [Theory]
    [InlineData("--method", "lcf")]
    [InlineData("--model", "x.ckpt")]
    [InlineData("--background", "linear")]
    [InlineData("--edge-doses", "1500")]
    public async Task Evaluate_FusionWithAnOptionItCannotHonour_ExitsWithInvalidArguments(string option, string value)
    {
        var (code, _, err) = await CliRunner.Run(["evaluate", "--synthetic", "--fusion", "--size", "16", "--seeds", "1", option, value]);

        Assert.Equal(ExitCodes.InvalidArguments, code);
        Assert.Contains(option, err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Evaluate_FusionBlockWeights_AreTheFusionsWeights()
    {
        var (code, stdout, err) = await CliRunner.Run(["evaluate", "--synthetic", "--fusion", "--edge-doses", "1500", "400", "--size", "32",
            "--seeds", "1", "--block-weights", "0.9,0.1"]);
        var (bad, _, err2) = await CliRunner.Run(["evaluate", "--synthetic", "--fusion", "--size", "32", "--seeds", "1",
            "--block-weights", "1,2,3"]);

        Assert.True(code == 0, err);
        Assert.Contains("block weights 0.9,0.1.", stdout, StringComparison.Ordinal);
        Assert.Contains("Block weights 0.90:0.10;", stdout, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.InvalidArguments, bad);
        Assert.Contains("--block-weights has 3 values; expected 2", err2, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Evaluate_EdgeDosesWithoutFusion_ExitsWithInvalidArguments()
    {
        var (code, _, err) = await CliRunner.Run(["evaluate", "--synthetic", "--edge-doses", "1500", "400", "--size", "16"]);

        Assert.Equal(ExitCodes.InvalidArguments, code);
        Assert.Contains("--fusion", err, StringComparison.Ordinal);
    }

    private static string FusedRow(string stdout) =>
        stdout.Split('\n').Single(l => l.StartsWith("| weighted fusion (blocks) |", StringComparison.Ordinal));
}
