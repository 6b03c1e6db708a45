namespace StxmPhase.Spectra;

/// <summary>Maps spectra (rows of E floats) into a latent space (rows of <see cref="LatentDimension"/> floats).</summary>
public interface ILatentEncoder
{
    /// <summary>Gets the latent dimension D.</summary>
    int LatentDimension { get; }

    /// <summary>Encodes <paramref name="count"/> spectra.</summary>
    /// <param name="spectra"><paramref name="count"/> rows of E floats, row-major.</param>
    /// <param name="count">The number of spectra.</param>
    /// <param name="destination"><paramref name="count"/> rows of D floats.</param>
    void Encode(ReadOnlySpan<float> spectra, int count, Span<float> destination);
}
