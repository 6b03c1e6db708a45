namespace StxmPhase.Correlation;

/// <summary>
/// The prior over phases by expectation–maximisation: π_k ← mean over analysed pixels of π_k L_pk / Σ_j π_j L_pj, iterated
/// until no π_k moves by 1e-7 (at most a given number of iterations).
/// </summary>
/// <remarks>The likelihood ratios of the analysed pixels are first packed pixel-major (K contiguous floats per pixel);
/// each iteration sums fixed chunks of pixels in parallel and adds the chunk sums in chunk order, so the result does not
/// depend on the number of threads.</remarks>
internal static class PriorEstimation
{
    private const int ChunkPixels = 16384;

    /// <summary>Estimates π from phase-major likelihood ratios <paramref name="ratios"/> (K × n) of the analysed pixels.</summary>
    public static double[] Estimate(float[] ratios, bool[] analysed, int n, int phases, int analysedCount, int iterations)
    {
        float[] packed = new float[analysedCount * phases];
        for (int p = 0, i = 0; p < n; p++)
        {
            if (!analysed[p])
            {
                continue;
            }

            for (int k = 0; k < phases; k++)
            {
                packed[(i * phases) + k] = ratios[(k * n) + p];
            }

            i++;
        }

        double[] prior = Enumerable.Repeat(1.0 / phases, phases).ToArray();
        int chunks = (analysedCount + ChunkPixels - 1) / ChunkPixels;
        double[] partial = new double[chunks * phases];
        for (int it = 0; it < iterations; it++)
        {
            double[] current = prior;
            Parallel.For(0, chunks, c =>
            {
                Span<double> sum = partial.AsSpan(c * phases, phases);
                sum.Clear();
                for (int i = c * ChunkPixels, end = Math.Min(analysedCount, i + ChunkPixels); i < end; i++)
                {
                    ReadOnlySpan<float> l = packed.AsSpan(i * phases, phases);
                    double z = 0;
                    for (int k = 0; k < phases; k++)
                    {
                        z += current[k] * l[k];
                    }

                    for (int k = 0; k < phases; k++)
                    {
                        sum[k] += current[k] * l[k] / z;
                    }
                }
            });

            double change = 0;
            double[] next = new double[phases];
            for (int c = 0; c < chunks; c++)
            {
                for (int k = 0; k < phases; k++)
                {
                    next[k] += partial[(c * phases) + k];
                }
            }

            for (int k = 0; k < phases; k++)
            {
                next[k] = Math.Max(next[k] / analysedCount, 1e-6);
                change = Math.Max(change, Math.Abs(next[k] - prior[k]));
            }

            double s = next.Sum();
            for (int k = 0; k < phases; k++)
            {
                next[k] /= s;
            }

            prior = next;
            if (change < 1e-7)
            {
                break;
            }
        }

        return prior;
    }
}
