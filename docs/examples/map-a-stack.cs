// Map phases in a stack with the library API: PCC → GMVAE → Mahalanobis, then score against the known truth.
// Run from the repository root:  dotnet run docs/examples/map-a-stack.cs [width] [epochs]
#:project ../../src/StxmPhase
#:project ../../src/StxmPhase.Figures
#:package libtorch-cpu-linux-x64
#:property TreatWarningsAsErrors=false
#:property AnalysisMode=Default

using StxmPhase;
using StxmPhase.Figures;
using StxmPhase.Gmvae;
using StxmPhase.Synthetic;

int size = args.Length > 0 ? int.Parse(args[0]) : 96;
int epochs = args.Length > 1 ? int.Parse(args[1]) : 20;

// 1. A transmission stack with ground truth (replace with StxmPhase.IO.StackFile.Read("my-stack.hdf5") for real data).
SyntheticDataset data = SyntheticStackGenerator.Generate(new SyntheticStackOptions { Width = size, Height = size, Seed = 7, Dose = 400 });

// 2. The workflow: OD with automatic I0, Otsu mask, Pearson correlation, GMVAE latent space, Mahalanobis resolution.
var workflow = new PhaseMappingWorkflow
{
    Options = new PhaseMappingOptions { Seed = 7 },
    EncoderTrainer = new GmvaeEncoderTrainer(new GmvaeOptions { Epochs = epochs, MaxTrainingSpectra = 8000, Seed = 7 }),
};
using PhaseMappingRun run = workflow.Run(new PhaseMappingInput(data.Transmission, "example"), data.References);
PhaseMappingResult result = run.Results[0];

// 3. Results: fractions before/after, accuracy against the truth, a figure.
WorkflowEvaluation e = PhaseMappingEvaluation.Evaluate(result, data.Truth, data.BoundaryMask);
Console.WriteLine($"{result.AmbiguousCount} ambiguous of {result.Correlation.ValidCount} analysed pixels");
for (int p = 0; p < result.PhaseNames.Count; p++)
{
    Console.WriteLine($"{result.PhaseNames[p],-8} PCC {result.FractionsBefore[p]:P1}  final {result.FractionsAfter[p]:P1}");
}

Console.WriteLine($"accuracy: PCC {e.Pcc.Accuracy:P2} -> final {e.Final.Accuracy:P2}");
string png = Path.Combine(Path.GetTempPath(), "stxmphase-example-phase-map.png");
PhaseFigures.SavePng(png, PhaseFigures.RenderPhaseMap(result.FinalMap, result.Correlation.Reliability));
Console.WriteLine($"figure: {png}");
