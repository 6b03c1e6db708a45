using StxmPhase.Spectra;

namespace StxmPhase.Benchmarks.Assignment;

/// <summary>
/// Seeded synthetic latent data shaped like ../shared/peers/baselines.py <c>latent_clusters</c>: 5 anisotropic
/// Gaussian clusters in 3-D, centres ~ N(0, 4²), per-cluster mixing matrix ~ 0.6·N(0, 1).
/// </summary>
internal static class LatentClusters
{
    public static (float[] Points, int[] Labels) Make(int count, int seed, int clusters = 5)
    {
        var rng = new Random(seed);
        double[] centres = Enumerable.Range(0, clusters * 3).Select(_ => 4 * Gaussian(rng)).ToArray();
        double[] mix = Enumerable.Range(0, clusters * 9).Select(_ => 0.6 * Gaussian(rng)).ToArray();
        float[] points = new float[count * 3];
        int[] labels = new int[count];
        Span<double> e = stackalloc double[3];
        for (int i = 0; i < count; i++)
        {
            int c = rng.Next(clusters);
            labels[i] = c;
            for (int j = 0; j < 3; j++)
            {
                e[j] = Gaussian(rng);
            }

            for (int r = 0; r < 3; r++)
            {
                double v = centres[(c * 3) + r];
                for (int j = 0; j < 3; j++)
                {
                    v += mix[(c * 9) + (r * 3) + j] * e[j];
                }

                points[(i * 3) + r] = (float)v;
            }
        }

        return (points, labels);
    }

    public static LatentSet Set(int count, int seed) =>
        Make(count, seed) is var (p, l) ? new LatentSet(p, 3, l, ["p0", "p1", "p2", "p3", "p4"]) : throw new InvalidOperationException();

    private static double Gaussian(Random rng) =>
        Math.Sqrt(-2.0 * Math.Log(1.0 - rng.NextDouble())) * Math.Cos(2.0 * Math.PI * rng.NextDouble());
}
