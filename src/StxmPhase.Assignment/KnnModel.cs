using System.Buffers;

namespace StxmPhase.Assignment;

/// <summary>
/// A fitted k-nearest-neighbour assignment (see <see cref="KnnAssigner"/>): a k-d tree over the labelled points.
/// Immutable and thread-safe.
/// </summary>
/// <remarks>
/// <see cref="Assign"/> writes the phase of largest summed vote among the k nearest labelled points (ties to the
/// lowest phase index) and, as the score, its vote share in [0, 1]. <see cref="PhaseCosts"/> writes the negative log
/// of the smoothed vote share, −ln((k·share_c + α)/(k + K′α)) in nats with α = 1/K′ (K′ the phases with labelled points;
/// +∞ for the others), so that a phase no neighbour voted for keeps a finite cost; <see cref="VoteShares"/> writes the
/// shares in float64 (scikit-learn <c>predict_proba</c>). A query costs O(k log n) on well-spread data.
/// </remarks>
public sealed class KnnModel : IPhaseCostAssignment
{
    private const int ChunkSize = 64;

    private readonly string[] _names;
    private readonly int[] _counts;
    private readonly int[] _labels;
    private readonly string[] _warnings;
    private readonly KdTree _tree;
    private readonly int _maxDegreeOfParallelism;

    internal KnnModel(LatentSet labelled, int neighborCount, KnnOptions options, string[] warnings)
    {
        Dimension = labelled.Dimension;
        _names = [.. labelled.PhaseNames];
        _labels = labelled.Labels.ToArray();
        _counts = new int[_names.Length];
        foreach (int label in _labels)
        {
            _counts[label]++;
        }

        NeighborCount = neighborCount;
        RequestedNeighborCount = options.NeighborCount;
        Weighting = options.Weighting;
        _maxDegreeOfParallelism = options.MaxDegreeOfParallelism;
        _warnings = warnings;
        _tree = new KdTree(labelled.Points, labelled.Count, labelled.Dimension);
    }

    /// <inheritdoc/>
    public int PhaseCount => _names.Length;

    /// <summary>Gets the latent dimension d.</summary>
    public int Dimension { get; }

    /// <summary>Gets the phase names, by label.</summary>
    public IReadOnlyList<string> PhaseNames => Array.AsReadOnly(_names);

    /// <summary>Gets the number of labelled points of each phase, counted during Fit.</summary>
    public IReadOnlyList<int> PointCounts => Array.AsReadOnly(_counts);

    /// <summary>Gets the number of neighbours k actually used (the requested k clamped to the number of labelled points).</summary>
    public int NeighborCount { get; }

    /// <summary>Gets the number of neighbours requested in the options.</summary>
    public int RequestedNeighborCount { get; }

    /// <summary>Gets how neighbours vote.</summary>
    public KnnWeighting Weighting { get; }

    /// <summary>Gets the warnings raised during Fit (e.g. k clamped); empty when there were none.</summary>
    public IReadOnlyList<string> Warnings => Array.AsReadOnly(_warnings);

    /// <summary>Returns whether <paramref name="phase"/> had labelled points and can be predicted.</summary>
    /// <param name="phase">Phase index.</param>
    /// <returns><see langword="true"/> when the phase takes part in the assignment.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="phase"/> is outside [0, PhaseCount).</exception>
    public bool HasPhase(int phase)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(phase);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(phase, PhaseCount);
        return _counts[phase] > 0;
    }

    /// <summary>Assigns each point the phase of largest vote among its k nearest labelled neighbours.</summary>
    /// <param name="points"><paramref name="count"/> rows of <see cref="Dimension"/> floats.</param>
    /// <param name="count">The number of points.</param>
    /// <param name="phase">Receives the phase of each point.</param>
    /// <param name="score">Receives the winner's vote share in [0, 1].</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative.</exception>
    /// <exception cref="ArgumentException"><paramref name="points"/> does not hold count × d values, a coordinate is NaN or ±∞ (the message names
    /// the point), or a destination is too short.</exception>
    public unsafe void Assign(ReadOnlySpan<float> points, int count, Span<int> phase, Span<float> score)
    {
        ThrowHelper.ValidateQuery(points, count, Dimension);
        ThrowHelper.ValidateDestination(phase.Length, count, nameof(phase));
        ThrowHelper.ValidateDestination(score.Length, count, nameof(score));
        fixed (float* pPoints = points)
        fixed (int* pPhase = phase)
        fixed (float* pScore = score)
        {
            float* pp = pPoints;
            int* pph = pPhase;
            float* psc = pScore;
            int length = points.Length;
            ChunkRunner.Run(count, ChunkSize, _maxDegreeOfParallelism, (s, n) =>
                Chunk(new ReadOnlySpan<float>(pp, length), s, n, (i, votes, total) =>
                {
                    int best = 0;
                    for (int c = 1; c < votes.Length; c++)
                    {
                        if (votes[c] > votes[best])
                        {
                            best = c;
                        }
                    }

                    pph[i] = best;
                    psc[i] = (float)(votes[best] / total);
                }));
        }
    }

    /// <summary>
    /// Writes −ln((k·share + α)/(k + K′α)), α = 1/K′, for every point and phase (+∞ for phases with no labelled points): a
    /// negative log-probability in nats.
    /// </summary>
    /// <param name="points"><paramref name="count"/> rows of <see cref="Dimension"/> floats.</param>
    /// <param name="count">The number of points.</param>
    /// <param name="destination">Receives count × PhaseCount costs, row-major.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative.</exception>
    /// <exception cref="ArgumentException"><paramref name="points"/> does not hold count × d values, a coordinate is NaN or ±∞, or
    /// <paramref name="destination"/> is too short.</exception>
    public unsafe void PhaseCosts(ReadOnlySpan<float> points, int count, Span<float> destination)
    {
        ThrowHelper.ValidateQuery(points, count, Dimension);
        ThrowHelper.ValidateDestination(destination.Length, (long)count * PhaseCount, nameof(destination));
        int k = PhaseCount;
        int present = _counts.Count(c => c > 0);
        double alpha = 1.0 / present, norm = Math.Log(NeighborCount + (present * alpha));
        fixed (float* pPoints = points)
        fixed (float* pDest = destination)
        {
            float* pp = pPoints;
            float* pd = pDest;
            int length = points.Length;
            ChunkRunner.Run(count, ChunkSize, _maxDegreeOfParallelism, (s, n) =>
                Chunk(new ReadOnlySpan<float>(pp, length), s, n, (i, votes, total) =>
                {
                    for (int c = 0; c < k; c++)
                    {
                        pd[((long)i * k) + c] = _counts[c] == 0
                            ? float.PositiveInfinity
                            : (float)(norm - Math.Log((NeighborCount * votes[c] / total) + alpha));
                    }
                }));
        }
    }

    /// <summary>
    /// Writes the vote share of every phase for every point in float64 (scikit-learn <c>predict_proba</c>; 0 for
    /// phases without labelled points); each row sums to 1.
    /// </summary>
    /// <param name="points"><paramref name="count"/> rows of <see cref="Dimension"/> floats.</param>
    /// <param name="count">The number of points.</param>
    /// <param name="destination">Receives count × PhaseCount shares, row-major.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative.</exception>
    /// <exception cref="ArgumentException"><paramref name="points"/> does not hold count × d values, a coordinate is NaN or ±∞, or
    /// <paramref name="destination"/> is too short.</exception>
    public unsafe void VoteShares(ReadOnlySpan<float> points, int count, Span<double> destination)
    {
        ThrowHelper.ValidateQuery(points, count, Dimension);
        ThrowHelper.ValidateDestination(destination.Length, (long)count * PhaseCount, nameof(destination));
        int k = PhaseCount;
        fixed (float* pPoints = points)
        fixed (double* pDest = destination)
        {
            float* pp = pPoints;
            double* pd = pDest;
            int length = points.Length;
            ChunkRunner.Run(count, ChunkSize, _maxDegreeOfParallelism, (s, n) =>
                Chunk(new ReadOnlySpan<float>(pp, length), s, n, (i, votes, total) =>
                {
                    for (int c = 0; c < k; c++)
                    {
                        pd[((long)i * k) + c] = votes[c] / total;
                    }
                }));
        }
    }

    private delegate void VoteSink(int point, ReadOnlySpan<double> votes, double total);

    /// <summary>Computes the summed votes of points [start, start + count) and hands each to <paramref name="sink"/>.</summary>
    private void Chunk(ReadOnlySpan<float> points, int start, int count, VoteSink sink)
    {
        int d = Dimension;
        int k = NeighborCount;
        double[] distance2 = ArrayPool<double>.Shared.Rent(k);
        int[] index = ArrayPool<int>.Shared.Rent(k);
        double[] weights = ArrayPool<double>.Shared.Rent(k);
        Span<double> query = d <= 32 ? stackalloc double[d] : new double[d];
        Span<double> votes = PhaseCount <= 64 ? stackalloc double[PhaseCount] : new double[PhaseCount];
        try
        {
            for (int i = start; i < start + count; i++)
            {
                ReadOnlySpan<float> row = points.Slice(i * d, d);
                for (int j = 0; j < d; j++)
                {
                    query[j] = row[j];
                }

                _tree.Query(query, k, distance2, index);
                Weigh(distance2.AsSpan(0, k), weights.AsSpan(0, k));
                votes.Clear();
                for (int n = 0; n < k; n++)
                {
                    votes[_labels[index[n]]] += weights[n];
                }

                double total = 0;
                for (int c = 0; c < votes.Length; c++)
                {
                    total += votes[c];
                }

                sink(i, votes, total == 0 ? 1.0 : total);
            }
        }
        finally
        {
            ArrayPool<double>.Shared.Return(distance2);
            ArrayPool<int>.Shared.Return(index);
            ArrayPool<double>.Shared.Return(weights);
        }
    }

    /// <summary>Neighbour weights as scikit-learn's <c>_get_weights</c>: 1, or 1/distance with zero distances taking all the weight.</summary>
    private void Weigh(ReadOnlySpan<double> distance2, Span<double> weights)
    {
        if (Weighting == KnnWeighting.Uniform)
        {
            weights.Fill(1.0);
            return;
        }

        bool anyInfinite = false;
        for (int n = 0; n < distance2.Length; n++)
        {
            weights[n] = 1.0 / Math.Sqrt(distance2[n]);
            anyInfinite |= double.IsPositiveInfinity(weights[n]);
        }

        if (anyInfinite)
        {
            for (int n = 0; n < weights.Length; n++)
            {
                weights[n] = double.IsPositiveInfinity(weights[n]) ? 1.0 : 0.0;
            }
        }
    }
}
