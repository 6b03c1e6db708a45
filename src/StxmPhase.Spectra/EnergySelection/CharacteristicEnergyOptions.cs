namespace StxmPhase.Spectra;

/// <summary>Options for <see cref="CharacteristicEnergySelector.Select(ReferenceSpectra, int, CharacteristicEnergyOptions?)"/>.</summary>
public sealed class CharacteristicEnergyOptions
{
    internal static CharacteristicEnergyOptions Default { get; } = new();

    /// <summary>
    /// Gets the candidate energies (e.g. the energies the monochromator can be set to, or a 0.1 eV grid); the references
    /// are linearly interpolated onto them. Default <see langword="null"/>: the energies of the references themselves.
    /// </summary>
    public EnergyAxis? Candidates { get; init; }

    /// <summary>Gets the smallest allowed distance in eV between two selected energies. Default 0 (no constraint).</summary>
    public double MinimumSpacingEv { get; init; }

    /// <summary>
    /// Gets whether the lowest candidate energy (a pre-edge energy, needed to anchor the OD baseline) is always selected
    /// first. Default <see langword="true"/>. When <see langword="false"/>, the greedy search starts from the best pair.
    /// </summary>
    public bool KeepPreEdge { get; init; } = true;
}
