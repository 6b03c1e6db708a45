namespace StxmPhase.Assignment;

/// <summary>Options of <see cref="EuclideanReferenceAssigner"/>.</summary>
public sealed class EuclideanReferenceOptions
{
    /// <summary>
    /// Gets whether a phase needs at least one labelled point to be predicted (the general rule of algorithms.md §3:
    /// phases without labelled pixels take no part). Default <see langword="true"/>. When <see langword="false"/>,
    /// every phase with a reference point can be predicted and the labelled set may be empty of that phase.
    /// </summary>
    public bool RequireLabelledPoints { get; init; } = true;

    /// <summary>Gets the maximum number of threads used by <c>Assign</c> and <c>PhaseCosts</c> (−1 = all cores). Default −1.</summary>
    public int MaxDegreeOfParallelism { get; init; } = -1;
}
