using StxmPhase.Spectra;

namespace StxmPhase.Correlation.Tests;

/// <summary>
/// A small fused two-edge stack for the noise-model block tests: 12 × 10 pixels, blocks of 5 and 4 energies (500–508 eV),
/// 3 random references; each pixel is one reference times a thickness in [0.3, 1.3) plus a baseline per energy plus
/// uniform noise; the left three columns are sample-free (thickness 0).
/// </summary>
internal static class TwoEdgeTestStack
{
    public const int W = 12, H = 10, E1 = 5, E2 = 4, E = E1 + E2, K = 3;

    /// <summary>Builds the stack.</summary>
    /// <param name="seed">The random seed.</param>
    /// <param name="baseline">The OD added at energy index e (e.g. each edge's film).</param>
    /// <param name="noise">The full width of the uniform noise.</param>
    public static (SpectralStack Od, ReferenceSpectra Refs, PixelMask SampleFree) Make(int seed, Func<int, double> baseline, double noise)
    {
        var rng = new Random(seed);
        var axis = new EnergyAxis(Enumerable.Range(0, E).Select(e => 500.0 + e));
        double[] refValues = [.. Enumerable.Range(0, K * E).Select(_ => 0.2 + rng.NextDouble())];
        var refs = new ReferenceSpectra(axis, ["a", "b", "c"], refValues);
        float[] data = new float[E * W * H];
        bool[] free = new bool[W * H];
        for (int p = 0; p < W * H; p++)
        {
            free[p] = p % W < 3;
            int k = rng.Next(K);
            double t = free[p] ? 0 : 0.3 + rng.NextDouble();
            for (int e = 0; e < E; e++)
            {
                data[(e * W * H) + p] = (float)((t * refValues[(k * E) + e]) + baseline(e) + (noise * (rng.NextDouble() - 0.5)));
            }
        }

        return (new SpectralStack(axis, W, H, data), refs, new PixelMask(W, H, free));
    }
}
