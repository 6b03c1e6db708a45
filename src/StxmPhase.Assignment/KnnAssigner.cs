using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace StxmPhase.Assignment;

/// <summary>
/// Assigns latent points by a vote of their k nearest labelled neighbours (Euclidean distance): scikit-learn
/// <c>KNeighborsClassifier</c>.
/// </summary>
/// <remarks>
/// <para>
/// Neighbours are the k labelled points of smallest (distance, index), found exactly with a k-d tree in float64.
/// Votes are 1 (<see cref="KnnWeighting.Uniform"/>) or 1/distance (<see cref="KnnWeighting.Distance"/>, with
/// zero-distance neighbours taking all the weight). The point goes to the phase of largest summed vote; a vote tie
/// goes to the lowest phase index, even when another tied phase holds the nearer neighbour (as scikit-learn). The
/// score is the winner's vote share (summed weight / total weight, scikit-learn's <c>predict_proba</c>).
/// </para>
/// <para>
/// Differences from scikit-learn: k larger than the number of labelled points is clamped (with a logged warning,
/// also in <see cref="KnnModel.Warnings"/>) instead of raising. Phases with no labelled points can never win.
/// Queries run in parallel over blocks of points and the result does not depend on the schedule.
/// </para>
/// </remarks>
/// <seealso cref="MahalanobisAssigner"/>
/// <seealso cref="NearestCentroidAssigner"/>
/// <seealso cref="EuclideanReferenceAssigner"/>
public sealed class KnnAssigner : ILatentAssigner
{
    private static readonly Action<ILogger, string, Exception?> s_logClamp =
        LoggerMessage.Define<string>(LogLevel.Warning, new EventId(1, "KnnNeighborCountClamped"), "{Message}");

    private readonly ILogger _logger;

    /// <summary>Initializes the strategy.</summary>
    /// <param name="options">Options; null for the defaults.</param>
    /// <param name="logger">Receives a warning when k is clamped; null for none.</param>
    /// <exception cref="ArgumentOutOfRangeException">NeighborCount is below 1, Weighting is undefined, or MaxDegreeOfParallelism is 0 or below
    /// −1.</exception>
    public KnnAssigner(KnnOptions? options = null, ILogger? logger = null)
    {
        Options = options ?? new KnnOptions();
        if (Options.NeighborCount < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), Options.NeighborCount,
                string.Create(CultureInfo.InvariantCulture, $"NeighborCount must be at least 1; got {Options.NeighborCount}."));
        }

        if (!Enum.IsDefined(Options.Weighting))
        {
            throw new ArgumentOutOfRangeException(nameof(options), Options.Weighting, "Weighting is not a defined KnnWeighting value.");
        }

        Parallelism.ThrowIfInvalid(Options.MaxDegreeOfParallelism, nameof(options), "KnnOptions.MaxDegreeOfParallelism");
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>Gets the options.</summary>
    public KnnOptions Options { get; }

    /// <summary>Indexes the labelled points.</summary>
    /// <param name="labelled">Confidently labelled latent points.</param>
    /// <param name="references">Ignored by this strategy.</param>
    /// <returns>The fitted model.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="labelled"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="labelled"/> has no points, so no phase can be predicted.</exception>
    public KnnModel Fit(LatentSet labelled, LatentSet? references = null)
    {
        ThrowHelper.ValidateLabelled(labelled);
        var warnings = new List<string>();
        int k = Options.NeighborCount;
        if (k > labelled.Count)
        {
            string warning = string.Create(CultureInfo.InvariantCulture,
                $"NeighborCount {k} exceeds the {labelled.Count} labelled points; using k = {labelled.Count}.");
            warnings.Add(warning);
            s_logClamp(_logger, warning, null);
            k = labelled.Count;
        }

        return new KnnModel(labelled, k, Options, [.. warnings]);
    }

    /// <inheritdoc/>
    ILatentAssignment ILatentAssigner.Fit(LatentSet labelled, LatentSet? references) => Fit(labelled, references);
}
