using System.Globalization;

namespace StxmPhase.Spectra;

/// <summary>
/// Estimates and applies a global energy offset between a stack and its reference spectra (monochromator calibration between
/// beamtimes).
/// </summary>
/// <remarks>
/// <para>
/// Sign convention: ΔE (<c>energy_offset_eV</c>) is defined so that the stack's nominal energy E corresponds to the
/// references' energy E + ΔE; applying it reads the references at E + ΔE (equivalently, their energy axis is moved by −ΔE).
/// A positive ΔE means the stack's energy scale reads low compared with the references'.
/// </para>
/// <para>
/// Objective: for each trial ΔE on a grid over [−range, +range], the references are linearly interpolated at E + ΔE, and
/// J(ΔE) is the mean over the masked pixels of the best Pearson correlation of the pixel spectrum with any reference. J peaks
/// sharply at the true offset on a sample with several phases. The grid optimum is refined by a parabola through it and its
/// neighbours; the uncertainty is the spread of the estimates of 8 disjoint pixel subsets divided by √8. On a sample of one
/// phase, an offset can mimic a neighbouring phase (the phases differ by shifts of their edges), so J has several optima of
/// similar height: the status is then <see cref="EnergyOffsetStatus.Ambiguous"/> and the offset must not be applied.
/// Cost: O(trials × pixels × phases × energies) with at most <see cref="EnergyCalibrationOptions.MaxPixels"/> pixels.
/// </para>
/// </remarks>
public static partial class EnergyCalibration
{
    private const int Subsets = 8;

    /// <summary>Estimates the energy offset ΔE between <paramref name="opticalDensity"/> and <paramref name="references"/>.</summary>
    /// <param name="opticalDensity">The stack as optical density.</param>
    /// <param name="references">The references, tabulated on a grid finer than 0.25 eV that extends beyond the stack's energies
    /// by the search range (e.g. 0.1 eV steps).</param>
    /// <param name="mask">The pixels to use (typically the particle mask), or <see langword="null"/> for every pixel.</param>
    /// <param name="options">The options, or <see langword="null"/> for the defaults.</param>
    /// <param name="cancellationToken">Cancels the search.</param>
    /// <returns>The estimate; check <see cref="EnergyOffsetEstimate.Status"/> before applying it.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="opticalDensity"/> or <paramref name="references"/> is
    /// <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="mask"/> does not have the stack's size.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is outside its documented range (the message names it and its value).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static EnergyOffsetEstimate EstimateOffset(
        SpectralStack opticalDensity,
        ReferenceSpectra references,
        PixelMask? mask = null,
        EnergyCalibrationOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(opticalDensity);
        return EstimateOffset([opticalDensity], references, mask is null ? null : [mask], options, cancellationToken);
    }

    private static EnergyOffsetEstimate EstimateCore(
        SpectralStack[] stacks, PixelMask?[] masks, ReferenceSpectra references, EnergyCalibrationOptions options,
        CancellationToken cancellationToken)
    {
        EnergyAxis axis = stacks[0].Energies;
        int energies = axis.Count;
        ReadOnlySpan<double> refAxis = references.Energies.AsSpan();

        // Reference grid: fine enough to be shifted, and the allowed shifts keep every stack energy inside it.
        double medianStep = MedianStep(refAxis);
        if (refAxis.Length < 3 || medianStep > 0.25 || energies < 3)
        {
            return NotEstimable(string.Create(CultureInfo.InvariantCulture,
                $"The references are tabulated too coarsely to be shifted (median step "
                + $"{medianStep:0.###} eV > 0.25 eV) or there are fewer than 3 energies; no energy offset estimated."));
        }

        int half = (int)Math.Round(options.SearchRangeEv / options.StepEv);
        double lowest = refAxis[0] - axis[0];
        double highest = refAxis[^1] - axis[energies - 1];
        var trials = new List<double>();
        for (int k = -half; k <= half; k++)
        {
            double shift = k * options.StepEv;
            if (shift >= lowest - 1e-9 && shift <= highest + 1e-9)
            {
                trials.Add(shift);
            }
        }

        if (trials.Count < 5)
        {
            return NotEstimable(string.Create(CultureInfo.InvariantCulture,
                $"The references ({refAxis[0]}–{refAxis[^1]} eV) do not extend beyond the stack energies ("
                + $"{axis[0]}–{axis[energies - 1]} eV) far enough to search for an energy offset."));
        }

        double[] pixels = SelectPooledPixels(stacks, masks, options.MaxPixels, out int count);
        if (count < 16)
        {
            return NotEstimable(string.Create(CultureInfo.InvariantCulture,
                $"Only {count} usable pixels (at least 16 needed); no energy offset estimated."));
        }

        // Objective per trial and per subset (pixel i belongs to subset i mod 8).
        int phases = references.PhaseCount;
        double[] subsetSums = new double[trials.Count * Subsets];
        int[] subsetCounts = new int[Subsets];
        for (int i = 0; i < count; i++)
        {
            subsetCounts[i % Subsets]++;
        }

        double[] r = new double[phases * energies];
        for (int k = 0; k < trials.Count; k++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            ReferenceSpectra shifted = ResampleShifted(references, axis, trials[k]);
            for (int p = 0; p < phases; p++)
            {
                CentreAndNormalise(shifted.Spectrum(p), r.AsSpan(p * energies, energies));
            }

            for (int i = 0; i < count; i++)
            {
                ReadOnlySpan<double> x = pixels.AsSpan(i * energies, energies);
                double best = -1;
                for (int p = 0; p < phases; p++)
                {
                    ReadOnlySpan<double> rp = r.AsSpan(p * energies, energies);
                    double dot = 0;
                    for (int e = 0; e < energies; e++)
                    {
                        dot += x[e] * rp[e];
                    }

                    best = Math.Max(best, dot);
                }

                subsetSums[(k * Subsets) + (i % Subsets)] += best;
            }
        }

        double[] objective = new double[trials.Count];
        for (int k = 0; k < trials.Count; k++)
        {
            double sum = 0;
            for (int s = 0; s < Subsets; s++)
            {
                sum += subsetSums[(k * Subsets) + s];
            }

            objective[k] = sum / count;
        }

        double[] trialArray = [.. trials];
        int bestIndex = ArgMax(objective);
        double offset = Refine(trialArray, objective, bestIndex);

        // Uncertainty from the subsets' own optima.
        double[] estimates = new double[Subsets];
        double[] subsetObjective = new double[trials.Count];
        for (int s = 0; s < Subsets; s++)
        {
            for (int k = 0; k < trials.Count; k++)
            {
                subsetObjective[k] = subsetSums[(k * Subsets) + s] / Math.Max(1, subsetCounts[s]);
            }

            estimates[s] = Refine(trialArray, subsetObjective, ArgMax(subsetObjective));
        }

        double mean = estimates.Average();
        double variance = estimates.Sum(v => (v - mean) * (v - mean)) / (Subsets - 1);
        double uncertainty = Math.Sqrt(variance / Subsets);

        double max = objective[bestIndex];
        double min = objective.Min();
        EnergyOffsetStatus status = EnergyOffsetStatus.Estimated;
        string message;
        if (bestIndex == 0 || bestIndex == trials.Count - 1)
        {
            status = EnergyOffsetStatus.AtSearchBound;
            message = string.Create(CultureInfo.InvariantCulture,
                $"The best energy offset ({offset:+0.000;-0.000;+0.000} eV) lies on the edge of the search range ["
                + $"{trialArray[0]:0.00}, {trialArray[^1]:0.00}] eV; not applied. Check the stack energies or widen the range.");
        }
        else if (max - min < options.FlatThreshold)
        {
            status = EnergyOffsetStatus.Flat;
            message = string.Create(CultureInfo.InvariantCulture,
                $"The correlation barely depends on the energy offset (range {max - min:0.0000} over ±"
                + $"{options.SearchRangeEv} eV); no offset applied.");
        }
        else if (DominantPhaseFraction(pixels, count, references, axis, trialArray[bestIndex]) is var dominant
            && dominant > options.SinglePhaseFraction)
        {
            status = EnergyOffsetStatus.Ambiguous;
            message = string.Create(CultureInfo.InvariantCulture,
                $"{dominant:P0} of the pixels match one phase: in a sample of a single phase an energy offset cannot be told "
                + $"from a neighbouring phase (best {offset:+0.000;-0.000;+0.000} eV); no offset applied.");
        }
        else if (SecondOptimum(trialArray, objective, bestIndex, options.FlatThreshold / 2) is { } second
            && max - objective[second] < options.AmbiguityRatio * (max - Dip(objective, bestIndex, second)))
        {
            status = EnergyOffsetStatus.Ambiguous;
            message = string.Create(CultureInfo.InvariantCulture,
                $"The energy-offset objective has several optima of similar height ({offset:+0.000;-0.000;+0.000} eV and "
                + $"{trialArray[second]:+0.00;-0.00} eV), as for a sample of a single phase, where an offset mimics a neighbouring phase; "
                + $"no offset applied.");
        }
        else
        {
            message = string.Create(CultureInfo.InvariantCulture,
                $"Energy offset {offset:+0.000;-0.000;+0.000} ± {uncertainty:0.000} eV (mean best correlation {max:0.0000} against "
                + $"{objective[Array.IndexOf(trialArray, 0.0) is int z and >= 0 ? z : bestIndex]:0.0000} without offset).");
        }

        return new EnergyOffsetEstimate(offset, uncertainty, status, count, trialArray, objective, message);
    }

    /// <summary>
    /// Linearly interpolates the references at <paramref name="target"/> energies + <paramref name="offsetEv"/> and labels the
    /// result with <paramref name="target"/>: reference value at stack energy E = r(E + ΔE).
    /// </summary>
    /// <param name="references">The references.</param>
    /// <param name="target">The stack energies.</param>
    /// <param name="offsetEv">ΔE in eV (see the sign convention of <see cref="EnergyCalibration"/>); finite.</param>
    /// <param name="toleranceEv">As in <see cref="ReferenceSpectra.ResampleTo(EnergyAxis, double)"/>.</param>
    /// <returns>The shifted references on <paramref name="target"/>.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="offsetEv"/> is not finite.</exception>
    /// <exception cref="IncompatibleEnergiesException">A shifted energy lies outside the references' range by more than the tolerance.</exception>
    public static ReferenceSpectra ResampleShifted(ReferenceSpectra references, EnergyAxis target, double offsetEv, double toleranceEv = 0.05)
    {
        ArgumentNullException.ThrowIfNull(references);
        ArgumentNullException.ThrowIfNull(target);
        if (!double.IsFinite(offsetEv))
        {
            throw new ArgumentOutOfRangeException(nameof(offsetEv), offsetEv, "The energy offset must be finite.");
        }

        if (offsetEv == 0)
        {
            return references.ResampleTo(target, toleranceEv);
        }

        double[] shiftedAxis = new double[target.Count];
        for (int e = 0; e < shiftedAxis.Length; e++)
        {
            shiftedAxis[e] = target[e] + offsetEv;
        }

        ReferenceSpectra onShifted = references.ResampleTo(new EnergyAxis(shiftedAxis), toleranceEv);
        return new ReferenceSpectra(target, references.PhaseNames, onShifted.Values);
    }

    private static EnergyOffsetEstimate NotEstimable(string message) =>
        new(0, double.NaN, EnergyOffsetStatus.NotEstimable, 0, [], [], message);

    /// <summary>Mean over the selected (centred, unit-norm) pixels of the best Pearson correlation with any reference on the stack axis.</summary>
    internal static double MeanBestCorrelation(double[] pixels, int count, ReferenceSpectra onStack)
    {
        int energies = onStack.Energies.Count;
        int phases = onStack.PhaseCount;
        double[] r = new double[phases * energies];
        for (int p = 0; p < phases; p++)
        {
            CentreAndNormalise(onStack.Spectrum(p), r.AsSpan(p * energies, energies));
        }

        double sum = 0;
        for (int i = 0; i < count; i++)
        {
            double best = -1;
            for (int p = 0; p < phases; p++)
            {
                double dot = 0;
                for (int e = 0; e < energies; e++)
                {
                    dot += pixels[(i * energies) + e] * r[(p * energies) + e];
                }

                best = Math.Max(best, dot);
            }

            sum += best;
        }

        return sum / count;
    }

    private static bool CentreAndNormalise(ReadOnlySpan<double> source, Span<double> destination)
    {
        double mean = 0;
        foreach (double v in source)
        {
            mean += v;
        }

        mean /= source.Length;
        double norm = 0;
        for (int e = 0; e < source.Length; e++)
        {
            destination[e] = source[e] - mean;
            norm += destination[e] * destination[e];
        }

        if (!(norm > 0) || !double.IsFinite(norm))
        {
            destination.Clear();
            return false;
        }

        double scale = 1.0 / Math.Sqrt(norm);
        for (int e = 0; e < destination.Length; e++)
        {
            destination[e] *= scale;
        }

        return true;
    }

    private static int ArgMax(double[] values)
    {
        int best = 0;
        for (int k = 1; k < values.Length; k++)
        {
            if (values[k] > values[best])
            {
                best = k;
            }
        }

        return best;
    }

    /// <summary>Vertex of the parabola through the optimum and its two neighbours (the grid point on an edge).</summary>
    private static double Refine(double[] trials, double[] objective, int k)
    {
        if (k == 0 || k == trials.Length - 1)
        {
            return trials[k];
        }

        double a = objective[k - 1], b = objective[k], c = objective[k + 1];
        double curvature = a - (2 * b) + c;
        if (!(curvature < 0))
        {
            return trials[k];
        }

        double delta = 0.5 * (a - c) / curvature;
        return trials[k] + (Math.Clamp(delta, -0.5, 0.5) * (trials[k + 1] - trials[k]));
    }

    /// <summary>
    /// The highest interior local maximum at least 0.1 eV from the best whose prominence towards the best (its height above the
    /// lowest objective between them) exceeds <paramref name="noise"/>, or null.
    /// </summary>
    private static int? SecondOptimum(double[] trials, double[] objective, int best, double noise)
    {
        int? second = null;
        for (int k = 1; k < trials.Length - 1; k++)
        {
            if (Math.Abs(trials[k] - trials[best]) < 0.1 - 1e-9 || objective[k] < objective[k - 1] || objective[k] < objective[k + 1]
                || objective[k] - Dip(objective, best, k) <= noise)
            {
                continue;
            }

            if (second is not int s || objective[k] > objective[s])
            {
                second = k;
            }
        }

        return second;
    }

    /// <summary>The lowest objective between two grid indices (inclusive).</summary>
    private static double Dip(double[] objective, int a, int b)
    {
        double dip = double.PositiveInfinity;
        for (int k = Math.Min(a, b); k <= Math.Max(a, b); k++)
        {
            dip = Math.Min(dip, objective[k]);
        }

        return dip;
    }

    /// <summary>The largest fraction of the pixels whose best-correlated reference (references read at E + offset) is one phase.</summary>
    private static double DominantPhaseFraction(double[] pixels, int count, ReferenceSpectra references, EnergyAxis axis, double offsetEv)
    {
        int energies = axis.Count;
        int phases = references.PhaseCount;
        ReferenceSpectra shifted = ResampleShifted(references, axis, offsetEv);
        double[] r = new double[phases * energies];
        for (int p = 0; p < phases; p++)
        {
            CentreAndNormalise(shifted.Spectrum(p), r.AsSpan(p * energies, energies));
        }

        int[] counts = new int[phases];
        for (int i = 0; i < count; i++)
        {
            ReadOnlySpan<double> x = pixels.AsSpan(i * energies, energies);
            int best = 0;
            double bestDot = double.NegativeInfinity;
            for (int p = 0; p < phases; p++)
            {
                double dot = 0;
                for (int e = 0; e < energies; e++)
                {
                    dot += x[e] * r[(p * energies) + e];
                }

                if (dot > bestDot)
                {
                    bestDot = dot;
                    best = p;
                }
            }

            counts[best]++;
        }

        return (double)counts.Max() / count;
    }

    private static double MedianStep(ReadOnlySpan<double> axis)
    {
        if (axis.Length < 2)
        {
            return double.PositiveInfinity;
        }

        double[] steps = new double[axis.Length - 1];
        for (int i = 0; i < steps.Length; i++)
        {
            steps[i] = axis[i + 1] - axis[i];
        }

        Array.Sort(steps);
        return steps[steps.Length / 2];
    }

    private static void Validate(EnergyCalibrationOptions options)
    {
        Check(options.SearchRangeEv, double.Epsilon, 5.0, nameof(options.SearchRangeEv));
        Check(options.StepEv, 0.001, 0.5, nameof(options.StepEv));
        Check(options.MaxPixels, 16, int.MaxValue, nameof(options.MaxPixels));
        Check(options.AmbiguityRatio, double.Epsilon, 1.0 - 1e-12, nameof(options.AmbiguityRatio));
        Check(options.FlatThreshold, 0.0, 1.0 - 1e-12, nameof(options.FlatThreshold));
        Check(options.SinglePhaseFraction, 0.5, 1.0, nameof(options.SinglePhaseFraction));
    }

    private static void Check(double value, double minimum, double maximum, string name, string paramName = "options")
    {
        if (!(value >= minimum && value <= maximum))
        {
            throw new ArgumentOutOfRangeException(paramName, value,
                string.Create(CultureInfo.InvariantCulture, $"EnergyCalibrationOptions.{name} must lie in [{minimum}, {maximum}]; got {value}."));
        }
    }
}
