namespace StxmPhase.IO;

/// <summary>Options specific to <see cref="NxstxmStackReader"/>.</summary>
public sealed class NxstxmReadOptions
{
    /// <summary>Gets the default options: no monitor normalisation.</summary>
    public static NxstxmReadOptions Default { get; } = new();

    /// <summary>
    /// Gets the NXmonitor group (child of the entry) to normalise by, e.g. <c>"control"</c> (ring current), or
    /// <see langword="null"/> (default) to return the detector values unchanged.
    /// </summary>
    /// <remarks>As MANTiS: I' = I / (m / median(m)), where m is the monitor value of the same pixel and the median
    /// is taken over all finite monitor values. Pixels whose monitor value is zero or not finite become NaN (masked
    /// downstream).</remarks>
    public string? Monitor { get; init; }
}
