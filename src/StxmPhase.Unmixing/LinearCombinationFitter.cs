using System.Globalization;
using MathNet.Numerics.LinearAlgebra;
using StxmPhase.Spectra;

namespace StxmPhase.Unmixing;

/// <summary>
/// Per-pixel linear-combination fitting (LCF) of a stack with reference spectra by non-negative least squares: the
/// classic STXM phase-mapping baseline ("stack fit" / "spectral maps" of aXis2000 and MANTiS, with the non-negativity of
/// pystxmcontrol's NNLS maps).
/// </summary>
/// <remarks>
/// <para>
/// For every included pixel with spectrum x ∈ ℝ^E solve <c>min ‖A a − x‖₂</c> subject to <c>a ≥ 0</c>, where
/// A (E × P) holds the reference spectra as columns (Lawson–Hanson, the algorithm of <c>scipy.optimize.nnls</c>; see
/// <see cref="Nnls"/>). Options add a constant term (<see cref="OffsetMode"/>), a soft sum-to-one row, or drop the
/// non-negativity (ordinary least squares). Fit raw optical density, not standardised spectra: NNLS is not scale
/// invariant.
/// </para>
/// <para>
/// Speed: A is fixed, so the Householder factor (pseudo-inverse R⁻¹Q₁ᵀ) of every passive set of columns that occurs
/// is computed once and shared by all pixels (at most 2^P sets; 32 for 5 references). A pixel then costs a few
/// E × P matrix–vector products, about a microsecond. This is as accurate as solving each pixel's QR from scratch,
/// and better conditioned than the normal equations AᵀA (whose condition number is the square of A's). Pixels are
/// processed in blocks of 4096 in parallel; the result does not depend on the number of threads.
/// </para>
/// <para>All arithmetic is float64; the stack's float32 values are widened exactly.</para>
/// </remarks>
/// <example>
/// <code>
/// var lcf = new LinearCombinationFitter(new LinearCombinationFitOptions { Offset = OffsetMode.Constant });
/// LinearCombinationFitResult fit = lcf.Fit(odStack, references.ResampleTo(odStack.Energies));
/// PhaseMap map = fit.PhaseMap;                 // largest weight per pixel
/// ReadOnlySpan&lt;double&gt; rFactor = fit.RFactors;  // misfit per pixel
/// </code>
/// </example>
public sealed class LinearCombinationFitter
{
    private const int BlockPixels = 4096;

    /// <summary>Initializes the fitter and validates its options.</summary>
    /// <param name="options">Fit options; <see langword="null"/> = <see cref="LinearCombinationFitOptions.Default"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range (an undefined offset mode, a non-positive
    /// sum-to-one weight, a negative energy tolerance, or MaxDegreeOfParallelism 0 or below −1); the message names it and its value.</exception>
    public LinearCombinationFitter(LinearCombinationFitOptions? options = null)
    {
        Options = options ?? LinearCombinationFitOptions.Default;
        Validate(Options);
    }

    /// <summary>Gets the options (validated).</summary>
    public LinearCombinationFitOptions Options { get; }

    /// <summary>Fits every included pixel of <paramref name="stack"/> with the reference spectra.</summary>
    /// <param name="stack">The stack (optical density), energy-major.</param>
    /// <param name="references">Reference spectra on the stack energies (same count and order).</param>
    /// <param name="mask">Optional mask; excluded pixels are reported as masked.</param>
    /// <param name="cancellationToken">Cancels the fit between pixel blocks.</param>
    /// <returns>The weight, offset and residual maps, and the phase map.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="stack"/> or <paramref name="references"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">
    /// More than 30 references, or (for ordinary least squares) references that are linearly dependent.
    /// </exception>
    /// <exception cref="IncompatibleEnergiesException">The reference energies differ from the stack energies.</exception>
    /// <exception cref="IncompatibleInputException">The mask size differs from the stack size.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public LinearCombinationFitResult Fit(
        SpectralStack stack,
        ReferenceSpectra references,
        PixelMask? mask = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stack);
        ArgumentNullException.ThrowIfNull(references);
        LinearCombinationFitOptions options = Options;
        InputValidation.CheckEnergies(stack, references, options.EnergyToleranceEv);
        InputValidation.CheckMask(stack, mask);

        int e = stack.EnergyCount;
        int phases = references.PhaseCount;
        if (phases > 30)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"At most 30 reference phases are supported; got {phases}."), nameof(references));
        }

        var system = new LcfSystem(references, options);
        int n = stack.PixelCount;
        double[] weights = new double[(long)phases * n];
        double[] offsets = new double[n];
        double[] residualNorms = new double[n];
        double[] rFactors = new double[n];
        var status = new PixelStatus[n];
        int[] labels = new int[n];
        int zeroWeight = 0;
        int nonConverged = 0;
        int blocks = (n + BlockPixels - 1) / BlockPixels;
        ReadOnlyMemory<float> data = stack.Data;

        Parallel.For(
            0,
            blocks,
            Kernels.Options(options.MaxDegreeOfParallelism, cancellationToken),
            () => new LcfBlockState(system, e),
            (block, _, state) =>
            {
                int start = block * BlockPixels;
                int count = Math.Min(BlockPixels, n - start);
                ReadOnlySpan<float> all = data.Span;
                double[] buf = state.Spectra;

                // Transpose the block to pixel-major rows (one pass over each plane).
                for (int k = 0; k < e; k++)
                {
                    ReadOnlySpan<float> plane = all.Slice((k * n) + start, count);
                    for (int i = 0; i < count; i++)
                    {
                        buf[(i * e) + k] = plane[i];
                    }
                }

                for (int i = 0; i < count; i++)
                {
                    int p = start + i;
                    if (mask is not null && !mask[p])
                    {
                        status[p] = PixelStatus.Masked;
                        labels[p] = PhaseMap.Unassigned;
                        continue;
                    }

                    ReadOnlySpan<double> x = buf.AsSpan(i * e, e);
                    bool finite = true;
                    for (int k = 0; k < e; k++)
                    {
                        if (!double.IsFinite(x[k]))
                        {
                            finite = false;
                            break;
                        }
                    }

                    if (!finite)
                    {
                        status[p] = PixelStatus.Invalid;
                        labels[p] = PhaseMap.Unassigned;
                        continue;
                    }

                    if (!system.SolvePixel(x, state, out double offset, out double rr, out double xx))
                    {
                        state.NonConverged++;
                    }

                    int best = PhaseMap.Unassigned;
                    double bestWeight = 0;
                    for (int j = 0; j < phases; j++)
                    {
                        double wj = state.Coefficients[j];
                        weights[((long)j * n) + p] = wj;
                        if (wj > bestWeight)
                        {
                            bestWeight = wj;
                            best = j;
                        }
                    }

                    if (best < 0)
                    {
                        state.ZeroWeight++;
                    }

                    labels[p] = best;
                    offsets[p] = offset;
                    residualNorms[p] = Math.Sqrt(rr);
                    rFactors[p] = xx > 0 ? rr / xx : 0;
                    status[p] = PixelStatus.Valid;
                }

                return state;
            },
            state =>
            {
                Interlocked.Add(ref zeroWeight, state.ZeroWeight);
                Interlocked.Add(ref nonConverged, state.NonConverged);
            });

        return new LinearCombinationFitResult(stack.Width, stack.Height, references.PhaseNames, weights, offsets, residualNorms,
            rFactors, status, labels, zeroWeight, nonConverged, system.ConditionNumber, options);
    }

    private static void Validate(LinearCombinationFitOptions options)
    {
        Parallelism.ThrowIfInvalid(options.MaxDegreeOfParallelism, nameof(options), "LinearCombinationFitOptions.MaxDegreeOfParallelism");
        if (!Enum.IsDefined(options.Offset))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Offset,
                string.Create(CultureInfo.InvariantCulture, $"LinearCombinationFitOptions.Offset {options.Offset} is not an OffsetMode value."));
        }

        if (options.SumToOneWeight is { } sw && !(sw > 0 && double.IsFinite(sw)))
        {
            throw new ArgumentOutOfRangeException(nameof(options), sw,
                string.Create(CultureInfo.InvariantCulture, $"SumToOneWeight must be positive and finite; got {sw}."));
        }

        InputValidation.CheckEnergyTolerance(options.EnergyToleranceEv, "LinearCombinationFitOptions", nameof(options));
    }

    /// <summary>The fixed linear system shared by all pixels.</summary>
    internal sealed class LcfSystem
    {
        private readonly double[] _references; // E × P row-major (uncentred), for the residual
        private readonly double[] _referenceMeans;
        private readonly double[]? _olsPinv;

        public LcfSystem(ReferenceSpectra references, LinearCombinationFitOptions options)
        {
            int e = references.Energies.Count;
            int phases = references.PhaseCount;
            Energies = e;
            Phases = phases;
            Offset = options.Offset;
            NonNegative = options.NonNegative;
            SumToOne = options.SumToOne;
            _references = new double[e * phases];
            _referenceMeans = new double[phases];
            double maxAbs = 0;
            for (int p = 0; p < phases; p++)
            {
                ReadOnlySpan<double> r = references.Spectrum(p);
                double sum = 0;
                for (int k = 0; k < e; k++)
                {
                    _references[(k * phases) + p] = r[k];
                    sum += r[k];
                    maxAbs = Math.Max(maxAbs, Math.Abs(r[k]));
                }

                _referenceMeans[p] = sum / e;
            }

            SumWeight = options.SumToOneWeight ?? (1e3 * (maxAbs > 0 ? maxAbs : 1));
            Columns = phases + (Offset == OffsetMode.NonNegative ? 1 : 0);
            Rows = e + (SumToOne ? 1 : 0);
            double[] a = new double[Rows * Columns];
            for (int k = 0; k < e; k++)
            {
                for (int p = 0; p < phases; p++)
                {
                    double v = _references[(k * phases) + p];
                    a[(k * Columns) + p] = Offset == OffsetMode.Free ? v - _referenceMeans[p] : v;
                }

                if (Offset == OffsetMode.NonNegative)
                {
                    a[(k * Columns) + phases] = 1;
                }
            }

            if (SumToOne)
            {
                for (int p = 0; p < phases; p++)
                {
                    a[(e * Columns) + p] = SumWeight;
                }
            }

            Engine = new NnlsEngine(a, Rows, Columns, cacheSubsets: true);
            if (!NonNegative)
            {
                _olsPinv = new double[Columns * Rows];
                uint all = Columns == 32 ? uint.MaxValue : (1u << Columns) - 1;
                if (!Engine.Pseudoinverse(all, _olsPinv, Engine.CreateWorkspace()))
                {
                    throw new ArgumentException(
                        "The reference spectra (with the offset column, if any) are linearly dependent, so the unconstrained least-squares weights " +
                        "are not unique; use the non-negative fit or remove a reference.",
                        nameof(references));
                }
            }

            // Condition number of the E × (P [+1]) design matrix (original, uncentred; with the ones column for any offset).
            int c = phases + (Offset == OffsetMode.None ? 0 : 1);
            Matrix<double> design = Matrix<double>.Build.Dense(e, c, (i, j) => j < phases ? _references[(i * phases) + j] : 1.0);
            ConditionNumber = design.ConditionNumber();
        }

        public int Energies { get; }

        public int Phases { get; }

        public int Rows { get; }

        public int Columns { get; }

        public OffsetMode Offset { get; }

        public bool NonNegative { get; }

        public bool SumToOne { get; }

        public double SumWeight { get; }

        public NnlsEngine Engine { get; }

        public double ConditionNumber { get; }

        /// <summary>Fits one spectrum; weights go to state.Coefficients[0..P). Returns false when NNLS hit its cap.</summary>
        public bool SolvePixel(ReadOnlySpan<double> x, LcfBlockState state, out double offset, out double residualSquared, out double xSquared)
        {
            int e = Energies;
            double[] b = state.Rhs;
            double mean = 0;
            for (int k = 0; k < e; k++)
            {
                mean += x[k];
            }

            mean /= e;
            for (int k = 0; k < e; k++)
            {
                b[k] = Offset == OffsetMode.Free ? x[k] - mean : x[k];
            }

            if (SumToOne)
            {
                b[e] = SumWeight;
            }

            double[] coef = state.Coefficients;
            bool converged = true;
            if (NonNegative)
            {
                converged = Engine.Solve(b, coef, state.Workspace);
            }
            else
            {
                for (int j = 0; j < Columns; j++)
                {
                    double v = 0;
                    for (int k = 0; k < Rows; k++)
                    {
                        v += _olsPinv![(j * Rows) + k] * b[k];
                    }

                    coef[j] = v;
                }
            }

            offset = Offset switch
            {
                OffsetMode.NonNegative => coef[Phases],
                OffsetMode.Free => FreeOffset(mean, coef),
                _ => 0,
            };

            double rr = 0;
            double xx = 0;
            for (int k = 0; k < e; k++)
            {
                double fit = offset;
                for (int p = 0; p < Phases; p++)
                {
                    fit += _references[(k * Phases) + p] * coef[p];
                }

                double d = x[k] - fit;
                rr += d * d;
                xx += x[k] * x[k];
            }

            residualSquared = rr;
            xSquared = xx;
            return converged;
        }

        private double FreeOffset(double mean, double[] coef)
        {
            double c = mean;
            for (int p = 0; p < Phases; p++)
            {
                c -= _referenceMeans[p] * coef[p];
            }

            return c;
        }
    }

    /// <summary>Per-worker scratch.</summary>
    internal sealed class LcfBlockState
    {
        public LcfBlockState(LcfSystem system, int energies)
        {
            Spectra = new double[BlockPixels * energies];
            Rhs = new double[system.Rows];
            Coefficients = new double[system.Columns];
            Workspace = system.Engine.CreateWorkspace();
        }

        public double[] Spectra { get; }

        public double[] Rhs { get; }

        public double[] Coefficients { get; }

        public NnlsWorkspace Workspace { get; }

        public int ZeroWeight { get; set; }

        public int NonConverged { get; set; }
    }
}
