using System.Globalization;
using System.Numerics.Tensors;

namespace StxmPhase.Spectra;

/// <summary>
/// Particle masks on the integrated optical density (sum over energies), combined with caller masks (e.g.
/// <see cref="OpticalDensityResult.ValidMask"/>): noise-aware detection against the sample-free field with hysteresis,
/// area opening and hole filling (the default), or Otsu's threshold.
/// </summary>
/// <example>
/// <code>
/// OpticalDensityResult od = OpticalDensity.FromTransmission(transmission);
/// ParticleMaskResult particles = ParticleMask.Compute(od.OpticalDensity, include: od.ValidMask);
/// PixelMask mask = particles.Mask;
/// </code>
/// </example>
public static partial class ParticleMask
{
    /// <summary>Computes the particle mask of an optical-density stack.</summary>
    /// <param name="opticalDensity">An OD stack.</param>
    /// <param name="options">Options; <see langword="null"/> for the defaults.</param>
    /// <param name="include">Optional caller mask: only these pixels take part in the thresholds and can be particle
    /// pixels (combine several masks with <see cref="PixelMask.And(PixelMask)"/> first).</param>
    /// <returns>The mask, the thresholds, the background level and noise, and the integrated OD image.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="opticalDensity"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="include"/> has a different size than the stack.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range (<see cref="ParticleMaskOptions.HistogramBinCount"/>
    /// below 2, <see cref="ParticleMaskOptions.MinimumIntegratedOd"/> not finite, <see cref="ParticleMaskOptions.NoiseSigmas"/>
    /// not positive, <see cref="ParticleMaskOptions.GrowSigmas"/> outside [0, NoiseSigmas],
    /// <see cref="ParticleMaskOptions.MinimumParticleArea"/> below 1); the message names the option and the value.</exception>
    /// <remarks>
    /// <para>Integrated OD s(p) = Σ_e OD(p, e). Eligible pixels are included by the caller's mask and have a finite s; a
    /// particle pixel is always eligible. When no pixel is eligible the mask is empty and the thresholds are NaN.</para>
    /// <para><see cref="ParticleMaskMethod.Otsu"/>: with the Otsu threshold t of the eligible s
    /// (<see cref="OtsuThreshold(ReadOnlySpan{float}, int)"/>), a pixel is a particle pixel when s &gt; max(t, MinimumIntegratedOd).</para>
    /// <para><see cref="ParticleMaskMethod.NoiseAware"/>: (1) the sample-free field B starts as the eligible pixels with
    /// s ≤ t; its median m and robust standard deviation σ = 1.4826·median|s − m| are computed, B is clipped to
    /// s ≤ min(t, m + 3σ), and this repeats until B no longer changes (at most 20 times), so thin particle edges that fall
    /// below t do not inflate the noise. (2) Seeds are eligible pixels with s &gt; m + k<sub>seed</sub>σ; particles grow into
    /// 8-connected eligible pixels with s &gt; m + k<sub>grow</sub>σ (both thresholds at least MinimumIntegratedOd).
    /// (3) Grown components with fewer than MinimumParticleArea pixels are dropped. (4) Holes (4-connected non-particle
    /// regions not touching the border) are filled where eligible. A one-pixel-wide thin edge whose s is above the grow
    /// threshold is kept whatever Otsu's threshold is. Complexity O(n log n) (one sort of the eligible s).</para>
    /// </remarks>
    public static ParticleMaskResult Compute(SpectralStack opticalDensity, ParticleMaskOptions? options = null, PixelMask? include = null)
    {
        ArgumentNullException.ThrowIfNull(opticalDensity);
        options ??= ParticleMaskOptions.Default;
        options.Validate(nameof(options));
        if (include is not null && (include.Width != opticalDensity.Width || include.Height != opticalDensity.Height))
        {
            ThrowHelper.SizeMismatch(nameof(include), opticalDensity.Width, opticalDensity.Height, include.Width, include.Height);
        }

        int n = opticalDensity.PixelCount;
        float[] sum = new float[n];
        ReadOnlySpan<float> data = opticalDensity.Data.Span;
        for (int e = 0; e < opticalDensity.EnergyCount; e++)
        {
            TensorPrimitives.Add(sum, data.Slice(e * n, n), sum);
        }

        float[] eligible;
        if (include is null)
        {
            eligible = sum;
        }
        else
        {
            var list = new List<float>(include.Count);
            ReadOnlySpan<bool> inc = include.AsSpan();
            for (int p = 0; p < n; p++)
            {
                if (inc[p])
                {
                    list.Add(sum[p]);
                }
            }

            eligible = [.. list];
        }

        double otsu = OtsuThreshold(eligible, options.HistogramBinCount);
        if (options.Method == ParticleMaskMethod.NoiseAware)
        {
            return NoiseAware(opticalDensity.Width, opticalDensity.Height, sum, eligible, otsu, options, include);
        }

        double threshold = options.MinimumIntegratedOd is { } m && !(m <= otsu) ? m : otsu;
        bool[] mask = new bool[n];
        if (!double.IsNaN(threshold))
        {
            ReadOnlySpan<bool> inc = include is null ? default : include.AsSpan();
            for (int p = 0; p < n; p++)
            {
                mask[p] = (include is null || inc[p]) && float.IsFinite(sum[p]) && sum[p] > threshold;
            }
        }

        return new ParticleMaskResult(PixelMask.FromArray(opticalDensity.Width, opticalDensity.Height, mask), otsu, threshold, sum);
    }

    /// <summary>Returns Otsu's threshold of <paramref name="values"/>, computed as scikit-image's <c>threshold_otsu</c>.</summary>
    /// <param name="values">The values; NaN and ±∞ are ignored.</param>
    /// <param name="binCount">Number of histogram bins (default 256, at least 2).</param>
    /// <returns>The threshold (values &gt; threshold are foreground), the single value when all finite values are equal,
    /// or NaN when no value is finite.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="binCount"/> is below 2.</exception>
    /// <remarks>
    /// The finite values are binned into B equal bins over [min, max] (NumPy <c>histogram</c> edges, the maximum in the
    /// last bin), with centres c_i. With cumulative weights w1(i) = Σ_{j≤i} h_j, w2(i) = Σ_{j≥i} h_j and class means
    /// μ1(i), μ2(i), the threshold is c_i for the i maximising w1(i) · w2(i+1) · (μ1(i) − μ2(i+1))² (first maximum on
    /// ties). Computed in double precision. Complexity O(n + B).
    /// </remarks>
    public static double OtsuThreshold(ReadOnlySpan<float> values, int binCount = 256)
    {
        ValidateBins(binCount, nameof(binCount));
        double min = double.PositiveInfinity;
        double max = double.NegativeInfinity;
        foreach (float v in values)
        {
            if (float.IsFinite(v))
            {
                min = Math.Min(min, v);
                max = Math.Max(max, v);
            }
        }

        if (double.IsPositiveInfinity(min))
        {
            return double.NaN;
        }

        if (min == max)
        {
            return min;
        }

        // NumPy histogram: edges = linspace(min, max, B + 1); index = floor((v − min) · B / (max − min)), corrected
        // against the edges so a value exactly on an edge lands where NumPy puts it; the maximum goes to the last bin.
        double[] edges = new double[binCount + 1];
        double step = (max - min) / binCount;
        for (int i = 0; i <= binCount; i++)
        {
            edges[i] = (i * step) + min;
        }

        edges[binCount] = max;
        long[] hist = new long[binCount];
        double range = max - min;
        foreach (float f in values)
        {
            if (!float.IsFinite(f))
            {
                continue;
            }

            double v = f;
            int idx = (int)((v - min) / range * binCount);
            if (idx >= binCount)
            {
                idx = binCount - 1;
            }

            if (v < edges[idx])
            {
                idx--;
            }
            else if (idx < binCount - 1 && v >= edges[idx + 1])
            {
                idx++;
            }

            hist[idx]++;
        }

        double[] centres = new double[binCount];
        for (int i = 0; i < binCount; i++)
        {
            centres[i] = (edges[i] + edges[i + 1]) / 2;
        }

        // Prefix sums from the left (class 1 = bins ≤ i) and from the right (class 2 = bins ≥ i).
        double[] w1 = new double[binCount];
        double[] m1 = new double[binCount];
        double[] w2 = new double[binCount];
        double[] m2 = new double[binCount];
        double cw = 0;
        double cs = 0;
        for (int i = 0; i < binCount; i++)
        {
            cw += hist[i];
            cs += hist[i] * centres[i];
            w1[i] = cw;
            m1[i] = cs / cw;
        }

        cw = 0;
        cs = 0;
        for (int i = binCount - 1; i >= 0; i--)
        {
            cw += hist[i];
            cs += hist[i] * centres[i];
            w2[i] = cw;
            m2[i] = cs / cw;
        }

        int best = 0;
        double bestVar = double.NegativeInfinity;
        for (int i = 0; i < binCount - 1; i++)
        {
            double d = m1[i] - m2[i + 1];
            double v = w1[i] * w2[i + 1] * d * d;

            // NaN (an empty class: 0/0 mean) never wins, as NumPy's argmax would only pick it if all were NaN.
            if (v > bestVar)
            {
                bestVar = v;
                best = i;
            }
        }

        return centres[best];
    }

    private static void ValidateBins(int bins, string paramName)
    {
        if (bins < 2)
        {
            throw new ArgumentOutOfRangeException(paramName, bins,
                string.Create(CultureInfo.InvariantCulture, $"The histogram bin count must be at least 2; got {bins}."));
        }
    }
}
