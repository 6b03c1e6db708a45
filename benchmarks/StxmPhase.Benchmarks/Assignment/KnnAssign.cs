using BenchmarkDotNet.Attributes;
using StxmPhase.Assignment;
using StxmPhase.Spectra;

namespace StxmPhase.Benchmarks.Assignment;

/// <summary>
/// KNN assignment of 10,000 queries against 100,000 labelled 3-D points (the scikit-learn peer:
/// <c>KNeighborsClassifier(n_neighbors=15).predict</c>, kd_tree, in ../shared/peers/baselines.py).
/// Baseline: scalar brute force (every labelled point per query, sorted insertion into the top k), one thread.
/// </summary>
[MemoryDiagnoser]
public class KnnAssign
{
    private const int Labelled = 100_000;
    private const int Queries = 10_000;

    private LatentSet _set = null!;
    private float[] _queries = null!;
    private int[] _phase = null!;
    private float[] _score = null!;
    private KnnModel _serial = null!;
    private KnnModel _parallel = null!;

    /// <summary>Gets or sets the neighbour count k.</summary>
    [ParamsSource(nameof(NeighborCounts))]
    public int K { get; set; }

    /// <summary>Gets the values of <see cref="K"/>: 5 and 15; the smoke mode runs 5 only (the sizes stay: the
    /// brute-force baseline takes a few seconds per call).</summary>
    public static IEnumerable<int> NeighborCounts => Config.ByMode(full: [5, 15], smoke: [5]);

    [GlobalSetup]
    public void Setup()
    {
        _set = LatentClusters.Set(Labelled, seed: 5);
        (_queries, _) = LatentClusters.Make(Queries, seed: 6);
        _phase = new int[Queries];
        _score = new float[Queries];
        _serial = new KnnAssigner(new KnnOptions { NeighborCount = K, MaxDegreeOfParallelism = 1 }).Fit(_set);
        _parallel = new KnnAssigner(new KnnOptions { NeighborCount = K }).Fit(_set);
    }

    [Benchmark(Baseline = true)]
    public int BruteForceScalar()
    {
        ReadOnlySpan<float> pts = _set.Points;
        ReadOnlySpan<int> labels = _set.Labels;
        int n = _set.Count;
        int k = K;
        double[] best = new double[k];
        int[] bestIndex = new int[k];
        int[] votes = new int[5];
        int checksum = 0;
        for (int q = 0; q < Queries; q++)
        {
            double qx = _queries[q * 3], qy = _queries[(q * 3) + 1], qz = _queries[(q * 3) + 2];
            int found = 0;
            for (int i = 0; i < n; i++)
            {
                double dx = qx - pts[i * 3], dy = qy - pts[(i * 3) + 1], dz = qz - pts[(i * 3) + 2];
                double d2 = (dx * dx) + (dy * dy) + (dz * dz);
                if (found < k || d2 < best[k - 1])
                {
                    int pos = found < k ? found++ : k - 1;
                    while (pos > 0 && best[pos - 1] > d2)
                    {
                        best[pos] = best[pos - 1];
                        bestIndex[pos] = bestIndex[pos - 1];
                        pos--;
                    }

                    best[pos] = d2;
                    bestIndex[pos] = i;
                }
            }

            Array.Clear(votes);
            for (int t = 0; t < k; t++)
            {
                votes[labels[bestIndex[t]]]++;
            }

            int winner = 0;
            for (int c = 1; c < 5; c++)
            {
                if (votes[c] > votes[winner])
                {
                    winner = c;
                }
            }

            _phase[q] = winner;
            checksum += winner;
        }

        return checksum;
    }

    [Benchmark]
    public int KdTreeSerial()
    {
        _serial.Assign(_queries, Queries, _phase, _score);
        return _phase[^1];
    }

    [Benchmark]
    public int KdTreeParallel()
    {
        _parallel.Assign(_queries, Queries, _phase, _score);
        return _phase[^1];
    }

    [Benchmark]
    public KnnModel Fit() => new KnnAssigner(new KnnOptions { NeighborCount = K }).Fit(_set);
}
