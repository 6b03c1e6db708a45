namespace StxmPhase.Spectra;

/// <content>The noise-aware particle mask: robust background statistics, hysteresis, area opening and hole filling.</content>
public static partial class ParticleMask
{
    private const double MadToSigma = 1.482602218505602; // 1 / Φ⁻¹(3/4): σ of a normal distribution from its MAD
    private const int MaxBackgroundIterations = 20;

    private static ParticleMaskResult NoiseAware(
        int width, int height, float[] sum, float[] eligible, double otsu, ParticleMaskOptions options, PixelMask? include)
    {
        int n = sum.Length;
        var finite = new List<float>(eligible.Length);
        foreach (float v in eligible)
        {
            if (float.IsFinite(v))
            {
                finite.Add(v);
            }
        }

        float[] sorted = [.. finite];
        if (sorted.Length == 0)
        {
            return new ParticleMaskResult(PixelMask.Uniform(width, height, false), ParticleMaskMethod.NoiseAware,
                double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, sum);
        }

        Array.Sort(sorted);
        (double background, double sigma) = BackgroundStatistics(sorted, otsu);

        // A perfectly flat field (σ = 0) would make every pixel a hair above the median a particle pixel: floor σ at a
        // relative 1e-6 of the level (float rounding of a sum of OD values).
        sigma = Math.Max(sigma, 1e-6 * Math.Max(1.0, Math.Abs(background)));
        double seed = background + (options.NoiseSigmas * sigma);
        double grow = background + (options.GrowSigmas * sigma);
        if (options.MinimumIntegratedOd is { } minimum)
        {
            seed = Math.Max(seed, minimum);
            grow = Math.Max(grow, minimum);
        }

        bool[] candidate = new bool[n];
        ReadOnlySpan<bool> inc = include is null ? default : include.AsSpan();
        for (int p = 0; p < n; p++)
        {
            candidate[p] = (include is null || inc[p]) && float.IsFinite(sum[p]) && sum[p] > grow;
        }

        bool[] mask = GrowFromSeeds(width, height, sum, candidate, seed, options.MinimumParticleArea);
        if (options.FillHoles)
        {
            FillHoles(width, height, mask, p => (include is null || include[p]) && float.IsFinite(sum[p]));
        }

        return new ParticleMaskResult(PixelMask.FromArray(width, height, mask), ParticleMaskMethod.NoiseAware,
            otsu, seed, grow, background, sigma, sum);
    }

    /// <summary>
    /// Median and robust σ (1.4826 × MAD) of the sample-free field in <paramref name="sorted"/> (ascending, finite): the
    /// values ≤ <paramref name="cap"/> (all when NaN), clipped to ≤ min(cap, median + 3σ) until stable.
    /// </summary>
    internal static (double Median, double Sigma) BackgroundStatistics(ReadOnlySpan<float> sorted, double cap)
    {
        int length = double.IsNaN(cap) ? sorted.Length : Math.Max(1, UpperBound(sorted, cap));
        double median = 0, sigma = 0;
        for (int iteration = 0; iteration < MaxBackgroundIterations; iteration++)
        {
            ReadOnlySpan<float> b = sorted[..length];
            median = MedianOfSorted(b);
            sigma = MadToSigma * MedianAbsoluteDeviation(b, median);
            double clip = median + (3 * sigma);
            if (!double.IsNaN(cap))
            {
                clip = Math.Min(clip, cap);
            }

            int next = Math.Max(1, UpperBound(sorted, clip));
            if (next == length)
            {
                break;
            }

            length = next;
        }

        return (median, sigma);
    }

    /// <summary>The number of values ≤ <paramref name="value"/> in an ascending span.</summary>
    private static int UpperBound(ReadOnlySpan<float> sorted, double value)
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi)
        {
            int mid = (int)((uint)(lo + hi) >> 1);
            if (sorted[mid] <= value)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    private static double MedianOfSorted(ReadOnlySpan<float> sorted)
    {
        int l = sorted.Length;
        return (l & 1) == 1 ? sorted[l / 2] : (sorted[(l / 2) - 1] + (double)sorted[l / 2]) / 2;
    }

    /// <summary>Median of |x − m| over an ascending span, by merging the deviations left and right of m (O(length)).</summary>
    private static double MedianAbsoluteDeviation(ReadOnlySpan<float> sorted, double m)
    {
        int l = sorted.Length;
        int right = UpperBoundStrict(sorted, m); // first index with value ≥ m
        int left = right - 1;
        int k = (l - 1) / 2; // lower median rank
        int steps = (l & 1) == 1 ? k + 1 : k + 2;
        double previous = 0, current = 0;
        for (int step = 0; step < steps; step++)
        {
            double dl = left >= 0 ? m - sorted[left] : double.PositiveInfinity;
            double dr = right < l ? sorted[right] - m : double.PositiveInfinity;
            previous = current;
            if (dl <= dr)
            {
                current = dl;
                left--;
            }
            else
            {
                current = dr;
                right++;
            }
        }

        return (l & 1) == 1 ? current : (previous + current) / 2;
    }

    /// <summary>The first index whose value is ≥ <paramref name="value"/> in an ascending span.</summary>
    private static int UpperBoundStrict(ReadOnlySpan<float> sorted, double value)
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi)
        {
            int mid = (int)((uint)(lo + hi) >> 1);
            if (sorted[mid] < value)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    /// <summary>
    /// 8-connected components of <paramref name="candidate"/> that hold at least one pixel with s &gt; <paramref name="seed"/>
    /// and at least <paramref name="minimumArea"/> pixels.
    /// </summary>
    private static bool[] GrowFromSeeds(int width, int height, float[] sum, bool[] candidate, double seed, int minimumArea)
    {
        int n = candidate.Length;
        bool[] mask = new bool[n];
        bool[] visited = new bool[n];
        int[] component = new int[n];
        for (int start = 0; start < n; start++)
        {
            if (visited[start] || !candidate[start])
            {
                continue;
            }

            // Flood the whole candidate component, noting whether it holds a seed.
            int count = 0;
            bool seeded = false;
            visited[start] = true;
            component[count++] = start;
            for (int head = 0; head < count; head++)
            {
                int p = component[head];
                seeded |= sum[p] > seed;
                int x = p % width, y = p / width;
                for (int dy = -1; dy <= 1; dy++)
                {
                    int yy = y + dy;
                    if ((uint)yy >= (uint)height)
                    {
                        continue;
                    }

                    for (int dx = -1; dx <= 1; dx++)
                    {
                        int xx = x + dx;
                        if ((uint)xx >= (uint)width)
                        {
                            continue;
                        }

                        int q = (yy * width) + xx;
                        if (!visited[q] && candidate[q])
                        {
                            visited[q] = true;
                            component[count++] = q;
                        }
                    }
                }
            }

            if (seeded && count >= minimumArea)
            {
                for (int i = 0; i < count; i++)
                {
                    mask[component[i]] = true;
                }
            }
        }

        return mask;
    }

    /// <summary>Sets the eligible pixels of every 4-connected non-mask region that does not touch the border.</summary>
    private static void FillHoles(int width, int height, bool[] mask, Func<int, bool> eligible)
    {
        int n = mask.Length;
        bool[] outside = new bool[n];
        int[] queue = new int[n];
        int count = 0;
        void Push(int p)
        {
            if (!mask[p] && !outside[p])
            {
                outside[p] = true;
                queue[count++] = p;
            }
        }

        for (int x = 0; x < width; x++)
        {
            Push(x);
            Push(((height - 1) * width) + x);
        }

        for (int y = 0; y < height; y++)
        {
            Push(y * width);
            Push((y * width) + width - 1);
        }

        for (int head = 0; head < count; head++)
        {
            int p = queue[head];
            int x = p % width, y = p / width;
            if (x > 0)
            {
                Push(p - 1);
            }

            if (x < width - 1)
            {
                Push(p + 1);
            }

            if (y > 0)
            {
                Push(p - width);
            }

            if (y < height - 1)
            {
                Push(p + width);
            }
        }

        for (int p = 0; p < n; p++)
        {
            if (!mask[p] && !outside[p] && eligible(p))
            {
                mask[p] = true;
            }
        }
    }
}
