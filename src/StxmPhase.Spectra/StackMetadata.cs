namespace StxmPhase.Spectra;

/// <summary>Descriptive information that travels with a <see cref="SpectralStack"/>. All members are optional.</summary>
public sealed class StackMetadata
{
    /// <summary>Gets an empty metadata object.</summary>
    public static StackMetadata Empty { get; } = new();

    /// <summary>Gets a short name for the stack (used for output folders and figure titles).</summary>
    public string? Name { get; init; }

    /// <summary>Gets the file the stack was read from.</summary>
    public string? SourceFile { get; init; }

    /// <summary>Gets the pixel size along x in nanometres, when known.</summary>
    public double? PixelSizeXNm { get; init; }

    /// <summary>Gets the pixel size along y in nanometres, when known.</summary>
    public double? PixelSizeYNm { get; init; }

    /// <summary>Gets the dwell time per pixel in milliseconds, when known.</summary>
    public double? DwellTimeMs { get; init; }

    /// <summary>Gets free-form key/value pairs from the file header (instrument, date, detector channel…).</summary>
    public IReadOnlyDictionary<string, string> Attributes { get; init; } = new Dictionary<string, string>();
}
