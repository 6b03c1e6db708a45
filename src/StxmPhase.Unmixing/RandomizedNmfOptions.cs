namespace StxmPhase.Unmixing;

/// <summary>The sketch parameters of <see cref="RandomizedNmf"/> (ristretto <c>compute_rnmf</c>).</summary>
public sealed class RandomizedNmfOptions
{
    /// <summary>Gets the default options.</summary>
    public static RandomizedNmfOptions Default { get; } = new();

    /// <summary>
    /// Gets the oversampling p (default 10); the sketch size is l = k + p. When l ≥ min(rows, columns) the QB is exact
    /// and randomized HALS reproduces deterministic HALS run H-first.
    /// </summary>
    public int Oversampling { get; init; } = 10;

    /// <summary>Gets the number of power iterations q of the range finder (default 2).</summary>
    public int PowerIterations { get; init; } = 2;
}
