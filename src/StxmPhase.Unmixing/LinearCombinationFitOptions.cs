namespace StxmPhase.Unmixing;

/// <summary>Options of <see cref="LinearCombinationFitter"/>. The defaults are the classic STXM NNLS baseline.</summary>
public sealed class LinearCombinationFitOptions
{
    /// <summary>Gets the default options.</summary>
    public static LinearCombinationFitOptions Default { get; } = new();

    /// <summary>
    /// Gets whether the weights are constrained to be non-negative (NNLS, default <see langword="true"/>). When
    /// <see langword="false"/> every coefficient (weights and offset) is free: ordinary least squares, as MANTiS's
    /// unconstrained "spectral maps".
    /// </summary>
    public bool NonNegative { get; init; } = true;

    /// <summary>Gets the constant-term mode (default <see cref="OffsetMode.None"/>).</summary>
    public OffsetMode Offset { get; init; } = OffsetMode.None;

    /// <summary>
    /// Gets whether the weights are softly constrained to sum to one (default <see langword="false"/>: the total weight
    /// is proportional to thickness, which varies). Implemented as a penalty row <c>w·Σ_p a_p = w</c> appended to the
    /// system, so Σa is 1 to within about 1/w² of the misfit.
    /// </summary>
    public bool SumToOne { get; init; }

    /// <summary>
    /// Gets the weight w of the sum-to-one row; <see langword="null"/> (default) uses <c>10³·max|r|</c> over all
    /// reference values.
    /// </summary>
    public double? SumToOneWeight { get; init; }

    /// <summary>Gets the largest difference (eV) between a stack energy and the matching reference energy (default 1 meV).</summary>
    public double EnergyToleranceEv { get; init; } = 1e-3;

    /// <summary>Gets the maximum degree of parallelism over pixel blocks (default −1: all cores).</summary>
    public int MaxDegreeOfParallelism { get; init; } = -1;
}
