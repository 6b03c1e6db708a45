#:project ../../src/StxmPhase.Unmixing
#:property TreatWarningsAsErrors=false
#:property Nullable=enable
// Per-iteration time of HALS vs randomized NMF on tall low-rank matrices (65 536 × 256 and 65 536 × 1 024, k = 5).
// Run from this folder: dotnet run unmixing-tall-nmf.cs   (NmfResult.TimePerIteration excludes initialisation and QB.)
using StxmPhase.Unmixing;

int rows = 65536, k = 5;
foreach (int cols in new[] { 256, 1024 })
{
    var rng = new Random(2);
    var a = new double[rows * k]; var b = new double[k * cols];
    for (int i = 0; i < a.Length; i++) a[i] = rng.NextDouble();
    for (int i = 0; i < b.Length; i++) b[i] = rng.NextDouble();
    var x = new double[(long)rows * cols];
    for (int i = 0; i < rows; i++)
        for (int j = 0; j < cols; j++)
        {
            double v = 0;
            for (int t = 0; t < k; t++) v += a[i * k + t] * b[t * cols + j];
            x[(long)i * cols + j] = v + 0.01 * rng.NextDouble();
        }
    var o = new NmfOptions
    {
        ComponentCount = k, Initialization = NmfInitialization.Random, Tolerance = 0, MaxIterations = 20,
        UpdateOrder = NmfUpdateOrder.HFirst, Seed = 1,
    };
    for (int rep = 0; rep < 2; rep++)
    {
        NmfResult h = new Nmf(o).Fit(x, rows, cols);
        NmfResult r = new RandomizedNmf(o, new RandomizedNmfOptions { Oversampling = 10, PowerIterations = 2 }).Fit(x, rows, cols);
        Console.WriteLine($"{rows}x{cols} rep {rep}: HALS {h.TimePerIteration.TotalMilliseconds:F1} ms/it " +
            $"(init {h.InitializationTime.TotalMilliseconds:F0} ms, rel err {h.RelativeError:E3}); " +
            $"RNMF l={r.SketchSize} {r.TimePerIteration.TotalMilliseconds:F1} ms/it " +
            $"(init+QB {r.InitializationTime.TotalMilliseconds:F0} ms, rel err {r.RelativeError:E3}); " +
            $"ratio {h.TimePerIteration / r.TimePerIteration:F1}x; load {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
    }
}
