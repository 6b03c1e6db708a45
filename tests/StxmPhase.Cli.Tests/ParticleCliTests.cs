using System.Globalization;
using System.Text.Json;
using StxmPhase.Cli;
using StxmPhase.Synthetic;

namespace StxmPhase.Cli.Tests;

public sealed class ParticleCliTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "stxmphase-particles-" + Guid.NewGuid().ToString("N")[..8]);

    public ParticleCliTests() => Directory.CreateDirectory(_dir);

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    private static Task<(int Code, string Out, string Err)> Run(params string[] args) => CliRunner.Run(args);

    [Fact]
    public async Task Map_SeparatedSyntheticParticles_WritesParticlesCsvSummaryAndFigureWithExactCount()
    {
        string data = Path.Combine(_dir, "synth");
        Assert.Equal(0, (await Run("synth", "--out", data, "--width", "96", "--height", "96", "--seed", "5", "--dose", "2000",
            "--quantity", "od")).Code);
        int truthCount = SyntheticStackGenerator.Generate(new SyntheticStackOptions { Width = 96, Height = 96, Seed = 5, Dose = 2000 }).ParticleCount;
        string outDir = Path.Combine(_dir, "out");

        var (code, _, err) = await Run("map", "--stack", Path.Combine(data, "stack.npy"), "--energies", Path.Combine(data, "energies.csv"),
            "--references", Path.Combine(data, "references.csv"), "--encoder", "pca", "--min-particle-pixels", "20", "--out", outDir);

        Assert.True(code == 0, err);
        string folder = Path.Combine(outDir, "stack");
        Assert.True(File.Exists(Path.Combine(folder, "particles.png")));
        string[] lines = File.ReadAllLines(Path.Combine(folder, "particles.csv"));
        string[] header = lines[0].Split(',');
        Assert.Equal(["particle", "pixels", "centroid_x", "centroid_y", "fraction_Na3.0"], header[..5]);
        Assert.Contains("mass_fraction_Na1.0", header);
        Assert.Equal("unassigned", header[^1]);
        Assert.Equal(truthCount, lines.Length - 1);
        foreach (string line in lines[1..])
        {
            double[] v = [.. line.Split(',').Select(x => double.Parse(x, CultureInfo.InvariantCulture))];
            double pixelFractions = v[4..9].Sum() + v[^1];
            Assert.Equal(1.0, pixelFractions, 6);
            Assert.True(v[1] >= 20);
        }

        using JsonDocument summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "summary.json")));
        JsonElement particles = summary.RootElement.GetProperty("particles");
        Assert.Equal(truthCount, particles.GetProperty("count").GetInt32());
        Assert.Equal(20, particles.GetProperty("min_pixels").GetInt32());
        Assert.Equal(truthCount, particles.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task Map_ReferenceValues_WritesCompositionArraysAndParticleComposition()
    {
        string data = Path.Combine(_dir, "synth");
        Assert.Equal(0, (await Run("synth", "--out", data, "--width", "48", "--height", "48", "--seed", "2", "--dose", "2000",
            "--quantity", "od")).Code);
        string outDir = Path.Combine(_dir, "out");
        string[] args = ["map", "--stack", Path.Combine(data, "stack.npy"), "--energies", Path.Combine(data, "energies.csv"),
            "--references", Path.Combine(data, "references.csv"), "--encoder", "pca", "--out", outDir, "--reference-values"];

        var (code, _, err) = await Run([.. args, "3.0,2.4,2.0,1.0,0.8"]);

        Assert.True(code == 0, err);
        string folder = Path.Combine(outDir, "stack");
        IO.NpyArray x = IO.NpyFile.Read(Path.Combine(folder, "composition.npy"));
        IO.NpyArray sd = IO.NpyFile.Read(Path.Combine(folder, "composition-sd.npy"));
        Assert.Equal(new[] { 48, 48 }, x.Shape);
        Assert.Equal(new[] { 48, 48 }, sd.Shape);
        Assert.True(File.Exists(Path.Combine(folder, "composition.png")));
        Assert.Contains("composition_mean,composition_sd", File.ReadAllLines(Path.Combine(folder, "particles.csv"))[0], StringComparison.Ordinal);

        var bad = await Run([.. args, "3.0,2.4,2.0", "--overwrite"]);
        Assert.Equal(ExitCodes.InvalidArguments, bad.Code);
        Assert.Contains("--reference-values", bad.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Map_NegativeSplitDistance_IsInvalidArguments()
    {
        var (code, _, err) = await Run("map", "--stack", "x.npy", "--references", "r.csv", "--split-particles", "-1");

        Assert.Equal(ExitCodes.InvalidArguments, code);
        Assert.Contains("--split-particles", err, StringComparison.Ordinal);
    }
}
