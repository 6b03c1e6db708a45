using StxmPhase.Spectra;

namespace StxmPhase;

/// <summary>An encoder that applies a <see cref="BlockNormalization"/> to every row before the inner encoder (the PCA encoder
/// of a fused multi-edge input), so that pixels and references get the transform the encoder was fitted on.</summary>
internal sealed class BlockNormalizedEncoder(BlockNormalization normalization, ILatentEncoder inner) : ILatentEncoder
{
    private const int ChunkRows = 4096;

    /// <summary>Gets the transform.</summary>
    public BlockNormalization Normalization => normalization;

    /// <inheritdoc/>
    public int LatentDimension => inner.LatentDimension;

    /// <inheritdoc/>
    public void Encode(ReadOnlySpan<float> spectra, int count, Span<float> destination)
    {
        int e = normalization.Blocks.EnergyCount, d = inner.LatentDimension;
        float[] buffer = new float[Math.Min(count, ChunkRows) * e];
        for (int start = 0; start < count; start += ChunkRows)
        {
            int m = Math.Min(ChunkRows, count - start);
            normalization.Apply(spectra.Slice(start * e, m * e), buffer, m);
            inner.Encode(buffer.AsSpan(0, m * e), m, destination.Slice(start * d, m * d));
        }
    }
}
