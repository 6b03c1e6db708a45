using System.Text.Json;
using StxmPhase.Correlation;
using StxmPhase.IO;
using StxmPhase.Spectra;
using StxmPhase.TestUtilities;

namespace StxmPhase.Cli.Tests;

/// <summary>
/// The real 4-energy PolLux C K stack (280, 284.5, 285, 320 eV) with two improvised references (HOPG, Example;
/// tests/TestData/io/real/derived): PCC labels 16.4 % of the analysed pixels HOPG, the default final map none. The noise model's
/// prior for HOPG collapses to its floor, but the prior is not what empties the final map (the MRF works on likelihoods, and
/// a uniform prior gives the same map): the HOPG labels of PCC sit in the thinnest, noise-dominated pixels, which fit both
/// references equally. The run says so in a warning (stdout and summary.json).
/// </summary>
public sealed class FewEnergyPriorTests : IDisposable
{
    private static readonly string s_stack =
        RepositoryPaths.Combine("tests", "TestData", "io", "real", "exampledata", "Sample_Stack_2021-03-16_128.hdf5");

    private static readonly string s_references =
        RepositoryPaths.Combine("tests", "TestData", "io", "real", "derived", "pollux-c-k-references.csv");

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "stxmphase-fewenergy-" + Guid.NewGuid().ToString("N")[..8]);

    public FewEnergyPriorTests() => Directory.CreateDirectory(_dir);

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    [Fact]
    public async Task Map_RealFourEnergyStack_WarnsThatTheFinalMapDropsThePccPhase()
    {
        var (code, stdout, err) = await CliRunner.Run(["map", "--stack", s_stack, "--references", s_references, "--encoder", "pca",
            "--no-figures", "--out", _dir]);

        Assert.True(code == 0, err);
        Assert.Contains("warning: Phase 'HOPG': the noise model's estimated prior is 1E-06", stdout, StringComparison.Ordinal);
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(_dir, "Sample_Stack_2021-03-16_128", "summary.json")));
        JsonElement root = doc.RootElement;
        Assert.Equal(326.0 / 1988, root.GetProperty("fractions_before").GetProperty("HOPG").GetDouble(), 1e-9);
        Assert.Equal(0.0, root.GetProperty("fractions_after").GetProperty("HOPG").GetDouble());
        JsonElement noise = root.GetProperty("noise_model");
        Assert.Equal(2, noise.GetProperty("degrees_of_freedom").GetInt32());
        Assert.True(noise.GetProperty("prior").GetProperty("HOPG").GetDouble() < 2e-6);
        JsonElement warning = Assert.Single(noise.GetProperty("prior_warnings").EnumerateArray());
        Assert.Equal("HOPG", warning.GetProperty("phase").GetString());
        Assert.Equal(326.0 / 1988, warning.GetProperty("pcc_fraction").GetDouble(), 1e-9);
        Assert.InRange(warning.GetProperty("median_log_likelihood_ratio").GetDouble(), 0.0, 0.05); // 0.012 nats: no evidence
    }

    [Fact]
    public async Task EvaluateSynthetic_Energies_SamplesTheStacksThereAndReportsThePrior()
    {
        string energies = Path.Combine(_dir, "e3.csv");
        File.WriteAllText(energies, "energy_eV\n505\n517.3\n529.4\n");

        var (code, stdout, err) = await CliRunner.Run(["evaluate", "--synthetic", "--energies", energies, "--doses", "1500", "--seeds", "1",
            "--size", "48", "--encoder", "pca", "--quiet"]);

        Assert.True(code == 0, err);
        Assert.Contains("48×48 px × 3 energies (505, 517.3, 529.4 eV)", stdout, StringComparison.Ordinal);
        Assert.Contains("--energies " + energies, stdout, StringComparison.Ordinal);
        Assert.Contains("Default pipeline's estimated phase prior against the true phase fractions", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("| NMF", stdout, StringComparison.Ordinal); // 3 energies cannot hold 5 NMF components
        Assert.Contains("| NNLS linear-combination fitting |", stdout, StringComparison.Ordinal);

        File.WriteAllText(energies, "energy_eV\n505\n517.3\n560\n");
        var (bad, _, message) = await CliRunner.Run(["evaluate", "--synthetic", "--energies", energies, "--seeds", "1", "--size", "32"]);
        Assert.Equal(2, bad);
        Assert.Contains("energy 560 eV (index 2) lies outside the synthetic references' 500–550 eV", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_RealFourEnergyStack_TheFinalMapDoesNotDependOnThePriorAndPccHopgIsThinPixels()
    {
        ReferenceSpectra refs = ReferenceSpectraCsv.Read(s_references);
        PhaseMappingResult Map(bool estimatePrior, bool mrf)
        {
            var workflow = new PhaseMappingWorkflow
            {
                EncoderTrainer = new PcaEncoderTrainer(),
                Options = new PhaseMappingOptions
                {
                    SpatialRegularization = mrf,
                    NoiseModel = new NoiseModelOptions { EstimatePrior = estimatePrior },
                },
            };
            SpectralStack stack = StackFile.Read(s_stack, new StackReadOptions { FileName = s_stack });
            using PhaseMappingRun run = workflow.Run(new PhaseMappingInput(stack, "pollux"), refs);
            return run.Results[0];
        }

        PhaseMappingResult estimated = Map(estimatePrior: true, mrf: true);
        PhaseMappingResult uniform = Map(estimatePrior: false, mrf: true);
        PhaseMappingResult pixelwise = Map(estimatePrior: true, mrf: false);

        Assert.True(estimated.Posteriors!.Prior[0] < 2e-6);
        Assert.Equal(0.5, uniform.Posteriors!.Prior[0]);
        Assert.Empty(uniform.PriorWarnings); // the warning is about the estimated prior
        Assert.Equal(0.0, estimated.FractionsAfter[0]);
        Assert.Equal(0.0, uniform.FractionsAfter[0]); // a uniform prior does not bring HOPG back: the prior is not the cause
        Assert.Equal(estimated.FinalMap.Labels.ToArray(), uniform.FinalMap.Labels.ToArray());
        Assert.InRange(pixelwise.FractionsAfter[0], 0.15, 0.17); // without the MRF the final map keeps the PCC labels (15.8 %)
        Assert.DoesNotContain("MRF", Assert.Single(pixelwise.PriorWarnings).Message, StringComparison.Ordinal);
        Assert.Contains("and so does the MRF's final map", Assert.Single(estimated.PriorWarnings).Message, StringComparison.Ordinal);

        // PCC's HOPG pixels by integrated OD: 47 % of the thinnest fifth of the analysed pixels, 0.5 % of the thickest fifth.
        int n = estimated.Width * estimated.Height;
        ReadOnlySpan<float> od = estimated.OpticalDensity.Data.Span;
        ReadOnlySpan<int> pcc = estimated.PccMap.Labels;
        var pixels = new List<(double Integrated, bool Hopg)>();
        for (int p = 0; p < n; p++)
        {
            if (pcc[p] >= 0)
            {
                double sum = 0;
                for (int e = 0; e < 4; e++)
                {
                    sum += od[(e * n) + p];
                }

                pixels.Add((sum, pcc[p] == 0));
            }
        }

        pixels.Sort((a, b) => a.Integrated.CompareTo(b.Integrated));
        int fifth = pixels.Count / 5;
        double thinnest = pixels.Take(fifth).Count(x => x.Hopg) / (double)fifth;
        double thickest = pixels.Skip(pixels.Count - fifth).Count(x => x.Hopg) / (double)fifth;
        Assert.InRange(thinnest, 0.40, 0.55);
        Assert.InRange(thickest, 0.0, 0.02);
    }
}
