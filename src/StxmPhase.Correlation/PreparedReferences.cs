using System.Globalization;
using StxmPhase.Spectra;

namespace StxmPhase.Correlation;

/// <summary>
/// Reference spectra centred and L2-normalised once (r̃_j = (r_j − r̄_j) / ‖r_j − r̄_j‖), so that the Pearson
/// coefficient of a pixel spectrum x is ρ_j = Σ_e (x_e − x̄) r̃_je / √Σ_e (x_e − x̄)².
/// </summary>
internal sealed class PreparedReferences
{
    /// <summary>Number of references the vector kernel keeps in registers per pass over the energies (16 of the 32 AVX-512 registers hold them and
    /// the sums).</summary>
    public const int GroupSize = 8;

    private PreparedReferences(int phaseCount, int energyCount, double[] centred, float[] grouped)
    {
        PhaseCount = phaseCount;
        EnergyCount = energyCount;
        Centred = centred;
        Grouped = grouped;
        GroupCount = grouped.Length / (energyCount * GroupSize);
    }

    /// <summary>Gets the number of phases P.</summary>
    public int PhaseCount { get; }

    /// <summary>Gets the number of energies E.</summary>
    public int EnergyCount { get; }

    /// <summary>Gets r̃ in double precision, phase-major: <c>[j · E + e]</c>.</summary>
    public double[] Centred { get; }

    /// <summary>
    /// Gets r̃ rounded to float32 in the layout of the vector kernel: groups of <see cref="GroupSize"/> phases,
    /// energy-major inside a group: <c>[(g · E + e) · 8 + k]</c> holds phase <c>8g + k</c> at energy e. Phases beyond
    /// P are zero (their dot products are computed and ignored).
    /// </summary>
    public float[] Grouped { get; }

    /// <summary>Gets the number of groups, ⌈P / 8⌉.</summary>
    public int GroupCount { get; }

    /// <summary>Centres and normalises each reference.</summary>
    /// <param name="references">The references.</param>
    /// <returns>The prepared references.</returns>
    /// <exception cref="ArgumentException">A reference is (numerically) constant; the message names the phase.</exception>
    public static PreparedReferences Create(ReferenceSpectra references)
    {
        int p = references.PhaseCount;
        int e = references.Energies.Count;
        double[] centred = new double[p * e];
        int groups = (p + GroupSize - 1) / GroupSize;
        float[] grouped = new float[groups * e * GroupSize];
        for (int j = 0; j < p; j++)
        {
            ReadOnlySpan<double> r = references.Spectrum(j);
            double mean = 0;
            double sumSquares = 0;
            for (int k = 0; k < e; k++)
            {
                mean += r[k];
                sumSquares += r[k] * r[k];
            }

            mean /= e;
            double variance = 0;
            for (int k = 0; k < e; k++)
            {
                double d = r[k] - mean;
                variance += d * d;
            }

            if (variance <= 1e-12 * Math.Max(1.0, sumSquares))
            {
                throw new ArgumentException(
                    string.Create(CultureInfo.InvariantCulture,
                        $"Reference '{references.PhaseNames[j]}' (phase {j}) is constant over the {e} energies (Σ(r − r̄)² = {variance:G6}), " +
                        $"so its Pearson coefficient is undefined for every pixel; remove it or supply its real spectrum."),
                    nameof(references));
            }

            double scale = 1.0 / Math.Sqrt(variance);
            int g = j / GroupSize;
            int lane = j % GroupSize;
            for (int k = 0; k < e; k++)
            {
                double v = (r[k] - mean) * scale;
                centred[(j * e) + k] = v;
                grouped[((((g * e) + k) * GroupSize) + lane)] = (float)v;
            }
        }

        return new PreparedReferences(p, e, centred, grouped);
    }
}
