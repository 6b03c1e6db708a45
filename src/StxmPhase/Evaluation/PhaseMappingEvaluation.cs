using System.Globalization;
using StxmPhase.Spectra;

namespace StxmPhase;

/// <summary>Scores phase maps against a known ground truth (e.g. from StxmPhase.Synthetic).</summary>
public static class PhaseMappingEvaluation
{
    /// <summary>
    /// Compares <paramref name="predicted"/> with <paramref name="truth"/> on the pixels where the truth carries a phase and
    /// <paramref name="include"/> (if given) is set.
    /// </summary>
    /// <param name="predicted">The predicted map.</param>
    /// <param name="truth">The true map (−1 = background, not evaluated).</param>
    /// <param name="include">Optional mask of pixels to evaluate.</param>
    /// <returns>Accuracy, per-phase and macro F1, confusion matrix.</returns>
    /// <exception cref="ArgumentException">The maps or the mask differ in size or phase count.</exception>
    public static ClassificationMetrics Compare(PhaseMap predicted, PhaseMap truth, PixelMask? include = null)
    {
        ArgumentNullException.ThrowIfNull(predicted);
        ArgumentNullException.ThrowIfNull(truth);
        if (predicted.Width != truth.Width || predicted.Height != truth.Height)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"The predicted map is {predicted.Width}×{predicted.Height} but the truth is {truth.Width}×{truth.Height}."), nameof(predicted));
        }

        if (predicted.PhaseCount != truth.PhaseCount)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"The predicted map has {predicted.PhaseCount} phases but the truth has {truth.PhaseCount}."), nameof(predicted));
        }

        if (include is not null && (include.Width != truth.Width || include.Height != truth.Height))
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"The mask is {include.Width}×{include.Height} but the maps are {truth.Width}×{truth.Height}."), nameof(include));
        }

        int phases = truth.PhaseCount;
        long[] confusion = new long[phases * phases];
        long[] unassigned = new long[phases];
        ReadOnlySpan<int> p = predicted.Labels, t = truth.Labels;
        for (int i = 0; i < t.Length; i++)
        {
            if (t[i] < 0 || (include is not null && !include[i]))
            {
                continue;
            }

            if (p[i] < 0)
            {
                unassigned[t[i]]++;
            }
            else
            {
                confusion[(t[i] * phases) + p[i]]++;
            }
        }

        return new ClassificationMetrics(phases, confusion, unassigned);
    }

    /// <summary>
    /// Evaluates one workflow result against the truth, over <b>every</b> true particle pixel: a particle pixel that the
    /// workflow left out (outside the sample mask, invalid, or unlabelled) counts as wrong. Reports PCC alone and the final
    /// map on the interior pixels, on the boundary (mixed) pixels and on all particle pixels; the PCC-ambiguous pixels before
    /// and after resolution; the phase-fraction errors; the coverage and the false inclusion of the sample mask.
    /// </summary>
    /// <param name="result">A workflow result.</param>
    /// <param name="truth">The true phase map (−1 = background).</param>
    /// <param name="boundary">Optional mask of mixed (boundary) pixels, evaluated separately.</param>
    /// <returns>The evaluation.</returns>
    /// <exception cref="ArgumentException">Sizes or phase counts differ.</exception>
    /// <remarks>
    /// Interior = true particle pixels outside <paramref name="boundary"/>. <see cref="WorkflowEvaluation.Coverage"/> is the
    /// fraction of true particle pixels the workflow analysed (<see cref="PhaseMappingResult.Valid"/>);
    /// <see cref="WorkflowEvaluation.FalseInclusion"/> the fraction of analysed pixels that are background in the truth.
    /// The ambiguous-pixel metrics are over interior pixels that were analysed and PCC-ambiguous (a pixel must be analysed to
    /// be ambiguous). Fraction errors compare the fractions a user reads (over every labelled pixel) with the true ones
    /// (<see cref="FractionError(PhaseMap, PhaseMap)"/>).
    /// </remarks>
    public static WorkflowEvaluation Evaluate(PhaseMappingResult result, PhaseMap truth, PixelMask? boundary = null)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(truth);
        PixelMask analysed = result.Valid;
        PixelMask interior = boundary is null ? PixelMask.Uniform(truth.Width, truth.Height) : boundary.Not();
        PixelMask ambiguous = result.Correlation.Ambiguous.And(interior).And(analysed);
        long particle = 0, covered = 0, falselyIncluded = 0;
        ReadOnlySpan<int> t = truth.Labels;
        for (int i = 0; i < t.Length; i++)
        {
            if (t[i] >= 0)
            {
                particle++;
                if (analysed[i])
                {
                    covered++;
                }
            }
            else if (analysed[i])
            {
                falselyIncluded++;
            }
        }

        return new WorkflowEvaluation(
            Compare(result.PccMap, truth, interior),
            Compare(result.FinalMap, truth, interior),
            boundary is null ? null : Compare(result.PccMap, truth, boundary),
            boundary is null ? null : Compare(result.FinalMap, truth, boundary),
            Compare(result.PccMap, truth, ambiguous),
            Compare(result.FinalMap, truth, ambiguous),
            FractionError(result.PccMap, truth),
            FractionError(result.FinalMap, truth),
            particle == 0 ? double.NaN : (double)covered / particle)
        {
            PccAll = Compare(result.PccMap, truth),
            FinalAll = Compare(result.FinalMap, truth),
            FalseInclusion = analysed.Count == 0 ? 0 : (double)falselyIncluded / analysed.Count,
            Calibration = result.Posteriors is null ? null : Calibration(result.FinalPosteriors, truth, interior),
        };
    }

    /// <summary>
    /// Returns the mean absolute difference, in percentage points, between the phase fractions a user reads from
    /// <paramref name="predicted"/> (over every labelled pixel, including pixels that are background in the truth) and the
    /// true fractions (over every pixel where <paramref name="truth"/> carries a phase).
    /// </summary>
    /// <param name="predicted">The predicted map.</param>
    /// <param name="truth">The true map.</param>
    /// <returns>The mean absolute fraction error in percentage points.</returns>
    /// <remarks>A mask that drops the thin edges of particles biases the fractions towards the phases of the particle cores;
    /// this error shows it, where fractions over the truth's particle pixels alone would not.</remarks>
    public static double FractionError(PhaseMap predicted, PhaseMap truth)
    {
        ArgumentNullException.ThrowIfNull(predicted);
        ArgumentNullException.ThrowIfNull(truth);
        double[] fp = predicted.Fractions();
        double[] ft = truth.Fractions();
        double sum = 0;
        for (int i = 0; i < ft.Length; i++)
        {
            sum += Math.Abs(fp[i] - ft[i]);
        }

        return 100 * sum / ft.Length;
    }

    /// <summary>
    /// Measures how well per-pixel posteriors are calibrated: over the pixels where <paramref name="truth"/> carries a phase,
    /// <paramref name="include"/> (if given) is set and the posteriors are finite, confidence = max_k P(k), correct =
    /// (argmax = true phase); the pixels are binned by confidence into <paramref name="bins"/> equal bins on [0, 1].
    /// </summary>
    /// <param name="posteriors">Posteriors, phase-major (K × Height × Width), NaN where not analysed.</param>
    /// <param name="truth">The true map; K = its phase count.</param>
    /// <param name="include">Optional mask of pixels to score.</param>
    /// <param name="bins">Number of confidence bins (default 15, at least 1).</param>
    /// <returns>The expected calibration error and the reliability-diagram bins.</returns>
    /// <exception cref="ArgumentException">The lengths or sizes do not match.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="bins"/> is below 1.</exception>
    public static CalibrationMetrics Calibration(ReadOnlySpan<float> posteriors, PhaseMap truth, PixelMask? include = null, int bins = 15)
    {
        ArgumentNullException.ThrowIfNull(truth);
        ArgumentOutOfRangeException.ThrowIfLessThan(bins, 1);
        int n = truth.PixelCount, phases = truth.PhaseCount;
        if (posteriors.Length != (long)n * phases)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"Expected {phases} × {n} posteriors but got {posteriors.Length}."), nameof(posteriors));
        }

        if (include is not null && include.PixelCount != n)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"The mask has {include.PixelCount} pixels but the truth has {n}."), nameof(include));
        }

        double[] confSum = new double[bins];
        long[] correct = new long[bins];
        long[] count = new long[bins];
        ReadOnlySpan<int> t = truth.Labels;
        long total = 0;
        for (int p = 0; p < n; p++)
        {
            if (t[p] < 0 || (include is not null && !include[p]) || !float.IsFinite(posteriors[p]))
            {
                continue;
            }

            int arg = 0;
            float top = posteriors[p];
            for (int k = 1; k < phases; k++)
            {
                if (posteriors[(k * n) + p] > top)
                {
                    top = posteriors[(k * n) + p];
                    arg = k;
                }
            }

            int b = Math.Min(bins - 1, (int)(top * bins));
            confSum[b] += top;
            correct[b] += arg == t[p] ? 1 : 0;
            count[b]++;
            total++;
        }

        double ece = 0;
        double[] conf = new double[bins];
        double[] acc = new double[bins];
        for (int b = 0; b < bins; b++)
        {
            conf[b] = count[b] == 0 ? double.NaN : confSum[b] / count[b];
            acc[b] = count[b] == 0 ? double.NaN : (double)correct[b] / count[b];
            if (count[b] > 0)
            {
                ece += (double)count[b] / total * Math.Abs(acc[b] - conf[b]);
            }
        }

        return new CalibrationMetrics(total == 0 ? double.NaN : ece, total, conf, acc, count);
    }

    /// <summary>
    /// Returns the pixels of the truth's phase domains that are exactly <paramref name="width"/> px thin there: a pixel is
    /// kept when some <paramref name="width"/> × <paramref name="width"/> square of its own phase covers it but no
    /// (<paramref name="width"/> + 1)² square does (a morphological opening of each phase's domain by squares). The 1-, 2-
    /// and 3-px shells and stripes that spatial smoothing could erase.
    /// </summary>
    /// <param name="truth">The true phase map (−1 = background).</param>
    /// <param name="width">The domain thickness in pixels, at least 1.</param>
    /// <returns>The thin-domain pixels.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="width"/> is below 1.</exception>
    public static PixelMask ThinDomainMask(PhaseMap truth, int width)
    {
        ArgumentNullException.ThrowIfNull(truth);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        bool[] fits = CoveredBySquare(truth, width);
        bool[] wider = CoveredBySquare(truth, width + 1);
        bool[] thin = new bool[fits.Length];
        for (int p = 0; p < thin.Length; p++)
        {
            thin[p] = fits[p] && !wider[p];
        }

        return PixelMask.FromArray(truth.Width, truth.Height, thin);
    }

    /// <summary>Pixels covered by an s × s square lying wholly in one phase's domain.</summary>
    private static bool[] CoveredBySquare(PhaseMap truth, int s)
    {
        int w = truth.Width, h = truth.Height;
        ReadOnlySpan<int> t = truth.Labels;
        bool[] covered = new bool[w * h];
        for (int y0 = 0; y0 + s <= h; y0++)
        {
            for (int x0 = 0; x0 + s <= w; x0++)
            {
                int label = t[(y0 * w) + x0];
                bool whole = label >= 0;
                for (int dy = 0; dy < s && whole; dy++)
                {
                    for (int dx = 0; dx < s && whole; dx++)
                    {
                        whole = t[((y0 + dy) * w) + x0 + dx] == label;
                    }
                }

                if (!whole)
                {
                    continue;
                }

                for (int dy = 0; dy < s; dy++)
                {
                    for (int dx = 0; dx < s; dx++)
                    {
                        covered[((y0 + dy) * w) + x0 + dx] = true;
                    }
                }
            }
        }

        return covered;
    }
}
