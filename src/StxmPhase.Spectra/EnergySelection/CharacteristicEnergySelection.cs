namespace StxmPhase.Spectra;

/// <summary>Result of <see cref="CharacteristicEnergySelector.Select(ReferenceSpectra, int, CharacteristicEnergyOptions?)"/>. Immutable.</summary>
public sealed class CharacteristicEnergySelection
{
    private readonly int[] _indices;
    private readonly int[] _order;

    internal CharacteristicEnergySelection(EnergyAxis energies, int[] indices, int[] order, double minimumDistance, double meanDistance)
    {
        Energies = energies;
        _indices = indices;
        _order = order;
        MinimumPearsonDistance = minimumDistance;
        MeanPearsonDistance = meanDistance;
    }

    /// <summary>Gets the selected energies, in increasing order.</summary>
    public EnergyAxis Energies { get; }

    /// <summary>Gets the indices of the selected energies in the candidate axis, in increasing order.</summary>
    public IReadOnlyList<int> CandidateIndices => _indices;

    /// <summary>Gets the candidate indices in the order the greedy search picked them.</summary>
    public IReadOnlyList<int> SelectionOrder => _order;

    /// <summary>Gets min over phase pairs of (1 − ρ) on the selected energies (0…2; larger separates better).</summary>
    public double MinimumPearsonDistance { get; }

    /// <summary>Gets the mean over phase pairs of (1 − ρ) on the selected energies.</summary>
    public double MeanPearsonDistance { get; }
}
