using StxmPhase.Spectra;

namespace StxmPhase.Unmixing;

/// <summary>The reference-curve model with a neighbourhood profile likelihood (see <see cref="CompositionModel.ReferenceCurve"/>).</summary>
public static partial class CompositionEstimator
{
    private const int StepsPerReference = 100;
    private const double ChiSquare90 = 2.705543454095404; // χ²₁ quantile at 0.90
    private const double Z95 = 1.6448536269514722;

    private static CompositionMap EstimateCurve(
        SpectralStack opticalDensity, ReferenceSpectra references, IReadOnlyList<double> values, int[] order, PixelMask? mask,
        int radius, CancellationToken cancellationToken)
    {
        int w = opticalDensity.Width, h = opticalDensity.Height, n = w * h, ec = opticalDensity.EnergyCount;
        int k = order.Length;
        float[] x = new float[n];
        float[] sd = new float[n];
        Array.Fill(x, float.NaN);
        Array.Fill(sd, float.NaN);
        ReadOnlySpan<float> data = opticalDensity.Data.Span;
        double[]? background = BackgroundSpectrum(data, n, ec, mask);
        bool offset = background is null;
        int parameters = offset ? 2 : 1;
        if (ec < parameters + 2)
        {
            return new CompositionMap(w, h, x, sd);
        }

        double flux = background is null ? double.NaN : IncidentFlux(data, n, ec, mask!);
        bool knownNoise = double.IsFinite(flux) && flux > 0;
        int g = (StepsPerReference * (k - 1)) + 1;
        double[] curve = ReferenceCurve(references, order, g);
        double[] xs = new double[g];
        for (int i = 0; i < g; i++)
        {
            double t = (double)i / StepsPerReference;
            int j = Math.Min((int)t, k - 2);
            xs[i] = values[order[j]] + ((t - j) * (values[order[j + 1]] - values[order[j]]));
        }

        int rows = (2 * radius) + 1;
        double[][] profiles = new double[rows][];
        bool[][] valid = new bool[rows][];
        for (int r = 0; r < rows; r++)
        {
            profiles[r] = new double[w * g];
            valid[r] = new bool[w];
        }

        double[] total = new double[g];
        double[] d = new double[ec];
        double[] wts = new double[ec];
        for (int y = 0; y < h + radius; y++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (y < h)
            {
                int slot = y % rows;
                for (int c = 0; c < w; c++)
                {
                    int p = (y * w) + c;
                    valid[slot][c] = (mask is null || mask[p]) && Profile(data, n, p, background, knownNoise ? flux : 1, curve, g, d, wts,
                        profiles[slot].AsSpan(c * g, g));
                }
            }

            int yc = y - radius;
            if (yc < 0)
            {
                continue;
            }

            for (int c = 0; c < w; c++)
            {
                if (!valid[yc % rows][c])
                {
                    continue;
                }

                Array.Clear(total);
                int count = 0;
                for (int yy = Math.Max(0, yc - radius); yy <= Math.Min(h - 1, yc + radius); yy++)
                {
                    for (int cc = Math.Max(0, c - radius); cc <= Math.Min(w - 1, c + radius); cc++)
                    {
                        if (valid[yy % rows][cc])
                        {
                            count++;
                            ReadOnlySpan<double> profile = profiles[yy % rows].AsSpan(cc * g, g);
                            for (int i = 0; i < g; i++)
                            {
                                total[i] += profile[i];
                            }
                        }
                    }
                }

                int dof = (count * (ec - parameters)) - 1;
                (x[(yc * w) + c], sd[(yc * w) + c]) = Interval(total, xs, dof, knownNoise);
            }
        }

        if (radius > 0)
        {
            AddResolutionTerm(x, sd, w, h, radius);
        }

        return new CompositionMap(w, h, x, sd);
    }

    /// <summary>
    /// The weighted residual of the best non-negative amplitude (and offset) at every grid point of the curve for pixel p;
    /// false when the pixel has a non-finite OD.
    /// </summary>
    private static bool Profile(ReadOnlySpan<float> data, int n, int p, double[]? background, double flux, double[] curve, int g,
        double[] d, double[] wts, Span<double> profile)
    {
        int ec = d.Length;
        double sdd = 0, s1 = 0, sd1 = 0;
        for (int e = 0; e < ec; e++)
        {
            double v = data[(e * n) + p];
            if (!double.IsFinite(v))
            {
                return false;
            }

            wts[e] = flux * Math.Exp(-Math.Clamp(v, -5, 10));
            d[e] = background is null ? v : v - background[e];
            sdd += wts[e] * d[e] * d[e];
            s1 += wts[e];
            sd1 += wts[e] * d[e];
        }

        bool offset = background is null;
        double floor = offset ? sdd - (sd1 * sd1 / s1) : sdd;
        for (int i = 0; i < g; i++)
        {
            ReadOnlySpan<double> mu = curve.AsSpan(i * ec, ec);
            double suu = 0, su1 = 0, sud = 0;
            for (int e = 0; e < ec; e++)
            {
                double wm = wts[e] * mu[e];
                suu += wm * mu[e];
                su1 += wm;
                sud += wm * d[e];
            }

            double rss;
            if (offset)
            {
                double det = (suu * s1) - (su1 * su1);
                double a = ((s1 * sud) - (su1 * sd1)) / det;
                rss = det > 0 && a > 0 ? sdd - (((a * sud) + (((suu * sd1) - (su1 * sud)) / det * sd1))) : floor;
            }
            else
            {
                rss = suu > 0 && sud > 0 ? sdd - (sud * sud / suu) : floor;
            }

            profile[i] = Math.Max(rss, 0);
        }

        return true;
    }

    /// <summary>The minimum of a summed profile and its 90 % profile-likelihood interval, as (x, sd).</summary>
    private static (float X, float Sd) Interval(double[] total, double[] xs, int dof, bool knownNoise)
    {
        int best = 0;
        for (int i = 1; i < total.Length; i++)
        {
            if (total[i] < total[best])
            {
                best = i;
            }
        }

        if (dof <= 0 || !double.IsFinite(total[best]))
        {
            return (float.NaN, float.NaN);
        }

        double s2 = total[best] / dof;
        if (knownNoise)
        {
            s2 = 1;
        }

        double threshold = total[best] + (ChiSquare90 * s2);
        int lo = best, hi = best;
        while (lo > 0 && total[lo - 1] <= threshold)
        {
            lo--;
        }

        while (hi < total.Length - 1 && total[hi + 1] <= threshold)
        {
            hi++;
        }

        // Half a grid step at least: the grid's own resolution.
        double halfWidth = Math.Max(Math.Abs(xs[hi] - xs[lo]) / 2, Math.Abs(xs[Math.Min(best + 1, xs.Length - 1)] - xs[best]) / 2);
        return ((float)xs[best], (float)(halfWidth / Z95));
    }

    /// <summary>Adds |∇x|·r/√3 in quadrature (|∇x|² from central differences less their noise variance).</summary>
    private static void AddResolutionTerm(float[] x, float[] sd, int w, int h, int radius)
    {
        float[] stat = (float[])sd.Clone();
        for (int p = 0; p < x.Length; p++)
        {
            if (!float.IsFinite(x[p]) || !float.IsFinite(stat[p]))
            {
                continue;
            }

            int c = p % w, r = p / w;
            double gx = Gradient2(x, stat, p, c > 0 ? p - 1 : -1, c < w - 1 ? p + 1 : -1);
            double gy = Gradient2(x, stat, p, r > 0 ? p - w : -1, r < h - 1 ? p + w : -1);
            double bias2 = (gx + gy) * radius * radius / 3.0;
            sd[p] = (float)Math.Sqrt((stat[p] * (double)stat[p]) + bias2);
        }
    }

    /// <summary>The squared derivative along one axis less its noise variance (not below 0); one-sided at edges.</summary>
    private static double Gradient2(float[] x, float[] sd, int p, int before, int after)
    {
        bool a = before >= 0 && float.IsFinite(x[before]) && float.IsFinite(sd[before]);
        bool b = after >= 0 && float.IsFinite(x[after]) && float.IsFinite(sd[after]);
        double g, v;
        if (a && b)
        {
            g = (x[after] - (double)x[before]) / 2;
            v = ((sd[before] * (double)sd[before]) + (sd[after] * (double)sd[after])) / 4;
        }
        else if (a || b)
        {
            int q = a ? before : after;
            g = x[p] - (double)x[q];
            v = (sd[p] * (double)sd[p]) + (sd[q] * (double)sd[q]);
        }
        else
        {
            return 0;
        }

        return Math.Max(0, (g * g) - v);
    }

    /// <summary>
    /// I0 from the pixels outside the mask: per energy exp(median)/(1.4826·MAD)², the median over energies; NaN when
    /// the spread is zero.
    /// </summary>
    private static double IncidentFlux(ReadOnlySpan<float> data, int n, int ec, PixelMask mask)
    {
        double[] perEnergy = new double[ec];
        var list = new List<double>(n - mask.Count);
        for (int e = 0; e < ec; e++)
        {
            OutsideValues(data.Slice(e * n, n), mask, list);
            double median = Median(list);
            for (int i = 0; i < list.Count; i++)
            {
                list[i] = Math.Abs(list[i] - median);
            }

            double mad = 1.482602218505602 * Median(list);
            perEnergy[e] = mad > 0 ? Math.Exp(median) / (mad * mad) : double.NaN;
        }

        double[] finite = [.. perEnergy.Where(double.IsFinite)];
        return finite.Length == 0 ? double.NaN : Median([.. finite]);
    }

    private static double Median(List<double> list)
    {
        list.Sort();
        int c = list.Count;
        return c == 0 ? double.NaN : c % 2 == 1 ? list[c / 2] : (list[(c / 2) - 1] + list[c / 2]) / 2;
    }

    /// <summary>
    /// The curve sampled at t = i/100, i = 0 … g − 1, energy-contiguous: per energy a natural cubic spline through the
    /// references in value order over their rank.
    /// </summary>
    private static double[] ReferenceCurve(ReferenceSpectra references, int[] order, int g)
    {
        int k = order.Length, ec = references.Energies.Count;
        double[] curve = new double[g * ec];
        double[] y = new double[k];
        double[] m = new double[k];
        double[] cp = new double[k];
        double[] dp = new double[k];
        for (int e = 0; e < ec; e++)
        {
            for (int j = 0; j < k; j++)
            {
                y[j] = references.Spectrum(order[j])[e];
            }

            // Natural spline on unit knots: m[j−1] + 4 m[j] + m[j+1] = 6 (y[j+1] − 2 y[j] + y[j−1]), m[0] = m[k−1] = 0.
            Array.Clear(m);
            for (int j = 1; j < k - 1; j++)
            {
                double den = 4 - (j > 1 ? cp[j - 1] : 0);
                cp[j] = 1 / den;
                dp[j] = ((6 * (y[j + 1] - (2 * y[j]) + y[j - 1])) - (j > 1 ? dp[j - 1] : 0)) / den;
            }

            for (int j = k - 2; j >= 1; j--)
            {
                m[j] = dp[j] - (j < k - 2 ? cp[j] * m[j + 1] : 0);
            }

            for (int i = 0; i < g; i++)
            {
                double t = (double)i / StepsPerReference;
                int j = Math.Min((int)t, k - 2);
                double u = t - j;
                curve[(i * ec) + e] = ((1 - u) * y[j]) + (u * y[j + 1])
                    + ((((1 - u) * (((1 - u) * (1 - u)) - 1) * m[j]) + (u * ((u * u) - 1) * m[j + 1])) / 6);
            }
        }

        return curve;
    }
}
