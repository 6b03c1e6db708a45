using System.Globalization;

namespace StxmPhase.Spectra;

/// <summary>
/// Flags pixels whose optical density leaves the linear (Beer–Lambert) range of the detector: thick particles with
/// higher-harmonic contamination or stray light transmit a floor of photons, so their measured OD saturates and their
/// spectral shape flattens.
/// </summary>
public static class Saturation
{
    /// <summary>
    /// The default largest trusted optical density, 2.5 (0.8 % transmission): with a few percent of higher harmonics the
    /// measured OD is already 10–20 % low there. Keep samples below OD ≈ 1.5–2 at the strongest absorption where possible.
    /// </summary>
    public const double DefaultMaxOpticalDensity = 2.5;

    /// <summary>Returns the pixels (within <paramref name="mask"/>) whose OD exceeds <paramref name="maxOpticalDensity"/> at any energy.</summary>
    /// <param name="opticalDensity">The stack as optical density.</param>
    /// <param name="maxOpticalDensity">The largest trusted OD; positive (<see cref="double.PositiveInfinity"/> flags nothing).</param>
    /// <param name="mask">The pixels to examine, or <see langword="null"/> for all.</param>
    /// <returns>The saturated pixels. Non-finite values are not flagged (they are invalid pixels, counted elsewhere).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="opticalDensity"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxOpticalDensity"/> is not positive or is NaN.</exception>
    /// <exception cref="ArgumentException"><paramref name="mask"/> does not have the stack's size.</exception>
    public static PixelMask Detect(SpectralStack opticalDensity, double maxOpticalDensity, PixelMask? mask = null)
    {
        ArgumentNullException.ThrowIfNull(opticalDensity);
        if (!(maxOpticalDensity > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(maxOpticalDensity), maxOpticalDensity,
                string.Create(CultureInfo.InvariantCulture, $"The largest trusted optical density must be positive; got {maxOpticalDensity}."));
        }

        int width = opticalDensity.Width;
        int height = opticalDensity.Height;
        if (mask is not null && (mask.Width != width || mask.Height != height))
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"The mask is {mask.Width} × {mask.Height} pixels but the stack is {width} × {height}."),
                nameof(mask));
        }

        int n = width * height;
        bool[] flags = new bool[n];
        if (double.IsPositiveInfinity(maxOpticalDensity))
        {
            return PixelMask.FromArray(width, height, flags);
        }

        float limit = (float)maxOpticalDensity;
        ReadOnlySpan<float> data = opticalDensity.Data.Span;
        for (int e = 0; e < opticalDensity.Energies.Count; e++)
        {
            ReadOnlySpan<float> plane = data.Slice(e * n, n);
            for (int i = 0; i < n; i++)
            {
                if (plane[i] > limit && float.IsFinite(plane[i]) && (mask is null || mask[i]))
                {
                    flags[i] = true;
                }
            }
        }

        return PixelMask.FromArray(width, height, flags);
    }
}
