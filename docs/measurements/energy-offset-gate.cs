// Mode Auto's energy-offset gate on synthetic stacks with a known calibration error (docs/accuracy.md, "Small
// energy-calibration errors"). For each stack: the estimate, what Auto applies, and the final-map accuracy over every
// particle pixel with Auto, no offset, the estimate always applied, and the true offset applied; the old gate's decision
// (gain in mean best correlation ≥ 0.002) is recomputed from the estimate's objective.
// Run from the repository root (about 1 min for the defaults; OMP_NUM_THREADS=1):
//   dotnet run docs/measurements/energy-offset-gate.cs -- [sizes] [doses] [seeds] [offsets] [Voronoi|CoreShell]
//   e.g. dotnet run docs/measurements/energy-offset-gate.cs -- 128,64 150,400,1500 1,2,3 0,0.05,-0.05,0.1,-0.1,0.15,-0.15 Voronoi
#:project ../../src/StxmPhase
#:property TreatWarningsAsErrors=false
#:property AnalysisMode=Default

using System.Globalization;
using StxmPhase;
using StxmPhase.Spectra;
using StxmPhase.Synthetic;

CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
string Arg(int i, string fallback) => args.Length > i ? args[i] : fallback;
int[] sizes = [.. Arg(0, "128,64").Split(',').Select(int.Parse)];
double[] doses = [.. Arg(1, "150,400,1500").Split(',').Select(double.Parse)];
int[] seeds = [.. Arg(2, "1,2,3").Split(',').Select(int.Parse)];
double[] offsets = [.. Arg(3, "0,0.05,-0.05,0.1,-0.1,0.15,-0.15").Split(',').Select(double.Parse)];
DomainLayout layout = Enum.Parse<DomainLayout>(Arg(4, "Voronoi"));
Console.WriteLine("layout\tsize\tdose\tseed\ttrue_eV\testimate_eV\tuncertainty_eV\tgain\told_applies\tauto_applied_eV\t"
    + "acc_auto\tacc_none\tacc_old_gate\tacc_always\tacc_true");
foreach (int size in sizes)
{
    foreach (double dose in doses)
    {
        foreach (int seed in seeds)
        {
            foreach (double offset in offsets)
            {
                Measure(size, dose, seed, offset);
            }
        }
    }
}

void Measure(int size, double dose, int seed, double offset)
{
    SyntheticDataset data = SyntheticStackGenerator.Generate(new SyntheticStackOptions
    {
        Width = size, Height = size, Dose = dose, Seed = seed, DomainLayout = layout, EnergyOffsetEv = offset,
    });
    double Run(EnergyOffsetMode mode, double value, out EnergyCalibrationReport report)
    {
        using PhaseMappingRun run = new PhaseMappingWorkflow
        {
            Options = new PhaseMappingOptions { ResolveAmbiguities = false, EnergyOffset = mode, EnergyOffsetEv = value },
        }.Run(new PhaseMappingInput(data.OpticalDensity), data.References);
        report = run.EnergyCalibration!;
        int correct = 0, total = 0;
        for (int i = 0; i < data.Truth.PixelCount; i++)
        {
            if (data.Truth.Labels[i] >= 0)
            {
                total++;
                correct += run.Results[0].FinalMap.Labels[i] == data.Truth.Labels[i] ? 1 : 0;
            }
        }

        return 100.0 * correct / total;
    }

    double auto = Run(EnergyOffsetMode.Auto, 0, out EnergyCalibrationReport calibration);
    double none = Run(EnergyOffsetMode.None, 0, out _);
    EnergyOffsetEstimate? estimate = calibration.Estimate;
    double value = estimate?.OffsetEv ?? 0;
    double always = value == 0 ? none : Run(EnergyOffsetMode.Fixed, value, out _);
    double truth = offset == 0 ? none : Run(EnergyOffsetMode.Fixed, offset, out _);
    double gain = double.NaN;
    if (estimate is { TrialOffsetsEv.Count: > 0 })
    {
        int zero = 0;
        for (int k = 0; k < estimate.TrialOffsetsEv.Count; k++)
        {
            zero = Math.Abs(estimate.TrialOffsetsEv[k]) < Math.Abs(estimate.TrialOffsetsEv[zero]) ? k : zero;
        }

        gain = estimate.Objective.Max() - estimate.Objective[zero];
    }

    bool old = estimate is { IsReliable: true } && Math.Abs(value) >= 0.02 && Math.Abs(value) >= 3 * estimate.UncertaintyEv && gain >= 0.002;
    Console.WriteLine(FormattableString.Invariant(
        $"{layout}\t{size}\t{dose}\t{seed}\t{offset}\t{value:0.0000}\t{estimate?.UncertaintyEv:0.0000}\t{gain:0.00000}\t{(old ? 1 : 0)}\t")
        + FormattableString.Invariant(
        $"{calibration.AppliedOffsetEv:0.0000}\t{auto:0.00}\t{none:0.00}\t{(old ? always : none):0.00}\t{always:0.00}\t{truth:0.00}"));
}
