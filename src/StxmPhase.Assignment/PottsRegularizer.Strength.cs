namespace StxmPhase.Assignment;

/// <summary>The Potts MRF's strength estimate and its calibration from held-out pixels (see the class remarks).</summary>
public static partial class PottsRegularizer
{
    /// <summary>Analysed pixels of the row band the strength is estimated on (one in five of them held out).</summary>
    private const int EstimationPixels = 32768;
    private const double CoarseStep = 0.5;
    private const double FineStep = 0.1;

    /// <summary>Pixels held out of the evidence, and their held-out posteriors r (phase-major, K per pixel).</summary>
    private sealed record HeldOut(int[] Pixels, double[] Posteriors);

    /// <summary>Whether pixel (x, y) is held out: x + 2y ≡ 0 (mod 5), so no two held-out pixels are 4-neighbours.</summary>
    private static bool IsHeldOut(int x, int y) => (x + (2 * y)) % 5 == 0;

    /// <summary>
    /// Estimates β by the held-out predictive likelihood (see the class remarks): on a band of rows holding about 32 768
    /// analysed pixels, the score Σ_held-out ln Σ_k q_p(k) P_p(k) is evaluated on a grid of step 0.5 up to
    /// <paramref name="maxStrength"/>, then of step 0.1 around the best.
    /// </summary>
    /// <param name="unary">Posteriors, phase-major, normalised, 0 outside the sample.</param>
    /// <param name="inside">Analysed pixels.</param>
    /// <param name="width">Width.</param>
    /// <param name="height">Height.</param>
    /// <param name="phases">K.</param>
    /// <param name="maxStrength">Upper end of the grid.</param>
    /// <param name="iterations">Mean-field sweeps per evaluation.</param>
    /// <param name="cancellationToken">Cancels between evaluations.</param>
    /// <returns>The β of the grid with the largest score (the smallest on ties).</returns>
    internal static double EstimateStrength(float[] unary, bool[] inside, int width, int height, int phases, double maxStrength, int iterations,
        CancellationToken cancellationToken = default)
    {
        (int y0, int y1) = Band(inside, width, height);
        int rows = y1 - y0, n = width * height, m = width * rows;
        float[] bandUnary = new float[phases * m];
        bool[] bandInside = inside.AsSpan(y0 * width, m).ToArray();
        for (int k = 0; k < phases; k++)
        {
            unary.AsSpan((k * n) + (y0 * width), m).CopyTo(bandUnary.AsSpan(k * m, m));
        }

        var scores = new Dictionary<int, double>();
        double Score(int hundredths)
        {
            if (!scores.TryGetValue(hundredths, out double s))
            {
                cancellationToken.ThrowIfCancellationRequested();
                s = HeldOutScore(bandUnary, bandInside, width, rows, y0, phases, hundredths / 100.0, iterations, null, cancellationToken);
                scores[hundredths] = s;
            }

            return s;
        }

        int Best(IEnumerable<int> grid)
        {
            int best = -1;
            double top = double.NegativeInfinity;
            foreach (int g in grid.Order())
            {
                double s = Score(g);
                if (s > top + 1e-9)
                {
                    top = s;
                    best = g;
                }
            }

            return best;
        }

        int cap = (int)Math.Round(maxStrength * 100), coarse = (int)(CoarseStep * 100), fine = (int)(FineStep * 100);
        var grid = new List<int>();
        for (int g = 0; g <= cap; g += coarse)
        {
            grid.Add(g);
        }

        if (grid[^1] != cap)
        {
            grid.Add(cap);
        }

        int c = Best(grid);
        var refine = new List<int> { c };
        for (int g = Math.Max(0, c - coarse + fine); g <= Math.Min(cap, c + coarse - fine); g += fine)
        {
            refine.Add(g);
        }

        return Best(refine.Distinct()) / 100.0;
    }

    /// <summary>
    /// Runs mean field with the held-out pixels' evidence made uniform and returns Σ_held-out ln Σ_k q_p(k) P_p(k); when
    /// <paramref name="posteriors"/> is given, also fills it with the held-out posteriors r_p ∝ q_p · P_p.
    /// </summary>
    private static double HeldOutScore(float[] unary, bool[] inside, int width, int rows, int yOffset, int phases, double beta, int iterations,
        List<double>? posteriors, CancellationToken cancellationToken)
    {
        int m = width * rows;
        float[] held = (float[])unary.Clone();
        float uniform = 1f / phases;
        for (int y = 0; y < rows; y++)
        {
            for (int x = 0; x < width; x++)
            {
                int p = (y * width) + x;
                if (inside[p] && IsHeldOut(x, y + yOffset))
                {
                    for (int k = 0; k < phases; k++)
                    {
                        held[(k * m) + p] = uniform;
                    }
                }
            }
        }

        float[] q = (float[])held.Clone();
        if (beta > 0)
        {
            MeanField(held, inside, width, rows, phases, beta, iterations, q, cancellationToken);
        }

        double score = 0;
        for (int y = 0; y < rows; y++)
        {
            for (int x = 0; x < width; x++)
            {
                int p = (y * width) + x;
                if (!inside[p] || !IsHeldOut(x, y + yOffset))
                {
                    continue;
                }

                double z = 0, qz = 0;
                for (int k = 0; k < phases; k++)
                {
                    z += (double)q[(k * m) + p] * unary[(k * m) + p];
                    qz += q[(k * m) + p];
                }

                score += Math.Log(Math.Max(z / qz, 1e-300));
                if (posteriors is not null)
                {
                    for (int k = 0; k < phases; k++)
                    {
                        posteriors.Add(Math.Max((double)q[(k * m) + p] * unary[(k * m) + p] / z, 1e-30));
                    }
                }
            }
        }

        return score;
    }

    /// <summary>The held-out posteriors at β on the estimation band, for the temperature fit.</summary>
    private static HeldOut HeldOutPosteriors(float[] unary, bool[] inside, int width, int height, int phases, double beta, int iterations,
        CancellationToken cancellationToken)
    {
        (int y0, int y1) = Band(inside, width, height);
        int rows = y1 - y0, n = width * height, m = width * rows;
        float[] bandUnary = new float[phases * m];
        bool[] bandInside = inside.AsSpan(y0 * width, m).ToArray();
        for (int k = 0; k < phases; k++)
        {
            unary.AsSpan((k * n) + (y0 * width), m).CopyTo(bandUnary.AsSpan(k * m, m));
        }

        var r = new List<double>();
        HeldOutScore(bandUnary, bandInside, width, rows, y0, phases, beta, iterations, r, cancellationToken);
        var pixels = new List<int>();
        for (int y = y0; y < y1; y++)
        {
            for (int x = 0; x < width; x++)
            {
                if (inside[(y * width) + x] && IsHeldOut(x, y))
                {
                    pixels.Add((y * width) + x);
                }
            }
        }

        return new HeldOut([.. pixels], [.. r]);
    }

    /// <summary>
    /// Fits the inverse temperature s = 1/T in [0.05, 1.5] that minimises the cross-entropy Σ_held-out Σ_k r_p(k) ·
    /// (−ln softmax_k(s ln q_p)) from the held-out posteriors r to the tempered smoothed posteriors; returns T.
    /// </summary>
    private static double FitTemperature(float[] q, int n, int phases, HeldOut held)
    {
        if (held.Pixels.Length == 0)
        {
            return 1;
        }

        double[] logq = new double[held.Pixels.Length * phases];
        for (int i = 0; i < held.Pixels.Length; i++)
        {
            for (int k = 0; k < phases; k++)
            {
                logq[(i * phases) + k] = Math.Log(Math.Max(q[(k * n) + held.Pixels[i]], 1e-30f));
            }
        }

        double CrossEntropy(double s)
        {
            double total = 0;
            for (int i = 0; i < held.Pixels.Length; i++)
            {
                double max = double.NegativeInfinity;
                for (int k = 0; k < phases; k++)
                {
                    max = Math.Max(max, s * logq[(i * phases) + k]);
                }

                double z = 0, dot = 0;
                for (int k = 0; k < phases; k++)
                {
                    double a = s * logq[(i * phases) + k];
                    z += Math.Exp(a - max);
                    dot += held.Posteriors[(i * phases) + k] * a;
                }

                total += max + Math.Log(z) - dot;
            }

            return total;
        }

        // The cross-entropy is convex in s (a log-sum-exp of lines minus a line): golden-section search.
        double lo = MinInverseTemperature, hi = MaxInverseTemperature;
        double g = (Math.Sqrt(5) - 1) / 2;
        double a1 = hi - (g * (hi - lo)), a2 = lo + (g * (hi - lo));
        double f1 = CrossEntropy(a1), f2 = CrossEntropy(a2);
        for (int it = 0; it < 40; it++)
        {
            if (f1 <= f2)
            {
                hi = a2;
                a2 = a1;
                f2 = f1;
                a1 = hi - (g * (hi - lo));
                f1 = CrossEntropy(a1);
            }
            else
            {
                lo = a1;
                a1 = a2;
                f1 = f2;
                a2 = lo + (g * (hi - lo));
                f2 = CrossEntropy(a2);
            }
        }

        return 1 / ((lo + hi) / 2);
    }

    private const double MinInverseTemperature = 0.05;
    private const double MaxInverseTemperature = 1.5;

    /// <summary>q ← q^{1/T}, normalised, on the analysed pixels.</summary>
    private static void ApplyTemperature(float[] q, bool[] inside, int n, int phases, double temperature)
    {
        double s = 1 / temperature;
        double[] a = new double[phases];
        for (int p = 0; p < n; p++)
        {
            if (!inside[p])
            {
                continue;
            }

            double max = double.NegativeInfinity;
            for (int k = 0; k < phases; k++)
            {
                a[k] = s * Math.Log(Math.Max(q[(k * n) + p], 1e-30f));
                max = Math.Max(max, a[k]);
            }

            double z = 0;
            for (int k = 0; k < phases; k++)
            {
                a[k] = Math.Exp(a[k] - max);
                z += a[k];
            }

            for (int k = 0; k < phases; k++)
            {
                q[(k * n) + p] = (float)(a[k] / z);
            }
        }
    }

    /// <summary>The band of rows [y0, y1) holding about <see cref="EstimationPixels"/> analysed pixels around the middle of the sample.</summary>
    private static (int Y0, int Y1) Band(bool[] inside, int width, int height)
    {
        int[] perRow = new int[height];
        int total = 0;
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                perRow[y] += inside[(y * width) + x] ? 1 : 0;
            }

            total += perRow[y];
        }

        if (total <= EstimationPixels)
        {
            return (0, height);
        }

        int skip = (total - EstimationPixels) / 2, y0 = 0, seen = 0;
        while (y0 < height && seen + perRow[y0] <= skip)
        {
            seen += perRow[y0++];
        }

        int y1 = y0, count = 0;
        while (y1 < height && count < EstimationPixels)
        {
            count += perRow[y1++];
        }

        return (y0, y1);
    }
}
