using System.Globalization;

namespace StxmPhase.Spectra;

/// <summary>
/// Chooses k measurement energies ("characteristic energies") from high-resolution reference spectra so that the
/// references, seen only at those energies, are as distinguishable as possible by Pearson correlation.
/// </summary>
/// <example>
/// <code>
/// CharacteristicEnergySelection sel = CharacteristicEnergySelector.Select(highResReferences, 13);
/// EnergyAxis toMeasure = sel.Energies;
/// </code>
/// </example>
public static class CharacteristicEnergySelector
{
    /// <summary>Selects <paramref name="count"/> energies by greedy max–min Pearson distance.</summary>
    /// <param name="references">High-resolution references (at least two phases).</param>
    /// <param name="count">The number of energies k to select (1 ≤ k ≤ number of candidates).</param>
    /// <param name="options">Candidates, spacing and pre-edge rule; <see langword="null"/> for the defaults.</param>
    /// <returns>The selected energies, their candidate indices and the achieved distances.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="references"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">Fewer than two phases, or the spacing constraint leaves fewer than
    /// <paramref name="count"/> selectable energies (the message names both).</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is below 1 or above the number of candidates,
    /// or <see cref="CharacteristicEnergyOptions.MinimumSpacingEv"/> is negative or not finite.</exception>
    /// <exception cref="IncompatibleEnergiesException">A candidate energy lies outside the range of the references.</exception>
    /// <remarks>
    /// <para>Criterion: for a set S of energies, D(S) = min over phase pairs (p, q) of (1 − ρ_pq(S)), ρ_pq(S) being the
    /// Pearson correlation of references p and q restricted to S (references linearly interpolated onto the candidates).
    /// The phase-mapping workflow assigns pixels by PCC, so the pair of references that is most alike at the measured
    /// energies bounds how well the phases can be told apart; D is what we maximise. A pair where either reference is
    /// constant on S (zero variance, ρ undefined) counts as distance 0.</para>
    /// <para>Search: S starts as {lowest candidate} (the pre-edge; or the best pair when
    /// <see cref="CharacteristicEnergyOptions.KeepPreEdge"/> is off); then, k − |S| times, the candidate c that maximises
    /// D(S ∪ {c}) is added, ties broken by the larger mean pairwise distance and then by the lower energy. Candidates closer
    /// than <see cref="CharacteristicEnergyOptions.MinimumSpacingEv"/> to a selected energy are skipped. Greedy, so not
    /// guaranteed optimal; deterministic. Complexity O(k · M · P²) for M candidates and P phases (O(M² · P²) extra
    /// without the pre-edge anchor).</para>
    /// </remarks>
    public static CharacteristicEnergySelection Select(ReferenceSpectra references, int count, CharacteristicEnergyOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(references);
        options ??= CharacteristicEnergyOptions.Default;
        if (references.PhaseCount < 2)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture,
                    $"Energy selection needs at least two reference phases to separate; got {references.PhaseCount}."),
                nameof(references));
        }

        if (!double.IsFinite(options.MinimumSpacingEv) || options.MinimumSpacingEv < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.MinimumSpacingEv,
                string.Create(CultureInfo.InvariantCulture, $"MinimumSpacingEv must be finite and ≥ 0; got {options.MinimumSpacingEv}."));
        }

        EnergyAxis candidates = options.Candidates ?? references.Energies;
        int m = candidates.Count;
        if (count < 1 || count > m)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count,
                string.Create(CultureInfo.InvariantCulture,
                    $"The number of energies to select must be between 1 and the number of candidate energies ({m}); got {count}."));
        }

        ReferenceSpectra r = references.ResampleTo(candidates);
        var tracker = new PairTracker(r);
        var selected = new List<int>(count);
        bool[] taken = new bool[m];

        if (options.KeepPreEdge || count == 1)
        {
            Add(0);
        }
        else
        {
            (int a, int b) = BestPair(tracker, candidates, options.MinimumSpacingEv);
            if (a < 0)
            {
                ThrowSpacing(count, 1, options.MinimumSpacingEv, nameof(count));
            }

            Add(a);
            Add(b);
        }

        while (selected.Count < count)
        {
            int best = -1;
            double bestMin = double.NegativeInfinity;
            double bestMean = double.NegativeInfinity;
            for (int c = 0; c < m; c++)
            {
                if (taken[c] || !SpacingOk(candidates, selected, c, options.MinimumSpacingEv))
                {
                    continue;
                }

                (double min, double mean) = tracker.Evaluate(c);
                if (min > bestMin + 1e-12 || (Math.Abs(min - bestMin) <= 1e-12 && mean > bestMean + 1e-12))
                {
                    best = c;
                    bestMin = min;
                    bestMean = mean;
                }
            }

            if (best < 0)
            {
                ThrowSpacing(count, selected.Count, options.MinimumSpacingEv, nameof(count));
            }

            Add(best);
        }

        int[] order = [.. selected];
        int[] sorted = [.. selected.Order()];
        (double dMin, double dMean) = tracker.Current();
        double[] energies = new double[sorted.Length];
        for (int i = 0; i < sorted.Length; i++)
        {
            energies[i] = candidates[sorted[i]];
        }

        return new CharacteristicEnergySelection(new EnergyAxis(energies), sorted, order, dMin, dMean);

        void Add(int c)
        {
            tracker.Add(c);
            taken[c] = true;
            selected.Add(c);
        }
    }

    /// <summary>Returns min over phase pairs of (1 − ρ) for the references interpolated at <paramref name="energies"/>.</summary>
    /// <param name="references">Reference spectra (at least two phases).</param>
    /// <param name="energies">The energies to evaluate (within the reference range).</param>
    /// <returns>The smallest pairwise Pearson distance, 0…2; pairs with a constant reference on the energies count as 0.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">Fewer than two phases.</exception>
    /// <exception cref="IncompatibleEnergiesException">An energy lies outside the range of the references.</exception>
    public static double MinimumPearsonDistance(ReferenceSpectra references, EnergyAxis energies)
    {
        ArgumentNullException.ThrowIfNull(references);
        ArgumentNullException.ThrowIfNull(energies);
        if (references.PhaseCount < 2)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"At least two reference phases are required; got {references.PhaseCount}."),
                nameof(references));
        }

        ReferenceSpectra r = references.ResampleTo(energies);
        var tracker = new PairTracker(r);
        for (int i = 0; i < energies.Count; i++)
        {
            tracker.Add(i);
        }

        return tracker.Current().Min;
    }

    private static bool SpacingOk(EnergyAxis candidates, List<int> selected, int c, double spacing)
    {
        if (spacing <= 0)
        {
            return true;
        }

        foreach (int s in selected)
        {
            if (Math.Abs(candidates[s] - candidates[c]) < spacing)
            {
                return false;
            }
        }

        return true;
    }

    private static (int A, int B) BestPair(PairTracker tracker, EnergyAxis candidates, double spacing)
    {
        int m = candidates.Count;
        (int, int) best = (-1, -1);
        double bestMin = double.NegativeInfinity;
        double bestMean = double.NegativeInfinity;
        for (int a = 0; a < m; a++)
        {
            tracker.Add(a);
            for (int b = a + 1; b < m; b++)
            {
                if (candidates[b] - candidates[a] < spacing)
                {
                    continue;
                }

                (double min, double mean) = tracker.Evaluate(b);
                if (min > bestMin + 1e-12 || (Math.Abs(min - bestMin) <= 1e-12 && mean > bestMean + 1e-12))
                {
                    best = (a, b);
                    bestMin = min;
                    bestMean = mean;
                }
            }

            tracker.Remove(a);
        }

        return best;
    }

    private static void ThrowSpacing(int count, int reached, double spacing, string paramName) =>
        throw new ArgumentException(
            string.Create(CultureInfo.InvariantCulture,
                $"Only {reached} of the requested {count} energies can be selected with MinimumSpacingEv = {spacing} eV."),
            paramName);

    /// <summary>Running sums Σx_p, Σx_p², Σx_p·x_q over the selected energies (references centred once for stability).</summary>
    private sealed class PairTracker
    {
        private readonly int _phases;
        private readonly int _m;
        private readonly double[] _values; // phase-major, centred
        private readonly double[] _sx;
        private readonly double[] _sxx;
        private readonly double[,] _sxy;
        private readonly double _scale;
        private int _n;

        public PairTracker(ReferenceSpectra r)
        {
            _phases = r.PhaseCount;
            _m = r.Energies.Count;
            _values = r.Values.ToArray();
            double maxAbs = 0;
            for (int p = 0; p < _phases; p++)
            {
                Span<double> row = _values.AsSpan(p * _m, _m);
                double mean = 0;
                foreach (double v in row)
                {
                    mean += v;
                }

                mean /= _m;
                for (int i = 0; i < _m; i++)
                {
                    row[i] -= mean;
                    maxAbs = Math.Max(maxAbs, Math.Abs(row[i]));
                }
            }

            _scale = maxAbs;
            _sx = new double[_phases];
            _sxx = new double[_phases];
            _sxy = new double[_phases, _phases];
        }

        public void Add(int c) => Update(c, 1);

        public void Remove(int c) => Update(c, -1);

        public (double Min, double Mean) Current() => Score(-1);

        public (double Min, double Mean) Evaluate(int c) => Score(c);

        private void Update(int c, int sign)
        {
            _n += sign;
            for (int p = 0; p < _phases; p++)
            {
                double x = _values[(p * _m) + c];
                _sx[p] += sign * x;
                _sxx[p] += sign * x * x;
                for (int q = p + 1; q < _phases; q++)
                {
                    _sxy[p, q] += sign * x * _values[(q * _m) + c];
                }
            }
        }

        private (double Min, double Mean) Score(int extra)
        {
            int n = _n + (extra >= 0 ? 1 : 0);
            double min = double.PositiveInfinity;
            double sum = 0;
            int pairs = 0;

            // Variance threshold relative to the data scale: below it a reference counts as constant on the set.
            double eps = 1e-12 * _scale * _scale * n * n + double.Epsilon;
            for (int p = 0; p < _phases; p++)
            {
                double xp = extra >= 0 ? _values[(p * _m) + extra] : 0;
                double sp = _sx[p] + xp;
                double vp = (n * (_sxx[p] + (xp * xp))) - (sp * sp);
                for (int q = p + 1; q < _phases; q++)
                {
                    double xq = extra >= 0 ? _values[(q * _m) + extra] : 0;
                    double sq = _sx[q] + xq;
                    double vq = (n * (_sxx[q] + (xq * xq))) - (sq * sq);
                    double d;
                    if (n < 2 || vp <= eps || vq <= eps)
                    {
                        d = 0;
                    }
                    else
                    {
                        double cov = (n * (_sxy[p, q] + (xp * xq))) - (sp * sq);
                        double rho = Math.Clamp(cov / Math.Sqrt(vp * vq), -1, 1);
                        d = 1 - rho;
                    }

                    min = Math.Min(min, d);
                    sum += d;
                    pairs++;
                }
            }

            return (min, sum / pairs);
        }
    }
}
