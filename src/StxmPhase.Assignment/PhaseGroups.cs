namespace StxmPhase.Assignment;

/// <summary>Labelled latent points grouped by phase, in float64: counts, means and class-centred points.</summary>
internal sealed class PhaseGroups
{
    private PhaseGroups(int dimension, int[] counts, double[] means, int[] offsets, double[] centred)
    {
        Dimension = dimension;
        Counts = counts;
        Means = means;
        Offsets = offsets;
        Centred = centred;
    }

    public int Dimension { get; }

    /// <summary>Points per phase.</summary>
    public int[] Counts { get; }

    /// <summary>Phase means, PhaseCount × Dimension (zero for absent phases).</summary>
    public double[] Means { get; }

    /// <summary>Start row of each phase in <see cref="Centred"/>; PhaseCount + 1 entries.</summary>
    public int[] Offsets { get; }

    /// <summary>All points centred by their phase mean, grouped by phase (stable order within a phase), n × Dimension.</summary>
    public double[] Centred { get; }

    public int PhaseCount => Counts.Length;

    public int Total => Offsets[^1];

    public bool Has(int phase) => Counts[phase] > 0;

    public ReadOnlySpan<double> Mean(int phase) => Means.AsSpan(phase * Dimension, Dimension);

    public ReadOnlySpan<double> CentredOf(int phase) =>
        Centred.AsSpan(Offsets[phase] * Dimension, Counts[phase] * Dimension);

    public static PhaseGroups From(LatentSet set)
    {
        int d = set.Dimension;
        int phases = set.PhaseCount;
        ReadOnlySpan<float> points = set.Points;
        ReadOnlySpan<int> labels = set.Labels;
        int[] counts = new int[phases];
        foreach (int label in labels)
        {
            counts[label]++;
        }

        int[] offsets = new int[phases + 1];
        for (int c = 0; c < phases; c++)
        {
            offsets[c + 1] = offsets[c] + counts[c];
        }

        // Group the points by phase, keeping their order within a phase (deterministic).
        double[] grouped = new double[set.Count * d];
        int[] cursor = offsets.AsSpan(0, phases).ToArray();
        for (int i = 0; i < labels.Length; i++)
        {
            int row = cursor[labels[i]]++;
            for (int j = 0; j < d; j++)
            {
                grouped[(row * d) + j] = points[(i * d) + j];
            }
        }

        // Means: sum in point order, then divide (as numpy's mean over axis 0 does up to summation order).
        double[] means = new double[phases * d];
        for (int c = 0; c < phases; c++)
        {
            if (counts[c] == 0)
            {
                continue;
            }

            Span<double> mean = means.AsSpan(c * d, d);
            for (int r = offsets[c]; r < offsets[c + 1]; r++)
            {
                for (int j = 0; j < d; j++)
                {
                    mean[j] += grouped[(r * d) + j];
                }
            }

            for (int j = 0; j < d; j++)
            {
                mean[j] /= counts[c];
            }

            for (int r = offsets[c]; r < offsets[c + 1]; r++)
            {
                for (int j = 0; j < d; j++)
                {
                    grouped[(r * d) + j] -= mean[j];
                }
            }
        }

        return new PhaseGroups(d, counts, means, offsets, grouped);
    }
}
