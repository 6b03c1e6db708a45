namespace StxmPhase.Spectra;

/// <summary>Reads a spectral stack from one file format.</summary>
public interface IStackReader
{
    /// <summary>Returns whether this reader recognises a file from its first bytes and/or its name.</summary>
    /// <param name="header">The first bytes of the file (at least 512 when the file is that long).</param>
    /// <param name="fileName">The file name, when known.</param>
    /// <returns><see langword="true"/> when the reader can read the file.</returns>
    bool CanRead(ReadOnlySpan<byte> header, string? fileName);

    /// <summary>Reads the stack.</summary>
    /// <param name="stream">A readable stream positioned at the start of the file.</param>
    /// <param name="options">What to read.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The stack; never partially filled.</returns>
    SpectralStack Read(Stream stream, StackReadOptions options, CancellationToken cancellationToken = default);
}
