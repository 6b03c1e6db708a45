namespace StxmPhase.Spectra;

/// <summary>Options for <see cref="IStackReader.Read"/>. Every member is optional; the defaults read the first stack found.</summary>
public sealed class StackReadOptions
{
    /// <summary>Gets the default options.</summary>
    public static StackReadOptions Default { get; } = new();

    /// <summary>Gets the file name, used in error messages and to find companion files (e.g. <c>.xim</c> frames beside a <c>.hdr</c>).</summary>
    public string? FileName { get; init; }

    /// <summary>Gets the detector channel to read when a file holds several (default: the first).</summary>
    public string? Channel { get; init; }

    /// <summary>Gets the entry (HDF5 NXentry name) to read when a file holds several (default: the first stack entry).</summary>
    public string? Entry { get; init; }

    /// <summary>Gets the zero-based region to read from multi-region scans (default 0).</summary>
    public int Region { get; init; }

    /// <summary>Gets the energies to use for formats that do not store them (TIFF, NumPy); <see langword="null"/> otherwise.</summary>
    public EnergyAxis? Energies { get; init; }

    /// <summary>Gets the quantity to assume for formats that do not say what they hold (NumPy, TIFF), or
    /// <see langword="null"/> (default) to detect it from the values (counts, transmittance or optical density; the
    /// stack's <c>Metadata.Attributes["quantity"]</c> says what was assumed and why).</summary>
    public SpectralQuantity? Quantity { get; init; }
}
