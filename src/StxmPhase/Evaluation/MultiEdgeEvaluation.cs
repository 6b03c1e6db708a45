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

        // The naive concatenation has no blocks: a pixel an edge did not cover is NaN in its spectrum, hence invalid (scored
        // as wrong, like every unassigned truth particle pixel).
        rows.Add(Score("naive concatenation", new PhaseMappingInput(fused.Stack), first, workflow, cancellationToken));
        rows.Add(Score("weighted fusion (blocks)", new PhaseMappingInput(fused.Stack) { Blocks = fused.Blocks }, first, workflow,
            cancellationToken));
        return new MultiEdgeEvaluationResult(rows, errors) { BlockWeights = fused.Blocks.Weights };
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

    /// <summary>Gets the block weights the weighted fusion used (<see cref="EdgeFusion.NoiseWeights"/>).</summary>
    public IReadOnlyList<double> BlockWeights { get; init; } = [];

    /// <summary>
    /// Summarises several fields (seeds) of one configuration: per variant the mean ± sample standard deviation of the PCC and
    /// final-map accuracy and the per-seed final accuracies, the final-map gain of the weighted fusion over the best single
    /// edge per seed, the block weights and the registration error.
    /// </summary>
    /// <param name="seeds">One result per seed, all from the same configuration (same variants in the same order).</param>
    /// <returns>A Markdown table and two lines.</returns>
    /// <exception cref="ArgumentException"><paramref name="seeds"/> is empty.</exception>
    public static string Summarize(IReadOnlyList<MultiEdgeEvaluationResult> seeds)
    {
        ArgumentNullException.ThrowIfNull(seeds);
        if (seeds.Count == 0)
        {
            throw new ArgumentException("Summarize needs at least one result.", nameof(seeds));
        }

        var sb = new StringBuilder();
        sb.AppendLine("| input | PCC map (mean ± sd) | final map (mean ± sd) | final map per seed |").AppendLine("|---|---|---|---|");
        for (int r = 0; r < seeds[0].Rows.Count; r++)
        {
            double[] pcc = [.. seeds.Select(s => s.Rows[r].PccAccuracy)], final = [.. seeds.Select(s => s.Rows[r].FinalAccuracy)];
            string each = string.Join(" / ", final.Select(v => (100 * v).ToString("0.0", CultureInfo.InvariantCulture)));
            sb.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {seeds[0].Rows[r].Name} | {MeanSd(pcc)} | {MeanSd(final)} | {each} % |"));
        }

        int fused = seeds[0].Rows.Count - 1, edges = seeds[0].RegistrationErrors.Count;
        double[] gain = [.. seeds.Select(s => s.Rows[fused].FinalAccuracy - s.Rows.Take(edges).Max(row => row.FinalAccuracy))];
        string gains = string.Join(" / ", gain.Select(g => (100 * g).ToString("+0.0;−0.0;0.0", CultureInfo.InvariantCulture)));
        string weights = string.Join(" / ", seeds.Select(s => string.Join(":", s.BlockWeights.Select(
            w => w.ToString("0.00", CultureInfo.InvariantCulture)))));
        double[] errors = [.. seeds.SelectMany(s => s.RegistrationErrors.Skip(1))];
        sb.AppendLine(string.Create(CultureInfo.InvariantCulture, $"\nWeighted fusion − best single edge (final map), per seed: {gains} points."));
        sb.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"Block weights {weights}; registration error mean {errors.Average():0.000} px, largest {errors.Max():0.000} px."));
        return sb.ToString();
    }

    private static string MeanSd(double[] values)
    {
        double mean = values.Average();
        double sd = values.Length > 1 ? Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Length - 1)) : 0;
        return string.Create(CultureInfo.InvariantCulture, $"{100 * mean:0.0} ± {100 * sd:0.0} %");
    }

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
