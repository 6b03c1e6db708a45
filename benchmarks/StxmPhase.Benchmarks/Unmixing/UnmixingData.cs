using StxmPhase.Spectra;

namespace StxmPhase.Benchmarks.Unmixing;

/// <summary>
/// Seeded synthetic data shaped like the peers' benchmark (shared/peers/common.py): 5 smooth reference spectra (an
/// absorption edge plus two Gaussian peaks, references 3 and 4 similar) and a 256×256×13 stack of tile-wise dominant
/// mixtures with thickness variation and Gaussian noise (2 % of the largest reference value).
/// </summary>
internal static class UnmixingData
{
    public const int Energies = 13;
    public const int Phases = 5;

    public static double[] References(int energies = Energies, int phases = Phases, int seed = 1)
    {
        var rng = new Random(seed);
        double[] refs = new double[phases * energies];
        for (int m = 0; m < phases; m++)
        {
            double a1 = 0.4 + (0.6 * rng.NextDouble());
            double a2 = 0.2 + (0.5 * rng.NextDouble());
            double c1 = 0.2 + (0.12 * m), c2 = 0.55 + (0.07 * ((m * 3) % phases));
            for (int k = 0; k < energies; k++)
            {
                double e = energies == 1 ? 0 : k / (double)(energies - 1);
                double edge = 0.3 + (0.4 / (1 + Math.Exp(-(e - 0.35 - (0.03 * m)) / 0.04)));
                refs[(m * energies) + k] = edge + (a1 * Math.Exp(-Math.Pow((e - c1) / 0.06, 2))) + (a2 * Math.Exp(-Math.Pow((e - c2) / 0.08, 2)));
            }
        }

        for (int k = 0; k < energies; k++)
        {
            refs[(4 * energies) + k] = (0.8 * refs[(3 * energies) + k]) + (0.2 * refs[(4 * energies) + k]);
        }

        return refs;
    }

    public static ReferenceSpectra ReferenceSpectra(EnergyAxis axis) =>
        new(axis, Enumerable.Range(0, Phases).Select(p => $"phase {p}").ToArray(), References(axis.Count));

    public static EnergyAxis Axis(int energies = Energies) => new(Enumerable.Range(0, energies).Select(i => 280.0 + (0.5 * i)));

    /// <summary>Pixel-major rows (pixels × energies) of mixtures of the references.</summary>
    public static double[] PixelRows(int pixels, int energies, int seed = 2, int phases = Phases)
    {
        double[] refs = References(energies, phases);
        var rng = new Random(seed);
        double[] x = new double[(long)pixels * energies];
        double max = refs.Max();
        double[] ab = new double[phases];
        for (int i = 0; i < pixels; i++)
        {
            int tile = ((i / 256 / 16 * 16) + (i % 256 / 16)) % phases;
            double t = 0.5 + rng.NextDouble();
            for (int p = 0; p < phases; p++)
            {
                ab[p] = 0.25 * rng.NextDouble() * t;
            }

            ab[tile] += (0.6 + (0.4 * rng.NextDouble())) * t;
            for (int k = 0; k < energies; k++)
            {
                double v = 0;
                for (int p = 0; p < phases; p++)
                {
                    v += ab[p] * refs[(p * energies) + k];
                }

                x[((long)i * energies) + k] = v + (0.02 * max * Normal(rng));
            }
        }

        return x;
    }

    public static SpectralStack Stack(int width, int height)
    {
        int n = width * height;
        double[] rows = PixelRows(n, Energies);
        float[] data = new float[Energies * n];
        for (int i = 0; i < n; i++)
        {
            for (int k = 0; k < Energies; k++)
            {
                data[(k * n) + i] = (float)rows[(i * Energies) + k];
            }
        }

        return new SpectralStack(Axis(), width, height, data);
    }

    private static double Normal(Random rng) =>
        Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
}
