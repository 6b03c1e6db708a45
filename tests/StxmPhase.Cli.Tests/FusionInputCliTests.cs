using System.Globalization;
using StxmPhase.Cli;
using StxmPhase.IO;
using StxmPhase.Spectra;
using StxmPhase.Synthetic;

namespace StxmPhase.Cli.Tests;

/// <summary>
/// Hostile and unusual inputs to <c>map --edge</c>: each gets a documented exit code and a message naming the file, field,
/// index and value, or a correct run with a warning. One 32² V L + O K field (O K shifted by (1, 0) px) written once.
/// </summary>
public sealed class FusionInputCliTests : IClassFixture<FusionInputCliTests.Files>
{
    private readonly Files _f;

    public FusionInputCliTests(Files files) => _f = files;

    /// <summary>The field and its variants, written once for all tests of the class.</summary>
    public sealed class Files : IDisposable
    {
        public Files()
        {
            Directory.CreateDirectory(Dir);
            MultiEdgeDataset field = MultiEdgeGenerator.Generate(new MultiEdgeOptions
            {
                Edges =
                [
                    new() { Width = 32, Height = 32, Seed = 4, Energies = MultiEdgeGenerator.VanadiumLEnergies, Dose = 1500 },
                    new() { Width = 32, Height = 32, Seed = 4, Energies = MultiEdgeGenerator.OxygenKEnergies, Dose = 400 },
                ],
                Offsets = [default, new(1, 0)],
            });
            SpectralStack vl = field.Edges[0].OpticalDensity, ok = field.Edges[1].OpticalDensity;
            Save("vl", vl);
            Save("ok", ok);
            Save("ok2", Frames(ok, [0, 1], (_, _, v) => v));
            Save("okzero", Frames(ok, [0, 1, 2], (_, _, _) => 0f));
            // The O K field moved 29 px to the right: 3 columns of overlap with the first stack's field.
            Save("okfar", Frames(ok, [0, 1, 2], (e, p, _) => p % 32 < 29 ? 0f : ok.Data.Span[(e * 1024) + p - 29]));
            NcbFile.Write(P("okncb.ncb"), ok);
            var small = new SpectralStack(ok.Energies, 30, 32, new float[3 * 30 * 32], SpectralQuantity.OpticalDensity);
            Save("oksmall", small);
            File.WriteAllText(P("overlap-e.csv"), "energy_eV\n520.3\n523.5\n525.8\n");
            ReferenceSpectraCsv.Write(P("refs.csv"), field.Edges[0].References);
            ReferenceSpectra refs = field.Edges[0].References;
            ReferenceSpectraCsv.Write(P("refs-vl.csv"), refs.ResampleTo(new EnergyAxis(refs.Energies.AsSpan().ToArray().Where(e => e <= 527))));
        }

        public string Dir { get; } = Path.Combine(Path.GetTempPath(), "stxmphase-fusion-input-" + Guid.NewGuid().ToString("N")[..8]);

        public string P(string file) => Path.Combine(Dir, file);

        /// <summary>map arguments for the V L stack with <paramref name="edge"/> (and its energies file unless null).</summary>
        public string[] Map(string edge, string? energies, params string[] more)
        {
            string[] edgeEnergies = energies is null ? [] : ["--edge-energies", P(energies)];
            return
            [
                "map", "--stack", P("vl.npy"), "--energies", P("vl-e.csv"), "--edge", P(edge), .. edgeEnergies, "--quantity", "od",
                "--references", P("refs.csv"), "--encoder", "pca", "--no-figures", "--overwrite",
                "--out", P("out-" + Guid.NewGuid().ToString("N")[..6]),
                .. more,
            ];
        }

        public void Dispose()
        {
            if (Directory.Exists(Dir))
            {
                Directory.Delete(Dir, recursive: true);
            }
        }

        private void Save(string name, SpectralStack s)
        {
            NpyFile.Write(P(name + ".npy"), s);
            EnergyAxisCsv.Write(P(name + "-e.csv"), s.Energies);
        }

        private static SpectralStack Frames(SpectralStack s, int[] energies, Func<int, int, float, float> value)
        {
            int n = s.PixelCount;
            float[] data = new float[energies.Length * n];
            for (int i = 0; i < energies.Length; i++)
            {
                for (int p = 0; p < n; p++)
                {
                    data[(i * n) + p] = value(energies[i], p, s.Data.Span[(energies[i] * n) + p]);
                }
            }

            return new SpectralStack(new EnergyAxis(energies.Select(e => s.Energies[e])), s.Width, s.Height, data, SpectralQuantity.OpticalDensity);
        }
    }

    [Fact]
    public async Task Map_TwoEnergyEdgeWithLinearBackground_ExitsInvalidInputNamingTheEdgeFileAndWhatItNeeds()
    {
        var (code, stdout, err) = await CliRunner.Run(_f.Map("ok2.npy", "ok2-e.csv", "--background", "linear"));

        Assert.True(code == ExitCodes.InvalidInput, $"exit {code}: {err}{stdout}");
        Assert.Contains($"--edge '{_f.P("ok2.npy")}'", err, StringComparison.Ordinal);
        Assert.Contains("Edge block 1 'ok2' has 2 energies (529.4, 531.3 eV)", err, StringComparison.Ordinal);
        Assert.Contains("needs at least 3 energies", err, StringComparison.Ordinal);
        Assert.Contains("--background none", err, StringComparison.Ordinal);
        Assert.DoesNotContain("unexpected", err, StringComparison.Ordinal);
        Assert.DoesNotContain("Outputs:", stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--block-weights", "1,0")] // the short edge weighted 0: not used at all, so the linear term is fine
    [InlineData("--background", "none")]   // 2 energies keep one after the edge's offset
    public async Task Map_TwoEnergyEdgeThatKeepsAnEnergyOrIsUnused_Maps(string option, string value)
    {
        string[] background = option == "--background" ? [] : ["--background", "linear"];
        var (code, stdout, err) = await CliRunner.Run(_f.Map("ok2.npy", "ok2-e.csv", [option, value, .. background]));

        Assert.True(code == ExitCodes.Success, $"exit {code}: {err}{stdout}");
    }

    [Fact]
    public async Task Map_NpyEdgeWithoutEdgeEnergies_SaysToGiveEdgeEnergies()
    {
        var (code, _, err) = await CliRunner.Run(_f.Map("ok.npy", null));

        Assert.Equal(ExitCodes.InvalidInput, code);
        Assert.Contains($"'{_f.P("ok.npy")}', field 'energies'", err, StringComparison.Ordinal);
        Assert.Contains("For --edge stacks give --edge-energies FILE", err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Map_NcbEdge_UsesItsOwnEnergiesAndRefusesDifferentEdgeEnergies()
    {
        var (ok, stdout, err) = await CliRunner.Run(_f.Map("okncb.ncb", null));
        Assert.True(ok == ExitCodes.Success, err + stdout);
        Assert.Equal(ExitCodes.Success, (await CliRunner.Run(_f.Map("okncb.ncb", "ok-e.csv"))).Code);

        var (code, _, differ) = await CliRunner.Run(_f.Map("okncb.ncb", "overlap-e.csv"));
        Assert.Equal(ExitCodes.IncompatibleInputs, code);
        Assert.Contains("energy 0 is 529.4 eV in the file but 520.3 eV in", differ, StringComparison.Ordinal);
        Assert.Contains("overlap-e.csv", differ, StringComparison.Ordinal);

        var (count, _, shorter) = await CliRunner.Run(_f.Map("okncb.ncb", "ok2-e.csv"));
        Assert.Equal(ExitCodes.IncompatibleInputs, count);
        Assert.Contains("the file stores 3 energies but", shorter, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("okzero.npy", "okzero-e.csv", 3, "same energy-integrated optical density at every pixel (0;")]
    [InlineData("oksmall.npy", "oksmall-e.csv", 4, "is 30×32 pixels but the first stack is 32×32")]
    [InlineData("ok.npy", "overlap-e.csv", 4, "starts at 520.3 eV, not above the previous edge's last energy 525.8 eV")]
    public async Task Map_EdgeThatCannotBeFused_ExitsNamingTheFileAndValue(string edge, string energies, int exit, string text)
    {
        var (code, stdout, err) = await CliRunner.Run(_f.Map(edge, energies));

        Assert.True(code == exit, $"exit {code}: {err}{stdout}");
        Assert.Contains(_f.P(edge), err, StringComparison.Ordinal);
        Assert.Contains(text, err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Map_EdgeWithTinyOverlap_MapsAndWarnsThatTheRegistrationProbablyFailed()
    {
        var (code, stdout, err) = await CliRunner.Run(_f.Map("okfar.npy", "okfar-e.csv"));

        Assert.True(code == ExitCodes.Success, err + stdout);
        Assert.Contains($"warning: --edge '{_f.P("okfar.npy")}': registered with shift", err, StringComparison.Ordinal);
        Assert.Contains("the registration probably failed", err, StringComparison.Ordinal);

        var (_, _, fine) = await CliRunner.Run(_f.Map("ok.npy", "ok-e.csv"));
        Assert.DoesNotContain("registration probably failed", fine, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ok.npy", "--edge 2 '{0}' is the same file as --edge 1")]
    [InlineData("vl.npy", "--edge 2 '{0}' is the same file as the --stack")]
    public async Task Map_SameFileTwice_ExitsWithInvalidArguments(string second, string text)
    {
        var (code, _, err) = await CliRunner.Run(_f.Map("ok.npy", "ok-e.csv", "--edge", _f.P(second), "--edge-energies", _f.P("ok-e.csv")));

        Assert.Equal(ExitCodes.InvalidArguments, code);
        Assert.Contains(string.Format(CultureInfo.InvariantCulture, text, _f.P(second)), err, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1,2,3", "has 3 values; expected 2")]
    [InlineData("1,-2", "value 1 is '-2'")]
    [InlineData("NaN,1", "value 0 is 'NaN'")]
    [InlineData("0,0", "'0,0' are all 0")]
    public async Task Map_InvalidBlockWeights_ExitWithInvalidArgumentsNamingTheValue(string weights, string text)
    {
        var (code, _, err) = await CliRunner.Run(_f.Map("ok.npy", "ok-e.csv", "--block-weights", weights));

        Assert.Equal(ExitCodes.InvalidArguments, code);
        Assert.Contains("--block-weights " + text, err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Map_ReferencesNotCoveringTheEdge_ExitsIncompatibleNamingTheEnergy()
    {
        string[] args = [.. _f.Map("ok.npy", "ok-e.csv").Select(a => a == _f.P("refs.csv") ? _f.P("refs-vl.csv") : a)];

        var (code, _, err) = await CliRunner.Run(args);

        Assert.Equal(ExitCodes.IncompatibleInputs, code);
        Assert.Contains("refs-vl.csv", err, StringComparison.Ordinal);
        Assert.Contains("Stack energy 529.4 eV (index 10) lies outside the range of the reference spectra", err, StringComparison.Ordinal);
    }
}
