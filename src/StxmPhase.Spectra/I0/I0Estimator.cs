using System.Globalization;
using MathNet.Numerics.Statistics;

namespace StxmPhase.Spectra;

/// <summary>
/// Estimates the incident intensity I0 per energy from the sample-free (brightest) pixels of a transmission stack, the
/// way MANTiS (histogram of the mean flux, brightest pixels) and pystxmcontrol (top bin of a 5-bin histogram of the
/// mean frame) do.
/// </summary>
/// <example>
/// <code>
/// I0Estimate i0 = I0Estimator.Estimate(transmission);
/// int sampleFreePixels = i0.SampleFreeMask.Count; double firstI0 = i0.I0[0];
/// </code>
/// </example>
public static class I0Estimator
{
    /// <summary>Finds the sample-free region automatically and returns I0 per energy over it.</summary>
    /// <param name="transmission">A transmission stack (any quantity is accepted; values are treated as intensities).</param>
    /// <param name="options">Estimation options; <see langword="null"/> for the defaults.</param>
    /// <returns>I0 per energy, the region and the threshold.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="transmission"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range (the message names it and its value).</exception>
    /// <exception cref="InvalidStackContentException">No pixel is positive and finite at every energy.</exception>
    /// <remarks>
    /// <para>Rule: (1) eligible pixels are those with a positive, finite value at every energy; (2) their mean over
    /// energies m(p) forms the mean-transmission image; (3) a histogram of m with <see cref="I0EstimationOptions.HistogramBinCount"/>
    /// B equal bins spans [min m, q], q being the <see cref="I0EstimationOptions.RangeUpperPercentile"/> percentile of m
    /// (pixels above q count in the top bin); (4) the region is the pixels with m ≥ t, t = min m + (B − 1)(q − min m)/B,
    /// the lower edge of the top bin; (5) while the region holds fewer than
    /// <see cref="I0EstimationOptions.MinimumRegionFraction"/> of the eligible pixels, t is lowered by one bin width;
    /// (6) I0(e) = the median (or mean) of I(p, e) over the region.</para>
    /// <para>The rule assumes part of the field of view is empty (as STXM stacks are usually recorded); on a field fully
    /// covered by sample it returns the transmission of the thinnest part. Complexity O(E · W · H).</para>
    /// </remarks>
    public static I0Estimate Estimate(SpectralStack transmission, I0EstimationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(transmission);
        options ??= I0EstimationOptions.Default;
        ValidateOptions(options);
        int n = transmission.PixelCount;
        int energies = transmission.EnergyCount;
        ReadOnlyMemory<float> data = transmission.Data;

        // Mean over energies per pixel, in chunks of pixels in parallel (each pixel sums its energies in order, so the
        // means do not depend on the chunking).
        double[] mean = new double[n];
        bool[] eligible = new bool[n];
        const int Chunk = 16384;
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.MaxDegreeOfParallelism };
        Parallel.For(0, (n + Chunk - 1) / Chunk, parallel, c =>
        {
            int start = c * Chunk;
            int end = Math.Min(n, start + Chunk);
            ReadOnlySpan<float> all = data.Span;
            Span<double> m = mean.AsSpan(start, end - start);
            Span<bool> ok = eligible.AsSpan(start, end - start);
            ok.Fill(true);
            for (int e = 0; e < energies; e++)
            {
                ReadOnlySpan<float> plane = all.Slice((e * n) + start, end - start);
                for (int p = 0; p < plane.Length; p++)
                {
                    float v = plane[p];
                    if (v > 0 && float.IsFinite(v))
                    {
                        m[p] += v;
                    }
                    else
                    {
                        ok[p] = false;
                    }
                }
            }

            for (int p = 0; p < m.Length; p++)
            {
                if (ok[p])
                {
                    m[p] /= energies;
                }
            }
        });

        int eligibleCount = 0;
        foreach (bool ok in eligible)
        {
            if (ok)
            {
                eligibleCount++;
            }
        }

        if (eligibleCount == 0)
        {
            throw new InvalidStackContentException(
                string.Create(CultureInfo.InvariantCulture,
                    $"Cannot estimate I0: no pixel of the {transmission.Width}×{transmission.Height} stack '{transmission.Metadata.Name}' is " +
                    $"positive and finite at every energy."));
        }

        double[] values = new double[eligibleCount];
        int k = 0;
        double min = double.PositiveInfinity;
        for (int p = 0; p < n; p++)
        {
            if (eligible[p])
            {
                values[k++] = mean[p];
                min = Math.Min(min, mean[p]);
            }
        }

        // The percentile by selection (the value a sort would put at that rank), not a full sort.
        int upperRank = (int)Math.Ceiling(options.RangeUpperPercentile / 100.0 * eligibleCount) - 1;
        double upper = ArrayStatistics.OrderStatisticInplace(values, Math.Clamp(upperRank, 0, eligibleCount - 1) + 1);
        int bins = options.HistogramBinCount;
        double width = (upper - min) / bins;
        int required = Math.Max(1, (int)Math.Ceiling(options.MinimumRegionFraction * eligibleCount));
        long[] atLeast = CountAtLeastBinEdges(values, min, width, bins);

        // Lower the threshold bin by bin until enough pixels are selected (atLeast[b] = pixels ≥ min + b · width).
        double threshold = upper;
        for (int b = bins - 1; b >= 0; b--)
        {
            threshold = min + (b * width);
            if (atLeast[b] >= required)
            {
                break;
            }
        }

        bool[] region = new bool[n];
        for (int p = 0; p < n; p++)
        {
            region[p] = eligible[p] && mean[p] >= threshold;
        }

        PixelMask mask = PixelMask.FromArray(transmission.Width, transmission.Height, region);
        return new I0Estimate(RegionStatistic(transmission, mask, options), mask, threshold);
    }

    /// <summary>Returns I0 per energy as the median (or mean) of the caller's sample-free pixels.</summary>
    /// <param name="transmission">A transmission stack.</param>
    /// <param name="sampleFree">The sample-free pixels, same size as the stack.</param>
    /// <param name="options">Selects the statistic; <see langword="null"/> for the defaults.</param>
    /// <returns>I0 per energy and the region (threshold NaN).</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The mask size differs from the stack or the mask is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="I0EstimationOptions.MaxDegreeOfParallelism"/> is 0 or below −1.</exception>
    /// <remarks>Non-positive and non-finite values inside the region are skipped per energy; an energy where none is
    /// left gets NaN (and the OD conversion then marks every pixel invalid).</remarks>
    public static I0Estimate FromRegion(SpectralStack transmission, PixelMask sampleFree, I0EstimationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(transmission);
        ArgumentNullException.ThrowIfNull(sampleFree);
        options ??= I0EstimationOptions.Default;
        if (sampleFree.Width != transmission.Width || sampleFree.Height != transmission.Height)
        {
            ThrowHelper.SizeMismatch(nameof(sampleFree), transmission.Width, transmission.Height, sampleFree.Width, sampleFree.Height);
        }

        if (sampleFree.Count == 0)
        {
            throw new ArgumentException("The sample-free mask must include at least one pixel.", nameof(sampleFree));
        }

        ValidateParallelism(options);
        return new I0Estimate(RegionStatistic(transmission, sampleFree, options), sampleFree, double.NaN);
    }

    private static double[] RegionStatistic(SpectralStack stack, PixelMask region, I0EstimationOptions options)
    {
        I0Statistic statistic = options.Statistic;
        int n = stack.PixelCount;
        int[] indices = region.IncludedIndices();
        double[] result = new double[stack.EnergyCount];
        ReadOnlyMemory<float> data = stack.Data;

        // One energy per task, with one buffer per worker thread (the median reorders it).
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.MaxDegreeOfParallelism };
        Parallel.For(0, stack.EnergyCount, parallel, () => new double[indices.Length], (e, _, buffer) =>
        {
            ReadOnlySpan<float> plane = data.Span.Slice(e * n, n);
            int count = 0;
            foreach (int p in indices)
            {
                float v = plane[p];
                if (v > 0 && float.IsFinite(v))
                {
                    buffer[count++] = v;
                }
            }

            if (count == 0)
            {
                result[e] = double.NaN;
            }
            else if (statistic == I0Statistic.Mean)
            {
                double sum = 0;
                for (int i = 0; i < count; i++)
                {
                    sum += buffer[i];
                }

                result[e] = sum / count;
            }
            else
            {
                double[] slice = count == buffer.Length ? buffer : buffer[..count];
                result[e] = ArrayStatistics.MedianInplace(slice);
            }

            return buffer;
        }, _ => { });

        return result;
    }

    /// <summary>
    /// Returns c[b] = the number of values ≥ min + b · width for b = 0 … bins − 1 in one pass: each value goes to the
    /// highest edge it reaches (a division estimates it, exact comparisons with the edges settle it).
    /// </summary>
    private static long[] CountAtLeastBinEdges(double[] values, double min, double width, int bins)
    {
        long[] highest = new long[bins];
        foreach (double v in values)
        {
            int b;
            if (width > 0)
            {
                double estimate = Math.Floor((v - min) / width);
                b = estimate >= bins - 1 ? bins - 1 : estimate <= 0 ? 0 : (int)estimate;
                while (b + 1 < bins && v >= min + ((b + 1) * width))
                {
                    b++;
                }

                while (b > 0 && v < min + (b * width))
                {
                    b--;
                }
            }
            else
            {
                b = bins - 1; // every edge equals min, and every value is ≥ min
            }

            highest[b]++;
        }

        long[] atLeast = new long[bins];
        long total = 0;
        for (int b = bins - 1; b >= 0; b--)
        {
            total += highest[b];
            atLeast[b] = total;
        }

        return atLeast;
    }

    private static void ValidateOptions(I0EstimationOptions options)
    {
        if (options.HistogramBinCount < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.HistogramBinCount,
                string.Create(CultureInfo.InvariantCulture, $"HistogramBinCount must be at least 1; got {options.HistogramBinCount}."));
        }

        if (!(options.RangeUpperPercentile > 0 && options.RangeUpperPercentile <= 100))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.RangeUpperPercentile,
                string.Create(CultureInfo.InvariantCulture, $"RangeUpperPercentile must be in (0, 100]; got {options.RangeUpperPercentile}."));
        }

        ValidateParallelism(options);
        if (!(options.MinimumRegionFraction > 0 && options.MinimumRegionFraction <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.MinimumRegionFraction,
                string.Create(CultureInfo.InvariantCulture, $"MinimumRegionFraction must be in (0, 1]; got {options.MinimumRegionFraction}."));
        }
    }

    private static void ValidateParallelism(I0EstimationOptions options) =>
        Parallelism.ThrowIfInvalid(options.MaxDegreeOfParallelism, nameof(options), "I0EstimationOptions.MaxDegreeOfParallelism");
}
