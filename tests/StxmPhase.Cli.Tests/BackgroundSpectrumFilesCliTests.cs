using System.Globalization;
using System.Text.Json;
using StxmPhase.IO;
using StxmPhase.TestUtilities;

namespace StxmPhase.Cli.Tests;

/// <summary>
/// <c>--background-spectrum</c> takes what <c>--references</c> takes: a CSV table, spectrum text files comma-separated (one
/// component each), and also one spectrum file alone. A C K-edge stack of two phases under a carbon layer whose spectrum is the
/// real example C K spectrum of RyansSTXMScripts: the real text files give the same maps as the same spectra as a CSV table,
/// and a beamtime model stores text-file spectra by value.
/// </summary>
public sealed class BackgroundSpectrumFilesCliTests : IDisposable
{
    private const int Size = 16;
    private static readonly double[] s_energies =
        [283, 284, 284.8, 285.2, 285.6, 286.4, 287.2, 288, 288.4, 288.8, 289.6, 290.6, 292, 295, 300, 305];

    private readonly string _root = Path.Combine(Path.GetTempPath(), "stxmphase-bgfiles-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly string _hopg = RepositoryPaths.Combine("tests", "TestData", "io", "real", "RyansSTXMScripts", "HOPG.txt");
    private readonly string _layer =
        RepositoryPaths.Combine("tests", "TestData", "io", "real", "RyansSTXMScripts", "STACKLab_1_ExampleSpectrum.txt");

    private readonly int[] _truth = new int[Size * Size];
    private int _outputs;

    public BackgroundSpectrumFilesCliTests()
    {
        Directory.CreateDirectory(_root);
        double[] layer = SpectrumColumns.Interpolate(SpectrumColumns.Read(_layer), s_energies);
        float[] od = new float[s_energies.Length * Size * Size];
        for (int y = 0; y < Size; y++)
        {
            for (int x = 0; x < Size; x++)
            {
                // Top half phase A, bottom half phase B, a 3-pixel sample-free border; on the sample a carbon layer thickening
                // from left to right; a deterministic ripple as noise.
                int i = (y * Size) + x;
                bool sample = x >= 3 && x < Size - 3 && y >= 3 && y < Size - 3;
                _truth[i] = sample ? (y < Size / 2 ? 0 : 1) : -1;
                double thickness = sample ? 0.15 * (x - 2) : 0;
                for (int e = 0; e < s_energies.Length; e++)
                {
                    double noise = 2e-4 * Math.Sin((i * 7.1) + (e * 1.3));
                    double phase = sample ? 0.5 * Phase(_truth[i], s_energies[e]) : 0;
                    od[(e * Size * Size) + i] = (float)(phase + (thickness * layer[e]) + noise + 0.01);
                }
            }
        }

        NpyFile.Write(PathOf("stack.npy"), od, s_energies.Length, Size, Size);
        File.WriteAllLines(PathOf("stack.energies.csv"), s_energies.Select(e => e.ToString("R", CultureInfo.InvariantCulture)));
        double[] grid = [.. Enumerable.Range(0, 301).Select(k => 280 + (0.1 * k))];
        File.WriteAllLines(PathOf("references.csv"), ["energy_eV,A,B", .. grid.Select(e =>
            string.Create(CultureInfo.InvariantCulture, $"{e:R},{Phase(0, e):R},{Phase(1, e):R}"))]);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task Map_OneRealSpectrumFileAlone_GivesTheSameMapsAsTheSameSpectrumAsACsvTable_AndFitsTheLayer()
    {
        (double[] E, double[] V) layer = SpectrumColumns.Read(_layer);
        File.WriteAllLines(PathOf("layer.csv"), ["energy_eV,carbon", .. layer.E.Select((e, i) =>
            string.Create(CultureInfo.InvariantCulture, $"{e:R},{layer.V[i]:R}"))]);

        string file = Out(), table = Out(), none = Out();
        var (codeFile, _, errFile) = await Run(MapArgs(file, "--background-spectrum", _layer));
        var (codeTable, _, errTable) = await Run(MapArgs(table, "--background-spectrum", PathOf("layer.csv")));
        var (codeNone, _, errNone) = await Run(MapArgs(none));

        Assert.True(codeFile == 0, errFile);
        Assert.True(codeTable == 0, errTable);
        Assert.True(codeNone == 0, errNone);
        AssertSameMaps(table, file);
        Assert.Equal("STACKLab_1_ExampleSpectrum.txt", Background(file));

        // The layer matters: without its spectrum the thick-layer pixels match no reference (−2), with it every sample pixel is right.
        Assert.Equal(1.0, Accuracy(Path.Combine(file, "stack", "phase-map.npy")));
        Assert.True(Accuracy(Path.Combine(none, "stack", "phase-map.npy")) < 0.9);
        Assert.True(Accuracy(Path.Combine(none, "stack", "phase-map.npy")) < 0.9);
    }

    [Fact]
    public async Task Map_TwoRealSpectrumFiles_GiveTheSameMapsAsOneCsvTableOfBoth()
    {
        // The oracle table: the union of both files' energies inside the range both cover, each spectrum interpolated there.
        (double[] E, double[] V) a = SpectrumColumns.Read(_hopg), b = SpectrumColumns.Read(_layer);
        double lo = Math.Max(a.E[0], b.E[0]), hi = Math.Min(a.E[^1], b.E[^1]);
        double[] grid = a.E.Concat(b.E).Where(e => e >= lo && e <= hi).Distinct().Order().ToArray();
        double[] va = SpectrumColumns.Interpolate(a, grid), vb = SpectrumColumns.Interpolate(b, grid);
        File.WriteAllLines(PathOf("both.csv"), ["energy_eV,HOPG,layer", .. grid.Select((e, i) =>
            string.Create(CultureInfo.InvariantCulture, $"{e:R},{va[i]:R},{vb[i]:R}"))]);

        string files = Out(), table = Out();
        var (codeFiles, _, errFiles) = await Run(MapArgs(files, "--background", "linear", "--background-spectrum", _hopg + "," + _layer));
        var (codeTable, _, errTable) = await Run(MapArgs(table, "--background", "linear", "--background-spectrum", PathOf("both.csv")));

        Assert.True(codeFiles == 0, errFiles);
        Assert.True(codeTable == 0, errTable);
        AssertSameMaps(table, files);
        Assert.Equal("linear+HOPG.txt,STACKLab_1_ExampleSpectrum.txt", Background(files));
    }

    [Theory]
    [InlineData("lone", "300 0.1\n301 abc\n", "line 2", "'abc'")]
    [InlineData("list", "300 0.1\n301 abc\n", "line 2", "'abc'")]
    [InlineData("lone", "# one column\n300\n301\n", "line 2", "value column 1 is missing")]
    [InlineData("list", "", "bad.txt", "at least two energies")]
    public async Task Map_MalformedBackgroundSpectrumFile_IsAnInputErrorNamingFileLineAndValue(string form, string text, string where,
        string what)
    {
        File.WriteAllText(PathOf("bad.txt"), text);

        var (code, _, err) = await Run(MapArgs(Out(), "--background-spectrum", form == "lone" ? PathOf("bad.txt") : _hopg + "," + PathOf("bad.txt")));

        Assert.Equal(ExitCodes.InvalidInput, code);
        Assert.Contains("bad.txt'", err, StringComparison.Ordinal);
        Assert.Contains(where, err, StringComparison.Ordinal);
        Assert.Contains(what, err, StringComparison.Ordinal);
        if (form == "lone")
        {
            Assert.Contains("(Read as a spectrum file: it has no table header 'energy_eV,<name>,…'.)", err, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Map_BackgroundSpectrumFileNotCoveringAStackEnergy_IsAnErrorNamingThatFile()
    {
        File.WriteAllLines(PathOf("short.txt"), ["# energy OD", "282 0.1", "290 0.3", "300 0.2"]);

        var (code, _, err) = await Run(MapArgs(Out(), "--background-spectrum", _hopg + "," + PathOf("short.txt")));

        Assert.Equal(ExitCodes.IncompatibleInputs, code);
        Assert.Contains("short.txt': stack energy 305 eV", err, StringComparison.Ordinal);
        Assert.Contains("282–300 eV", err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TrainThenBatch_BackgroundSpectrumFiles_AreStoredByValueAndMustMatchTheModel()
    {
        // Copies of the real files, so that they can be moved away after training.
        string hopg = PathOf("HOPG.txt"), layer = PathOf("layer.txt");
        File.Copy(_hopg, hopg);
        File.Copy(_layer, layer);
        string model = PathOf("model.ckpt"), manifest = PathOf("manifest.csv");
        File.WriteAllLines(manifest, ["path,name", "stack.npy,field"]);
        var (code, _, err) = await Run("train", "--manifest", manifest, "--references", PathOf("references.csv"), "--model", model,
            "--strategy", "none", "--quantity", "od", "--energy-offset", "none", "--background-spectrum", hopg + "," + layer, "-q");
        Assert.True(code == 0, err);

        string[] batch = ["batch", "--manifest", manifest, "--model", model, "--no-figures", "--threads", "1", "-q"];
        string first = Out(), second = Out();
        (code, string stdout, err) = await Run([.. batch, "--out", first]);
        Assert.True(code == 0, err);
        Assert.Contains("1 stack mapped or complete, 0 failed", stdout, StringComparison.Ordinal); // not "1 stacks"

        // The files are gone (another node, a later session): the model's stored values give the same maps.
        string away = PathOf("away");
        Directory.CreateDirectory(away);
        File.Move(hopg, Path.Combine(away, "HOPG.txt"));
        File.Move(layer, Path.Combine(away, "layer.txt"));
        (code, _, err) = await Run([.. batch, "--out", second]);
        Assert.True(code == 0, err);
        foreach (string name in new[] { "phase-map.npy", "pcc-phase-map.npy", "posterior.npy" })
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(first, "field", name)), File.ReadAllBytes(Path.Combine(second, "field", name)));
        }

        Assert.Equal(1.0, Accuracy(Path.Combine(second, "field", "phase-map.npy")));
        using (JsonDocument summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(second, "field", "summary.json"))))
        {
            Assert.Equal("HOPG.txt,layer.txt", summary.RootElement.GetProperty("options").GetProperty("background").GetString());
        }

        // Given beside the model, the same files (moved) are accepted by their hashes; the files in another order are not.
        string moved = Path.Combine(away, "HOPG.txt") + "," + Path.Combine(away, "layer.txt");
        (code, _, err) = await Run([.. batch, "--out", Out(), "--background-spectrum", moved]);
        Assert.True(code == 0, err);
        string swapped = Path.Combine(away, "layer.txt") + "," + Path.Combine(away, "HOPG.txt");
        (code, _, err) = await Run([.. batch, "--out", Out(), "--background-spectrum", swapped]);
        Assert.Equal(ExitCodes.InvalidArguments, code);
        Assert.Contains("'HOPG.txt,layer.txt'", err, StringComparison.Ordinal);
    }

    /// <summary>A smooth C K-edge phase spectrum: an edge step at 290 eV and a π* peak at 285.2 (A) or 288.4 eV (B).</summary>
    private static double Phase(int phase, double e)
    {
        double peak = phase == 0 ? 285.2 : 288.4;
        return (0.5 / (1 + Math.Exp(-(e - 290) / 0.8))) + Math.Exp(-0.5 * Math.Pow((e - peak) / 0.5, 2));
    }

    private string[] MapArgs(string outDir, params string[] extra) =>
        ["map", "--stack", PathOf("stack.npy"), "--references", PathOf("references.csv"), "--quantity", "od", "--strategy", "none",
         "--no-figures", "--energy-offset", "none", "--threads", "1", "--out", outDir, .. extra];

    private static void AssertSameMaps(string expected, string actual)
    {
        foreach (string name in new[] { "phase-map.npy", "pcc-phase-map.npy", "correlations.npy", "posterior.npy" })
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(expected, "stack", name)), File.ReadAllBytes(Path.Combine(actual, "stack", name)));
        }
    }

    private static string? Background(string outDir)
    {
        using JsonDocument summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "stack", "summary.json")));
        return summary.RootElement.GetProperty("options").GetProperty("background").GetString();
    }

    /// <summary>The fraction of the true sample pixels that the map labels with their true phase.</summary>
    private double Accuracy(string mapPath)
    {
        int[] map = NpyFile.Read(mapPath).ToInt32Array();
        int total = 0, right = 0;
        for (int i = 0; i < map.Length; i++)
        {
            if (_truth[i] >= 0)
            {
                total++;
                right += map[i] == _truth[i] ? 1 : 0;
            }
        }

        return (double)right / total;
    }

    private static Task<(int Code, string Out, string Err)> Run(params string[] args) => CliRunner.Run(args);

    private string Out() => PathOf("out-" + (++_outputs).ToString(CultureInfo.InvariantCulture));

    private string PathOf(string name) => Path.Combine(_root, name);
}
