namespace StxmPhase;

/// <summary>
/// Wall-clock time spent in each stage for one stack. Training is not a per-stack stage: one encoder is trained for all
/// stacks of a run, so its time is <see cref="PhaseMappingRun.TrainingTime"/>, and the whole run's time is
/// <see cref="PhaseMappingRun.TotalTime"/>.
/// </summary>
/// <param name="Preprocessing">OD conversion and masks.</param>
/// <param name="Correlation">Pearson correlation.</param>
/// <param name="Encoding">Encoding this stack's spectra.</param>
/// <param name="Assignment">Latent-space assignment of this stack's pixels.</param>
public readonly record struct StageTimings(TimeSpan Preprocessing, TimeSpan Correlation, TimeSpan Encoding, TimeSpan Assignment)
{
    /// <summary>Gets the sum of this stack's own stages, without training (shared by the run: see
    /// <see cref="PhaseMappingRun.TrainingTime"/> and <see cref="PhaseMappingRun.TotalTime"/>).</summary>
    public TimeSpan StackTotal => Preprocessing + Correlation + Encoding + Assignment;
}
