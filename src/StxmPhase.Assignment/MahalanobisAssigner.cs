using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace StxmPhase.Assignment;

/// <summary>
/// Assigns latent points to the phase of highest Gaussian class log-likelihood (quadratic discriminant analysis), with
/// one mean and one regularised covariance per phase estimated from the confidently labelled points and the class
/// priors from their phase fractions; the paper's rule (smallest squared Mahalanobis distance alone) is
/// <see cref="MahalanobisRule.SquaredDistance"/>.
/// </summary>
/// <remarks>
/// <para>
/// For each phase c with n_c labelled points: mean μ_c = Σz/n_c; biased empirical covariance
/// S_c = Σ(z − μ_c)(z − μ_c)ᵀ/n_c; regularised covariance Σ_c (Ledoit–Wolf by default, see
/// <see cref="CovarianceRegularization"/>); distance D²_c(z) = (z − μ_c)ᵀΣ_c⁻¹(z − μ_c) through a float64 Cholesky
/// factor; prior π_c = n_c/n. The point goes to argmin_c ½D²_c + ½ln|Σ_c| − ln π_c (the default
/// <see cref="MahalanobisRule.GaussianLikelihood"/>) or argmin_c D²_c (<see cref="MahalanobisRule.SquaredDistance"/>),
/// ties to the lowest phase index, and its score is its D² to the chosen phase.
/// </para>
/// <para>
/// Safeguards (scikit-learn has none): a phase with fewer than d + 1 points, or whose Σ_c is not positive definite,
/// uses the pooled within-phase covariance Σ_c (n_c/n)S_c, regularised the same way (Ledoit–Wolf shrinkage computed
/// on the concatenated phase-centred points); if even that is zero or singular, the phase uses the identity
/// (squared Euclidean distance). A ridge floor <see cref="MahalanobisOptions.RidgeFloor"/> is always added. Each
/// fallback is logged as a warning and listed in <see cref="MahalanobisModel.Warnings"/>. Phases with no labelled
/// points are never predicted.
/// </para>
/// <para>
/// Differences from scikit-learn, by design: the safeguards above and the ridge floor (sklearn returns D² = 0 for a
/// zero covariance, algorithms.md §6 V3c); the Cholesky factorisation is a small float64 routine that treats a pivot
/// at or below 1e-12·tr(Σ)/d as "not positive definite" instead of relying on an exception (MathNet's
/// <c>Cholesky()</c> would accept numerically singular matrices with tiny positive pivots).
/// </para>
/// <para>Fitting is deterministic and idempotent: the same labelled set always gives the same model.</para>
/// </remarks>
/// <example>
/// <code>
/// var model = new MahalanobisAssigner().Fit(labelled);
/// model.Assign(ambiguousPoints, count, phase, squaredDistance);
/// var paper = new MahalanobisAssigner(new MahalanobisOptions { Rule = MahalanobisRule.SquaredDistance }); // D² only
/// </code>
/// </example>
/// <seealso cref="KnnAssigner"/>
/// <seealso cref="NearestCentroidAssigner"/>
/// <seealso cref="EuclideanReferenceAssigner"/>
public sealed class MahalanobisAssigner : ILatentAssigner
{
    private static readonly Action<ILogger, string, Exception?> s_logFallback =
        LoggerMessage.Define<string>(LogLevel.Warning, new EventId(1, "MahalanobisFallback"), "{Message}");

    private readonly ILogger _logger;

    /// <summary>Initializes the strategy.</summary>
    /// <param name="options">Options; null for the defaults.</param>
    /// <param name="logger">Receives a warning for each covariance fallback; null for none.</param>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range (negative or non-finite ridge, MaxDegreeOfParallelism 0 or below
    /// −1).</exception>
    public MahalanobisAssigner(MahalanobisOptions? options = null, ILogger? logger = null)
    {
        Options = options ?? new MahalanobisOptions();
        Validate(Options);
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>Gets the options.</summary>
    public MahalanobisOptions Options { get; }

    /// <summary>Fits one mean and regularised covariance per phase.</summary>
    /// <param name="labelled">Confidently labelled latent points.</param>
    /// <param name="references">Ignored by this strategy.</param>
    /// <returns>The fitted model.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="labelled"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="labelled"/> has no points, so no phase can be predicted.</exception>
    public MahalanobisModel Fit(LatentSet labelled, LatentSet? references = null)
    {
        ThrowHelper.ValidateLabelled(labelled);
        var warnings = new List<string>();
        var model = MahalanobisModel.Fit(labelled, Options, warnings);
        foreach (string warning in warnings)
        {
            s_logFallback(_logger, warning, null);
        }

        return model;
    }

    /// <inheritdoc/>
    ILatentAssignment ILatentAssigner.Fit(LatentSet labelled, LatentSet? references) => Fit(labelled, references);

    internal static void Validate(MahalanobisOptions options)
    {
        if (!double.IsFinite(options.RidgeStrength) || options.RidgeStrength < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.RidgeStrength,
                string.Create(CultureInfo.InvariantCulture, $"RidgeStrength must be finite and ≥ 0; got {options.RidgeStrength}."));
        }

        if (!double.IsFinite(options.RidgeFloor) || options.RidgeFloor < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.RidgeFloor,
                string.Create(CultureInfo.InvariantCulture, $"RidgeFloor must be finite and ≥ 0; got {options.RidgeFloor}."));
        }

        Parallelism.ThrowIfInvalid(options.MaxDegreeOfParallelism, nameof(options), "MahalanobisOptions.MaxDegreeOfParallelism");
    }
}
