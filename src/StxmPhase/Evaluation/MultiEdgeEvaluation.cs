using System.Globalization;
using StxmPhase.Spectra;
using StxmPhase.Synthetic;

namespace StxmPhase;

/// <summary>
/// Scores multi-edge fusion on a synthetic field (<see cref="MultiEdgeGenerator"/>): each edge alone (registered with the
/// estimated shift), the naive concatenation (one spectrum, one normalisation) and the weighted block fusion, every truth
/// particle pixel scored (an unassigned pixel counts as wrong) at three stages (PCC map, noise-model posterior labels, final
/// map; the final map also on interior and boundary pixels), plus the registration error.
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
        CancellationToken cancellationToken = default) => Evaluate(options, workflow, null, cancellationToken);

    /// <summary>Runs the comparison with the given fusion options.</summary>
    /// <param name="options">The field.</param>
    /// <param name="workflow">Creates the workflow for each variant (e.g. with a PCA encoder for speed).</param>
    /// <param name="fusion">Options of the fusion (e.g. fixed <see cref="EdgeFusionOptions.BlockWeights"/>), or
    /// <see langword="null"/> for <see cref="EdgeFusionOptions"/>' defaults.</param>
    /// <param name="cancellationToken">Cancels the evaluation.</param>
    /// <returns>One row per variant and the registration error of every further edge.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static MultiEdgeEvaluationResult Evaluate(MultiEdgeOptions options, Func<PhaseMappingWorkflow> workflow, EdgeFusionOptions? fusion,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(workflow);
        MultiEdgeDataset field = MultiEdgeGenerator.Generate(options, cancellationToken);
        SyntheticDataset first = field.Edges[0];
        string[] names = [.. field.Edges.Select((e, i) => string.Create(CultureInfo.InvariantCulture,
            $"{e.OpticalDensity.Energies[0]:0.#}–{e.OpticalDensity.Energies[^1]:0.#} eV"))];
        FusedEdgeStack fused = EdgeFusion.Fuse([.. field.Edges.Select(e => e.OpticalDensity)], names, fusion, cancellationToken);
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
        // The noise model's own labels (argmax of the posteriors, −2 where no reference fits): the posterior stage before the MRF.
        double posterior = r.Posteriors is { } post
            ? PhaseMappingEvaluation.Compare(new PhaseMap(post.Width, post.Height, r.FinalMap.PhaseNames, post.Labels), truth.Truth).Accuracy
            : double.NaN;
        return new MultiEdgeEvaluationRow(name, PhaseMappingEvaluation.Compare(r.PccMap, truth.Truth).Accuracy,
            PhaseMappingEvaluation.Compare(r.FinalMap, truth.Truth).Accuracy)
        {
            PosteriorAccuracy = posterior,
            InteriorAccuracy = PhaseMappingEvaluation.Compare(r.FinalMap, truth.Truth, truth.BoundaryMask.Not()).Accuracy,
            BoundaryAccuracy = PhaseMappingEvaluation.Compare(r.FinalMap, truth.Truth, truth.BoundaryMask).Accuracy,
        };
    }
}
