using BenchmarkDotNet.Attributes;
using StxmPhase.Unmixing;

namespace StxmPhase.Benchmarks.Unmixing;

/// <summary>
/// NMF k = 5 (NNDSVDa, W-first HALS, scikit-learn's solver='cd') of a 65 536 × 13 matrix (256² pixels × 13 energies),
/// 200 iterations with tol = 0 (the peers' fixed-iteration case). Baseline: a naive scalar HALS (component-outer
/// loops, scalar products, one thread) from the same initial factors.
/// </summary>
[MemoryDiagnoser]
public class NmfBenchmarks
{
    private const int Rows = 65536;
    private const int Cols = 13;
    private const int K = 5;
    private double[] _x = null!;
    private NmfFactors _init = null!;

    /// <summary>Gets or sets the number of HALS iterations (tol = 0): 200; 5 in the smoke mode.</summary>
    [ParamsSource(nameof(IterationCounts))]
    public int Iterations { get; set; }

    /// <summary>Gets the values of <see cref="Iterations"/>.</summary>
    public static IEnumerable<int> IterationCounts => Config.ByMode(full: [200], smoke: [5]);

    [GlobalSetup]
    public void Setup()
    {
        _x = UnmixingData.PixelRows(Rows, Cols);
        for (int i = 0; i < _x.Length; i++)
        {
            _x[i] = Math.Max(_x[i], 0);
        }

        _init = new Nmf(new NmfOptions { ComponentCount = K }).Initialize(_x, Rows, Cols);
    }

    [Benchmark(Baseline = true, Description = "naive scalar HALS")]
    public double NaiveHals() => NaiveHalsFit(_x, Rows, Cols, K, _init.W.ToArray(), _init.H.ToArray(), Iterations);

    [Benchmark(Description = "Nmf.Fit HALS, 1 thread")]
    public NmfResult HalsSingleThread() =>
        new Nmf(new NmfOptions { ComponentCount = K, Tolerance = 0, MaxIterations = Iterations, MaxDegreeOfParallelism = 1 }).Fit(_x, Rows, Cols);

    [Benchmark(Description = "Nmf.Fit HALS, all cores")]
    public NmfResult Hals() => new Nmf(new NmfOptions { ComponentCount = K, Tolerance = 0, MaxIterations = Iterations }).Fit(_x, Rows, Cols);

    [Benchmark(Description = "Nmf.Fit HALS, tol 1e-4 (sklearn default)")]
    public NmfResult HalsDefaultTolerance() => new Nmf(new NmfOptions { ComponentCount = K }).Fit(_x, Rows, Cols);

    /// <summary>Textbook HALS: for each component, for each row, scalar gradient and projected update (sklearn's loop order).</summary>
    internal static double NaiveHalsFit(double[] x, int m, int n, int k, double[] w, double[] h, int iterations)
    {
        double[] ht = new double[n * k];
        for (int t = 0; t < k; t++)
        {
            for (int j = 0; j < n; j++)
            {
                ht[(j * k) + t] = h[(t * n) + j];
            }
        }

        for (int it = 0; it < iterations; it++)
        {
            Update(x, m, n, k, w, ht, transposeX: false);
            Update(x, m, n, k, ht, w, transposeX: true);
        }

        return ht[0] + w[0];

        static void Update(double[] x, int m, int n, int k, double[] target, double[] other, bool transposeX)
        {
            int rows = transposeX ? n : m;
            int inner = transposeX ? m : n;
            double[] g = new double[k * k];
            for (int a = 0; a < k; a++)
            {
                for (int b = 0; b < k; b++)
                {
                    double s = 0;
                    for (int j = 0; j < inner; j++)
                    {
                        s += other[(j * k) + a] * other[(j * k) + b];
                    }

                    g[(a * k) + b] = s;
                }
            }

            double[] c = new double[rows * k];
            for (int i = 0; i < rows; i++)
            {
                for (int t = 0; t < k; t++)
                {
                    double s = 0;
                    for (int j = 0; j < inner; j++)
                    {
                        double xv = transposeX ? x[(j * n) + i] : x[(i * n) + j];
                        s += xv * other[(j * k) + t];
                    }

                    c[(i * k) + t] = s;
                }
            }

            for (int t = 0; t < k; t++)
            {
                for (int i = 0; i < rows; i++)
                {
                    double grad = -c[(i * k) + t];
                    for (int r = 0; r < k; r++)
                    {
                        grad += g[(t * k) + r] * target[(i * k) + r];
                    }

                    if (g[(t * k) + t] != 0)
                    {
                        target[(i * k) + t] = Math.Max(target[(i * k) + t] - (grad / g[(t * k) + t]), 0);
                    }
                }
            }
        }
    }
}
