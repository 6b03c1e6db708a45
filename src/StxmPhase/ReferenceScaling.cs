using StxmPhase.Spectra;

namespace StxmPhase;

/// <summary>
/// Scales reference spectra to the data before they are encoded (<see cref="PhaseMappingOptions.ScaleReferencesToData"/>):
/// references are usually normalised absorption, the data optical density of particles of some thickness.
/// </summary>
internal static class ReferenceScaling
{
    /// <summary>
    /// Returns the references as rows of E floats, each multiplied by the least-squares factor
    /// s = ⟨m, r⟩ / ⟨r, r⟩ that minimises ‖m − s·r‖², m being the mean spectrum of the confident pixels labelled with
    /// the reference's phase. A phase without such pixels, or with s ≤ 0, keeps s = 1.
    /// </summary>
    /// <param name="references">The references on the data's energies.</param>
    /// <param name="spectra">The gathered spectra, rows of E floats.</param>
    /// <param name="labels">The PCC label of each row.</param>
    /// <param name="confident">The rows that are confidently labelled.</param>
    /// <param name="scale">Whether to scale at all (<see langword="false"/> = the references as they are).</param>
    /// <param name="blocks">The spectral blocks of a fused multi-edge input: one factor per block (each edge's jump relative
    /// to the reference's differs), fitted on that block's energies; <see langword="null"/> = one factor.</param>
    public static float[] Rows(
        ReferenceSpectra references, ReadOnlySpan<float> spectra, ReadOnlySpan<int> labels, IReadOnlyList<int> confident, bool scale,
        SpectralBlocks? blocks = null)
    {
        int e = references.Energies.Count;
        int phases = references.PhaseCount;
        float[] rows = new float[phases * e];
        double[] mean = new double[e];
        int[] starts = blocks is null ? [0] : [.. blocks.Starts];
        int[] counts = blocks is null ? [e] : [.. blocks.Counts];
        for (int ph = 0; ph < phases; ph++)
        {
            ReadOnlySpan<double> r = references.Spectrum(ph);
            for (int b = 0; b < starts.Length; b++)
            {
                double s = scale ? Factor(r, spectra, labels, confident, ph, mean, starts[b], counts[b]) : 1;
                for (int k = starts[b]; k < starts[b] + counts[b]; k++)
                {
                    rows[(ph * e) + k] = (float)(r[k] * s);
                }
            }
        }

        return rows;
    }

    /// <summary>The least-squares factor of energies [start, start + width) (the whole spectrum without blocks).</summary>
    private static double Factor(
        ReadOnlySpan<double> r, ReadOnlySpan<float> spectra, ReadOnlySpan<int> labels, IReadOnlyList<int> confident, int phase, double[] mean,
        int start, int width)
    {
        int e = r.Length;
        Array.Clear(mean);
        int count = 0;
        foreach (int i in confident)
        {
            if (labels[i] != phase)
            {
                continue;
            }

            count++;
            for (int k = 0; k < e; k++)
            {
                mean[k] += spectra[(i * e) + k];
            }
        }

        if (count == 0)
        {
            return 1;
        }

        double num = 0, den = 0;
        for (int k = start; k < start + width; k++)
        {
            num += mean[k] / count * r[k];
            den += r[k] * r[k];
        }

        return den > 0 && num > 0 ? num / den : 1;
    }
}
