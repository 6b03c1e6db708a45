namespace StxmPhase.Spectra;

/// <summary>
/// An optional capability of an <see cref="ILatentEncoder"/>: maps latent points back to spectra (e.g. the decoder of
/// a variational autoencoder). The workflow uses it to reconstruct the encoded reference spectra and to decode spectra
/// along latent paths between phases (<c>PhaseMappingRun.DecodePath</c>).
/// </summary>
public interface ILatentDecoder
{
    /// <summary>Decodes <paramref name="count"/> latent points to spectra.</summary>
    /// <param name="latent"><paramref name="count"/> rows of D floats, row-major.</param>
    /// <param name="count">The number of points.</param>
    /// <param name="destination"><paramref name="count"/> rows of E floats, in the units the encoder takes.</param>
    void Decode(ReadOnlySpan<float> latent, int count, Span<float> destination);
}
