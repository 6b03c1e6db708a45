using BenchmarkDotNet.Attributes;
using StxmPhase.Assignment;
using StxmPhase.Spectra;

namespace StxmPhase.Benchmarks.Assignment;

/// <summary>
/// Squared Mahalanobis distance of 100,000 3-D points to 5 clusters and argmin (the SciPy peer: per-cluster
/// <c>cdist(metric='mahalanobis')</c>, numpy einsum and Cholesky variants in ../shared/peers/baselines.py).
/// Baseline: scalar float64 loop, one point and one cluster at a time, Cholesky forward substitution.
/// </summary>
[MemoryDiagnoser]
public class MahalanobisAssign
{
    private const int Points = 100_000;

    private LatentSet _set = null!;
    private float[] _points = null!;
    private int[] _phase = null!;
    private float[] _score = null!;
    private MahalanobisModel _serial = null!;
    private MahalanobisModel _parallel = null!;
    private double[] _means = null!;
    private double[] _lower = null!;

    [GlobalSetup]
    public void Setup()
    {
        _set = LatentClusters.Set(Points, seed: 7);
        _points = _set.Points.ToArray();
        _phase = new int[Points];
        _score = new float[Points];
        _serial = new MahalanobisAssigner(new MahalanobisOptions { MaxDegreeOfParallelism = 1 }).Fit(_set);
        _parallel = new MahalanobisAssigner().Fit(_set);
        _means = new double[15];
        _lower = new double[45];
        for (int c = 0; c < 5; c++)
        {
            _serial.Mean(c).CopyTo(_means.AsSpan(c * 3));
            var chol = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.DenseOfRowMajor(3, 3, _serial.Covariance(c).ToArray()).Cholesky().Factor;
            for (int i = 0; i < 3; i++)
            {
                for (int j = 0; j < 3; j++)
                {
                    _lower[(c * 9) + (i * 3) + j] = chol[i, j];
                }
            }
        }
    }

    [Benchmark(Baseline = true)]
    public int Scalar()
    {
        Span<double> y = stackalloc double[3];
        int checksum = 0;
        for (int p = 0; p < Points; p++)
        {
            int best = -1;
            double bestD2 = double.PositiveInfinity;
            for (int c = 0; c < 5; c++)
            {
                // Solve L y = z − μ by forward substitution; D² = ‖y‖².
                double d2 = 0;
                for (int i = 0; i < 3; i++)
                {
                    double s = _points[(p * 3) + i] - _means[(c * 3) + i];
                    for (int j = 0; j < i; j++)
                    {
                        s -= _lower[(c * 9) + (i * 3) + j] * y[j];
                    }

                    y[i] = s / _lower[(c * 9) + (i * 3) + i];
                    d2 += y[i] * y[i];
                }

                if (d2 < bestD2)
                {
                    bestD2 = d2;
                    best = c;
                }
            }

            _phase[p] = best;
            _score[p] = (float)bestD2;
            checksum += best;
        }

        return checksum;
    }

    [Benchmark]
    public int VectorizedSerial()
    {
        _serial.Assign(_points, Points, _phase, _score);
        return _phase[^1];
    }

    [Benchmark]
    public int VectorizedParallel()
    {
        _parallel.Assign(_points, Points, _phase, _score);
        return _phase[^1];
    }

    [Benchmark]
    public MahalanobisModel Fit() => new MahalanobisAssigner().Fit(_set);
}
