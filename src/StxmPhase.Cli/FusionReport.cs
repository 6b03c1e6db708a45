using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using StxmPhase.Correlation;
using StxmPhase.Spectra;
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

    /// <summary>The fields printed when neither <c>--edge-doses</c> nor <c>--calibration-errors</c> is given.</summary>
    /// <remarks>Issue 17's measurement (V L 10 energies at dose 1500, O K 3 energies at dose 400, shifted by (3.3, −1.6) px), each
    /// edge with its own calibration error; the same without those errors; a low-dose V L stack, where the O K stack has
    /// relatively more to add; and an O K stack at 50× the dose, more O K signal than issue 17's O K alone (41.7 % PCC)
    /// implies: what fusion gains when the second edge carries information.</remarks>
    public static readonly IReadOnlyList<FusionField> DefaultFields =
    [
        new(1500, 400, true), new(1500, 400, false), new(300, 400, true), new(300, 20000, false),
    ];

    /// <summary>
    /// Evaluates <paramref name="seeds"/> synthetic fields of each of <paramref name="fields"/> with the pipeline of
    /// <paramref name="model"/> and prints the tables or writes them to <paramref name="reportPath"/>.
    /// </summary>
    /// <exception cref="UsageException">A model option this evaluation cannot honour: <c>--method</c> other than pcc-gmvae
    /// (it scores the PCC / noise-model / latent pipeline), <c>--model</c> or <c>--save-model</c> (each variant trains its own
    /// encoder on its own input), <c>--background</c> components (the field's 3-energy O K edge, scored alone, has no degree of
    /// freedom left for them; <c>docs/measurements/fusion-background.cs</c> measures them on the fused map).</exception>
    public static int Evaluate(CliContext ctx, IReadOnlyList<FusionField> fields, int size, int seed, int seeds, ModelSettings model,
        string? reportPath, CancellationToken ct, string? blockWeights = null, string? blockOffsets = null, double[]? baselineErrors = null)
    {
        if (baselineErrors is { Length: not 2 })
        {
            throw new UsageException($"--edge-baseline-od needs two values, V L then O K (e.g. 0 0.05); got {baselineErrors.Length}.");
        }

        BlockOffsetModel offsets = blockOffsets switch
        {
            "field-baseline" => BlockOffsetModel.FieldBaseline,
            "shared" => BlockOffsetModel.Shared,
            _ => BlockOffsetModel.PerBlock,
        };
        EdgeFusionOptions? fusion = blockWeights is null ? null : new EdgeFusionOptions { BlockWeights = EdgeInputs.ParseWeights(blockWeights, 2) };
        if (model.Method != "pcc-gmvae")
        {
            throw new UsageException(
                $"--method {model.Method}: evaluate --fusion scores the PCC, noise-model and latent-space pipeline (pcc-gmvae) only.");
        }

        if (model.ModelPath is not null || model.SaveModelPath is not null)
        {
            throw new UsageException(
                "--model / --save-model: evaluate --fusion trains one encoder per variant (each edge alone, the concatenation, the "
                + "fusion have different spectra); omit them.");
        }

        if (model.Background is (true, _) or (_, not null))
        {
            throw new UsageException(
                "--background / --background-spectrum: --fusion also scores each edge alone, and the synthetic O K edge's 3 energies "
                + "leave no degree of freedom for background components there; omit them with --fusion (map --edge fits them on a "
                + "fused stack; docs/measurements/fusion-background.cs measures that).");
        }

        if (reportPath is not null)
        {
            OutputFolders.CheckWritableFile(reportPath, "--report", overwrite: true);
        }

        var sb = new StringBuilder();
        string epochs = model.Encoder == "gmvae" ? string.Create(CultureInfo.InvariantCulture, $" ({model.Epochs} epochs)") : string.Empty;
        string mrf = Pipelines.OptionsFor(model).SpatialRegularization ? "on" : "off";
        mrf += model.MrfStrength is null ? string.Empty : ", β = " + MrfStrengthOption.Describe(model.MrfStrength);
        sb.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"Pipeline: {(model.PaperPipeline ? "paper (--paper)" : "default")}, encoder {model.Encoder}{epochs}, ")
            + string.Create(CultureInfo.InvariantCulture,
                $"strategy {model.Strategy}, MRF {mrf}, block weights {blockWeights ?? "from each block's noise"}")
            + (blockOffsets is null ? "." : $", block offsets {blockOffsets}.")
            + (baselineErrors is null ? string.Empty : string.Create(CultureInfo.InvariantCulture,
                $" Edge baseline errors {baselineErrors[0]} / {baselineErrors[1]} OD.")));
        sb.AppendLine();
        ILogger logger = ctx.Logger("stxmphase");
        foreach (FusionField field in fields)
        {
            var results = new List<MultiEdgeEvaluationResult>();
            for (int s = seed; s < seed + seeds; s++)
            {
                ModelSettings m = model with { Seed = s };
                var options = new MultiEdgeOptions
                {
                    Edges = MultiEdgeGenerator.IssueEdges(size, s, field.VanadiumDose, field.CalibrationErrors, field.OxygenDose),
                    BaselineErrorsOd = baselineErrors,
                };
                results.Add(MultiEdgeEvaluation.Evaluate(options, () => new PhaseMappingWorkflow
                {
                    Options = offsets == BlockOffsetModel.PerBlock
                        ? Pipelines.OptionsFor(m)
                        : Pipelines.OptionsFor(m) with { NoiseModel = new NoiseModelOptions { BlockOffset = offsets } },
                    Logger = logger,
                    EncoderTrainer = Pipelines.TrainerFor(m, logger),
                    Assigner = Pipelines.AssignerFor(m.Strategy, logger, m.PaperPipeline),
                }, fusion, ct));
            }

            sb.AppendLine(string.Create(CultureInfo.InvariantCulture, $"### {field.Title}; {size}² px, seeds {seed}–{seed + seeds - 1}\n"));
            sb.AppendLine(MultiEdgeEvaluationResult.Summarize(results));
        }

        return ReportOutput.Emit(ctx, reportPath, sb.ToString());
    }
}

/// <summary>One synthetic multi-edge field of <c>evaluate --fusion</c> (<see cref="MultiEdgeGenerator.IssueEdges"/>).</summary>
/// <param name="VanadiumDose">The V L stack's dose.</param>
/// <param name="OxygenDose">The O K stack's dose.</param>
/// <param name="CalibrationErrors">Whether each edge carries its own calibration error (+0.10 / −0.25 eV).</param>
internal sealed record FusionField(double VanadiumDose, double OxygenDose, bool CalibrationErrors)
{
    /// <summary>Gets the table's title.</summary>
    public string Title => string.Create(CultureInfo.InvariantCulture, $"V L dose {VanadiumDose}, O K dose {OxygenDose}, ")
        + (CalibrationErrors ? "per-edge calibration offsets +0.10 / −0.25 eV" : "no calibration offsets");
}
