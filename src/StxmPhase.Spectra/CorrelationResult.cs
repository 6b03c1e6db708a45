using System.Globalization;

namespace StxmPhase.Spectra;

/// <summary>
/// The immutable result of correlating every pixel spectrum of a stack with each reference spectrum
/// (stage 1 of PCC–GMVAE phase mapping): one correlation map per phase, the best phase per pixel, the best and
/// second-best coefficients Q1 and Q2, the reliability R = 100·(Q1 − Q2), the ambiguity mask
/// (Q1 − Q2 &lt; threshold) and the ambiguous pair (best, second) per pixel.
/// </summary>
/// <remarks>
/// <para>
/// Pixels whose <see cref="Status"/> is not <see cref="PixelStatus.Valid"/> carry label −1, second label −1, and
/// 0 in every coefficient, reliability and correlation map, so that maps users plot never contain NaN.
/// They are never ambiguous.
/// </para>
/// <para>
/// The constructor takes ownership of the arrays it is given (no copy); the caller must not modify them afterwards.
/// All data is exposed read-only.
/// </para>
/// </remarks>
public sealed class CorrelationResult
{
    private readonly float[] _correlations;
    private readonly int[] _secondLabels;
    private readonly float[] _best;
    private readonly float[] _second;
    private readonly float[] _reliability;
    private readonly PixelStatus[] _status;

    /// <summary>Initializes a result from arrays produced by a correlator. Takes ownership of the arrays.</summary>
    /// <param name="width">Image width in pixels.</param>
    /// <param name="height">Image height in pixels.</param>
    /// <param name="phaseNames">Phase names, in reference order.</param>
    /// <param name="correlations">Phase-major correlation maps: <c>[p · N + pixel]</c>, N = width · height.</param>
    /// <param name="labels">Best phase per pixel (−1 where not valid).</param>
    /// <param name="secondLabels">Second-best phase per pixel (−1 where not valid or with a single phase).</param>
    /// <param name="bestCoefficients">Q1 per pixel.</param>
    /// <param name="secondCoefficients">Q2 per pixel.</param>
    /// <param name="reliability">R = 100·(Q1 − Q2) per pixel.</param>
    /// <param name="ambiguous">Whether Q1 − Q2 &lt; <paramref name="ambiguityThreshold"/>, per pixel.</param>
    /// <param name="status">Valid, masked or invalid, per pixel.</param>
    /// <param name="ambiguityThreshold">The threshold δ on Q1 − Q2 that was applied.</param>
    /// <exception cref="ArgumentNullException">An array is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">An array has the wrong length, or a label is out of range.</exception>
    public CorrelationResult(
        int width,
        int height,
        IReadOnlyList<string> phaseNames,
        float[] correlations,
        int[] labels,
        int[] secondLabels,
        float[] bestCoefficients,
        float[] secondCoefficients,
        float[] reliability,
        bool[] ambiguous,
        PixelStatus[] status,
        double ambiguityThreshold)
    {
        ArgumentNullException.ThrowIfNull(phaseNames);
        ArgumentNullException.ThrowIfNull(correlations);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(secondLabels);
        ArgumentNullException.ThrowIfNull(bestCoefficients);
        ArgumentNullException.ThrowIfNull(secondCoefficients);
        ArgumentNullException.ThrowIfNull(reliability);
        ArgumentNullException.ThrowIfNull(ambiguous);
        ArgumentNullException.ThrowIfNull(status);
        ThrowHelper.ThrowIfNotPositive(width, nameof(width));
        ThrowHelper.ThrowIfNotPositive(height, nameof(height));
        long n = (long)width * height;
        if (correlations.Length != n * phaseNames.Count)
        {
            ThrowHelper.LengthMismatch(nameof(correlations), n * phaseNames.Count, correlations.Length);
        }

        CheckLength(secondLabels.Length, n, nameof(secondLabels));
        CheckLength(bestCoefficients.Length, n, nameof(bestCoefficients));
        CheckLength(secondCoefficients.Length, n, nameof(secondCoefficients));
        CheckLength(reliability.Length, n, nameof(reliability));
        CheckLength(ambiguous.Length, n, nameof(ambiguous));
        CheckLength(status.Length, n, nameof(status));
        int bad = secondLabels.AsSpan().IndexOfAnyExceptInRange(-1, phaseNames.Count - 1);
        if (bad >= 0)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"Second label of pixel {bad} is {secondLabels[bad]}; it must be −1 or in [0, {phaseNames.Count})."),
                nameof(secondLabels));
        }

        ReadOnlySpan<byte> codes = System.Runtime.InteropServices.MemoryMarshal.AsBytes(status.AsSpan());
        Width = width;
        Height = height;
        PhaseNames = phaseNames.ToArray();
        PhaseMap = PhaseMap.FromArray(width, height, PhaseNames, labels);
        _correlations = correlations;
        _secondLabels = secondLabels;
        _best = bestCoefficients;
        _second = secondCoefficients;
        _reliability = reliability;
        _status = status;
        Ambiguous = PixelMask.FromArray(width, height, ambiguous);
        AmbiguityThreshold = ambiguityThreshold;
        MaskedCount = codes.Count((byte)PixelStatus.Masked);
        InvalidCount = codes.Count((byte)PixelStatus.Invalid);
    }

    /// <summary>
    /// Wraps a correlator's outputs and the counts it took while writing them, without re-scanning (saves reading
    /// ≈ 11 B per pixel after the kernel). The caller guarantees lengths, label ranges and counts.
    /// </summary>
    /// <param name="width">Image width in pixels.</param>
    /// <param name="height">Image height in pixels.</param>
    /// <param name="phaseNames">Phase names, in reference order.</param>
    /// <param name="correlations">Phase-major correlation maps.</param>
    /// <param name="labels">Best phase per pixel (−1 where not valid).</param>
    /// <param name="secondLabels">Second-best phase per pixel.</param>
    /// <param name="bestCoefficients">Q1 per pixel.</param>
    /// <param name="secondCoefficients">Q2 per pixel.</param>
    /// <param name="reliability">R per pixel.</param>
    /// <param name="ambiguous">Ambiguity per pixel.</param>
    /// <param name="status">Status per pixel.</param>
    /// <param name="ambiguityThreshold">δ.</param>
    /// <param name="maskedCount">Number of masked pixels.</param>
    /// <param name="invalidCount">Number of invalid pixels.</param>
    /// <param name="ambiguousCount">Number of ambiguous pixels.</param>
    internal CorrelationResult(
        int width,
        int height,
        IReadOnlyList<string> phaseNames,
        float[] correlations,
        int[] labels,
        int[] secondLabels,
        float[] bestCoefficients,
        float[] secondCoefficients,
        float[] reliability,
        bool[] ambiguous,
        PixelStatus[] status,
        double ambiguityThreshold,
        int maskedCount,
        int invalidCount,
        int ambiguousCount)
    {
        Width = width;
        Height = height;
        PhaseNames = phaseNames.ToArray();
        PhaseMap = PhaseMap.WrapTrusted(width, height, PhaseNames, labels);
        _correlations = correlations;
        _secondLabels = secondLabels;
        _best = bestCoefficients;
        _second = secondCoefficients;
        _reliability = reliability;
        _status = status;
        Ambiguous = PixelMask.WrapCounted(width, height, ambiguous, ambiguousCount);
        AmbiguityThreshold = ambiguityThreshold;
        MaskedCount = maskedCount;
        InvalidCount = invalidCount;
    }

    /// <summary>Gets the image width in pixels.</summary>
    public int Width { get; }

    /// <summary>Gets the image height in pixels.</summary>
    public int Height { get; }

    /// <summary>Gets the number of pixels.</summary>
    public int PixelCount => Width * Height;

    /// <summary>Gets the phase names, in reference order.</summary>
    public IReadOnlyList<string> PhaseNames { get; }

    /// <summary>Gets the number of phases.</summary>
    public int PhaseCount => PhaseNames.Count;

    /// <summary>Gets all correlation maps, phase-major (<c>[p · PixelCount + pixel]</c>).</summary>
    public ReadOnlySpan<float> Correlations => _correlations;

    /// <summary>Gets the phase map: the best-correlated phase per pixel (argmax), −1 where not valid.</summary>
    public PhaseMap PhaseMap { get; }

    /// <summary>Gets the second-best phase per pixel (−1 where not valid or with a single phase).</summary>
    public ReadOnlySpan<int> SecondLabels => _secondLabels;

    /// <summary>Gets Q1, the best correlation coefficient per pixel (0 where not valid).</summary>
    public ReadOnlySpan<float> BestCoefficients => _best;

    /// <summary>Gets Q2, the second-best correlation coefficient per pixel (0 where not valid).</summary>
    public ReadOnlySpan<float> SecondCoefficients => _second;

    /// <summary>Gets the reliability R = 100·(Q1 − Q2) per pixel, in [0, 200] (0 where not valid).</summary>
    public ReadOnlySpan<float> Reliability => _reliability;

    /// <summary>Gets the ambiguity mask: valid pixels with Q1 − Q2 &lt; <see cref="AmbiguityThreshold"/>.</summary>
    public PixelMask Ambiguous { get; }

    /// <summary>Gets the status of each pixel.</summary>
    public ReadOnlySpan<PixelStatus> Status => _status;

    /// <summary>Gets the threshold δ on Q1 − Q2 below which a pixel is ambiguous.</summary>
    public double AmbiguityThreshold { get; }

    /// <summary>Gets the number of pixels excluded by a mask.</summary>
    public int MaskedCount { get; }

    /// <summary>Gets the number of pixels whose spectrum contained NaN/±∞ or was constant.</summary>
    public int InvalidCount { get; }

    /// <summary>Gets the number of valid pixels.</summary>
    public int ValidCount => PixelCount - MaskedCount - InvalidCount;

    /// <summary>Gets the number of ambiguous pixels.</summary>
    public int AmbiguousCount => Ambiguous.Count;

    /// <summary>Returns the correlation map of phase <paramref name="phase"/> (Height × Width, row-major).</summary>
    /// <param name="phase">Phase index.</param>
    /// <returns>The map.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="phase"/> is outside [0, PhaseCount).</exception>
    public ReadOnlySpan<float> CorrelationMap(int phase)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(phase);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(phase, PhaseCount);
        return _correlations.AsSpan(phase * PixelCount, PixelCount);
    }

    private static void CheckLength(int actual, long expected, string name)
    {
        if (actual != expected)
        {
            ThrowHelper.LengthMismatch(name, expected, actual);
        }
    }
}
