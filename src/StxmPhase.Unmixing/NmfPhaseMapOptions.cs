namespace StxmPhase.Unmixing;

/// <summary>Options of <see cref="NmfPhaseMapper"/>.</summary>
public sealed class NmfPhaseMapOptions
{
    /// <summary>Gets the default options.</summary>
    public static NmfPhaseMapOptions Default { get; } = new();

    /// <summary>
    /// Gets the NMF options; <see langword="null"/> (default) uses <see cref="NmfOptions"/> defaults with k = number of
    /// reference phases.
    /// </summary>
    public NmfOptions? Nmf { get; init; }

    /// <summary>Gets whether randomized NMF is used instead of HALS (default <see langword="false"/>).</summary>
    public bool Randomized { get; init; }

    /// <summary>Gets the sketch options for randomized NMF (default <see cref="RandomizedNmfOptions.Default"/>).</summary>
    public RandomizedNmfOptions? Sketch { get; init; }

    /// <summary>Gets how components are matched to references (default Hungarian).</summary>
    public ComponentMatching Matching { get; init; } = ComponentMatching.Hungarian;

    /// <summary>Gets the largest difference (eV) between a stack energy and the matching reference energy (default 1 meV).</summary>
    public double EnergyToleranceEv { get; init; } = 1e-3;
}
