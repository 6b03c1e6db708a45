using StxmPhase.Spectra;

namespace StxmPhase;

/// <summary>
/// The immutable result of phase mapping one stack: the PCC map with reliability and ambiguity, the final map after
/// latent-space resolution, the latent coordinates, the false-positive diagnostic, phase fractions and counts.
/// </summary>
/// <remarks>
/// Fractions are over valid sample pixels (pixels that carry a phase) and sum to 1 when any pixel is valid.
/// Latent coordinates are stored for every pixel (<see cref="LatentDimension"/> floats each, pixel-major); pixels that are
/// not valid hold 0 and are excluded by <see cref="Valid"/>.
/// </remarks>
public sealed class PhaseMappingResult
{
    private readonly float[] _latent;
    private readonly int[] _latentLabels;
    private readonly float[] _resolutionScores;

    internal PhaseMappingResult(
        string name,
        SpectralStack opticalDensity,
        PixelMask sampleMask,
        int undefinedOpticalDensityCount,
        IReadOnlyList<ImageShift>? alignmentShifts,
        CorrelationResult correlation,
        PhaseMap finalMap,
        PixelMask resolved,
        PixelMask falsePositives,
        float[] latent,
        int latentDimension,
        int[] latentLabels,
        float[] resolutionScores,
        StageTimings timings)
    {
        Name = name;
        OpticalDensity = opticalDensity;
        SampleMask = sampleMask;
        UndefinedOpticalDensityCount = undefinedOpticalDensityCount;
        AlignmentShifts = alignmentShifts;
        Correlation = correlation;
        FinalMap = finalMap;
        Resolved = resolved;
        FalsePositives = falsePositives;
        _latent = latent;
        LatentDimension = latentDimension;
        _latentLabels = latentLabels;
        _resolutionScores = resolutionScores;
        Timings = timings;
        bool[] valid = new bool[correlation.PixelCount];
        ReadOnlySpan<PixelStatus> status = correlation.Status;
        for (int i = 0; i < valid.Length; i++)
        {
            valid[i] = status[i] == PixelStatus.Valid;
        }

        Valid = PixelMask.FromArray(correlation.Width, correlation.Height, valid);
        FractionsBefore = correlation.PhaseMap.Fractions();
        FractionsAfter = finalMap.Fractions();
        int changed = 0;
        ReadOnlySpan<int> before = correlation.PhaseMap.Labels;
        ReadOnlySpan<int> after = finalMap.Labels;
        for (int i = 0; i < before.Length; i++)
        {
            if (before[i] != after[i])
            {
                changed++;
            }
        }

        ChangedCount = changed;
    }

    /// <summary>Gets the stack's name.</summary>
    public string Name { get; }

    /// <summary>Gets the image width in pixels.</summary>
    public int Width => Correlation.Width;

    /// <summary>Gets the image height in pixels.</summary>
    public int Height => Correlation.Height;

    /// <summary>Gets the phase names.</summary>
    public IReadOnlyList<string> PhaseNames => Correlation.PhaseNames;

    /// <summary>Gets the optical-density stack that was analysed (after conversion from transmission, if any).</summary>
    public SpectralStack OpticalDensity { get; }

    /// <summary>Gets the sample mask used (automatic and/or caller mask).</summary>
    public PixelMask SampleMask { get; }

    /// <summary>Gets the PCC stage: correlation maps, PCC phase map, reliability, ambiguity and pairs, counts.</summary>
    public CorrelationResult Correlation { get; }

    /// <summary>Gets the PCC phase map (argmax of the correlations).</summary>
    public PhaseMap PccMap => Correlation.PhaseMap;

    /// <summary>Gets the final phase map: PCC labels, with the resolved pixels relabelled in latent space.</summary>
    public PhaseMap FinalMap { get; }

    /// <summary>Gets the pixels whose final label was decided in latent space (ambiguous, plus false positives if so configured).</summary>
    public PixelMask Resolved { get; }

    /// <summary>
    /// Gets the latent-space false positives (the paper's diagnostic of PCC false positives, Fig. S6): confidently
    /// PCC-labelled pixels whose PCC phase has a posterior of at most 1 − <see cref="PhaseMappingOptions.FalsePositiveThreshold"/>
    /// under per-phase latent Gaussians refitted without the pixel, optionally required to be spatially coherent
    /// (<see cref="PhaseMappingOptions.FalsePositiveNeighbours"/>); see <see cref="Assignment.LatentFalsePositiveTest"/>.
    /// </summary>
    public PixelMask FalsePositives { get; }

    /// <summary>Gets the pixels that were valid (analysed and labelled).</summary>
    public PixelMask Valid { get; }

    /// <summary>
    /// Gets the pixels of the sample whose OD exceeds <see cref="PhaseMappingOptions.MaxOpticalDensity"/> at some energy
    /// (saturated: outside the linear range), or <see langword="null"/> when saturation was not checked. They keep their PCC
    /// label in <see cref="FinalMap"/> but are not used to train the encoder or fit the assigner, and are not reassigned.
    /// </summary>
    public PixelMask? Saturated { get; internal set; }

    /// <summary>Gets the number of <see cref="Saturated"/> pixels (0 when not checked).</summary>
    public int SaturatedCount => Saturated?.Count ?? 0;

    /// <summary>Gets the latent dimension D (0 when the latent stages did not run: PCC only, or fewer than two valid pixels).</summary>
    public int LatentDimension { get; }

    /// <summary>Gets the latent coordinates of every pixel, pixel-major (PixelCount × D; 0 where not valid).</summary>
    public ReadOnlySpan<float> Latent => _latent;

    /// <summary>Gets the unrestricted latent-space assignment of every valid pixel (−1 where not valid).</summary>
    public ReadOnlySpan<int> LatentLabels => _latentLabels;

    /// <summary>Gets the assignment score of each resolved pixel (NaN elsewhere); see the assigner for its meaning.</summary>
    public ReadOnlySpan<float> ResolutionScores => _resolutionScores;

    /// <summary>Gets the per-phase fractions of valid sample pixels in the PCC map.</summary>
    public IReadOnlyList<double> FractionsBefore { get; }

    /// <summary>Gets the per-phase fractions of valid sample pixels in the final map.</summary>
    public IReadOnlyList<double> FractionsAfter { get; }

    /// <summary>Gets the number of pixels excluded by the sample mask.</summary>
    public int MaskedCount => Correlation.MaskedCount;

    /// <summary>Gets the number of pixels with NaN/±∞ or constant spectra (including pixels where OD was undefined).</summary>
    public int InvalidCount => Correlation.InvalidCount;

    /// <summary>
    /// Gets the number of pixels whose optical density was undefined (I ≤ 0, I0 ≤ 0 or non-finite counts at some energy);
    /// they are excluded through the sample mask and also counted in <see cref="MaskedCount"/>.
    /// </summary>
    public int UndefinedOpticalDensityCount { get; }

    /// <summary>
    /// Gets the shift of each energy image when <see cref="PhaseMappingOptions.Alignment"/> was set; otherwise <see langword="null"/>.
    /// </summary>
    public IReadOnlyList<ImageShift>? AlignmentShifts { get; }

    /// <summary>Gets the automatic particle mask (method, thresholds, background level and noise of the integrated OD), or
    /// <see langword="null"/> when <see cref="PhaseMappingOptions.Mask"/> was <see cref="MaskMode.None"/>.</summary>
    public ParticleMaskResult? ParticleMask { get; internal init; }

    /// <summary>Gets the per-pixel phase posteriors under the counting-noise model (K × H × W, summing to 1 on analysed
    /// pixels, NaN elsewhere) with the no-match labels, or <see langword="null"/> when
    /// <see cref="PhaseMappingOptions.ComputePosteriors"/> is off.</summary>
    public Correlation.PhasePosteriors? Posteriors { get; internal init; }

    /// <summary>Gets the Potts-MRF result (smoothed posteriors, labels, strength β) that decided <see cref="FinalMap"/>, or
    /// <see langword="null"/> when <see cref="PhaseMappingOptions.SpatialRegularization"/> is off.</summary>
    public Assignment.PottsResult? Regularized { get; internal init; }

    /// <summary>
    /// Gets the phases the correlation stage labels in a sizeable share of the pixels (≥ 5 %) but whose noise-model prior was
    /// estimated near zero (below a tenth of that share): the final map (MRF) gives them (almost) no pixels although the PCC map
    /// shows them; each says why and what to check (also logged as a warning). Empty when there is none or no posteriors.
    /// </summary>
    public IReadOnlyList<PhasePriorWarning> PriorWarnings { get; internal init; } = [];

    /// <summary>Gets the posteriors that go with <see cref="FinalMap"/> (K × H × W, NaN outside the sample): the MRF's
    /// smoothed posteriors when regularised, else the noise-model posteriors; empty when neither was computed.</summary>
    public ReadOnlySpan<float> FinalPosteriors => Regularized is { } r ? r.Posteriors : Posteriors is { } p ? p.Posteriors : default;

    /// <summary>Gets the number of sample pixels labelled <see cref="PhaseMap.NoMatch"/> (−2) in <see cref="FinalMap"/>.</summary>
    public int NoMatchCount => FinalMap.CountOf(PhaseMap.NoMatch);

    /// <summary>Gets the number of PCC-ambiguous pixels.</summary>
    public int AmbiguousCount => Correlation.AmbiguousCount;

    /// <summary>Gets the number of latent-space false positives.</summary>
    public int FalsePositiveCount => FalsePositives.Count;

    /// <summary>Gets the number of pixels whose final label differs from their PCC label.</summary>
    public int ChangedCount { get; }

    /// <summary>Gets the time spent per stage on this stack.</summary>
    public StageTimings Timings { get; }

    /// <summary>Returns the latent coordinates of pixel <paramref name="pixelIndex"/>.</summary>
    /// <param name="pixelIndex">Pixel index y · Width + x.</param>
    /// <returns>D floats.</returns>
    public ReadOnlySpan<float> LatentOf(int pixelIndex)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(pixelIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(pixelIndex, Correlation.PixelCount);
        return _latent.AsSpan(pixelIndex * LatentDimension, LatentDimension);
    }
}
