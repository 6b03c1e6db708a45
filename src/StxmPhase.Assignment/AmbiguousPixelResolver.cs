using System.Globalization;

namespace StxmPhase.Assignment;

/// <summary>
/// The rules that choose a new phase for the pixels of one image that the PCC stage could not decide (ambiguous
/// pixels, and optionally latent-space false positives), from a fitted latent-space assignment: the ambiguous-pair
/// restriction of the paper, an optional 3×3 spatial prior, or the unrestricted choice.
/// </summary>
/// <remarks>
/// <para>
/// When the assignment implements <see cref="IPhaseCostAssignment"/> and <see cref="UsesPhaseCosts"/> is true, each
/// pixel receives the candidate phase c of lowest <c>cost_c − w · ln((n_c + 1) / (n + P))</c> (ties to the lowest
/// phase index), through <c>AssignAmong</c> (<see cref="PhaseCostAssignmentExtensions"/>). The candidates are the PCC pair
/// (best, second) for an ambiguous pixel that has a second phase when <see cref="RestrictToAmbiguousPair"/> is set,
/// and every phase otherwise. w is <see cref="SpatialPriorWeight"/>, <c>n_c</c> the number of the 8 neighbours whose
/// PCC label is c and that are not being resolved, n the number of such neighbours and P the number of phases (the
/// term is 0 when w = 0). Every assignment's costs are negative log-probabilities in nats
/// (<see cref="IPhaseCostAssignment"/>), so the prior composes with any of them and w = 1 makes the choice the
/// maximum of the posterior with a Laplace-smoothed neighbourhood prior. A pixel none of whose candidates has a finite
/// cost keeps its entry.
/// </para>
/// <para>
/// Otherwise (no costs needed, or an assignment without costs) each pixel receives
/// <see cref="ILatentAssignment.Assign"/>'s phase and score, unrestricted.
/// </para>
/// </remarks>
/// <example>
/// <code>
/// var resolver = new AmbiguousPixelResolver(restrictToAmbiguousPair: true, spatialPriorWeight: 2);
/// int[] labels = correlation.PhaseMap.Labels.ToArray();          // start from the PCC map
/// var scores = new float[correlation.PixelCount];
/// resolver.Resolve(model, correlation, ambiguousPixels, ambiguousLatent, labels, scores);
/// </code>
/// </example>
public sealed class AmbiguousPixelResolver
{
    /// <summary>Initializes a resolver.</summary>
    /// <param name="restrictToAmbiguousPair">
    /// Whether an ambiguous pixel may only receive one of its two PCC candidates (best, second), as in the paper.
    /// </param>
    /// <param name="spatialPriorWeight">The weight w ≥ 0 of the 3×3 neighbourhood prior (0 = off, the paper).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="spatialPriorWeight"/> is negative, NaN or infinite.</exception>
    public AmbiguousPixelResolver(bool restrictToAmbiguousPair = true, double spatialPriorWeight = 0)
    {
        if (!double.IsFinite(spatialPriorWeight) || spatialPriorWeight < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(spatialPriorWeight), spatialPriorWeight,
                string.Create(CultureInfo.InvariantCulture,
                    $"The spatial prior weight must be finite and at least 0 (0 = off); got {spatialPriorWeight}."));
        }

        RestrictToAmbiguousPair = restrictToAmbiguousPair;
        SpatialPriorWeight = spatialPriorWeight;
    }

    /// <summary>Gets whether an ambiguous pixel may only receive one of its two PCC candidates.</summary>
    public bool RestrictToAmbiguousPair { get; }

    /// <summary>Gets the weight w of the 3×3 neighbourhood prior (0 = off).</summary>
    public double SpatialPriorWeight { get; }

    /// <summary>
    /// Gets whether the rules need per-phase costs (<see cref="IPhaseCostAssignment"/>): true when the pair restriction
    /// or the spatial prior is on. With an assignment that lacks them, <see cref="Resolve"/> falls back to the
    /// unrestricted <see cref="ILatentAssignment.Assign"/>.
    /// </summary>
    public bool UsesPhaseCosts => RestrictToAmbiguousPair || SpatialPriorWeight > 0;

    /// <summary>Chooses a phase for each of <paramref name="pixels"/>, writing it into the label image.</summary>
    /// <param name="assignment">The fitted latent-space assignment.</param>
    /// <param name="correlation">The PCC result of the image: labels, second labels, ambiguity mask and size.</param>
    /// <param name="pixels">The row-major indices of the pixels to resolve, each once.</param>
    /// <param name="points">Their latent coordinates: <c>pixels.Length</c> rows of D floats, in the same order.</param>
    /// <param name="labels">
    /// The image's labels (Width × Height), usually the PCC map: the entry of each resolved pixel receives its phase;
    /// other entries are left as they are.
    /// </param>
    /// <param name="scores">
    /// Width × Height scores: the entry of each resolved pixel receives the winning cost (including the prior term), or
    /// <see cref="ILatentAssignment.Assign"/>'s score on the unrestricted path; other entries are left as they are.
    /// </param>
    /// <exception cref="ArgumentNullException"><paramref name="assignment"/> or <paramref name="correlation"/> is null.</exception>
    /// <exception cref="ArgumentException">
    /// A span has the wrong length, the assignment's phase count differs from the correlation's, or (from the
    /// assignment) a coordinate is not finite.
    /// </exception>
    /// <exception cref="ArgumentOutOfRangeException">A pixel index is outside the image.</exception>
    public void Resolve(
        ILatentAssignment assignment, CorrelationResult correlation, ReadOnlySpan<int> pixels, ReadOnlySpan<float> points,
        Span<int> labels, Span<float> scores)
    {
        ArgumentNullException.ThrowIfNull(assignment);
        ArgumentNullException.ThrowIfNull(correlation);
        Validate(assignment, correlation, pixels, points, labels, scores);
        int m = pixels.Length;
        if (m == 0)
        {
            return;
        }

        int[] phase = new int[m];
        float[] score = new float[m];
        if (!UsesPhaseCosts || assignment is not IPhaseCostAssignment costs)
        {
            assignment.Assign(points, m, phase, score);
            for (int k = 0; k < m; k++)
            {
                labels[pixels[k]] = phase[k];
                scores[pixels[k]] = score[k];
            }

            return;
        }

        int phases = correlation.PhaseCount;
        int[] candidates = Candidates(correlation, pixels);
        float[] offsets = SpatialPriorWeight > 0 ? PriorTerms(correlation, pixels) : [];
        costs.AssignAmong(points, m, candidates, phases, offsets, phase, score);
        for (int k = 0; k < m; k++)
        {
            if (phase[k] >= 0 && float.IsFinite(score[k]))
            {
                labels[pixels[k]] = phase[k];
                scores[pixels[k]] = score[k];
            }
        }
    }

    /// <summary>The candidate phases per pixel: the PCC pair when restricted and ambiguous, else every phase (−1 = unused slot).</summary>
    private int[] Candidates(CorrelationResult correlation, ReadOnlySpan<int> pixels)
    {
        int phases = correlation.PhaseCount;
        ReadOnlySpan<int> pcc = correlation.PhaseMap.Labels;
        ReadOnlySpan<int> second = correlation.SecondLabels;
        int[] candidates = new int[pixels.Length * phases];
        for (int k = 0; k < pixels.Length; k++)
        {
            Span<int> slots = candidates.AsSpan(k * phases, phases);
            int px = pixels[k];
            if (RestrictToAmbiguousPair && correlation.Ambiguous[px] && second[px] >= 0)
            {
                slots.Fill(-1);
                slots[0] = pcc[px];
                slots[1] = second[px];
            }
            else
            {
                for (int ph = 0; ph < phases; ph++)
                {
                    slots[ph] = ph;
                }
            }
        }

        return candidates;
    }

    /// <summary>−w · ln((n_c + 1) / (n + P)) per pixel and phase, rounded to float as the costs are.</summary>
    private float[] PriorTerms(CorrelationResult correlation, ReadOnlySpan<int> pixels)
    {
        int phases = correlation.PhaseCount;
        bool[] resolving = new bool[correlation.PixelCount];
        foreach (int px in pixels)
        {
            resolving[px] = true;
        }

        float[] terms = new float[pixels.Length * phases];
        Span<int> neighbours = stackalloc int[phases];
        for (int k = 0; k < pixels.Length; k++)
        {
            int n = SpatialPrior.CountNeighbours(
                correlation.PhaseMap.Labels, resolving, correlation.Width, correlation.Height, pixels[k], neighbours);
            for (int ph = 0; ph < phases; ph++)
            {
                terms[(k * phases) + ph] = -(float)(SpatialPriorWeight * Math.Log((neighbours[ph] + 1.0) / (n + phases)));
            }
        }

        return terms;
    }

    private static void Validate(
        ILatentAssignment assignment, CorrelationResult correlation, ReadOnlySpan<int> pixels, ReadOnlySpan<float> points,
        Span<int> labels, Span<float> scores)
    {
        int size = correlation.PixelCount;
        if (assignment.PhaseCount != correlation.PhaseCount)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture,
                    $"The assignment has {assignment.PhaseCount} phases but the correlation has {correlation.PhaseCount}."),
                nameof(assignment));
        }

        if (labels.Length != size || scores.Length != size)
        {
            (string name, int length) = labels.Length != size ? (nameof(labels), labels.Length) : (nameof(scores), scores.Length);
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture,
                    $"The {name} image needs {correlation.Width}×{correlation.Height} = {size} entries; got {length}."),
                name);
        }

        if (pixels.Length > 0 && points.Length % pixels.Length != 0)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"{points.Length} values cannot hold {pixels.Length} points of equal dimension."),
                nameof(points));
        }

        for (int k = 0; k < pixels.Length; k++)
        {
            if ((uint)pixels[k] >= (uint)size)
            {
                throw new ArgumentOutOfRangeException(nameof(pixels), pixels[k],
                    string.Create(CultureInfo.InvariantCulture,
                        $"Pixel {k} has index {pixels[k]}, outside the {correlation.Width}×{correlation.Height} image."));
            }
        }
    }
}
