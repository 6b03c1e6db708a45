namespace StxmPhase.Correlation;

/// <summary>
/// Per-pixel phase posteriors of <see cref="NoiseModelClassifier"/>: P(phase | spectrum) under the noise model, the
/// best fit's χ², the maximum-a-posteriori labels with the "no matching reference" outcome, and the estimated noise,
/// scale and prior. Immutable.
/// </summary>
public sealed class PhasePosteriors
{
    private readonly float[] _posteriors;
    private readonly float[] _chiSquare;
    private readonly int[] _labels;
    private readonly double[] _prior;
    private readonly double[] _noiseVariance;
    private readonly double[] _backgroundOd;

    internal PhasePosteriors(
        int width, int height, IReadOnlyList<string> phaseNames, float[] posteriors, float[] chiSquare, int[] labels,
        double[] prior, double temperature, int degreesOfFreedom, double noMatchThreshold, double[] noiseVariance, double[] backgroundOd,
        int analysedCount, int noMatchCount)
    {
        Width = width;
        Height = height;
        PhaseNames = phaseNames;
        _posteriors = posteriors;
        _chiSquare = chiSquare;
        _labels = labels;
        _prior = prior;
        Temperature = temperature;
        DegreesOfFreedom = degreesOfFreedom;
        NoMatchThreshold = noMatchThreshold;
        _noiseVariance = noiseVariance;
        _backgroundOd = backgroundOd;
        AnalysedCount = analysedCount;
        NoMatchCount = noMatchCount;
    }

    /// <summary>Gets the image width in pixels.</summary>
    public int Width { get; }

    /// <summary>Gets the image height in pixels.</summary>
    public int Height { get; }

    /// <summary>Gets the phase names, by index.</summary>
    public IReadOnlyList<string> PhaseNames { get; }

    /// <summary>Gets the number of phases K.</summary>
    public int PhaseCount => PhaseNames.Count;

    /// <summary>
    /// Gets the posteriors, phase-major (K × Height × Width, float32): element <c>k · W · H + y · W + x</c> is P(phase k |
    /// spectrum of pixel (x, y)). They sum to 1 on every analysed pixel and are NaN elsewhere (masked or invalid).
    /// </summary>
    public ReadOnlySpan<float> Posteriors => _posteriors;

    /// <summary>Gets the best phase's χ² per pixel (weighted residual of the fit a·r + b, before division by
    /// <see cref="Temperature"/>); NaN where not analysed.</summary>
    public ReadOnlySpan<float> ChiSquare => _chiSquare;

    /// <summary>Gets the maximum-a-posteriori label per pixel: a phase index, −1 where not analysed, or
    /// <see cref="NoiseModelClassifier.NoMatch"/> (−2) where the best fit fails the goodness-of-fit test.</summary>
    public ReadOnlySpan<int> Labels => _labels;

    /// <summary>Gets the prior over phases used (estimated by EM, or uniform).</summary>
    public IReadOnlyList<double> Prior => _prior;

    /// <summary>Gets the χ² scale τ (1 when not calibrated).</summary>
    public double Temperature { get; }

    /// <summary>Gets ν = (energies with a positive weight) − 2, the degrees of freedom of the best fit's χ².</summary>
    public int DegreesOfFreedom { get; }

    /// <summary>Gets the χ²/τ above which a pixel is <see cref="NoiseModelClassifier.NoMatch"/> (+∞ when the test is off).</summary>
    public double NoMatchThreshold { get; }

    /// <summary>Gets the OD noise variance σ²_e of the sample-free field per energy (1 where no field was given).</summary>
    public IReadOnlyList<double> NoiseVariance => _noiseVariance;

    /// <summary>Gets the median OD m_e of the sample-free field per energy (0 where no field was given).</summary>
    public IReadOnlyList<double> BackgroundOd => _backgroundOd;

    /// <summary>Gets the number of analysed pixels (in the mask, finite spectrum).</summary>
    public int AnalysedCount { get; }

    /// <summary>Gets the number of analysed pixels labelled <see cref="NoiseModelClassifier.NoMatch"/>.</summary>
    public int NoMatchCount { get; }

    /// <summary>Returns the posterior image of one phase (Height × Width, row-major).</summary>
    /// <param name="phase">The phase index.</param>
    /// <returns>The image.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="phase"/> is outside [0, K).</exception>
    public ReadOnlySpan<float> Posterior(int phase)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(phase);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(phase, PhaseCount);
        int n = Width * Height;
        return _posteriors.AsSpan(phase * n, n);
    }
}
