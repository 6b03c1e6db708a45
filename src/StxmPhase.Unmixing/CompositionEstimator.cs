using System.Globalization;
using StxmPhase.Spectra;

namespace StxmPhase.Unmixing;

/// <summary>
/// Continuous composition: each reference carries a numeric coordinate (e.g. Na content per formula unit); per pixel the
/// coordinate and its standard uncertainty are estimated with the Poisson noise model, by default on a continuous curve
/// through the references fitted jointly over a 3 × 3 neighbourhood (<see cref="CompositionModel.ReferenceCurve"/>,
/// <see cref="CompositionOptions"/>), or by adjacent-pair mixing per pixel (<see cref="CompositionModel.AdjacentPairs"/>).
/// </summary>
/// <example>
/// <code>
/// CompositionMap x = CompositionEstimator.Estimate(od, references, [3.0, 2.4, 2.0, 1.0, 0.8], mask);
/// float naContent = x.Values[pixel], sd = x.StandardDeviations[pixel];
/// </code>
/// </example>
public static partial class CompositionEstimator
{
    private const int MinimumBackgroundPixels = 16;

    /// <summary>Estimates the composition coordinate of every included pixel.</summary>
    /// <param name="opticalDensity">An OD stack.</param>
    /// <param name="references">The references at the stack energies.</param>
    /// <param name="values">One coordinate per reference, in reference order; distinct and finite.</param>
    /// <param name="mask">Optional mask; pixels outside get NaN.</param>
    /// <param name="cancellationToken">Cancels the estimate.</param>
    /// <returns>The coordinate and its standard uncertainty per pixel (NaN where undefined).</returns>
    /// <exception cref="ArgumentNullException">A required argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="values"/> does not have one distinct finite value per reference
    /// (the message names the index and value), or fewer than two references.</exception>
    /// <exception cref="IncompatibleEnergiesException">The reference energies differ from the stack's.</exception>
    /// <exception cref="IncompatibleInputException">The mask size differs from the stack's.</exception>
    /// <remarks>
    /// <para>Uses <see cref="CompositionOptions.Default"/> (the reference curve, a 3 × 3 neighbourhood). With a mask, the
    /// per-energy median OD of the pixels outside it (the support film) is subtracted and gives I0 for the noise model.</para>
    /// <para><see cref="CompositionModel.AdjacentPairs"/>: the references are sorted by value. For each pair (j, j+1)
    /// adjacent in value, the pixel spectrum d(E) is fitted as
    /// a·μ<sub>j</sub>(E) + b·μ<sub>j+1</sub>(E) + c by weighted least squares with weights w(E) = exp(−d(E)): Poisson counting
    /// noise gives var OD(E) = exp(OD)/I0, with I0 taken equal at every energy (the scale cancels). The pair with the
    /// smallest weighted residual among those with a, b ≥ 0 is kept (when no pair has a non-negative solution, the
    /// single reference with the smallest residual gives the coordinate). The mixing fraction f = b/(a + b) gives the
    /// coordinate by linear interpolation, x = x<sub>j</sub> + f·(x<sub>j+1</sub> − x<sub>j</sub>).</para>
    /// <para>Uncertainty: Cov(a, b, c) = s²·(XᵀWX)⁻¹ with s² = Σ w·r²/(E − 3) (the noise scale estimated from the
    /// residuals); by the delta method var f = gᵀ Cov g, g = (−b, a)/(a + b)², and sd(x) = |x<sub>j+1</sub> − x<sub>j</sub>|·sd(f).
    /// Pixels fitted by a single reference get the sd of the pair fit clamped at its end. NaN: outside the mask, any
    /// non-finite OD, fewer than four energies, or a + b ≤ 0. Computed in double precision; O(pixels × pairs × energies).</para>
    /// </remarks>
    public static CompositionMap Estimate(
        SpectralStack opticalDensity, ReferenceSpectra references, IReadOnlyList<double> values, PixelMask? mask = null,
        CancellationToken cancellationToken = default) =>
        Estimate(opticalDensity, references, values, mask, CompositionOptions.Default, cancellationToken);

    /// <summary>Estimates the composition coordinate of every included pixel with the given model and neighbourhood.</summary>
    /// <param name="opticalDensity">An OD stack.</param>
    /// <param name="references">The references at the stack energies.</param>
    /// <param name="values">One coordinate per reference, in reference order; distinct and finite.</param>
    /// <param name="mask">Optional mask; pixels outside get NaN.</param>
    /// <param name="options">The model and neighbourhood (<see cref="CompositionOptions.Default"/> for the defaults).</param>
    /// <param name="cancellationToken">Cancels the estimate.</param>
    /// <returns>The coordinate and its standard uncertainty per pixel (NaN where undefined).</returns>
    /// <exception cref="ArgumentNullException">A required argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="values"/> does not have one distinct finite value per reference
    /// (the message names the index and value), or fewer than two references.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="CompositionOptions.NeighbourhoodRadius"/> is outside [0, 5] or the
    /// model is not defined.</exception>
    /// <exception cref="IncompatibleEnergiesException">The reference energies differ from the stack's.</exception>
    /// <exception cref="IncompatibleInputException">The mask size differs from the stack's.</exception>
    /// <remarks>See <see cref="CompositionModel"/> for the two models and <see cref="CompositionOptions"/> for the
    /// neighbourhood and the uncertainty.</remarks>
    public static CompositionMap Estimate(
        SpectralStack opticalDensity, ReferenceSpectra references, IReadOnlyList<double> values, PixelMask? mask,
        CompositionOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(opticalDensity);
        ArgumentNullException.ThrowIfNull(references);
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        InputValidation.CheckEnergies(opticalDensity, references, 1e-6);
        InputValidation.CheckMask(opticalDensity, mask);
        int k = references.PhaseCount;
        if (values.Count != k || k < 2)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"Expected one reference value per reference ({k}, at least 2); got {values.Count}."),
                nameof(values));
        }

        for (int i = 0; i < k; i++)
        {
            if (!double.IsFinite(values[i]))
            {
                throw new ArgumentException(
                    string.Create(CultureInfo.InvariantCulture,
                        $"Reference value {i} ({references.PhaseNames[i]}) is {values[i]}; values must be finite."),
                    nameof(values));
            }

            for (int j = 0; j < i; j++)
            {
                if (values[j] == values[i])
                {
                    throw new ArgumentException(
                        string.Create(CultureInfo.InvariantCulture, $"Reference values {j} and {i} are both {values[i]}; values must be distinct."),
                        nameof(values));
                }
            }
        }

        int[] order = [.. Enumerable.Range(0, k).OrderBy(i => values[i])];
        return options.Model == CompositionModel.ReferenceCurve
            ? EstimateCurve(opticalDensity, references, values, order, mask, options.NeighbourhoodRadius, cancellationToken)
            : EstimatePairs(opticalDensity, references, values, order, mask, cancellationToken);
    }

    private static CompositionMap EstimatePairs(
        SpectralStack opticalDensity, ReferenceSpectra references, IReadOnlyList<double> values, int[] order, PixelMask? mask,
        CancellationToken cancellationToken)
    {
        int k = references.PhaseCount;
        int n = opticalDensity.PixelCount;
        int ec = opticalDensity.EnergyCount;
        float[] x = new float[n];
        float[] sd = new float[n];
        Array.Fill(x, float.NaN);
        Array.Fill(sd, float.NaN);
        if (ec < 4)
        {
            return new CompositionMap(opticalDensity.Width, opticalDensity.Height, x, sd);
        }

        ReadOnlySpan<float> data = opticalDensity.Data.Span;
        ReadOnlySpan<double> mu = references.Values;
        double[]? background = BackgroundSpectrum(data, n, ec, mask);
        double[] d = new double[ec];
        double[] wts = new double[ec];
        for (int p = 0; p < n; p++)
        {
            if ((p & 4095) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            if (mask is not null && !mask[p])
            {
                continue;
            }

            bool finite = true;
            for (int e = 0; e < ec; e++)
            {
                d[e] = data[(e * n) + p];
                finite &= double.IsFinite(d[e]);
                wts[e] = Math.Exp(-Math.Clamp(d[e], -5, 10));
                if (background is not null)
                {
                    d[e] -= background[e];
                }
            }

            if (!finite)
            {
                continue;
            }

            double bestRss = double.PositiveInfinity, bestX = double.NaN, bestSd = double.NaN;
            for (int s = 0; s < k - 1; s++)
            {
                int j0 = order[s], j1 = order[s + 1];
                if (!FitPair(
                    d, wts, mu.Slice(j0 * ec, ec), mu.Slice(j1 * ec, ec), background is null,
                    out double a, out double b, out double rss, out double varF))
                {
                    continue;
                }

                double x0 = values[j0], x1 = values[j1];
                double f;
                if (a >= 0 && b >= 0 && a + b > 0)
                {
                    f = b / (a + b);
                }
                else if (a + b > 0)
                {
                    // Clamped at an end: the coordinate of that reference; rss of the single-reference fit.
                    f = b < 0 ? 0 : 1;
                    rss = SingleRss(d, wts, mu.Slice((f == 0 ? j0 : j1) * ec, ec), background is null);
                }
                else
                {
                    continue;
                }

                if (rss < bestRss)
                {
                    bestRss = rss;
                    bestX = x0 + (f * (x1 - x0));
                    bestSd = Math.Abs(x1 - x0) * Math.Sqrt(varF);
                }
            }

            x[p] = (float)bestX;
            sd[p] = double.IsFinite(bestX) ? (float)bestSd : float.NaN;
        }

        return new CompositionMap(opticalDensity.Width, opticalDensity.Height, x, sd);
    }

    /// <summary>Weighted LS of d ≈ a·u + b·v + c; returns the weighted RSS and the delta-method variance of f = b/(a+b).</summary>
    private static bool FitPair(
        double[] d, double[] w, ReadOnlySpan<double> u, ReadOnlySpan<double> v, bool offset,
        out double a, out double b, out double rss, out double varF)
    {
        int ec = d.Length;
        double suu = 0, suv = 0, su1 = 0, svv = 0, sv1 = 0, s11 = 0, sud = 0, svd = 0, s1d = 0;
        for (int e = 0; e < ec; e++)
        {
            double we = w[e];
            suu += we * u[e] * u[e];
            suv += we * u[e] * v[e];
            su1 += we * u[e];
            svv += we * v[e] * v[e];
            sv1 += we * v[e];
            s11 += we;
            sud += we * u[e] * d[e];
            svd += we * v[e] * d[e];
            s1d += offset ? we * d[e] : 0;
        }

        if (!offset)
        {
            // No offset column: the 2 × 2 system embedded in the 3 × 3 one with the offset pinned to 0.
            su1 = sv1 = s1d = 0;
            s11 = 1;
        }

        // Inverse of the symmetric 3×3 normal matrix by cofactors.
        double c00 = (svv * s11) - (sv1 * sv1);
        double c01 = -((suv * s11) - (sv1 * su1));
        double c02 = (suv * sv1) - (svv * su1);
        double det = (suu * c00) + (suv * c01) + (su1 * c02);
        a = b = rss = varF = double.NaN;
        if (!(Math.Abs(det) > 1e-300))
        {
            return false;
        }

        double c11 = (suu * s11) - (su1 * su1);
        double c12 = -((suu * sv1) - (suv * su1));
        double c22 = (suu * svv) - (suv * suv);
        double i00 = c00 / det, i01 = c01 / det, i02 = c02 / det, i11 = c11 / det, i12 = c12 / det, i22 = c22 / det;
        a = (i00 * sud) + (i01 * svd) + (i02 * s1d);
        b = (i01 * sud) + (i11 * svd) + (i12 * s1d);
        double c = (i02 * sud) + (i12 * svd) + (i22 * s1d);
        rss = 0;
        for (int e = 0; e < ec; e++)
        {
            double r = d[e] - (a * u[e]) - (b * v[e]) - c;
            rss += w[e] * r * r;
        }

        double s2 = rss / (ec - (offset ? 3 : 2));
        double t = a + b;
        double ga = -b / (t * t), gb = a / (t * t);
        varF = s2 * ((ga * ga * i00) + (2 * ga * gb * i01) + (gb * gb * i11));
        if (!(varF >= 0))
        {
            varF = double.NaN;
        }

        return true;
    }

    /// <summary>
    /// The per-energy median OD of the pixels outside <paramref name="mask"/> (the support film and any flat background),
    /// or <see langword="null"/> when there is no mask or fewer than 16 finite outside pixels.
    /// </summary>
    private static double[]? BackgroundSpectrum(ReadOnlySpan<float> data, int n, int ec, PixelMask? mask)
    {
        if (mask is null || n - mask.Count < MinimumBackgroundPixels)
        {
            return null;
        }

        double[] result = new double[ec];
        var list = new List<double>(n - mask.Count);
        for (int e = 0; e < ec; e++)
        {
            OutsideValues(data.Slice(e * n, n), mask, list);
            if (list.Count < MinimumBackgroundPixels)
            {
                return null;
            }

            result[e] = Median(list);
        }

        return result;
    }

    /// <summary>
    /// Replaces the contents of <paramref name="values"/> by the finite values of <paramref name="plane"/> outside
    /// <paramref name="mask"/>.
    /// </summary>
    private static void OutsideValues(ReadOnlySpan<float> plane, PixelMask mask, List<double> values)
    {
        values.Clear();
        for (int p = 0; p < plane.Length; p++)
        {
            if (!mask[p] && float.IsFinite(plane[p]))
            {
                values.Add(plane[p]);
            }
        }
    }

    /// <summary>Weighted RSS of d ≈ a·u + c (one reference and an offset).</summary>
    private static double SingleRss(double[] d, double[] w, ReadOnlySpan<double> u, bool offset)
    {
        double suu = 0, su1 = 0, s11 = 0, sud = 0, s1d = 0;
        for (int e = 0; e < d.Length; e++)
        {
            suu += w[e] * u[e] * u[e];
            su1 += w[e] * u[e];
            s11 += w[e];
            sud += w[e] * u[e] * d[e];
            s1d += w[e] * d[e];
        }

        if (!offset)
        {
            su1 = s1d = 0;
            s11 = 1;
        }

        double det = (suu * s11) - (su1 * su1);
        double a = ((s11 * sud) - (su1 * s1d)) / det;
        double c = ((suu * s1d) - (su1 * sud)) / det;
        double rss = 0;
        for (int e = 0; e < d.Length; e++)
        {
            double r = d[e] - (a * u[e]) - c;
            rss += w[e] * r * r;
        }

        return rss;
    }
}
