namespace StxmPhase.Assignment;

/// <summary>
/// Assigns latent points to the phase whose labelled-point mean (centroid) is nearest in Euclidean distance:
/// scikit-learn <c>NearestCentroid(metric='euclidean', shrink_threshold=None)</c>.
/// </summary>
/// <remarks>
/// μ_c = Σz/n_c over the labelled points of phase c; a point goes to argmin_c ‖z − μ_c‖₂ (ties to the lowest phase
/// index) with that distance as its score. Phases with no labelled points are never predicted. Unlike scikit-learn,
/// a single phase is allowed (a trivial assignment). Fitting is deterministic and idempotent.
/// </remarks>
/// <seealso cref="MahalanobisAssigner"/>
/// <seealso cref="KnnAssigner"/>
/// <seealso cref="EuclideanReferenceAssigner"/>
public sealed class NearestCentroidAssigner : ILatentAssigner
{
    /// <summary>Initializes the strategy.</summary>
    /// <param name="options">Options; null for the defaults.</param>
    /// <exception cref="ArgumentOutOfRangeException">MaxDegreeOfParallelism is 0 or below −1.</exception>
    public NearestCentroidAssigner(NearestCentroidOptions? options = null)
    {
        Options = options ?? new NearestCentroidOptions();
        Parallelism.ThrowIfInvalid(Options.MaxDegreeOfParallelism, nameof(options), "NearestCentroidOptions.MaxDegreeOfParallelism");
    }

    /// <summary>Gets the options.</summary>
    public NearestCentroidOptions Options { get; }

    /// <summary>Computes the centroid of each phase.</summary>
    /// <param name="labelled">Confidently labelled latent points.</param>
    /// <param name="references">Ignored by this strategy.</param>
    /// <returns>The fitted model.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="labelled"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="labelled"/> has no points, so no phase can be predicted.</exception>
    public NearestCentroidModel Fit(LatentSet labelled, LatentSet? references = null)
    {
        ThrowHelper.ValidateLabelled(labelled);
        var groups = PhaseGroups.From(labelled);
        double s2 = 0;
        foreach (double v in groups.Centred)
        {
            s2 += v * v;
        }

        s2 /= (double)groups.Total * labelled.Dimension;
        return new NearestCentroidModel(labelled.Dimension, [.. labelled.PhaseNames], groups.Counts, groups.Means, Options.MaxDegreeOfParallelism,
            s2 > 0 && double.IsFinite(s2) ? s2 : 1);
    }

    /// <inheritdoc/>
    ILatentAssignment ILatentAssigner.Fit(LatentSet labelled, LatentSet? references) => Fit(labelled, references);
}
