using StxmPhase.Spectra;

namespace StxmPhase.Unmixing;

/// <summary>
/// Turns an NMF of a stack into a phase map, for the comparison "PCC vs PCC+GMVAE vs NNLS-LCF vs NMF": factorise the
/// valid pixel spectra (pixels × energies), match every component spectrum to a reference phase by Pearson correlation,
/// and label each pixel with the phase of its most abundant component.
/// </summary>
/// <remarks>
/// <para>
/// Matching (<see cref="ComponentMatching"/>): ρ(t, p) is the Pearson correlation of component spectrum H[t,:] with
/// reference p. <see cref="ComponentMatching.Hungarian"/> finds the one-to-one assignment of min(k, P) pairs that
/// maximises Σρ (a constant component, ρ undefined, counts as ρ = −2 so it is matched last); extra components (k &gt; P)
/// then take their most correlated reference. <see cref="ComponentMatching.Greedy"/> gives every component its most
/// correlated reference independently.
/// </para>
/// <para>
/// Abundance of component t in pixel i: <c>W[i,t]·Σ_e H[t,e]</c> (scale-free; see
/// <see cref="NmfPhaseMapResult.Abundances"/>). The label is the phase of the largest abundance (first on a tie); a pixel
/// with all abundances 0 is unassigned. Masked and NaN/∞ pixels are excluded from the factorisation and unassigned.
/// Negative OD is handled by <see cref="NmfOptions.NegativeValues"/> (clipped to 0 by default).
/// </para>
/// </remarks>
/// <example>
/// <code>
/// var mapper = new NmfPhaseMapper(new NmfPhaseMapOptions { Randomized = true });
/// NmfPhaseMapResult nmf = mapper.Map(odStack, references.ResampleTo(odStack.Energies), mask);
/// </code>
/// </example>
public sealed class NmfPhaseMapper
{
    private readonly INmfSolver? _solver;

    /// <summary>Initializes the mapper and validates its options (and the NMF and sketch options they hold).</summary>
    /// <param name="options">Options; <see langword="null"/> = <see cref="NmfPhaseMapOptions.Default"/> (HALS, k = number of
    /// references, Hungarian matching).</param>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range; the message names it and its value.</exception>
    public NmfPhaseMapper(NmfPhaseMapOptions? options = null)
    {
        Options = options ?? NmfPhaseMapOptions.Default;
        if (!Enum.IsDefined(Options.Matching))
        {
            throw new ArgumentOutOfRangeException(nameof(options), Options.Matching, "NmfPhaseMapOptions.Matching is not a ComponentMatching value.");
        }

        InputValidation.CheckEnergyTolerance(Options.EnergyToleranceEv, "NmfPhaseMapOptions", nameof(options));
        if (Options.Nmf is { } nmf)
        {
            _solver = Solver(nmf);
        }
        else if (Options.Randomized)
        {
            _ = new RandomizedNmf(sketch: Options.Sketch); // checks the sketch options now, not at the first Map
        }
    }

    /// <summary>Gets the options (validated).</summary>
    public NmfPhaseMapOptions Options { get; }

    /// <summary>Factorises the stack and maps components to reference phases.</summary>
    /// <param name="stack">The stack (optical density).</param>
    /// <param name="references">Reference spectra on the stack energies.</param>
    /// <param name="mask">Optional mask of the pixels to use.</param>
    /// <param name="progress">Receives one NMF report per iteration.</param>
    /// <param name="cancellationToken">Cancels between NMF iterations.</param>
    /// <returns>The NMF, the component-to-phase matching and the phase map.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="stack"/> or <paramref name="references"/> is <see langword="null"/>.</exception>
    /// <exception cref="IncompatibleEnergiesException">The reference energies differ from the stack energies.</exception>
    /// <exception cref="IncompatibleInputException">The mask size differs from the stack size.</exception>
    /// <exception cref="ArgumentOutOfRangeException">k exceeds min(valid pixels, energies).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public NmfPhaseMapResult Map(SpectralStack stack, ReferenceSpectra references, PixelMask? mask = null,
        IProgress<NmfProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stack);
        ArgumentNullException.ThrowIfNull(references);
        NmfPhaseMapOptions options = Options;
        InputValidation.CheckEnergies(stack, references, options.EnergyToleranceEv);
        InputValidation.CheckMask(stack, mask);
        INmfSolver solver = _solver ?? Solver(new NmfOptions { ComponentCount = references.PhaseCount });
        var status = new PixelStatus[stack.PixelCount];
        int[] rows = InputValidation.ExtractValidRows(stack, mask, status, out double[] x);
        int e = stack.EnergyCount;
        if (rows.Length == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(stack), 0, "The stack has no valid pixel to factorise.");
        }

        NmfResult nmf = solver.Fit(x, rows.Length, e, progress, cancellationToken);
        int k = nmf.Factors.ComponentCount;
        int phases = references.PhaseCount;
        double[] rho = new double[k * phases];
        for (int t = 0; t < k; t++)
        {
            for (int p = 0; p < phases; p++)
            {
                rho[(t * phases) + p] = Pearson(nmf.H.Slice(t * e, e), references.Spectrum(p));
            }
        }

        int[] componentPhases = options.Matching == ComponentMatching.Greedy ? Greedy(rho, k, phases) : Hungarian(rho, k, phases);

        int n = stack.PixelCount;
        double[] scale = new double[k];
        for (int t = 0; t < k; t++)
        {
            double s = 0;
            foreach (double v in nmf.H.Slice(t * e, e))
            {
                s += v;
            }

            scale[t] = s;
        }

        double[] abundances = new double[(long)k * n];
        int[] labels = new int[n];
        Array.Fill(labels, PhaseMap.Unassigned);
        int zero = 0;
        ReadOnlySpan<double> w = nmf.W;
        for (int i = 0; i < rows.Length; i++)
        {
            int pixel = rows[i];
            int best = -1;
            double bestA = 0;
            for (int t = 0; t < k; t++)
            {
                double a = w[(i * k) + t] * scale[t];
                abundances[((long)t * n) + pixel] = a;
                if (a > bestA)
                {
                    bestA = a;
                    best = t;
                }
            }

            if (best < 0)
            {
                zero++;
            }
            else
            {
                labels[pixel] = componentPhases[best];
            }
        }

        PhaseMap map = PhaseMap.FromArray(stack.Width, stack.Height, references.PhaseNames, labels);
        return new NmfPhaseMapResult(nmf, map, componentPhases, rho, abundances, status, zero);
    }

    internal static double Pearson(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        int n = a.Length;
        double ma = 0, mb = 0;
        for (int i = 0; i < n; i++)
        {
            ma += a[i];
            mb += b[i];
        }

        ma /= n;
        mb /= n;
        double sab = 0, saa = 0, sbb = 0;
        for (int i = 0; i < n; i++)
        {
            double da = a[i] - ma, db = b[i] - mb;
            sab += da * db;
            saa += da * da;
            sbb += db * db;
        }

        if (saa <= 0 || sbb <= 0)
        {
            return double.NaN;
        }

        return Math.Clamp(sab / Math.Sqrt(saa * sbb), -1, 1);
    }

    /// <summary>The validated estimator for <paramref name="nmf"/>: HALS, or randomized HALS with the sketch options.</summary>
    private INmfSolver Solver(NmfOptions nmf) => Options.Randomized ? new RandomizedNmf(nmf, Options.Sketch) : new Nmf(nmf);

    private static double Score(double rho) => double.IsNaN(rho) ? -2 : rho;

    private static int[] Greedy(double[] rho, int k, int phases)
    {
        int[] result = new int[k];
        for (int t = 0; t < k; t++)
        {
            int best = 0;
            for (int p = 1; p < phases; p++)
            {
                if (Score(rho[(t * phases) + p]) > Score(rho[(t * phases) + best]))
                {
                    best = p;
                }
            }

            result[t] = best;
        }

        return result;
    }

    /// <summary>
    /// Hungarian algorithm (Kuhn–Munkres with potentials, O(r²c)) on cost −ρ for the r = min(k, P) by
    /// c = max(k, P) rectangular problem; unmatched components (k &gt; P) fall back to greedy.
    /// </summary>
    internal static int[] Hungarian(double[] rho, int k, int phases)
    {
        bool componentsAreRows = k <= phases;
        int r = componentsAreRows ? k : phases;
        int c = componentsAreRows ? phases : k;
        double Cost(int i, int j) => componentsAreRows ? -Score(rho[(i * phases) + j]) : -Score(rho[(j * phases) + i]);

        // 1-based arrays as in the classic formulation.
        double[] u = new double[r + 1];
        double[] v = new double[c + 1];
        int[] p = new int[c + 1];
        int[] way = new int[c + 1];
        for (int i = 1; i <= r; i++)
        {
            p[0] = i;
            int j0 = 0;
            double[] minv = new double[c + 1];
            Array.Fill(minv, double.PositiveInfinity);
            bool[] used = new bool[c + 1];
            do
            {
                used[j0] = true;
                int i0 = p[j0];
                double delta = double.PositiveInfinity;
                int j1 = 0;
                for (int j = 1; j <= c; j++)
                {
                    if (!used[j])
                    {
                        double cur = Cost(i0 - 1, j - 1) - u[i0] - v[j];
                        if (cur < minv[j])
                        {
                            minv[j] = cur;
                            way[j] = j0;
                        }

                        if (minv[j] < delta)
                        {
                            delta = minv[j];
                            j1 = j;
                        }
                    }
                }

                for (int j = 0; j <= c; j++)
                {
                    if (used[j])
                    {
                        u[p[j]] += delta;
                        v[j] -= delta;
                    }
                    else
                    {
                        minv[j] -= delta;
                    }
                }

                j0 = j1;
            }
            while (p[j0] != 0);

            do
            {
                int j1 = way[j0];
                p[j0] = p[j1];
                j0 = j1;
            }
            while (j0 != 0);
        }

        int[] result = Greedy(rho, k, phases);
        for (int j = 1; j <= c; j++)
        {
            if (p[j] != 0)
            {
                if (componentsAreRows)
                {
                    result[p[j] - 1] = j - 1;
                }
                else
                {
                    result[j - 1] = p[j] - 1;
                }
            }
        }

        return result;
    }
}
