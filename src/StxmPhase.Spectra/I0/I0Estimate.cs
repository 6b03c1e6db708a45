namespace StxmPhase.Spectra;

/// <summary>Result of <see cref="I0Estimator"/>: I0 per energy and the sample-free region it came from. Immutable.</summary>
public sealed class I0Estimate
{
    private readonly double[] _i0;

    internal I0Estimate(double[] i0, PixelMask sampleFreeMask, double threshold)
    {
        _i0 = i0;
        SampleFreeMask = sampleFreeMask;
        Threshold = threshold;
    }

    /// <summary>Gets I0 at each energy of the stack, in the stack's units. NaN where no region pixel was valid at that energy.</summary>
    public IReadOnlyList<double> I0 => _i0;

    /// <summary>Gets the sample-free pixels I0 was computed from.</summary>
    public PixelMask SampleFreeMask { get; }

    /// <summary>Gets the mean-transmission threshold of the automatic selection (pixels at or above it were selected),
    /// or NaN when the region was supplied by the caller.</summary>
    public double Threshold { get; }
}
