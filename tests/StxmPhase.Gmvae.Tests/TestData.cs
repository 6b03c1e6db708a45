using StxmPhase.Gmvae;
using StxmPhase.Spectra;

namespace StxmPhase.Gmvae.Tests;

/// <summary>Small synthetic data sets and options shared by the tests.</summary>
internal static class TestData
{
    public const int Energies = 13;

    public static EnergyAxis Axis { get; } = new(Enumerable.Range(0, Energies).Select(i => 510.0 + (1.5 * i)).ToArray());

    /// <summary>
    /// <paramref name="count"/> spectra from 5 well-separated clusters: cluster c is a Gaussian peak centred at energy
    /// index 1 + 2.5c (width 1.2) on a baseline of 0.2, times a thickness in [0.85, 1.15], plus N(0, 0.01²) noise.
    /// </summary>
    public static (float[] Spectra, int[] Labels) Clusters(int count, int seed)
    {
        var random = new Random(seed);
        float[] spectra = new float[count * Energies];
        int[] labels = new int[count];
        for (int i = 0; i < count; i++)
        {
            int c = i % 5;
            labels[i] = c;
            double thickness = 0.85 + (0.3 * random.NextDouble());
            double centre = 1 + (2.5 * c);
            for (int e = 0; e < Energies; e++)
            {
                double peak = Math.Exp(-0.5 * Math.Pow((e - centre) / 1.2, 2));
                double noise = 0.01 * Gaussian(random);
                spectra[(i * Energies) + e] = (float)((thickness * (0.2 + peak)) + noise);
            }
        }

        return (spectra, labels);
    }

    /// <summary>A small, fast network for behaviour tests.</summary>
    public static GmvaeOptions Small(int epochs = 20, long seed = 1) => new()
    {
        HiddenLayers = [64, 32],
        Epochs = epochs,
        BatchSize = 64,
        Seed = seed,
        Threads = 1,
        LearningRate = 3e-3,
    };

    public static double Gaussian(Random random)
    {
        double u1 = 1.0 - random.NextDouble();
        double u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}

/// <summary>Reports synchronously on the training thread (unlike <see cref="Progress{T}"/>).</summary>
internal sealed class InlineProgress<T>(Action<T> action) : IProgress<T>
{
    public void Report(T value) => action(value);
}
