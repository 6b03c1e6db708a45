// Background components on a fused V L + O K stack (docs/accuracy.md, "Background components on fused edges"): issue 17's
// field (MultiEdgeGenerator.IssueEdges: V L dose 1500, O K dose 400, calibration errors +0.10 / −0.25 eV unless the last
// argument is false, O K displaced by
// (3.3, −1.6) px, support film OD 0.05 / 0.08) with an optional carbon/CEI layer on the particles seen by both edges. Each
// input — V L alone and the weighted block fusion — is mapped with no background, with the layer's spectrum
// (--background-spectrum: the support film's (E/525 eV)^−2.7 without a layer, the layer's C=O spectrum with one) and with
// --background linear plus that spectrum. Accuracy over every truth particle pixel; PCA encoder, default pipeline otherwise.
// Run from the repository root (about 2 min for the defaults; OMP_NUM_THREADS=1):
//   dotnet run docs/measurements/fusion-background.cs -- [size] [seeds] [carbon-layer ODs at 532 eV] [V L dose] [O K dose]
//     [calibration errors]
//   e.g. dotnet run docs/measurements/fusion-background.cs -- 96 1,2,3 0,0.3,1.0 1500 400 true
#:project ../../src/StxmPhase
#:property TreatWarningsAsErrors=false
#:property AnalysisMode=Default

using System.Globalization;
using StxmPhase;
using StxmPhase.Spectra;
using StxmPhase.Synthetic;

CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
string Arg(int i, string fallback) => args.Length > i ? args[i] : fallback;
int size = int.Parse(Arg(0, "96"), CultureInfo.InvariantCulture);
int[] seeds = [.. Arg(1, "1,2,3").Split(',').Select(v => int.Parse(v, CultureInfo.InvariantCulture))];
double[] layers = [.. Arg(2, "0,0.3,1.0").Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture))];
double vanadiumDose = double.Parse(Arg(3, "1500"), CultureInfo.InvariantCulture);
double oxygenDose = double.Parse(Arg(4, "400"), CultureInfo.InvariantCulture);
bool offsets = bool.Parse(Arg(5, "true"));
string[] inputs = ["V L alone", "fusion (blocks)"];
string[] backgrounds = ["none", "spectrum", "linear + spectrum"];
PrintLayerOverlap();
Console.WriteLine("layer_od\tinput\tbackground\tseed\tpcc_pct\tfinal_pct");
foreach (double layer in layers)
{
    var pcc = new Dictionary<(int, int), List<double>>();
    var final = new Dictionary<(int, int), List<double>>();
    foreach (int seed in seeds)
    {
        // MultiEdgeGenerator.IssueEdges(size, seed, V L dose, calibration errors, O K dose), each edge with the layer.
        MultiEdgeDataset field = MultiEdgeGenerator.Generate(new MultiEdgeOptions
        {
            Edges =
            [
                new()
                {
                    Width = size, Height = size, Seed = seed, Energies = MultiEdgeGenerator.VanadiumLEnergies, Dose = vanadiumDose,
                    SupportFilmOd = 0.05,
                    EnergyOffsetEv = offsets ? 0.10 : 0, OxygenPreEdgeShiftEv = MultiEdgeGenerator.OxygenPreEdgeShiftEv, CarbonLayerOd = layer,
                },
                new()
                {
                    Width = size, Height = size, Seed = seed, Energies = MultiEdgeGenerator.OxygenKEnergies, Dose = oxygenDose, SupportFilmOd = 0.08,
                    EnergyOffsetEv = offsets ? -0.25 : 0, OxygenPreEdgeShiftEv = MultiEdgeGenerator.OxygenPreEdgeShiftEv, CarbonLayerOd = layer,
                },
            ],
        });
        SyntheticDataset first = field.Edges[0];
        FusedEdgeStack fused = EdgeFusion.Fuse([.. field.Edges.Select(e => e.OpticalDensity)], ["V L", "O K"]);
        ReferenceSpectra spectrum = Spectrum(layer > 0);
        for (int i = 0; i < inputs.Length; i++)
        {
            for (int b = 0; b < backgrounds.Length; b++)
            {
                PhaseMappingInput input = i == 0 ? new PhaseMappingInput(first.OpticalDensity)
                    : new PhaseMappingInput(fused.Stack) { Blocks = fused.Blocks };
                SpectralBackground? background = b == 0 ? null : new SpectralBackground(linear: b == 2, spectrum);
                using PhaseMappingRun run = new PhaseMappingWorkflow
                {
                    EncoderTrainer = new PcaEncoderTrainer(),
                    Options = new PhaseMappingOptions { Seed = seed, Background = background },
                }.Run(input, first.References);
                double p = 100 * PhaseMappingEvaluation.Compare(run.Results[0].PccMap, first.Truth).Accuracy;
                double f = 100 * PhaseMappingEvaluation.Compare(run.Results[0].FinalMap, first.Truth).Accuracy;
                Console.WriteLine($"{layer}\t{inputs[i]}\t{backgrounds[b]}\t{seed}\t{p:0.0}\t{f:0.0}");
                (pcc.TryGetValue((i, b), out var lp) ? lp : pcc[(i, b)] = []).Add(p);
                (final.TryGetValue((i, b), out var lf) ? lf : final[(i, b)] = []).Add(f);
            }
        }
    }

    Console.WriteLine();
    Console.WriteLine($"Carbon layer OD {layer} at 532 eV, V L dose {vanadiumDose}, O K dose {oxygenDose}, calibration errors {offsets}; "
        + $"{size}² px, seeds {string.Join(", ", seeds)}");
    Console.WriteLine("| input | background | PCC map (mean) | final map (mean) | final map per seed |");
    Console.WriteLine("|---|---|---|---|---|");
    for (int i = 0; i < inputs.Length; i++)
    {
        for (int b = 0; b < backgrounds.Length; b++)
        {
            List<double> f = final[(i, b)];
            Console.WriteLine($"| {inputs[i]} | {backgrounds[b]} | {pcc[(i, b)].Average():0.0} % | {f.Average():0.0} % | "
                + $"{string.Join(" / ", f.Select(v => v.ToString("0.0", CultureInfo.InvariantCulture)))} % |");
        }
    }

    Console.WriteLine();
}

// The background spectrum a user would supply, tabulated on 500–545 eV: the carbon/CEI layer's, or (no layer) the support film's.
static ReferenceSpectra Spectrum(bool layer)
{
    double[] grid = [.. Enumerable.Range(0, 451).Select(i => 500.0 + (0.1 * i))];
    double[] values = [.. grid.Select(e => layer
        ? NaVanadiumFluorophosphateReferences.CarbonLayerAbsorption(e)
        : NaVanadiumFluorophosphateReferences.SupportFilmAbsorption(e))];
    return new ReferenceSpectra(new EnergyAxis(grid), [layer ? "carbon" : "film"], values);
}

// How much of what tells the phases apart in the O K block lies along the layer's spectrum: the share of the squared
// between-phase differences of the references (centred over the O K energies) along the centred layer spectrum.
static void PrintLayerOverlap()
{
    EnergyAxis ok = MultiEdgeGenerator.OxygenKEnergies;
    ReferenceSpectra refs = MultiEdgeGenerator.Generate(new MultiEdgeOptions
    {
        Edges = MultiEdgeGenerator.IssueEdges(16, 1, 1500, calibrationOffsets: false),
    }).Edges[0].References.ResampleTo(ok);
    static double[] Centre(IEnumerable<double> v)
    {
        double[] a = [.. v];
        double mean = a.Average();
        return [.. a.Select(x => x - mean)];
    }

    double[] layer = Centre(ok.AsSpan().ToArray().Select(NaVanadiumFluorophosphateReferences.CarbonLayerAbsorption));
    double norm = Math.Sqrt(layer.Sum(x => x * x)), along = 0, total = 0, lo = 1, hi = 0;
    for (int i = 0; i < refs.PhaseCount; i++)
    {
        for (int j = i + 1; j < refs.PhaseCount; j++)
        {
            double[] d = Centre(Enumerable.Range(0, ok.Count).Select(e => refs.Spectrum(i)[e] - refs.Spectrum(j)[e]));
            double dot = d.Zip(layer).Sum(t => t.First * t.Second) / norm, size = d.Sum(x => x * x);
            along += dot * dot;
            total += size;
            lo = Math.Min(lo, Math.Abs(dot) / Math.Sqrt(size));
            hi = Math.Max(hi, Math.Abs(dot) / Math.Sqrt(size));
        }
    }

    Console.WriteLine($"O K block: {100 * along / total:0} % of the squared between-phase differences lie along the layer's spectrum "
        + $"(|cos| {lo:0.00}–{hi:0.00})");
}
