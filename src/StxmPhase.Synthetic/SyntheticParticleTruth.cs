namespace StxmPhase.Synthetic;

/// <summary>
/// The ground truth of one synthetic particle: its pixels, centroid and phase fractions (particles are placed apart,
/// at least 2 px between their bounding circles, so each is one connected component of the particle mask).
/// </summary>
/// <param name="Particle">The particle id, 1 … N in placement order (see <see cref="SyntheticDataset.ParticleIds"/>).</param>
/// <param name="Pixels">The number of pixels it covers.</param>
/// <param name="CentroidX">The mean column of its pixels.</param>
/// <param name="CentroidY">The mean row of its pixels.</param>
/// <param name="PixelFractions">Per phase: the fraction of its pixels whose true (majority) phase it is.</param>
/// <param name="VolumeFractions">Per phase: Σ t·f_p / Σ t over its pixels (thickness-weighted volume fraction, the
/// amount of each phase).</param>
public sealed record SyntheticParticleTruth(
    int Particle, int Pixels, double CentroidX, double CentroidY, IReadOnlyList<double> PixelFractions, IReadOnlyList<double> VolumeFractions)
{
    /// <summary>Computes the truth of every particle of a dataset.</summary>
    /// <param name="dataset">A synthetic dataset.</param>
    /// <returns>One row per particle, element k is particle k + 1.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="dataset"/> is <see langword="null"/>.</exception>
    public static IReadOnlyList<SyntheticParticleTruth> Compute(SyntheticDataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        int k = dataset.ParticleCount;
        int phases = dataset.Truth.PhaseCount;
        int n = dataset.Truth.PixelCount;
        int w = dataset.Truth.Width;
        ReadOnlySpan<int> ids = dataset.ParticleIds;
        ReadOnlySpan<int> truth = dataset.Truth.Labels;
        ReadOnlySpan<float> thickness = dataset.Thickness.Span;
        ReadOnlySpan<float> fractions = dataset.MixingFractions.Span;
        long[] pixels = new long[k + 1];
        double[] sx = new double[k + 1];
        double[] sy = new double[k + 1];
        long[] counts = new long[(k + 1) * phases];
        double[] volume = new double[(k + 1) * phases];
        double[] totalThickness = new double[k + 1];
        for (int i = 0; i < n; i++)
        {
            int id = ids[i];
            if (id == 0)
            {
                continue;
            }

            pixels[id]++;
            sx[id] += i % w;
            sy[id] += i / w;
            if (truth[i] >= 0)
            {
                counts[(id * phases) + truth[i]]++;
            }

            totalThickness[id] += thickness[i];
            for (int p = 0; p < phases; p++)
            {
                volume[(id * phases) + p] += (double)thickness[i] * fractions[(p * n) + i];
            }
        }

        var rows = new SyntheticParticleTruth[k];
        for (int id = 1; id <= k; id++)
        {
            double[] pf = new double[phases];
            double[] vf = new double[phases];
            for (int p = 0; p < phases; p++)
            {
                pf[p] = pixels[id] > 0 ? (double)counts[(id * phases) + p] / pixels[id] : 0;
                vf[p] = totalThickness[id] > 0 ? volume[(id * phases) + p] / totalThickness[id] : 0;
            }

            double c = Math.Max(1, pixels[id]);
            rows[id - 1] = new SyntheticParticleTruth(id, (int)pixels[id], sx[id] / c, sy[id] / c, pf, vf);
        }

        return rows;
    }
}
