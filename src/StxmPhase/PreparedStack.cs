using StxmPhase.Spectra;

namespace StxmPhase;

/// <summary>One stack after preprocessing and correlation, inside a workflow run.</summary>
internal sealed class PreparedStack
{
    public PreparedStack(
        string name,
        SpectralStack opticalDensity,
        PixelMask sampleMask,
        CorrelationResult correlation,
        TimeSpan preprocessingTime,
        TimeSpan correlationTime,
        int undefinedCount,
        IReadOnlyList<ImageShift>? shifts,
        PixelMask? saturated = null,
        bool fused = false)
    {
        Saturated = saturated;
        Name = name;
        OpticalDensity = opticalDensity;
        SampleMask = sampleMask;
        Correlation = correlation;
        PreprocessingTime = preprocessingTime;
        CorrelationTime = correlationTime;
        UndefinedCount = undefinedCount;
        Shifts = shifts;
        var valid = new List<int>(correlation.ValidCount);
        ReadOnlySpan<PixelStatus> status = correlation.Status;
        bool[] incomplete = fused ? IncompleteSpectra(opticalDensity, status) : new bool[status.Length];
        for (int i = 0; i < status.Length; i++)
        {
            // Saturated pixels keep their PCC label but are neither encoded, trained on nor reassigned; so do the pixels of a
            // fused stack that an edge did not cover (a block of NaN: valid by their other blocks, but not a whole spectrum).
            if (status[i] == PixelStatus.Valid && (saturated is null || !saturated[i]) && !incomplete[i])
            {
                valid.Add(i);
            }
        }

        ValidIndices = valid.ToArray();
    }

    /// <summary>The valid pixels whose spectrum holds a non-finite value (possible only with block correlation, so only
    /// fused inputs are scanned).</summary>
    private static bool[] IncompleteSpectra(SpectralStack od, ReadOnlySpan<PixelStatus> status)
    {
        int n = od.PixelCount;
        bool[] incomplete = new bool[n];
        for (int e = 0; e < od.EnergyCount; e++)
        {
            ReadOnlySpan<float> plane = od.Plane(e);
            for (int p = 0; p < n; p++)
            {
                incomplete[p] |= status[p] == PixelStatus.Valid && !float.IsFinite(plane[p]);
            }
        }

        return incomplete;
    }

    public string Name { get; }

    public SpectralStack OpticalDensity { get; }

    public PixelMask SampleMask { get; }

    public CorrelationResult Correlation { get; }

    public int[] ValidIndices { get; }

    public PixelMask? Saturated { get; }

    public TimeSpan PreprocessingTime { get; }

    public TimeSpan CorrelationTime { get; }

    public int UndefinedCount { get; }

    public IReadOnlyList<ImageShift>? Shifts { get; }

    public ParticleMaskResult? Particles { get; init; }

    public Correlation.PhasePosteriors? Posteriors { get; init; }

    public Assignment.PottsResult? Regularized { get; init; }

    public IReadOnlyList<PhasePriorWarning> PriorWarnings { get; init; } = [];
}
