using StxmPhase.Spectra;

namespace StxmPhase.Correlation.Tests;

/// <summary>Seeded generators of stacks and references for the correlation tests.</summary>
internal static class TestStacks
{
    public static EnergyAxis Axis(int energies) => new(Enumerable.Range(0, energies).Select(k => 500.0 + (0.5 * k)));

    public static string[] Names(int phases) => Enumerable.Range(0, phases).Select(j => "phase" + j).ToArray();

    /// <summary>Smooth random references: a Gaussian peak per phase on a random linear background.</summary>
    public static ReferenceSpectra References(Random rng, int phases, int energies)
    {
        double[] values = new double[phases * energies];
        for (int j = 0; j < phases; j++)
        {
            double centre = rng.NextDouble() * (energies - 1);
            double width = 0.5 + (rng.NextDouble() * energies / 3.0);
            double slope = (rng.NextDouble() - 0.5) * 0.1;
            for (int e = 0; e < energies; e++)
            {
                values[(j * energies) + e] = 0.2 + (slope * e) + Math.Exp(-0.5 * Math.Pow((e - centre) / width, 2)) + (0.05 * rng.NextDouble());
            }
        }

        return new ReferenceSpectra(Axis(energies), Names(phases), values);
    }

    /// <summary>
    /// A stack whose pixels are mostly random mixtures of the references, scaled and offset, with noise; some pixels
    /// are pure noise and some carry a large offset (stress for float32 accumulation).
    /// </summary>
    public static SpectralStack Stack(Random rng, int width, int height, ReferenceSpectra references, bool largeOffsets = true)
    {
        int e = references.Energies.Count;
        int p = references.PhaseCount;
        int n = width * height;
        float[] data = new float[e * n];
        double[] w = new double[p];
        for (int i = 0; i < n; i++)
        {
            int kind = rng.Next(10);
            double sum = 0;
            for (int j = 0; j < p; j++)
            {
                w[j] = Math.Pow(rng.NextDouble(), 3);
                sum += w[j];
            }

            double a = 0.1 + (rng.NextDouble() * 3);
            double b = kind == 9 && largeOffsets ? 50 + (rng.NextDouble() * 100) : (rng.NextDouble() - 0.3) * 2;
            double noise = kind == 8 ? 1.0 : 0.02 * rng.NextDouble();
            for (int k = 0; k < e; k++)
            {
                double v = 0;
                for (int j = 0; j < p; j++)
                {
                    v += w[j] / sum * references.Values[(j * e) + k];
                }

                data[(k * n) + i] = (float)((a * v) + b + (noise * ((rng.NextDouble() * 2) - 1)));
            }
        }

        return new SpectralStack(references.Energies, width, height, data);
    }

    public static SpectralStack FromPixels(EnergyAxis axis, double[][] spectra)
    {
        int n = spectra.Length;
        int e = axis.Count;
        float[] data = new float[n * e];
        for (int i = 0; i < n; i++)
        {
            for (int k = 0; k < e; k++)
            {
                data[(k * n) + i] = (float)spectra[i][k];
            }
        }

        return new SpectralStack(axis, n, 1, data);
    }
}
