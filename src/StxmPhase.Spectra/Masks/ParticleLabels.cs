using System.Globalization;

namespace StxmPhase.Spectra;

/// <summary>
/// A labelled-particle image: label 0 is background, particles are 1 … <see cref="Count"/>, numbered in raster order of
/// their first pixel (row-major, x fastest). Immutable.
/// </summary>
public sealed class ParticleLabels
{
    private readonly int[] _labels;
    private readonly int[] _sizes;

    internal ParticleLabels(int width, int height, int[] labels, int count)
    {
        Width = width;
        Height = height;
        _labels = labels;
        Count = count;
        _sizes = new int[count + 1];
        foreach (int l in labels)
        {
            _sizes[l]++;
        }
    }

    /// <summary>Gets the width in pixels.</summary>
    public int Width { get; }

    /// <summary>Gets the height in pixels.</summary>
    public int Height { get; }

    /// <summary>Gets the number of particles.</summary>
    public int Count { get; }

    /// <summary>Gets the label of every pixel, row-major: 0 = background, 1 … <see cref="Count"/> = particle.</summary>
    public ReadOnlySpan<int> Labels => _labels;

    /// <summary>Returns the number of pixels of particle <paramref name="particle"/> (0 counts the background).</summary>
    /// <param name="particle">A label in [0, <see cref="Count"/>].</param>
    /// <returns>The pixel count.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="particle"/> is outside [0, <see cref="Count"/>].</exception>
    public int PixelCountOf(int particle)
    {
        if ((uint)particle > (uint)Count)
        {
            throw new ArgumentOutOfRangeException(nameof(particle), particle,
                string.Create(CultureInfo.InvariantCulture, $"The particle label must be in [0, {Count}]; got {particle}."));
        }

        return _sizes[particle];
    }

    /// <summary>Returns a description such as "256×256 particle labels, 6 particles".</summary>
    /// <returns>The description.</returns>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Width}×{Height} particle labels, {Count} particles");
}
