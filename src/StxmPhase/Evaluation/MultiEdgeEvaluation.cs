using System.Globalization;
using System.Text;
using StxmPhase.Spectra;
using StxmPhase.Synthetic;

namespace StxmPhase;

/// <summary>
/// Scores multi-edge fusion on a synthetic field (<see cref="MultiEdgeGenerator"/>): each edge alone (registered with the
/// estimated shift), the naive concatenation (one spectrum, one normalisation) and the weighted block fusion, every truth
/// particle pixel scored (an unassigned pixel counts as wrong), plus the registration error.
/// </summary>
public static class MultiEdgeEvaluation
{
    /// <summary>Runs the comparison.</summary>
    /// <param name="options">The field.</param>
    /// <param name="workflow">Creates the workflow for each variant (e.g. with a PCA encoder for speed).</param>
    /// <param name="cancellationToken">Cancels the evaluation.</param>
    /// <returns>One row per variant and the registration error of every further edge.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static MultiEdgeEvaluationResult Evaluate(MultiEdgeOptions options, Func<PhaseMappingWorkflow> workflow,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(workflow);
        MultiEdgeDataset field = MultiEdgeGenerator.Generate(options, cancellationToken);
        SyntheticDataset first = field.Edges[0];
        string[] names = [.. field.Edges.Select((e, i) => string.Create(CultureInfo.InvariantCulture,
            $"{e.OpticalDensity.Energies[0]:0.#}–{e.OpticalDensity.Energies[^1]:0.#} eV"))];
        FusedEdgeStack fused = EdgeFusion.Fuse([.. field.Edges.Select(e => e.OpticalDensity)], names, null, cancellationToken);
        double[] errors = new double[field.Edges.Count];
        for (int i = 0; i < errors.Length; i++)
        {
            double dx = fused.Shifts[i].X - (field.Offsets[i].Dx - field.Offsets[0].Dx);
            double dy = fused.Shifts[i].Y - (field.Offsets[i].Dy - field.Offsets[0].Dy);
            errors[i] = Math.Sqrt((dx * dx) + (dy * dy));
        }

        var rows = new List<MultiEdgeEvaluationRow>();
        for (int b = 0; b < fused.Blocks.Count; b++)
        {
            int start = fused.Blocks.Starts[b], count = fused.Blocks.Counts[b], n = fused.Stack.PixelCount;
            var alone = new SpectralStack(fused.Blocks.BlockEnergies(fused.Stack.Energies, b), fused.Stack.Width, fused.Stack.Height,
                fused.Stack.Data.Slice(start * n, count * n).ToArray(), SpectralQuantity.OpticalDensity, fused.Stack.Metadata);
            rows.Add(Score(string.Create(CultureInfo.InvariantCulture, $"{names[b]} alone"), new PhaseMappingInput(alone), first, workflow,
                cancellationToken));
        }

        rows.Add(Score("naive concatenation", new PhaseMappingInput(fused.Stack), first, workflow, cancellationToken));
        rows.Add(Score("weighted fusion (blocks, noise weights " + string.Join("/", fused.Blocks.Weights.Select(
            w => w.ToString("0.###", CultureInfo.InvariantCulture))) + ")", new PhaseMappingInput(fused.Stack) { Blocks = fused.Blocks }, first,
            workflow, cancellationToken));
        return new MultiEdgeEvaluationResult(rows, errors);
    }

    private static MultiEdgeEvaluationRow Score(string name, PhaseMappingInput input, SyntheticDataset truth, Func<PhaseMappingWorkflow> workflow,
        CancellationToken cancellationToken)
    {
        using PhaseMappingRun run = workflow().Run(input, truth.References, null, cancellationToken);
        PhaseMappingResult r = run.Results[0];
        return new MultiEdgeEvaluationRow(name, PhaseMappingEvaluation.Compare(r.PccMap, truth.Truth).Accuracy,
            PhaseMappingEvaluation.Compare(r.FinalMap, truth.Truth).Accuracy);
    }
}

/// <summary>One variant's accuracy on every truth particle pixel.</summary>
/// <param name="Name">The variant.</param>
/// <param name="PccAccuracy">Accuracy of the correlation (PCC) map.</param>
/// <param name="FinalAccuracy">Accuracy of the final map (posteriors, MRF, latent reassignment).</param>
public sealed record MultiEdgeEvaluationRow(string Name, double PccAccuracy, double FinalAccuracy);

/// <summary>The result of <see cref="MultiEdgeEvaluation.Evaluate"/>.</summary>
public sealed class MultiEdgeEvaluationResult
{
    internal MultiEdgeEvaluationResult(IReadOnlyList<MultiEdgeEvaluationRow> rows, IReadOnlyList<double> registrationErrors)
    {
        Rows = rows;
        RegistrationErrors = registrationErrors;
    }

    /// <summary>Gets one row per variant: each edge alone, naive concatenation, weighted fusion.</summary>
    public IReadOnlyList<MultiEdgeEvaluationRow> Rows { get; }

    /// <summary>Gets the distance between the estimated and the planted shift of every edge, in pixels (0 for the first).</summary>
    public IReadOnlyList<double> RegistrationErrors { get; }

    /// <summary>Returns the rows as a Markdown table.</summary>
    /// <returns>The table, with a header.</returns>
    public string ToMarkdown()
    {
        var sb = new StringBuilder();
        sb.AppendLine("| input | PCC map | final map |").AppendLine("|---|---|---|");
        foreach (MultiEdgeEvaluationRow row in Rows)
        {
            sb.AppendLine(string.Create(CultureInfo.InvariantCulture, $"| {row.Name} | {row.PccAccuracy:P1} | {row.FinalAccuracy:P1} |"));
        }

        string errors = string.Join(", ", RegistrationErrors.Skip(1).Select(e => e.ToString("0.000", CultureInfo.InvariantCulture)));
        sb.AppendLine(string.Create(CultureInfo.InvariantCulture, $"\nRegistration error: {errors} px."));
        return sb.ToString();
    }
}
