using System.Globalization;

namespace StxmPhase.Assignment;

/// <summary>
/// Assigns latent points to the phase of the nearest encoded reference spectrum (Euclidean distance): the encoded
/// references passed to <see cref="Fit"/> are fixed anchors.
/// </summary>
/// <remarks>
/// <para>
/// A point goes to argmin_j ‖z − r̃_j‖₂ (ties to the lowest phase index), where r̃_j are the reference points (a
/// phase may have several; its cost is the distance to the nearest one); the score is that distance. This is
/// scikit-learn <c>pairwise_distances_argmin(Z, R̃)</c>. Encode the references exactly as the pixels (same
/// pre-processing, encoder in evaluation mode).
/// </para>
/// <para>
/// By default (<see cref="EuclideanReferenceOptions.RequireLabelledPoints"/>) a phase with no labelled point is never
/// predicted. <see cref="EuclideanReferenceModel.ReferenceOffset"/> reports how far each reference lies from the
/// centroid of its labelled points, a diagnostic for references that fall off the data manifold.
/// </para>
/// </remarks>
/// <seealso cref="MahalanobisAssigner"/>
/// <seealso cref="NearestCentroidAssigner"/>
/// <seealso cref="KnnAssigner"/>
public sealed class EuclideanReferenceAssigner : ILatentAssigner
{
    /// <summary>Initializes the strategy.</summary>
    /// <param name="options">Options; null for the defaults.</param>
    /// <exception cref="ArgumentOutOfRangeException">MaxDegreeOfParallelism is 0 or below −1.</exception>
    public EuclideanReferenceAssigner(EuclideanReferenceOptions? options = null)
    {
        Options = options ?? new EuclideanReferenceOptions();
        Parallelism.ThrowIfInvalid(Options.MaxDegreeOfParallelism, nameof(options), "EuclideanReferenceOptions.MaxDegreeOfParallelism");
    }

    /// <summary>Gets the options.</summary>
    public EuclideanReferenceOptions Options { get; }

    /// <summary>Takes the encoded references as anchors.</summary>
    /// <param name="labelled">Confidently labelled latent points (decide which phases take part, and give the offset diagnostic).</param>
    /// <param name="references">The encoded reference spectra, label = phase. Required.</param>
    /// <returns>The fitted model.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="labelled"/> is null.</exception>
    /// <exception cref="ArgumentException">
    /// <paramref name="references"/> is null or has another dimension or phase count than <paramref name="labelled"/>;
    /// or no phase has both a reference and (when required) a labelled point, so nothing can be predicted.
    /// </exception>
    public EuclideanReferenceModel Fit(LatentSet labelled, LatentSet? references = null)
    {
        ArgumentNullException.ThrowIfNull(labelled);
        if (references is null)
        {
            throw new ArgumentException(
                "EuclideanReferenceAssigner needs the encoded reference spectra: pass them as 'references' to Fit.", nameof(references));
        }

        if (references.Dimension != labelled.Dimension)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture,
                    $"References have latent dimension {references.Dimension} but the labelled points have {labelled.Dimension}."),
                nameof(references));
        }

        if (references.PhaseCount != labelled.PhaseCount)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture,
                    $"References have {references.PhaseCount} phases but the labelled points have {labelled.PhaseCount}."),
                nameof(references));
        }

        int d = labelled.Dimension;
        var groups = PhaseGroups.From(labelled);
        var phases = new List<int>();
        var anchors = new List<double>();
        bool[] hasPhase = new bool[labelled.PhaseCount];
        double[] offsets = new double[labelled.PhaseCount];
        Array.Fill(offsets, double.NaN);
        ReadOnlySpan<int> refLabels = references.Labels;
        for (int i = 0; i < references.Count; i++)
        {
            int phase = refLabels[i];
            if (Options.RequireLabelledPoints && !groups.Has(phase))
            {
                continue;
            }

            ReadOnlySpan<float> point = references.Point(i);
            phases.Add(phase);
            hasPhase[phase] = true;
            double offset2 = 0;
            for (int j = 0; j < d; j++)
            {
                anchors.Add(point[j]);
                double diff = point[j] - groups.Means[(phase * d) + j];
                offset2 += diff * diff;
            }

            if (groups.Has(phase) && !(Math.Sqrt(offset2) >= offsets[phase]))
            {
                offsets[phase] = Math.Sqrt(offset2);
            }
        }

        if (phases.Count == 0)
        {
            throw new ArgumentException(
                Options.RequireLabelledPoints
                    ? "No phase has both a reference point and a labelled point, so no phase can be predicted; the assignment is unresolved."
                    : "The reference set has no points, so no phase can be predicted; the assignment is unresolved.",
                nameof(labelled));
        }

        return new EuclideanReferenceModel(d, [.. labelled.PhaseNames], hasPhase, [.. phases], [.. anchors], offsets, Options.MaxDegreeOfParallelism,
            Variance(labelled, [.. phases], [.. anchors]));
    }

    /// <summary>
    /// s² = mean over the labelled points of a phase with anchors of min ‖z − r̃‖² / d to their own phase's anchors; 1 when
    /// no labelled point has an anchor of its phase or the mean is 0.
    /// </summary>
    private double Variance(LatentSet labelled, int[] phases, double[] anchors)
    {
        int d = labelled.Dimension, n = labelled.Count, k = labelled.PhaseCount;
        var kernel = new AnchorKernel(d, k, phases, anchors, new double[]?[phases.Length]);
        double[] d2 = new double[(long)n * k];
        kernel.SquaredDistances(labelled.Points, n, d2, Options.MaxDegreeOfParallelism);
        double sum = 0;
        long used = 0;
        ReadOnlySpan<int> labels = labelled.Labels;
        for (int i = 0; i < n; i++)
        {
            double v = d2[((long)i * k) + labels[i]];
            if (double.IsFinite(v))
            {
                sum += v;
                used++;
            }
        }

        double s2 = used > 0 ? sum / (used * (double)d) : 0;
        return s2 > 0 && double.IsFinite(s2) ? s2 : 1;
    }

    /// <inheritdoc/>
    ILatentAssignment ILatentAssigner.Fit(LatentSet labelled, LatentSet? references) => Fit(labelled, references);
}
