namespace StxmPhase.Assignment;

/// <summary>How the k nearest neighbours vote in <see cref="KnnAssigner"/> (scikit-learn <c>weights</c>).</summary>
public enum KnnWeighting
{
    /// <summary>Each neighbour votes 1 (scikit-learn <c>'uniform'</c>; the default).</summary>
    Uniform = 0,

    /// <summary>
    /// Each neighbour votes 1/distance (scikit-learn <c>'distance'</c>); if any neighbour is at distance exactly 0,
    /// those neighbours vote 1 and the others 0.
    /// </summary>
    Distance = 1,
}
