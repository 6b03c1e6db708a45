using System.Globalization;

namespace StxmPhase.Spectra;

/// <summary>
/// Segments a sample mask into particles: connected components, an optional split of touching particles (distance-
/// transform cores grown back through the mask) and a minimum size.
/// </summary>
/// <example>
/// <code>
/// ParticleLabels particles = ParticleSegmentation.Segment(result.SampleMask, new ParticleSegmentationOptions { MinimumPixels = 20 });
/// Console.WriteLine(particles.Count);
/// </code>
/// </example>
public static class ParticleSegmentation
{
    /// <summary>Labels the particles of <paramref name="mask"/>.</summary>
    /// <param name="mask">The sample (particle) mask.</param>
    /// <param name="options">Options; <see langword="null"/> for the defaults.</param>
    /// <returns>The labels, 0 = background, particles numbered 1 … N in raster order of their first pixel.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="mask"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="ParticleSegmentationOptions.MinimumPixels"/> is below 1,
    /// or <see cref="ParticleSegmentationOptions.SplitDistance"/> is negative or not finite.</exception>
    /// <remarks>
    /// Components are found by a breadth-first flood fill (O(pixels)). The split computes the exact Euclidean distance
    /// transform of the mask (Felzenszwalb–Huttenlocher, separable, O(pixels); pixels outside the image count as
    /// background), labels the cores d &gt; SplitDistance and grows them back by a multi-source breadth-first walk
    /// inside the mask (ties go to the core that was queued first). Components smaller than
    /// <see cref="ParticleSegmentationOptions.MinimumPixels"/> are then dropped and the rest renumbered. Deterministic.
    /// </remarks>
    public static ParticleLabels Segment(PixelMask mask, ParticleSegmentationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(mask);
        options ??= ParticleSegmentationOptions.Default;
        if (options.MinimumPixels < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.MinimumPixels,
                string.Create(CultureInfo.InvariantCulture,
                    $"ParticleSegmentationOptions.MinimumPixels must be at least 1; got {options.MinimumPixels}."));
        }

        if (!(options.SplitDistance >= 0) || !double.IsFinite(options.SplitDistance))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.SplitDistance,
                string.Create(CultureInfo.InvariantCulture,
                    $"ParticleSegmentationOptions.SplitDistance must be finite and ≥ 0; got {options.SplitDistance}."));
        }

        int w = mask.Width;
        int h = mask.Height;
        ReadOnlySpan<bool> m = mask.AsSpan();
        int[] labels;
        int count;
        if (options.SplitDistance > 0)
        {
            double[] d2 = SquaredDistanceToBackground(m, w, h);
            double t2 = options.SplitDistance * options.SplitDistance;
            bool[] core = new bool[m.Length];
            for (int i = 0; i < core.Length; i++)
            {
                core[i] = m[i] && d2[i] > t2;
            }

            (labels, count) = Components(core, w, h, options.EightConnected);

            count = Grow(labels, count, m.ToArray(), w, h, options.EightConnected);
        }
        else
        {
            (labels, count) = Components(m, w, h, options.EightConnected);
        }

        count = DropSmallAndRenumber(labels, count, options.MinimumPixels);
        return new ParticleLabels(w, h, labels, count);
    }

    /// <summary>Connected components of <paramref name="m"/>, labelled 1 … N in raster order.</summary>
    private static (int[] Labels, int Count) Components(ReadOnlySpan<bool> m, int w, int h, bool eight)
    {
        int[] labels = new int[m.Length];
        int[] queue = new int[m.Length];
        int count = 0;
        for (int s = 0; s < m.Length; s++)
        {
            if (!m[s] || labels[s] != 0)
            {
                continue;
            }

            count++;
            queue[0] = s;
            labels[s] = count;
            Flood(labels, m, w, h, eight, queue, 1);
        }

        return (labels, count);
    }

    /// <summary>
    /// Grows the labelled cores through <paramref name="m"/> by a multi-source breadth-first walk; mask pixels no core
    /// reaches form new components. Returns the new label count.
    /// </summary>
    private static int Grow(int[] labels, int count, bool[] m, int w, int h, bool eight)
    {
        int[] queue = new int[m.Length];
        int tail = 0;
        for (int p = 0; p < labels.Length; p++)
        {
            if (labels[p] != 0)
            {
                queue[tail++] = p;
            }
        }

        Flood(labels, m, w, h, eight, queue, tail);

        // Mask pixels that no core reached (components without a core).
        bool[] left = new bool[m.Length];
        bool any = false;
        for (int p = 0; p < m.Length; p++)
        {
            left[p] = m[p] && labels[p] == 0;
            any |= left[p];
        }

        if (any)
        {
            (int[] extra, int extraCount) = Components(left, w, h, eight);
            for (int p = 0; p < m.Length; p++)
            {
                if (extra[p] != 0)
                {
                    labels[p] = count + extra[p];
                }
            }

            count += extraCount;
        }

        return count;
    }

    /// <summary>
    /// Breadth-first flood from the labelled pixels <c>queue[0 … tail)</c>: every unlabelled pixel of <paramref name="m"/>
    /// next to a labelled one (4- or 8-connected) takes its label, until nothing changes.
    /// </summary>
    private static void Flood(int[] labels, ReadOnlySpan<bool> m, int w, int h, bool eight, int[] queue, int tail)
    {
        int head = 0;
        while (head < tail)
        {
            int p = queue[head++];
            int x = p % w, y = p / w;
            for (int dy = -1; dy <= 1; dy++)
            {
                for (int dx = -1; dx <= 1; dx++)
                {
                    if ((dx == 0 && dy == 0) || (!eight && dx != 0 && dy != 0))
                    {
                        continue;
                    }

                    int nx = x + dx, ny = y + dy;
                    if ((uint)nx < (uint)w && (uint)ny < (uint)h)
                    {
                        int q = (ny * w) + nx;
                        if (m[q] && labels[q] == 0)
                        {
                            labels[q] = labels[p];
                            queue[tail++] = q;
                        }
                    }
                }
            }
        }
    }

    /// <summary>Drops components below the minimum size and renumbers the rest 1 … N in raster order of first pixel.</summary>
    private static int DropSmallAndRenumber(int[] labels, int count, int minimum)
    {
        int[] sizes = new int[count + 1];
        foreach (int l in labels)
        {
            sizes[l]++;
        }

        int[] map = new int[count + 1];
        Array.Fill(map, -1);
        map[0] = 0;
        int next = 0;
        for (int p = 0; p < labels.Length; p++)
        {
            int l = labels[p];
            if (l == 0)
            {
                continue;
            }

            if (map[l] < 0)
            {
                map[l] = sizes[l] >= minimum ? ++next : 0;
            }

            labels[p] = map[l];
        }

        return next;
    }

    /// <summary>
    /// Exact squared Euclidean distance of every pixel to the nearest background pixel (0 on background); the border of
    /// the image counts as background one pixel outside. Felzenszwalb–Huttenlocher lower envelope, columns then rows.
    /// </summary>
    internal static double[] SquaredDistanceToBackground(ReadOnlySpan<bool> m, int w, int h)
    {
        // Pad by one background pixel on every side so the image edge acts as background.
        int pw = w + 2, ph = h + 2;
        const double Inf = 1e20;
        double[] f = new double[pw * ph];
        for (int y = 0; y < ph; y++)
        {
            for (int x = 0; x < pw; x++)
            {
                bool inside = x >= 1 && x <= w && y >= 1 && y <= h && m[((y - 1) * w) + (x - 1)];
                f[(y * pw) + x] = inside ? Inf : 0;
            }
        }

        int longest = Math.Max(pw, ph);
        double[] line = new double[longest];
        double[] result = new double[longest];
        int[] v = new int[longest];
        double[] z = new double[longest + 1];
        for (int x = 0; x < pw; x++)
        {
            for (int y = 0; y < ph; y++)
            {
                line[y] = f[(y * pw) + x];
            }

            Transform1D(line, ph, result, v, z);
            for (int y = 0; y < ph; y++)
            {
                f[(y * pw) + x] = result[y];
            }
        }

        for (int y = 0; y < ph; y++)
        {
            Array.Copy(f, y * pw, line, 0, pw);
            Transform1D(line, pw, result, v, z);
            Array.Copy(result, 0, f, y * pw, pw);
        }

        double[] d = new double[w * h];
        for (int y = 0; y < h; y++)
        {
            for (int x = 0; x < w; x++)
            {
                d[(y * w) + x] = f[((y + 1) * pw) + x + 1];
            }
        }

        return d;
    }

    private static void Transform1D(double[] f, int n, double[] d, int[] v, double[] z)
    {
        int k = 0;
        v[0] = 0;
        z[0] = double.NegativeInfinity;
        z[1] = double.PositiveInfinity;
        for (int q = 1; q < n; q++)
        {
            double s;
            while (true)
            {
                int p = v[k];
                s = ((f[q] + ((double)q * q)) - (f[p] + ((double)p * p))) / (2.0 * (q - p));
                if (s <= z[k] && k > 0)
                {
                    k--;
                    continue;
                }

                break;
            }

            k++;
            v[k] = q;
            z[k] = s;
            z[k + 1] = double.PositiveInfinity;
        }

        k = 0;
        for (int q = 0; q < n; q++)
        {
            while (z[k + 1] < q)
            {
                k++;
            }

            int p = v[k];
            d[q] = ((double)(q - p) * (q - p)) + f[p];
        }
    }
}
