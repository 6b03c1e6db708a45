using System.Globalization;
using System.Text.Json;
using StxmPhase.IO;
using StxmPhase.TestUtilities;

namespace StxmPhase.Cli.Tests;

/// <summary>
/// <c>--references</c> given as one spectrum text file per phase (comma-separated), as aXis2000 and MANTiS save them: the real
/// Fe(II)/Fe(III) L-edge references of RyansSTXMScripts (0.5 eV and 1 eV grids, different ranges), equal to the same spectra
/// as one CSV table, and the errors naming file, line and value.
/// </summary>
public sealed class ReferenceFilesCliTests : IDisposable
{
    private const int Size = 16;
    private static readonly double[] s_stackEnergies =
        [700, 703, 705.5, 706.7, 707.4, 708, 708.6, 709.2, 710.1, 711, 713.3, 716, 720.25, 722, 723.5, 730];

    private int _outputs;
    private readonly string _root = Path.Combine(Path.GetTempPath(), "stxmphase-reffiles-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly string _fe2 = RepositoryPaths.Combine("tests", "TestData", "io", "real", "RyansSTXMScripts", "basefreeFe2.txt");
    private readonly string _fe3 = RepositoryPaths.Combine("tests", "TestData", "io", "real", "RyansSTXMScripts", "basefreeFe3.txt");

    public ReferenceFilesCliTests()
    {
        Directory.CreateDirectory(_root);
        double[][] refs =
        [
            SpectrumColumns.Interpolate(SpectrumColumns.Read(_fe2), s_stackEnergies),
            SpectrumColumns.Interpolate(SpectrumColumns.Read(_fe3), s_stackEnergies),
        ];
        float[] od = new float[s_stackEnergies.Length * Size * Size];
        for (int y = 0; y < Size; y++)
        {
            for (int x = 0; x < Size; x++)
            {
                // Left half Fe(II), right half Fe(III), a 3-pixel sample-free border; a deterministic ripple as noise.
                bool sample = x >= 3 && x < Size - 3 && y >= 3 && y < Size - 3;
                int phase = x < Size / 2 ? 0 : 1;
                for (int e = 0; e < s_stackEnergies.Length; e++)
                {
                    double noise = 2e-4 * Math.Sin((((y * Size) + x) * 7.1) + (e * 1.3));
                    od[(e * Size * Size) + (y * Size) + x] = (float)((sample ? 300 * refs[phase][e] : 0) + noise + 0.01);
                }
            }
        }

        NpyFile.Write(PathOf("stack.npy"), od, s_stackEnergies.Length, Size, Size);
        File.WriteAllLines(PathOf("stack.energies.csv"), s_stackEnergies.Select(e => e.ToString("R", CultureInfo.InvariantCulture)));
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task Map_TwoRealSpectrumFiles_GivesTheSameMapsAsTheSameSpectraAsOneCsvTable()
    {
        // The oracle table: the union of both files' energies inside the range both cover, each spectrum interpolated there.
        (double[] E, double[] V) fe2 = SpectrumColumns.Read(_fe2), fe3 = SpectrumColumns.Read(_fe3);
        double lo = Math.Max(fe2.E[0], fe3.E[0]), hi = Math.Min(fe2.E[^1], fe3.E[^1]);
        double[] grid = fe2.E.Concat(fe3.E).Where(e => e >= lo && e <= hi).Distinct().Order().ToArray();
        double[] a = SpectrumColumns.Interpolate(fe2, grid), b = SpectrumColumns.Interpolate(fe3, grid);
        File.WriteAllLines(PathOf("table.csv"), ["energy_eV,basefreeFe2,basefreeFe3", .. grid.Select((e, i) =>
            string.Create(CultureInfo.InvariantCulture, $"{e:R},{a[i]:R},{b[i]:R}"))]);

        string files = Map("files"), table = Map("table");
        var (codeFiles, outFiles, errFiles) = await Run(MapArgs(_fe2 + "," + _fe3, files));
        var (codeTable, _, errTable) = await Run(MapArgs(PathOf("table.csv"), table));

        Assert.True(codeFiles == 0, errFiles);
        Assert.True(codeTable == 0, errTable);
        foreach (string name in new[] { "phase-map.npy", "pcc-phase-map.npy", "correlations.npy", "posterior.npy" })
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(table, "stack", name)), File.ReadAllBytes(Path.Combine(files, "stack", name)));
        }

        int[] map = ReadMap(Path.Combine(files, "stack", "phase-map.npy"));
        Assert.Equal(0, map[(8 * Size) + 5]);  // a Fe(II) pixel
        Assert.Equal(1, map[(8 * Size) + 10]); // a Fe(III) pixel
        using JsonDocument summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(files, "stack", "summary.json")));
        Assert.Contains("basefreeFe3", summary.RootElement.GetRawText(), StringComparison.Ordinal);
        Assert.Contains("basefreeFe2", outFiles, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TrainThenMapWithModel_SpectrumFiles_AreStoredInTheModelAndMustMatchIt()
    {
        string model = PathOf("model.ckpt"), stack = PathOf("stack.npy");
        var (code, _, err) = await Run(["train", "--stack", stack, "--references", _fe2 + "," + _fe3, "--model", model, "--epochs", "2",
            "--max-training-spectra", "200", "--threads", "1", "-q"]);
        Assert.True(code == 0, err);

        (code, _, err) = await Run(["map", "--model", model, "--stack", stack, "--references", _fe2 + "," + _fe3, "--no-figures",
            "--threads", "1", "--out", Map("same")]);
        Assert.True(code == 0, err);

        (code, _, err) = await Run(["map", "--model", model, "--stack", stack, "--references", _fe3 + "," + _fe2, "--no-figures",
            "--threads", "1", "--out", Map("swapped")]);
        Assert.Equal(ExitCodes.IncompatibleInputs, code);
        Assert.Contains("differ from the model's", err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Map_SpectrumFileNotCoveringAStackEnergy_IsAnErrorNamingThatFile()
    {
        File.WriteAllLines(PathOf("short.txt"), ["# energy OD", "690 0.1", "705 0.3", "720 0.2"]);

        var (code, _, err) = await Run(MapArgs(_fe2 + "," + PathOf("short.txt"), Map("x")));

        Assert.Equal(ExitCodes.IncompatibleInputs, code);
        Assert.Contains("short.txt': stack energy 720.25 eV", err, StringComparison.Ordinal);
        Assert.Contains("690–720 eV", err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Map_SpectrumFilesWithoutCommonRange_IsAnErrorNamingTheRanges()
    {
        File.WriteAllLines(PathOf("oxygen.txt"), ["525 0.1", "530 0.3", "545 0.2"]);

        var (code, _, err) = await Run(MapArgs(_fe2 + "," + PathOf("oxygen.txt"), Map("x")));

        Assert.Equal(ExitCodes.IncompatibleInputs, code);
        Assert.Contains("share no energy range", err, StringComparison.Ordinal);
        Assert.Contains("oxygen.txt' 525–545 eV", err, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("700 0.1\n701 abc\n", "line 2", "'abc'")]
    [InlineData("# one column\n700\n701\n", "line 2", "value column 1 is missing")]
    [InlineData("", "bad.txt", "at least two energies")]
    [InlineData("700 0.1\nabc 0.2\n", "line 2", "'abc' is not a number")]
    public async Task Map_MalformedSpectrumFile_IsAnInputErrorNamingFileLineAndValue(string text, string where, string what)
    {
        File.WriteAllText(PathOf("bad.txt"), text);

        var (code, _, err) = await Run(MapArgs(_fe2 + "," + PathOf("bad.txt"), Map("x")));

        Assert.Equal(ExitCodes.InvalidInput, code);
        Assert.Contains("bad.txt'", err, StringComparison.Ordinal);
        Assert.Contains(where, err, StringComparison.Ordinal);
        Assert.Contains(what, err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Map_OneSpectrumFileAlone_IsReadAsATableAndTheMessageSaysHowToGiveSpectrumFiles()
    {
        var (code, _, err) = await Run(MapArgs(_fe2, Map("x")));

        Assert.Equal(ExitCodes.InvalidInput, code);
        Assert.Contains("basefreeFe2.txt', field 'header'", err, StringComparison.Ordinal);
        Assert.Contains("comma-separated: --references Fe2.txt,Fe3.txt", err, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("same")]
    [InlineData("empty entry")]
    public async Task Map_DuplicatePhaseNameOrEmptyEntry_IsAUsageError(string which)
    {
        Directory.CreateDirectory(PathOf("other"));
        File.Copy(_fe3, PathOf(Path.Combine("other", "basefreeFe2.txt")));
        string value = which == "same" ? _fe2 + "," + PathOf(Path.Combine("other", "basefreeFe2.txt")) : _fe2 + ",," + _fe3;

        var (code, _, err) = await Run(MapArgs(value, Map("x")));

        Assert.Equal(ExitCodes.InvalidArguments, code);
        Assert.Contains(which == "same" ? "both be the phase 'basefreeFe2'" : "entry 2", err, StringComparison.Ordinal);
    }

    private static string[] MapArgs(string references, string outDir) =>
        ["map", "--stack", Path.Combine(Path.GetDirectoryName(outDir)!, "stack.npy"), "--references", references, "--quantity", "od",
         "--encoder", "pca", "--no-figures", "--energy-offset", "none", "--out", outDir];

    private static async Task<(int Code, string Out, string Err)> Run(string[] args) => await CliRunner.Run(args);

    private static int[] ReadMap(string path) => NpyFile.Read(path).ToInt32Array();

    private string Map(string name) => PathOf("out-" + name + "-" + (++_outputs).ToString(CultureInfo.InvariantCulture));

    private string PathOf(string name) => Path.Combine(_root, name);
}
