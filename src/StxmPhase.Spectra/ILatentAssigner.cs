namespace StxmPhase.Spectra;

/// <summary>An unfitted latent-space assignment strategy: learns from labelled latent points.</summary>
public interface ILatentAssigner
{
    /// <summary>Fits the strategy.</summary>
    /// <param name="labelled">Latent points with confident phase labels.</param>
    /// <param name="references">Optional encoded reference spectra (label = phase), used by reference-anchored strategies.</param>
    /// <returns>The fitted assignment.</returns>
    ILatentAssignment Fit(LatentSet labelled, LatentSet? references = null);
}
