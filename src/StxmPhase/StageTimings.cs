namespace StxmPhase;

/// <summary>Wall-clock time spent in each stage for one stack (training is shared by all stacks of a run).</summary>
/// <param name="Preprocessing">OD conversion and masks.</param>
/// <param name="Correlation">Pearson correlation.</param>
/// <param name="Encoding">Encoding this stack's spectra.</param>
/// <param name="Assignment">Latent-space assignment of this stack's pixels.</param>
public readonly record struct StageTimings(TimeSpan Preprocessing, TimeSpan Correlation, TimeSpan Encoding, TimeSpan Assignment)
{
    /// <summary>Gets the sum of the stages.</summary>
    public TimeSpan Total => Preprocessing + Correlation + Encoding + Assignment;
}
