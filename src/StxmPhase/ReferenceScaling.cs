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
    public static float[] Rows(
        ReferenceSpectra references, ReadOnlySpan<float> spectra, ReadOnlySpan<int> labels, IReadOnlyList<int> confident, bool scale)
    {
        int e = references.Energies.Count;
        int phases = references.PhaseCount;
        float[] rows = new float[phases * e];
        double[] mean = new double[e];
        for (int ph = 0; ph < phases; ph++)
        {
            ReadOnlySpan<double> r = references.Spectrum(ph);
            double s = scale ? Factor(r, spectra, labels, confident, ph, mean) : 1;
            for (int k = 0; k < e; k++)
            {
                rows[(ph * e) + k] = (float)(r[k] * s);
            }
        }

        return rows;
    }

    private static double Factor(
        ReadOnlySpan<double> r, ReadOnlySpan<float> spectra, ReadOnlySpan<int> labels, IReadOnlyList<int> confident, int phase, double[] mean)
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
        for (int k = 0; k < e; k++)
        {
            num += mean[k] / count * r[k];
            den += r[k] * r[k];
        }

        return den > 0 && num > 0 ? num / den : 1;
    }
}
