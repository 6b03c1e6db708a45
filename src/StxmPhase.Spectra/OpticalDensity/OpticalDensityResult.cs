namespace StxmPhase.Spectra;

/// <summary>Result of <see cref="OpticalDensity.FromTransmission(SpectralStack, OpticalDensityOptions?, CancellationToken)"/>. Immutable.</summary>
public sealed class OpticalDensityResult
{
    private readonly double[] _i0;

    internal OpticalDensityResult(SpectralStack opticalDensity, double[] i0, PixelMask? sampleFreeMask, double sampleFreeThreshold,
        PixelMask validMask, int invalidPixelCount, long invalidValueCount)
    {
        OpticalDensity = opticalDensity;
        _i0 = i0;
        SampleFreeMask = sampleFreeMask;
        SampleFreeThreshold = sampleFreeThreshold;
        ValidMask = validMask;
        InvalidPixelCount = invalidPixelCount;
        InvalidValueCount = invalidValueCount;
    }

    /// <summary>Gets the optical-density stack (<see cref="SpectralQuantity.OpticalDensity"/>, same energies, size and
    /// metadata as the input). Invalid entries hold 0, never NaN.</summary>
    public SpectralStack OpticalDensity { get; }

    /// <summary>
    /// Gets the I0 used at each energy, in normalised units. For a per-pixel I0 image stack this is the mean of its
    /// positive, finite pixels at each energy (for information only; the per-pixel values were used).
    /// </summary>
    public IReadOnlyList<double> I0 => _i0;

    /// <summary>Gets the sample-free mask I0 was averaged over (estimated or caller-supplied), or <see langword="null"/>
    /// when I0 was given as a spectrum or image stack.</summary>
    public PixelMask? SampleFreeMask { get; }

    /// <summary>Gets the mean-transmission threshold of the automatic sample-free selection (normalised units), or NaN
    /// when I0 was not estimated automatically.</summary>
    public double SampleFreeThreshold { get; }

    /// <summary>Gets the pixels whose OD is defined at every energy (I &gt; 0, I0 &gt; 0, all finite). Later stages should
    /// skip the others.</summary>
    public PixelMask ValidMask { get; }

    /// <summary>Gets the number of pixels excluded from <see cref="ValidMask"/>.</summary>
    public int InvalidPixelCount { get; }

    /// <summary>Gets the number of (pixel, energy) entries that were invalid and set to 0.</summary>
    public long InvalidValueCount { get; }
}
