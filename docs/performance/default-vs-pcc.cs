// The default pipeline's extra stages (noise-aware mask, noise-model posteriors, Potts MRF) against the PCC-only path,
// in one process: a 1024² × 13 synthetic transmission stack (dose 400), one warm-up and three timed runs of each,
// alternating. Run from the repository root: dotnet run docs/performance/default-vs-pcc.cs -c Release -- 1024
#:project ../../src/StxmPhase/StxmPhase.csproj
#:property Nullable=enable
#:property TreatWarningsAsErrors=false
#:property EnforceCodeStyleInBuild=false
#:property AnalysisMode=None
using System.Diagnostics;
using StxmPhase;
using StxmPhase.Synthetic;

int side = args.Length > 0 ? int.Parse(args[0]) : 1024;
SyntheticDataset data = SyntheticStackGenerator.Generate(new SyntheticStackOptions { Width = side, Height = side, Seed = 7, Dose = 400 });
var input = new PhaseMappingInput(data.Transmission, "s");
var pcc = PhaseMappingOptions.PaperPipeline with { ResolveAmbiguities = false, Seed = 1 };
var def = new PhaseMappingOptions { ResolveAmbiguities = false, Seed = 1 };
var times = new Dictionary<string, List<double>> { ["pcc"] = [], ["default"] = [] };
var alloc = new Dictionary<string, long>();
for (int rep = 0; rep < 4; rep++)
{
    foreach ((string name, PhaseMappingOptions o) in new[] { ("pcc", pcc), ("default", def) })
    {
        GC.Collect(); GC.WaitForPendingFinalizers(); GC.Collect();
        long a0 = GC.GetTotalAllocatedBytes(true);
        var sw = Stopwatch.StartNew();
        using PhaseMappingRun run = new PhaseMappingWorkflow { Options = o }.Run([input], data.References);
        sw.Stop();
        alloc[name] = GC.GetTotalAllocatedBytes(true) - a0;
        if (rep > 0) times[name].Add(sw.Elapsed.TotalSeconds);
        if (rep == 0) Console.WriteLine($"{name}: final acc {PhaseMappingEvaluation.Compare(run.Results[0].FinalMap, data.Truth).Accuracy:P2}");
    }
}
foreach (var (k, v) in times) Console.WriteLine($"{k}: min {v.Min():F3} s median {v.Order().ElementAt(v.Count / 2):F3} s, allocated {alloc[k] / 1e6:F0} MB");
Console.WriteLine($"ratio time (min) {times["default"].Min() / times["pcc"].Min():F2}, allocated {(double)alloc["default"] / alloc["pcc"]:F2}");
