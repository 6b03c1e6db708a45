using System.Globalization;
using StxmPhase.Spectra;

namespace StxmPhase.Unmixing;

/// <summary>
/// k-means clustering of spectra (Lloyd's algorithm with k-means++ seeding), the "cluster analysis" of MANTiS and
/// pca_gui, following scikit-learn 1.2 <c>KMeans(algorithm='lloyd')</c>.
/// </summary>
/// <remarks>
/// <para>
/// k-means++ (Arthur &amp; Vassilvitskii 2007, greedy variant of scikit-learn): the first centre is a uniformly drawn
/// sample; each next centre is the best (lowest resulting potential) of 2 + ⌊ln k⌋ candidates drawn with probability
/// proportional to the squared distance to the nearest chosen centre. Lloyd iterations then alternate assignment to
/// the nearest centre (first index on a tie) and centre = mean of its samples; an empty cluster is moved to the sample
/// farthest from its centre. A run stops when no label changes, or when Σ‖Δc‖² ≤ tol·mean(var(X)). The best of
/// <see cref="KMeansOptions.InitCount"/> runs (lowest inertia) is returned.
/// </para>
/// <para>
/// Deterministic for a given seed; the random stream differs from NumPy's, so labels may be permuted relative to
/// scikit-learn, and on data without a clear cluster structure a different local optimum may be found.
/// On well-separated clusters the partition and inertia agree with scikit-learn (tested).
/// </para>
/// </remarks>
/// <example>
/// <code>
/// var kmeans = new KMeans(new KMeansOptions { ClusterCount = 4, Seed = 1 }); // options validated here
/// (KMeansResult clusters, PhaseMap clusterMap) = kmeans.Fit(odStack, mask);
/// </code>
/// </example>
public sealed class KMeans
{
    private const int ChunkRows = 4096;

    /// <summary>
    /// Initializes the estimator and validates its options (the data-dependent bound k ≤ samples is checked by
    /// <see cref="Fit(ReadOnlySpan{double}, int, int, CancellationToken)"/>).
    /// </summary>
    /// <param name="options">Options; <see langword="null"/> = <see cref="KMeansOptions.Default"/> (5 clusters, 10 initialisations).</param>
    /// <exception cref="ArgumentOutOfRangeException">ClusterCount, InitCount or MaxIterations is below 1, Tolerance is negative or NaN,
    /// or MaxDegreeOfParallelism is 0 or below −1; the message names the option and the value.</exception>
    public KMeans(KMeansOptions? options = null)
    {
        Options = options ?? KMeansOptions.Default;
        Validate(Options);
    }

    /// <summary>Gets the options (validated).</summary>
    public KMeansOptions Options { get; }

    /// <summary>Clusters samples given as row-major float64 rows.</summary>
    /// <param name="data"><paramref name="count"/> rows of <paramref name="features"/> values.</param>
    /// <param name="count">Number of samples (≥ k).</param>
    /// <param name="features">Number of features.</param>
    /// <param name="cancellationToken">Cancels between iterations.</param>
    /// <returns>Centres, labels, inertia.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A size is out of range or k &gt; count.</exception>
    /// <exception cref="ArgumentException">The data length is wrong or contains NaN/±∞.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public KMeansResult Fit(ReadOnlySpan<double> data, int count, int features, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(features);
        if (data.Length != (long)count * features)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"Expected count × features = {count} × {features} values; got {data.Length}."),
                nameof(data));
        }

        for (int i = 0; i < data.Length; i++)
        {
            if (!double.IsFinite(data[i]))
            {
                throw new ArgumentException(
                    string.Create(CultureInfo.InvariantCulture,
                        $"Sample {i / features} has a non-finite value ({data[i]}) at feature {i % features}."), nameof(data));
            }
        }

        KMeansOptions options = Options;
        int k = options.ClusterCount;
        if (k > count)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count,
                string.Create(CultureInfo.InvariantCulture,
                    $"KMeansOptions.ClusterCount ({k}) must not exceed the sample count; got {count} samples."));
        }

        double[] x = data.ToArray();
        double tol = options.Tolerance * MeanVariance(x, count, features);
        var rng = new GaussianSource(options.Seed);
        KMeansResult? best = null;
        for (int run = 0; run < options.InitCount; run++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            double[] centers = PlusPlus(x, count, features, k, rng);
            KMeansResult r = Lloyd(x, count, features, k, centers, options.MaxIterations, tol, options.MaxDegreeOfParallelism, cancellationToken);
            if (best is null || r.Inertia < best.Inertia)
            {
                best = r;
            }
        }

        return best!;
    }

    /// <summary>Clusters the spectra of the included, finite pixels of a stack and returns a cluster map.</summary>
    /// <param name="stack">The stack.</param>
    /// <param name="mask">Optional mask of the pixels to cluster.</param>
    /// <param name="cancellationToken">Cancels between iterations.</param>
    /// <returns>
    /// The clustering of the valid pixels (samples in increasing pixel order) and a <see cref="PhaseMap"/> whose labels are
    /// cluster indices named "cluster 0", "cluster 1", … (−1 for masked and NaN/∞ pixels).
    /// </returns>
    /// <exception cref="ArgumentNullException"><paramref name="stack"/> is <see langword="null"/>.</exception>
    /// <exception cref="IncompatibleInputException">The mask size differs from the stack size.</exception>
    /// <exception cref="ArgumentOutOfRangeException">Fewer valid pixels than clusters.</exception>
    public (KMeansResult Clusters, PhaseMap ClusterMap) Fit(SpectralStack stack, PixelMask? mask = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stack);
        InputValidation.CheckMask(stack, mask);
        var status = new PixelStatus[stack.PixelCount];
        int[] rows = InputValidation.ExtractValidRows(stack, mask, status, out double[] x);
        if (rows.Length == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(stack), 0, "The stack has no valid pixel to cluster.");
        }

        KMeansResult r = Fit(x, rows.Length, stack.EnergyCount, cancellationToken);
        int[] labels = new int[stack.PixelCount];
        Array.Fill(labels, PhaseMap.Unassigned);
        for (int i = 0; i < rows.Length; i++)
        {
            labels[rows[i]] = r.Labels[i];
        }

        string[] names = Enumerable.Range(0, r.ClusterCount).Select(c => string.Create(CultureInfo.InvariantCulture, $"cluster {c}")).ToArray();
        return (r, PhaseMap.FromArray(stack.Width, stack.Height, names, labels));
    }

    private static void Validate(KMeansOptions options)
    {
        if (options.ClusterCount < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.ClusterCount,
                string.Create(CultureInfo.InvariantCulture, $"KMeansOptions.ClusterCount must be at least 1; got {options.ClusterCount}."));
        }

        if (options.InitCount < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.InitCount,
                string.Create(CultureInfo.InvariantCulture, $"KMeansOptions.InitCount must be at least 1; got {options.InitCount}."));
        }

        if (options.MaxIterations < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.MaxIterations,
                string.Create(CultureInfo.InvariantCulture, $"KMeansOptions.MaxIterations must be at least 1; got {options.MaxIterations}."));
        }

        if (!(options.Tolerance >= 0))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Tolerance,
                string.Create(CultureInfo.InvariantCulture, $"KMeansOptions.Tolerance must be ≥ 0; got {options.Tolerance}."));
        }

        Parallelism.ThrowIfInvalid(options.MaxDegreeOfParallelism, nameof(options), "KMeansOptions.MaxDegreeOfParallelism");
    }

    private static double MeanVariance(double[] x, int n, int d)
    {
        double total = 0;
        for (int j = 0; j < d; j++)
        {
            double mean = 0;
            for (int i = 0; i < n; i++)
            {
                mean += x[((long)i * d) + j];
            }

            mean /= n;
            double v = 0;
            for (int i = 0; i < n; i++)
            {
                double diff = x[((long)i * d) + j] - mean;
                v += diff * diff;
            }

            total += v / n;
        }

        return total / d;
    }

    private static double Distance2(double[] x, long xo, double[] c, int co, int d)
    {
        double s = 0;
        for (int j = 0; j < d; j++)
        {
            double diff = x[xo + j] - c[co + j];
            s += diff * diff;
        }

        return s;
    }

    private static double[] PlusPlus(double[] x, int n, int d, int k, GaussianSource rng)
    {
        double[] centers = new double[k * d];
        int trials = 2 + (int)Math.Log(k);
        int first = rng.NextInt(n);
        Array.Copy(x, (long)first * d, centers, 0, d);
        double[] closest = new double[n];
        double pot = 0;
        for (int i = 0; i < n; i++)
        {
            closest[i] = Distance2(x, (long)i * d, centers, 0, d);
            pot += closest[i];
        }

        double[] cumulative = new double[n];
        double[] candidateDist = new double[n];
        double[] bestDist = new double[n];
        for (int c = 1; c < k; c++)
        {
            double run = 0;
            for (int i = 0; i < n; i++)
            {
                run += closest[i];
                cumulative[i] = run;
            }

            double bestPot = double.PositiveInfinity;
            int bestId = -1;
            for (int t = 0; t < trials; t++)
            {
                double r = rng.NextUniform() * pot;
                int id = Array.BinarySearch(cumulative, r);
                id = id < 0 ? ~id : id;
                id = Math.Min(id, n - 1);
                double candPot = 0;
                for (int i = 0; i < n; i++)
                {
                    double dd = Math.Min(closest[i], Distance2(x, (long)i * d, x, id * d, d));
                    candidateDist[i] = dd;
                    candPot += dd;
                }

                if (candPot < bestPot)
                {
                    bestPot = candPot;
                    bestId = id;
                    Array.Copy(candidateDist, bestDist, n);
                }
            }

            Array.Copy(x, (long)bestId * d, centers, c * d, d);
            Array.Copy(bestDist, closest, n);
            pot = bestPot;
        }

        return centers;
    }

    private static KMeansResult Lloyd(double[] x, int n, int d, int k, double[] centers, int maxIter, double tol, int dop, CancellationToken ct)
    {
        int[] labels = new int[n];
        int[] old = new int[n];
        Array.Fill(old, -1);
        double[] dist = new double[n];
        int chunks = (n + ChunkRows - 1) / ChunkRows;
        double[][] sums = new double[chunks][];
        int[][] counts = new int[chunks][];
        int iterations = 0;
        bool converged = false;
        bool strict = false;
        for (int it = 0; it < maxIter; it++)
        {
            ct.ThrowIfCancellationRequested();
            iterations = it + 1;
            Assign(x, n, d, k, centers, labels, dist, chunks, sums, counts, dop);
            double[] next = new double[k * d];
            int[] cnt = new int[k];
            for (int c = 0; c < chunks; c++)
            {
                for (int i = 0; i < next.Length; i++)
                {
                    next[i] += sums[c][i];
                }

                for (int t = 0; t < k; t++)
                {
                    cnt[t] += counts[c][t];
                }
            }

            // Empty clusters: move to the samples farthest from their centres.
            var taken = new HashSet<int>();
            for (int t = 0; t < k; t++)
            {
                if (cnt[t] == 0)
                {
                    int far = -1;
                    double farD = -1;
                    for (int i = 0; i < n; i++)
                    {
                        if (dist[i] > farD && !taken.Contains(i))
                        {
                            farD = dist[i];
                            far = i;
                        }
                    }

                    taken.Add(far);
                    int from = labels[far];
                    for (int j = 0; j < d; j++)
                    {
                        next[(from * d) + j] -= x[((long)far * d) + j];
                        next[(t * d) + j] = x[((long)far * d) + j];
                    }

                    cnt[from]--;
                    cnt[t] = 1;
                    labels[far] = t;
                }
            }

            double shift = 0;
            for (int t = 0; t < k; t++)
            {
                for (int j = 0; j < d; j++)
                {
                    double v = cnt[t] > 0 ? next[(t * d) + j] / cnt[t] : centers[(t * d) + j];
                    double diff = v - centers[(t * d) + j];
                    shift += diff * diff;
                    next[(t * d) + j] = v;
                }
            }

            Array.Copy(next, centers, next.Length);
            if (labels.AsSpan().SequenceEqual(old))
            {
                strict = true;
                converged = true;
                break;
            }

            Array.Copy(labels, old, n);
            if (shift <= tol)
            {
                converged = true;
                break;
            }
        }

        if (!strict)
        {
            Assign(x, n, d, k, centers, labels, dist, chunks, sums, counts, dop);
        }

        double inertia = 0;
        for (int i = 0; i < n; i++)
        {
            inertia += Distance2(x, (long)i * d, centers, labels[i] * d, d);
        }

        return new KMeansResult(k, d, centers, labels, inertia, iterations, converged);
    }

    private static void Assign(double[] x, int n, int d, int k, double[] centers, int[] labels, double[] dist, int chunks,
        double[][] sums, int[][] counts, int dop)
    {
        Kernels.For(chunks, dop, c =>
        {
            double[] s = new double[k * d];
            int[] cnt = new int[k];
            int end = Math.Min(n, (c + 1) * ChunkRows);
            for (int i = c * ChunkRows; i < end; i++)
            {
                long o = (long)i * d;
                int best = 0;
                double bd = double.PositiveInfinity;
                for (int t = 0; t < k; t++)
                {
                    double dd = Distance2(x, o, centers, t * d, d);
                    if (dd < bd)
                    {
                        bd = dd;
                        best = t;
                    }
                }

                labels[i] = best;
                dist[i] = bd;
                cnt[best]++;
                for (int j = 0; j < d; j++)
                {
                    s[(best * d) + j] += x[o + j];
                }
            }

            sums[c] = s;
            counts[c] = cnt;
        });
    }
}
