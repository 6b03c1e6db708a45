using System.Globalization;
using System.Text;
using StxmPhase.Spectra;

namespace StxmPhase;

/// <summary>One variant's accuracy on every truth particle pixel (an unassigned pixel counts as wrong).</summary>
/// <param name="Name">The variant.</param>
/// <param name="PccAccuracy">Accuracy of the correlation (PCC) map.</param>
/// <param name="FinalAccuracy">Accuracy of the final map (posteriors, MRF, latent reassignment).</param>
public sealed record MultiEdgeEvaluationRow(string Name, double PccAccuracy, double FinalAccuracy)
{
    /// <summary>Gets the accuracy of the noise model's labels (the argmax of its posteriors, before the MRF; "no match"
    /// counts as wrong), or NaN when the pipeline computes no posteriors (the paper's).</summary>
    public double PosteriorAccuracy { get; init; } = double.NaN;

    /// <summary>Gets the final map's accuracy on the interior (single-phase) particle pixels, or NaN when there are none.</summary>
    public double InteriorAccuracy { get; init; } = double.NaN;

    /// <summary>Gets the final map's accuracy on the boundary (mixed) particle pixels, or NaN when there are none.</summary>
    public double BoundaryAccuracy { get; init; } = double.NaN;
}

/// <summary>The result of <see cref="MultiEdgeEvaluation"/>.Evaluate.</summary>
public sealed class MultiEdgeEvaluationResult
{
    /// <summary>The stages <see cref="Summarize"/> compares, in order, with their accessor.</summary>
    private static readonly (string Name, Func<MultiEdgeEvaluationRow, double> Of)[] s_stages =
    [
        ("PCC map", r => r.PccAccuracy),
        ("posterior labels (no MRF)", r => r.PosteriorAccuracy),
        ("final map", r => r.FinalAccuracy),
        ("final map, interior", r => r.InteriorAccuracy),
        ("final map, boundary", r => r.BoundaryAccuracy),
    ];

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
    /// Summarises several fields (seeds) of one configuration: per variant the mean ± sample standard deviation of each
    /// stage's accuracy (PCC map, posterior labels, final map, its interior and boundary); per stage the paired difference
    /// "weighted fusion − best single edge" over the seeds (mean and 95 % Student-t interval, <see cref="PairedDifference"/>),
    /// the best single edge chosen per stage as the edge with the highest mean over the seeds; the final-map difference per
    /// seed, the block weights and the registration error.
    /// </summary>
    /// <param name="seeds">One result per seed, all from the same configuration (same variants in the same order).</param>
    /// <returns>Two Markdown tables and two lines.</returns>
    /// <exception cref="ArgumentException"><paramref name="seeds"/> is empty or its results have different variants.</exception>
    public static string Summarize(IReadOnlyList<MultiEdgeEvaluationResult> seeds)
    {
        ArgumentNullException.ThrowIfNull(seeds);
        if (seeds.Count == 0)
        {
            throw new ArgumentException("Summarize needs at least one result.", nameof(seeds));
        }

        int variants = seeds[0].Rows.Count, edges = seeds[0].RegistrationErrors.Count, fused = variants - 1;
        if (seeds.Any(s => s.Rows.Count != variants || s.RegistrationErrors.Count != edges))
        {
            throw new ArgumentException("Summarize needs results of one configuration (the same variants and edges).", nameof(seeds));
        }

        var sb = new StringBuilder();
        sb.AppendLine("| input | PCC map | posterior labels (no MRF) | final map | final map, interior | final map, boundary |")
            .AppendLine("|---|---|---|---|---|---|");
        for (int r = 0; r < variants; r++)
        {
            sb.Append(CultureInfo.InvariantCulture, $"| {seeds[0].Rows[r].Name} |");
            foreach ((_, Func<MultiEdgeEvaluationRow, double> of) in s_stages)
            {
                sb.Append(CultureInfo.InvariantCulture, $" {MeanSd([.. seeds.Select(s => of(s.Rows[r]))])} |");
            }

            sb.AppendLine();
        }

        sb.AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"Weighted fusion − best single edge, paired over {seeds.Count} seed(s), in points")
            .AppendLine("(best single edge = the edge with the higher mean over the seeds at that stage):")
            .AppendLine()
            .AppendLine("| stage | best single edge | fusion − best | 95 % t-interval | seeds better / equal / worse |")
            .AppendLine("|---|---|---|---|---|");
        int finalBest = 0;
        foreach ((string stage, Func<MultiEdgeEvaluationRow, double> of) in s_stages)
        {
            double[] means = [.. Enumerable.Range(0, edges).Select(e => seeds.Average(s => of(s.Rows[e])))];
            double[] fusedValues = [.. seeds.Select(s => of(s.Rows[fused]))];
            if (means.Any(m => !double.IsFinite(m)) || fusedValues.Any(v => !double.IsFinite(v)))
            {
                sb.AppendLine(CultureInfo.InvariantCulture, $"| {stage} | — | — | — | — |");
                continue;
            }

            int best = Array.IndexOf(means, means.Max());
            finalBest = stage == "final map" ? best : finalBest;
            double[] d = [.. seeds.Select(s => of(s.Rows[fused]) - of(s.Rows[best]))];
            PairedDifference p = PairedDifference.Of(d);
            string interval = p.Count < 2
                ? "—"
                : string.Create(CultureInfo.InvariantCulture,
                    $"{PairedDifference.Signed(100 * p.Lower)} … {PairedDifference.Signed(100 * p.Upper)}{(p.ExcludesZero ? " *" : string.Empty)}");
            sb.AppendLine(CultureInfo.InvariantCulture,
                $"| {stage} | {seeds[0].Rows[best].Name} | {PairedDifference.Signed(100 * p.Mean)} | {interval} | "
                + $"{d.Count(x => x > 0)} / {d.Count(x => x == 0)} / {d.Count(x => x < 0)} |");
        }

        // The fusion against the other fused variant (the naive concatenation, the row before it), where there is one.
        string naive = variants > edges + 1
            ? string.Join("; ", s_stages.Take(3)
                .Select(st => (st.Name, Values: seeds.Select(s => st.Of(s.Rows[fused]) - st.Of(s.Rows[fused - 1])).ToArray()))
                .Where(x => x.Values.All(double.IsFinite))
                .Select(x => $"{x.Name} {PairedDifference.Of(x.Values).Format(100)}"))
            : string.Empty;
        double[] gain = [.. seeds.Select(s => s.Rows[fused].FinalAccuracy - s.Rows[finalBest].FinalAccuracy)];
        string gains = string.Join(" / ", gain.Select(g => (100 * g).ToString("+0.0;−0.0;0.0", CultureInfo.InvariantCulture)));
        string weights = string.Join(" / ", seeds.Select(s => string.Join(":", s.BlockWeights.Select(
            w => w.ToString("0.00", CultureInfo.InvariantCulture)))));
        double[] errors = [.. seeds.SelectMany(s => s.RegistrationErrors.Skip(1))];
        sb.AppendLine()
            .AppendLine("\\* the interval excludes 0 (significant at 5 %).")
            .AppendLine(naive.Length == 0 ? string.Empty : string.Create(CultureInfo.InvariantCulture,
                $"\nWeighted fusion − {seeds[0].Rows[fused - 1].Name}, paired, in points: {naive}."))
            .AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"\nFinal map, weighted fusion − {seeds[0].Rows[finalBest].Name}, per seed: {gains} points."))
            .AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"Block weights {weights}; registration error mean {errors.DefaultIfEmpty(0).Average():0.000} px, "
                + $"largest {errors.DefaultIfEmpty(0).Max():0.000} px."));
        return sb.ToString();
    }

    private static string MeanSd(double[] values)
    {
        if (values.Any(v => !double.IsFinite(v)))
        {
            return "—";
        }

        double mean = values.Average();
        double sd = values.Length > 1 ? Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Length - 1)) : 0;
        return string.Create(CultureInfo.InvariantCulture, $"{100 * mean:0.0} ± {100 * sd:0.0} %");
    }

    /// <summary>Returns the rows as a Markdown table.</summary>
    /// <returns>The table, with a header.</returns>
    public string ToMarkdown()
    {
        var sb = new StringBuilder();
        sb.AppendLine("| input | PCC map | posterior labels (no MRF) | final map | final map, interior | final map, boundary |")
            .AppendLine("|---|---|---|---|---|---|");
        foreach (MultiEdgeEvaluationRow row in Rows)
        {
            sb.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {row.Name} | {row.PccAccuracy:P1} | {row.PosteriorAccuracy:P1} | {row.FinalAccuracy:P1} | {row.InteriorAccuracy:P1} | "
                + $"{row.BoundaryAccuracy:P1} |"));
        }

        string errors = string.Join(", ", RegistrationErrors.Skip(1).Select(e => e.ToString("0.000", CultureInfo.InvariantCulture)));
        sb.AppendLine(string.Create(CultureInfo.InvariantCulture, $"\nRegistration error: {errors} px."));
        return sb.ToString();
    }
}
