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

        var sb = new StringBuilder();
        for (int s = seed; s < seed + seeds; s++)
        {
            var options = new MultiEdgeOptions
            {
                Edges =
                [
                    new() { Width = size, Height = size, Seed = s, Energies = MultiEdgeGenerator.VanadiumLEnergies, Dose = 1500 },
                    new() { Width = size, Height = size, Seed = s, Energies = MultiEdgeGenerator.OxygenKEnergies, Dose = 400 },
                ],
            };
            MultiEdgeEvaluationResult result = MultiEdgeEvaluation.Evaluate(options,
                () => new PhaseMappingWorkflow { EncoderTrainer = new PcaEncoderTrainer(), Options = new PhaseMappingOptions { Seed = s } }, ct);
            sb.AppendLine(string.Create(CultureInfo.InvariantCulture, $"### Field seed {s}, {size}² px\n"));
            sb.AppendLine(result.ToMarkdown());
        }

        string markdown = sb.ToString();
        if (reportPath is null)
        {
            ctx.Out.Write(markdown);
            return ExitCodes.Success;
        }

        try
        {
            AtomicFile.WriteText(reportPath, markdown);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new OutputWriteException($"cannot write the report to '{reportPath}': {ex.Message}", ex);
        }

        return ExitCodes.Success;
    }
}
