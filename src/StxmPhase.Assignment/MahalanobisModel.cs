using System.Globalization;

namespace StxmPhase.Assignment;

/// <summary>
/// A fitted Mahalanobis assignment: one mean and one covariance per phase (see <see cref="MahalanobisAssigner"/>), or
/// components given directly (<see cref="FromComponents"/>). Immutable and thread-safe.
/// </summary>
/// <remarks>
/// <see cref="PhaseCosts"/> writes, per phase, a negative log-probability in nats (see <see cref="IPhaseCostAssignment"/>):
/// with the default <see cref="MahalanobisRule.GaussianLikelihood"/>, cost_c = ½D²_c + ½ln|Σ_c| − ln π_c, i.e.
/// −ln p(z, c) up to the constant ½d·ln 2π, where D²_c = (z − μ_c)ᵀΣ_c⁻¹(z − μ_c) and π_c is the fraction of the
/// fitted points labelled c (equal priors for <see cref="FromComponents"/>); with
/// <see cref="MahalanobisRule.SquaredDistance"/> (the paper), cost_c = ½D²_c. +∞ for absent phases. <see cref="Assign"/>
/// writes the phase of lowest cost (ties to the lowest phase index) and, as the score, the squared Mahalanobis distance
/// D² to that phase. Distances are computed in float64 as ‖L_c⁻¹(z − μ_c)‖² with Σ_c = L_cL_cᵀ (so ln|Σ_c| =
/// 2 Σ ln L_c,ii), vectorized across points and parallel over blocks of 256 points.
/// </remarks>
public sealed class MahalanobisModel : IPhaseCostAssignment
{
    private readonly double[] _means;
    private readonly double[] _covariances;
    private readonly double[] _shrinkage;
    private readonly CovarianceSource[] _sources;
    private readonly int[] _counts;
    private readonly string[] _names;
    private readonly string[] _warnings;
    private readonly AnchorKernel _kernel;
    private readonly int _maxDegreeOfParallelism;
    private readonly double[] _logDeterminants;
    private readonly double[] _priors;

    private MahalanobisModel(
        int dimension, string[] names, int[] counts, double[] means, double[] covariances, double[] shrinkage,
        CovarianceSource[] sources, string[] warnings, int maxDegreeOfParallelism, MahalanobisRule rule)
    {
        Rule = rule;
        Dimension = dimension;
        _names = names;
        _counts = counts;
        _means = means;
        _covariances = covariances;
        _shrinkage = shrinkage;
        _sources = sources;
        _warnings = warnings;
        _maxDegreeOfParallelism = maxDegreeOfParallelism;

        int d = dimension;
        var anchorPhase = new List<int>();
        var anchorMeans = new List<double>();
        var whitening = new List<double[]?>();
        double[] lower = new double[d * d];
        _logDeterminants = new double[names.Length];
        _priors = Priors(counts, sources);
        for (int c = 0; c < names.Length; c++)
        {
            if (sources[c] == CovarianceSource.Absent)
            {
                continue;
            }

            anchorPhase.Add(c);
            anchorMeans.AddRange(means.AsSpan(c * d, d));
            if (sources[c] == CovarianceSource.Euclidean)
            {
                whitening.Add(null);
            }
            else
            {
                bool ok = Cholesky.TryFactor(covariances.AsSpan(c * d * d, d * d), d, lower);
                System.Diagnostics.Debug.Assert(ok, "Covariances are checked positive definite before construction.");
                double[] inverse = new double[d * d];
                Cholesky.InvertLower(lower, d, inverse);
                whitening.Add(inverse);
                for (int i = 0; i < d; i++)
                {
                    _logDeterminants[c] += 2 * Math.Log(lower[(i * d) + i]);
                }
            }
        }

        double[] offsets = new double[names.Length];
        if (rule == MahalanobisRule.GaussianLikelihood)
        {
            for (int c = 0; c < offsets.Length; c++)
            {
                offsets[c] = _priors[c] > 0 ? (0.5 * _logDeterminants[c]) - Math.Log(_priors[c]) : 0;
            }
        }

        _kernel = new AnchorKernel(d, names.Length, [.. anchorPhase], [.. anchorMeans], [.. whitening], 0.5, offsets);
    }

    /// <inheritdoc/>
    public int PhaseCount => _names.Length;

    /// <summary>Gets the latent dimension d.</summary>
    public int Dimension { get; }

    /// <summary>Gets the scoring rule (<see cref="MahalanobisOptions.Rule"/>).</summary>
    public MahalanobisRule Rule { get; }

    /// <summary>
    /// Returns the class prior π of <paramref name="phase"/>: its fraction of the fitted points (1/K' over the K' given
    /// components for <see cref="FromComponents"/>; 0 for an absent phase). Used by <see cref="MahalanobisRule.GaussianLikelihood"/>.
    /// </summary>
    /// <param name="phase">Phase index.</param>
    /// <returns>π ∈ [0, 1].</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="phase"/> is outside [0, PhaseCount).</exception>
    public double Prior(int phase)
    {
        CheckPhase(phase);
        return _priors[phase];
    }

    /// <summary>Returns ln|Σ| of <paramref name="phase"/>'s covariance (0 for the identity and for an absent phase).</summary>
    /// <param name="phase">Phase index.</param>
    /// <returns>The natural log-determinant.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="phase"/> is outside [0, PhaseCount).</exception>
    public double LogDeterminant(int phase)
    {
        CheckPhase(phase);
        return _logDeterminants[phase];
    }

    /// <summary>Gets the phase names, by label.</summary>
    public IReadOnlyList<string> PhaseNames => Array.AsReadOnly(_names);

    /// <summary>Gets the number of labelled points of each phase, estimated during Fit (all 0 for a model built with
    /// <see cref="FromComponents"/>).</summary>
    public IReadOnlyList<int> PointCounts => Array.AsReadOnly(_counts);

    /// <summary>Gets the fallbacks taken during Fit (empty when every phase used its own covariance).</summary>
    public IReadOnlyList<string> Warnings => Array.AsReadOnly(_warnings);

    /// <summary>Returns whether <paramref name="phase"/> can be predicted (it had labelled points, or was given as a component).</summary>
    /// <param name="phase">Phase index.</param>
    /// <returns><see langword="true"/> when the phase takes part in the assignment.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="phase"/> is outside [0, PhaseCount).</exception>
    public bool HasPhase(int phase) => Source(phase) != CovarianceSource.Absent;

    /// <summary>Returns the mean μ of <paramref name="phase"/> (d values; zeros for an absent phase), estimated during Fit.</summary>
    /// <param name="phase">Phase index.</param>
    /// <returns>The mean.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="phase"/> is outside [0, PhaseCount).</exception>
    public ReadOnlySpan<double> Mean(int phase)
    {
        CheckPhase(phase);
        return _means.AsSpan(phase * Dimension, Dimension);
    }

    /// <summary>
    /// Returns the covariance Σ used for <paramref name="phase"/>, d × d row-major, after regularisation, fallback
    /// and ridge floor (the identity for <see cref="CovarianceSource.Euclidean"/>; zeros for an absent phase).
    /// </summary>
    /// <param name="phase">Phase index.</param>
    /// <returns>The covariance.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="phase"/> is outside [0, PhaseCount).</exception>
    public ReadOnlySpan<double> Covariance(int phase)
    {
        CheckPhase(phase);
        int dd = Dimension * Dimension;
        return _covariances.AsSpan(phase * dd, dd);
    }

    /// <summary>
    /// Returns the Ledoit–Wolf shrinkage α applied to <paramref name="phase"/>'s covariance (that of the pooled
    /// covariance when the phase fell back to it); 0 when the regularisation is not Ledoit–Wolf, for the Euclidean
    /// fallback, for components and for absent phases.
    /// </summary>
    /// <param name="phase">Phase index.</param>
    /// <returns>α ∈ [0, 1].</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="phase"/> is outside [0, PhaseCount).</exception>
    public double Shrinkage(int phase)
    {
        CheckPhase(phase);
        return _shrinkage[phase];
    }

    /// <summary>Returns where the covariance of <paramref name="phase"/> came from.</summary>
    /// <param name="phase">Phase index.</param>
    /// <returns>The source.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="phase"/> is outside [0, PhaseCount).</exception>
    public CovarianceSource Source(int phase)
    {
        CheckPhase(phase);
        return _sources[phase];
    }

    /// <summary>Assigns each point the phase of lowest cost (<see cref="Rule"/>): highest Gaussian log-likelihood by default.</summary>
    /// <param name="points"><paramref name="count"/> rows of <see cref="Dimension"/> floats.</param>
    /// <param name="count">The number of points.</param>
    /// <param name="phase">Receives the phase of each point.</param>
    /// <param name="score">Receives the squared Mahalanobis distance D² to the chosen phase.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative.</exception>
    /// <exception cref="ArgumentException"><paramref name="points"/> does not hold count × d values, a coordinate is NaN or ±∞ (the message names
    /// the point), or a destination is too short.</exception>
    public void Assign(ReadOnlySpan<float> points, int count, Span<int> phase, Span<float> score)
    {
        ThrowHelper.ValidateQuery(points, count, Dimension);
        ThrowHelper.ValidateDestination(phase.Length, count, nameof(phase));
        ThrowHelper.ValidateDestination(score.Length, count, nameof(score));
        _kernel.Assign(points, count, phase, score, takeSquareRoot: false, _maxDegreeOfParallelism);
    }

    /// <summary>
    /// Writes the cost of every point for every phase as float32: the negative Gaussian log-likelihood ½D² + ½ln|Σ| − ln π
    /// (or ½D² with <see cref="MahalanobisRule.SquaredDistance"/>), +∞ for absent phases.
    /// </summary>
    /// <param name="points"><paramref name="count"/> rows of <see cref="Dimension"/> floats.</param>
    /// <param name="count">The number of points.</param>
    /// <param name="destination">Receives count × PhaseCount costs, row-major.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative.</exception>
    /// <exception cref="ArgumentException"><paramref name="points"/> does not hold count × d values, a coordinate is NaN or ±∞, or
    /// <paramref name="destination"/> is too short.</exception>
    public void PhaseCosts(ReadOnlySpan<float> points, int count, Span<float> destination)
    {
        ThrowHelper.ValidateQuery(points, count, Dimension);
        ThrowHelper.ValidateDestination(destination.Length, (long)count * PhaseCount, nameof(destination));
        _kernel.Costs(points, count, destination, takeSquareRoot: false, _maxDegreeOfParallelism);
    }

    /// <summary>Writes the squared Mahalanobis distance of every point to every phase in float64 (+∞ for absent phases).</summary>
    /// <param name="points"><paramref name="count"/> rows of <see cref="Dimension"/> floats.</param>
    /// <param name="count">The number of points.</param>
    /// <param name="destination">Receives count × PhaseCount distances, row-major.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative.</exception>
    /// <exception cref="ArgumentException"><paramref name="points"/> does not hold count × d values, a coordinate is NaN or ±∞, or
    /// <paramref name="destination"/> is too short.</exception>
    public void SquaredDistances(ReadOnlySpan<float> points, int count, Span<double> destination)
    {
        ThrowHelper.ValidateQuery(points, count, Dimension);
        ThrowHelper.ValidateDestination(destination.Length, (long)count * PhaseCount, nameof(destination));
        _kernel.SquaredDistances(points, count, destination, _maxDegreeOfParallelism);
    }

    /// <summary>
    /// Builds a model from given Gaussian components, e.g. the fitted prior of a GMVAE (means μ_k and covariances
    /// Σ_k), one phase per component.
    /// </summary>
    /// <param name="means">K × d means, row-major.</param>
    /// <param name="covariances">K × d × d symmetric positive definite covariances, row-major.</param>
    /// <param name="dimension">The latent dimension d (≥ 1).</param>
    /// <param name="phaseNames">K names, one per component.</param>
    /// <param name="options">Options (only <see cref="MahalanobisOptions.RidgeFloor"/> and <see cref="MahalanobisOptions.MaxDegreeOfParallelism"/>
    /// apply); null for the defaults.</param>
    /// <returns>The model; every phase has <see cref="CovarianceSource.Component"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="phaseNames"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="dimension"/> is not positive, or an option is out of range.</exception>
    /// <exception cref="ArgumentException">No components, lengths do not match, a value is not finite, or a covariance is not symmetric positive
    /// definite (the message names the component).</exception>
    public static MahalanobisModel FromComponents(
        ReadOnlySpan<double> means, ReadOnlySpan<double> covariances, int dimension, IReadOnlyList<string> phaseNames,
        MahalanobisOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(phaseNames);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimension);
        options ??= new MahalanobisOptions();
        MahalanobisAssigner.Validate(options);
        int k = phaseNames.Count;
        int d = dimension;
        if (k == 0)
        {
            throw new ArgumentException("At least one component is required.", nameof(phaseNames));
        }

        if (means.Length != k * d)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"Expected {k} components × {d} = {k * d} mean values; got {means.Length}."),
                nameof(means));
        }

        if (covariances.Length != k * d * d)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture,
                    $"Expected {k} components × {d}×{d} = {k * d * d} covariance values; got {covariances.Length}."),
                nameof(covariances));
        }

        for (int i = 0; i < means.Length; i++)
        {
            if (!double.IsFinite(means[i]))
            {
                throw new ArgumentException(
                    string.Create(CultureInfo.InvariantCulture, $"Mean of component {i / d} has a non-finite coordinate {i % d} ({means[i]})."),
                    nameof(means));
            }
        }

        double[] covs = covariances.ToArray();
        double[] lower = new double[d * d];
        for (int c = 0; c < k; c++)
        {
            Span<double> cov = covs.AsSpan(c * d * d, d * d);
            for (int i = 0; i < d; i++)
            {
                for (int j = 0; j < d; j++)
                {
                    double a = cov[(i * d) + j];
                    double b = cov[(j * d) + i];
                    if (!double.IsFinite(a))
                    {
                        throw new ArgumentException(
                            string.Create(CultureInfo.InvariantCulture, $"Covariance of component {c} has a non-finite entry ({i}, {j}) = {a}."),
                            nameof(covariances));
                    }

                    if (Math.Abs(a - b) > 1e-9 * Math.Max(Math.Abs(a), Math.Abs(b)) && Math.Abs(a - b) > 1e-300)
                    {
                        throw new ArgumentException(
                            string.Create(CultureInfo.InvariantCulture,
                                $"Covariance of component {c} is not symmetric: entry ({i}, {j}) = {a} but ({j}, {i}) = {b}."),
                            nameof(covariances));
                    }
                }
            }

            AddFloor(cov, d, options.RidgeFloor);
            if (!Cholesky.TryFactor(cov, d, lower))
            {
                throw new ArgumentException(
                    string.Create(CultureInfo.InvariantCulture, $"Covariance of component {c} ('{phaseNames[c]}') is not positive definite."),
                    nameof(covariances));
            }
        }

        var sources = Enumerable.Repeat(CovarianceSource.Component, k).ToArray();
        return new MahalanobisModel(d, [.. phaseNames], new int[k], means.ToArray(), covs, new double[k], sources, [],
            options.MaxDegreeOfParallelism, options.Rule);
    }

    internal static MahalanobisModel Fit(LatentSet labelled, MahalanobisOptions options, List<string> warnings)
    {
        int d = labelled.Dimension;
        int k = labelled.PhaseCount;
        int dd = d * d;
        var groups = PhaseGroups.From(labelled);
        double[] covariances = new double[k * dd];
        double[] shrinkage = new double[k];
        var sources = new CovarianceSource[k];
        double[] lower = new double[dd];
        double[]? pooled = null;
        double pooledShrinkage = 0;
        bool pooledOk = false;

        for (int c = 0; c < k; c++)
        {
            int n = groups.Counts[c];
            if (n == 0)
            {
                sources[c] = CovarianceSource.Absent;
                continue;
            }

            Span<double> cov = covariances.AsSpan(c * dd, dd);
            bool ok = false;
            string? reason = null;
            if (n >= d + 1)
            {
                ReadOnlySpan<double> centred = groups.CentredOf(c);
                LedoitWolf.EmpiricalCovariance(centred, n, d, cov);
                shrinkage[c] = Regularize(cov, centred, n, d, options);
                ok = Cholesky.TryFactor(cov, d, lower);
                reason = ok ? null : "its regularised covariance is not positive definite";
            }
            else
            {
                reason = string.Create(CultureInfo.InvariantCulture, $"it has {n} labelled points (fewer than d + 1 = {d + 1})");
            }

            if (ok)
            {
                sources[c] = CovarianceSource.Phase;
            }
            else
            {
                if (pooled is null)
                {
                    pooled = new double[dd];
                    LedoitWolf.EmpiricalCovariance(groups.Centred, groups.Total, d, pooled);
                    pooledShrinkage = Regularize(pooled, groups.Centred, groups.Total, d, options);
                    pooledOk = Cholesky.TryFactor(pooled, d, lower);
                }

                if (pooledOk)
                {
                    pooled.CopyTo(cov);
                    shrinkage[c] = pooledShrinkage;
                    sources[c] = CovarianceSource.Pooled;
                    warnings.Add(string.Create(CultureInfo.InvariantCulture,
                        $"Phase {c} ('{labelled.PhaseNames[c]}') uses the pooled within-phase covariance because {reason}."));
                }
                else
                {
                    SetIdentity(cov, d);
                    shrinkage[c] = 0;
                    sources[c] = CovarianceSource.Euclidean;
                    warnings.Add(string.Create(CultureInfo.InvariantCulture,
                        $"Phase {c} ('{labelled.PhaseNames[c]}') uses the squared Euclidean distance because {reason} and the pooled within-phase " +
                        $"covariance is zero or singular."));
                    continue;
                }
            }

            AddFloor(cov, d, options.RidgeFloor);
        }

        return new MahalanobisModel(d, [.. labelled.PhaseNames], groups.Counts, groups.Means, covariances, shrinkage, sources,
            [.. warnings], options.MaxDegreeOfParallelism, options.Rule);
    }

    /// <summary>π_c = n_c / Σn over the fitted points; equal over the present phases when no counts are known (components).</summary>
    private static double[] Priors(int[] counts, CovarianceSource[] sources)
    {
        double[] priors = new double[counts.Length];
        long total = counts.Sum(c => (long)c);
        int present = sources.Count(s => s != CovarianceSource.Absent);
        for (int c = 0; c < counts.Length; c++)
        {
            if (sources[c] != CovarianceSource.Absent)
            {
                priors[c] = total > 0 ? counts[c] / (double)total : 1.0 / present;
            }
        }

        return priors;
    }

    private static double Regularize(Span<double> cov, ReadOnlySpan<double> centred, int n, int d, MahalanobisOptions options)
    {
        switch (options.Regularization)
        {
            case CovarianceRegularization.LedoitWolf:
                double alpha = LedoitWolf.Shrinkage(centred, n, d, cov);
                LedoitWolf.Shrink(cov, d, alpha);
                return alpha;
            case CovarianceRegularization.Ridge:
                double ridge = options.RidgeStrength * LedoitWolf.Trace(cov, d) / d;
                for (int i = 0; i < d; i++)
                {
                    cov[(i * d) + i] += ridge;
                }

                return 0;
            default:
                return 0;
        }
    }

    private static void AddFloor(Span<double> cov, int d, double relativeFloor)
    {
        double floor = relativeFloor * Math.Max(LedoitWolf.Trace(cov, d) / d, 1e-12);
        for (int i = 0; i < d; i++)
        {
            cov[(i * d) + i] += floor;
        }
    }

    private static void SetIdentity(Span<double> cov, int d)
    {
        cov.Clear();
        for (int i = 0; i < d; i++)
        {
            cov[(i * d) + i] = 1.0;
        }
    }

    private void CheckPhase(int phase)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(phase);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(phase, PhaseCount);
    }
}
