using System.Diagnostics;

namespace StxmPhase.Unmixing;

/// <summary>
/// Randomized NMF (Erichson, Mendible, Wihlborn &amp; Kutz 2018, "Randomized nonnegative matrix factorization"; the
/// variant of ristretto <c>compute_rnmf</c>): compress X once with a <see cref="QbDecomposition"/> X ≈ QB, then run
/// HALS sweeps whose products use Q and B instead of X. This is the "QB pre-processing" that makes NMF of
/// 4D-STEM-sized data scale as O(n·k) instead of O(n·m·k) (Werbrouck et al. 2025).
/// </summary>
/// <remarks>
/// <para>
/// X (rows × columns) is transposed first when it is wide, so that rows ≥ columns and the row dimension is compressed.
/// W and H are initialised from the <b>full</b> X (<see cref="NmfOptions.Initialization"/>), then W̃ = QᵀW. Each
/// iteration updates H first, then W:
/// H sweep with <c>G = WᵀW + l2_H·I</c>, <c>C = BᵀW̃ − l1_H</c> (≈ XᵀW); W sweep with <c>G = HHᵀ + l2_W·I</c>,
/// <c>C = Q(BHᵀ) − l1_W</c> (≈ XHᵀ); then W̃ = QᵀW. The sweeps and the stopping rule are those of <see cref="Nmf"/>.
/// </para>
/// <para>
/// Cost per iteration O((rows + columns)·l·k) instead of HALS's O(rows·columns·k), memory O(rows·l + l·columns + rows·k);
/// the gain is columns / l, so none for 13-energy stacks (l = k + p ≥ 13 makes the QB exact), large for full energy
/// stacks or 4D-STEM (columns ≈ 10³–10⁴). When l ≥ min(rows, columns) the QB is exact (QQᵀX = X), and the iterates
/// equal <see cref="Nmf"/> run with <see cref="NmfUpdateOrder.HFirst"/> to rounding.
/// </para>
/// <para>
/// The objective history is measured through the sketch (XHᵀ replaced by Q(BHᵀ)); it is exact when the QB is.
/// <see cref="NmfResult.ReconstructionError"/> is always computed against the full X. With an inexact QB the objective
/// is not guaranteed to decrease monotonically.
/// </para>
/// </remarks>
/// <example>
/// <code>
/// var rnmf = new RandomizedNmf(new NmfOptions { ComponentCount = 5 }, new RandomizedNmfOptions { Oversampling = 10 });
/// NmfResult r = rnmf.Fit(x, pixels, energies);
/// </code>
/// </example>
public sealed class RandomizedNmf : INmfSolver
{
    /// <summary>Initializes the estimator and validates its options (k ≤ min(rows, columns) is checked when fitting).</summary>
    /// <param name="options">NMF options (k, initialisation, tolerance, iterations, seed…); <see cref="NmfOptions.UpdateOrder"/>
    /// is ignored (always H first). <see langword="null"/> = <see cref="NmfOptions.Default"/>.</param>
    /// <param name="sketch">Sketch options (oversampling, power iterations); <see langword="null"/> =
    /// <see cref="RandomizedNmfOptions.Default"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range; the message names it and its value.</exception>
    public RandomizedNmf(NmfOptions? options = null, RandomizedNmfOptions? sketch = null)
    {
        Options = options ?? NmfOptions.Default;
        Sketch = sketch ?? RandomizedNmfOptions.Default;
        NmfCore.ValidateOptions(Options);
        ArgumentOutOfRangeException.ThrowIfNegative(Sketch.Oversampling, nameof(sketch));
        ArgumentOutOfRangeException.ThrowIfNegative(Sketch.PowerIterations, nameof(sketch));
    }

    /// <summary>Gets the NMF options (validated).</summary>
    public NmfOptions Options { get; }

    /// <summary>Gets the sketch options (validated).</summary>
    public RandomizedNmfOptions Sketch { get; }

    /// <summary>Factorises X by randomized HALS.</summary>
    /// <param name="data">X, row-major <paramref name="rows"/> × <paramref name="columns"/>.</param>
    /// <param name="rows">Number of rows.</param>
    /// <param name="columns">Number of columns.</param>
    /// <param name="progress">Receives one report per iteration.</param>
    /// <param name="cancellationToken">Cancels between iterations.</param>
    /// <returns>The factors (W rows × k, H k × columns, in the orientation of the input), history and errors.</returns>
    /// <exception cref="ArgumentOutOfRangeException">k exceeds min(rows, columns).</exception>
    /// <exception cref="ArgumentException">The data length is wrong, contains NaN/∞, or is negative under
    /// <see cref="NegativeValueHandling.Throw"/>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public NmfResult Fit(ReadOnlySpan<double> data, int rows, int columns,
        IProgress<NmfProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        NmfOptions options = Options;
        RandomizedNmfOptions sketch = Sketch;
        var clock = Stopwatch.StartNew();
        double[] x = NmfCore.Prepare(data, rows, columns, options.NegativeValues, out int clipped, out double shift);
        NmfCore.CheckComponentCount(options, rows, columns);
        bool flipped = columns > rows;
        int m = rows, n = columns;
        if (flipped)
        {
            double[] xt = new double[x.Length];
            Kernels.Transpose(x, rows, columns, xt);
            x = xt;
            (m, n) = (columns, rows);
        }

        int k = options.ComponentCount;
        int dop = options.MaxDegreeOfParallelism;
        NmfFactors init = NmfCore.Initialize(x, m, n, k, options.Initialization, options.Seed, options.InitializationEpsilon, dop, cancellationToken);
        QbDecomposition qb = QbDecomposition.Compute(x, m, n, k, sketch.Oversampling, sketch.PowerIterations, options.Seed, dop, cancellationToken);
        TimeSpan initTime = clock.Elapsed;
        (double[] w, double[] h, int iterations, bool converged, double[] history) = Iterate(x, m, n, init, qb, options, progress, cancellationToken);
        double err = NmfCore.ReconstructionError(x, m, n, w, h, k, dop);
        double norm = Math.Sqrt(Kernels.SumOfSquares(x));
        NmfFactors factors;
        if (flipped)
        {
            // X = WH ⇔ Xᵀ = HᵀWᵀ: the W of Xᵀ (m × k) is Hᵀ of X.
            double[] wOut = new double[rows * k];
            Kernels.Transpose(h, k, n, wOut); // h is k × n(=rows) → rows × k
            double[] hOut = new double[k * columns];
            Kernels.Transpose(w, m, k, hOut); // w is m(=columns) × k → k × columns
            factors = new NmfFactors(rows, columns, k, wOut, hOut);
        }
        else
        {
            factors = new NmfFactors(rows, columns, k, w, h);
        }

        return new NmfResult(factors, iterations, converged, history, err, norm, clipped, shift, qb.SketchSize, clock.Elapsed, initTime);
    }

    private static (double[] W, double[] H, int Iterations, bool Converged, double[] History) Iterate(
        double[] x, int m, int n, NmfFactors init, QbDecomposition qb, NmfOptions o, IProgress<NmfProgress>? progress, CancellationToken ct)
    {
        int k = init.ComponentCount;
        int l = qb.SketchSize;
        int dop = o.MaxDegreeOfParallelism;
        double[] q = qb.QArray;
        double[] b = qb.BArray;
        double[] w = (double[])init.WArray.Clone();
        double[] h = (double[])init.HArray.Clone();
        double[] ht = new double[n * k];
        Kernels.Transpose(h, k, n, ht);
        (double l1W, double l2W, double l1H, double l2H) = NmfCore.Penalties(o, m, n);
        double xx = Kernels.SumOfSquares(x);

        double[] wtT = new double[k * l];     // W̃ᵀ = WᵀQ (k × l)
        double[] wt = new double[l * k];      // W̃ (l × k)
        double[] wtw = new double[k * k];
        double[] hht = new double[k * k];
        double[] g = new double[k * k];
        double[] btwT = new double[k * n];    // (BᵀW̃)ᵀ = W̃ᵀB (k × n)
        double[] ch = new double[n * k];
        double[] bht = new double[l * k];     // B Hᵀ (l × k)
        double[] bhtT = new double[k * l];
        double[] qbht = new double[(long)m * k]; // Q (B Hᵀ) (m × k) ≈ XHᵀ
        double[] c = new double[(long)m * k];
        var rng = new GaussianSource(o.Seed);
        var history = new List<double>();
        double violationInit = 0;
        double previous = double.PositiveInfinity;
        bool converged = false;
        int iteration = 0;

        Kernels.MultiplyBtA(q, m, l, w, k, wtT, dop);   // W̃ᵀ = WᵀQ
        Kernels.Transpose(wtT, k, l, wt);
        Kernels.Gram(w, m, k, wtw, dop);
        while (iteration < o.MaxIterations)
        {
            ct.ThrowIfCancellationRequested();
            iteration++;
            double violation = 0;

            // H update: G = WᵀW + l2_H·I, C = BᵀW̃ − l1_H.
            Array.Copy(wtw, g, k * k);
            for (int t = 0; t < k; t++)
            {
                g[(t * k) + t] += l2H;
            }

            Kernels.MultiplyBtA(b, l, n, wt, k, btwT, dop); // W̃ᵀB (k × n)
            Kernels.Transpose(btwT, k, n, ch);
            if (l1H != 0)
            {
                for (int i = 0; i < ch.Length; i++)
                {
                    ch[i] -= l1H;
                }
            }

            violation += NmfCore.Sweep(ht, n, k, g, ch, NmfCore.Permutation(k, o.Shuffle, rng), dop);
            Kernels.Transpose(ht, n, k, h);

            // W update: G = HHᵀ + l2_W·I, C = Q(BHᵀ) − l1_W.
            Kernels.Gram(ht, n, k, hht, dop);
            Array.Copy(hht, g, k * k);
            for (int t = 0; t < k; t++)
            {
                g[(t * k) + t] += l2W;
            }

            Kernels.MultiplyABt(b, l, n, h, k, bht, dop);       // B Hᵀ (l × k)
            Kernels.Transpose(bht, l, k, bhtT);
            Kernels.MultiplyABt(q, m, l, bhtT, k, qbht, dop);   // Q (B Hᵀ) (m × k)
            Array.Copy(qbht, c, qbht.Length);
            if (l1W != 0)
            {
                for (int i = 0; i < c.Length; i++)
                {
                    c[i] -= l1W;
                }
            }

            violation += NmfCore.Sweep(w, m, k, g, c, NmfCore.Permutation(k, o.Shuffle, rng), dop);

            // W̃ = QᵀW; WᵀW for the objective and the next H update.
            Kernels.MultiplyBtA(q, m, l, w, k, wtT, dop);
            Kernels.Transpose(wtT, k, l, wt);
            Kernels.Gram(w, m, k, wtw, dop);
            double objective = Math.Max(0, 0.5 * (xx - (2 * NmfCore.FrobeniusDot(qbht, w)) + NmfCore.FrobeniusDot(wtw, hht)));
            history.Add(objective);
            bool stop = NmfCore.ShouldStop(o, iteration, violation, ref violationInit, objective, previous, out double ratio);
            progress?.Report(new NmfProgress(iteration, o.MaxIterations, objective, ratio));
            previous = objective;
            if (stop)
            {
                converged = true;
                break;
            }
        }

        return (w, h, iteration, converged, history.ToArray());
    }
}
