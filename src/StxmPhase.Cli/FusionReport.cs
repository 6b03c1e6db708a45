using System.Globalization;
using System.Text;
using StxmPhase.Synthetic;

namespace StxmPhase.Cli;

/// <summary><c>stxmphase evaluate --synthetic --fusion</c>: the multi-edge fusion table of docs/accuracy.md.</summary>
internal static class FusionReport
{
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
