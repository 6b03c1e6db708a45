namespace StxmPhase.Spectra;

/// <summary>A fitted latent-space assignment: gives each latent point a phase and a score.</summary>
public interface ILatentAssignment
{
    /// <summary>Gets the number of phases labels range over.</summary>
    int PhaseCount { get; }

    /// <summary>Assigns a phase to each of <paramref name="count"/> points.</summary>
    /// <param name="points"><paramref name="count"/> rows of D floats.</param>
    /// <param name="count">The number of points.</param>
    /// <param name="phase">Receives one phase per point.</param>
    /// <param name="score">Receives one score per point (a distance or a vote share; see the implementation).</param>
    void Assign(ReadOnlySpan<float> points, int count, Span<int> phase, Span<float> score);
}
