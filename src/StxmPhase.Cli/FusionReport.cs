using System.Globalization;
using System.Text;
using StxmPhase.Synthetic;

namespace StxmPhase.Cli;

/// <summary><c>stxmphase evaluate --synthetic --fusion</c>: the multi-edge fusion table of docs/accuracy.md.</summary>
internal static class FusionReport
{
    /// <summary>The composition table: RMSE in x, 90 % coverage and defined fraction of particle pixels per dose and seed.</summary>
    public static int EvaluateComposition(CliContext ctx, IReadOnlyList<double> doses, int size, int seed, int seeds, CancellationToken ct)
    {
        ctx.Out.WriteLine("| dose | seed | RMSE in x | 90 % coverage | defined |");
        ctx.Out.WriteLine("|---|---|---|---|---|");
        foreach (double dose in doses)
        {
            for (int s = seed; s < seed + seeds; s++)
            {
                SolidSolutionDataset data = SolidSolutionGenerator.Generate(new SolidSolutionOptions
                {
                    Geometry = new SyntheticStackOptions { Width = size, Height = size, Dose = dose, Seed = s, MaxDegreeOfParallelism = 1 },
                }, ct);
                Unmixing.CompositionMap x = Unmixing.CompositionEstimator.Estimate(
                    data.OpticalDensity, data.ReferencesOnStack, SolidSolutionGenerator.ReferenceValues, data.ParticleMask, ct);
                double sse = 0;
                int count = 0, covered = 0, particle = 0;
                for (int i = 0; i < data.Composition.Length; i++)
                {
                    if (!data.ParticleMask[i])
                    {
                        continue;
                    }

                    particle++;
                    if (float.IsFinite(x.Values[i]) && float.IsFinite(x.StandardDeviations[i]))
                    {
                        double err = x.Values[i] - data.Composition[i];
                        sse += err * err;
                        count++;
                        covered += Math.Abs(err) <= 1.6448536269514722 * x.StandardDeviations[i] ? 1 : 0;
                    }
                }

                double rmse = Math.Sqrt(sse / Math.Max(1, count)), coverage = (double)covered / Math.Max(1, count);
                double defined = (double)count / Math.Max(1, particle);
                ctx.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {dose} | {s} | {rmse:0.000} | {coverage:P1} | {defined:P1} |"));
            }
        }

        return ExitCodes.Success;
    }

    /// <summary>Evaluates <paramref name="seeds"/> synthetic fields and prints the tables or writes them to <paramref name="reportPath"/>.</summary>
    public static int Evaluate(CliContext ctx, int size, int seed, int seeds, string? reportPath, CancellationToken ct)
    {
        if (reportPath is not null)
        {
            OutputFolders.CheckWritableFile(reportPath, "--report", overwrite: true);
        }

        // Issue 17's measurement (V L 10 energies at dose 1500, O K 3 energies at dose 400, shifted by (3.3, −1.6) px), each
        // edge with its own calibration error; the same without those errors; and a low-dose V L stack, where the O K
        // stack has relatively more to add; and an O K stack at 50× the dose, as much O K signal as issue 17's O K alone
        // (41.7 % PCC) implies: what fusion gains when the second edge carries information.
        (string Title, double VanadiumDose, bool Offsets, double OxygenDose)[] configurations =
        [
            ("V L dose 1500, O K dose 400, per-edge calibration offsets +0.10 / −0.25 eV (the default field)", 1500, true, 400),
            ("V L dose 1500, O K dose 400, no calibration offsets", 1500, false, 400),
            ("V L dose 300, O K dose 400, per-edge calibration offsets +0.10 / −0.25 eV", 300, true, 400),
            ("V L dose 300, O K dose 20000 (50×), no calibration offsets", 300, false, 20000),
        ];
        var sb = new StringBuilder();
        foreach ((string title, double dose, bool offsets, double oxygen) in configurations)
        {
            var results = new List<MultiEdgeEvaluationResult>();
            for (int s = seed; s < seed + seeds; s++)
            {
                var options = new MultiEdgeOptions { Edges = MultiEdgeGenerator.IssueEdges(size, s, dose, offsets, oxygen) };
                results.Add(MultiEdgeEvaluation.Evaluate(options,
                    () => new PhaseMappingWorkflow { EncoderTrainer = new PcaEncoderTrainer(), Options = new PhaseMappingOptions { Seed = s } }, ct));
            }

            sb.AppendLine(string.Create(CultureInfo.InvariantCulture, $"### {title}; {size}² px, seeds {seed}–{seed + seeds - 1}\n"));
            sb.AppendLine(MultiEdgeEvaluationResult.Summarize(results));
        }

        return ReportOutput.Emit(ctx, reportPath, sb.ToString());
    }
}
