namespace StxmPhase.Assignment;

/// <summary>Options of <see cref="NearestCentroidAssigner"/>.</summary>
public sealed class NearestCentroidOptions
{
    /// <summary>Gets the maximum number of threads used by <c>Assign</c> and <c>PhaseCosts</c> (−1 = all cores). Default −1.</summary>
    public int MaxDegreeOfParallelism { get; init; } = -1;
}
