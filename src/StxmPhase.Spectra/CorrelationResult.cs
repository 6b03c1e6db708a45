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
        : this(Checked(new Parts(width, height, phaseNames, correlations, labels, secondLabels, bestCoefficients,
            secondCoefficients, reliability, ambiguous, status, ambiguityThreshold)))
    {
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
        : this(new Parts(width, height, phaseNames, correlations, labels, secondLabels, bestCoefficients, secondCoefficients,
            reliability, ambiguous, status, ambiguityThreshold, maskedCount, invalidCount, ambiguousCount))
    {
    }

    private CorrelationResult(in Parts parts)
    {
        Width = parts.Width;
        Height = parts.Height;
        PhaseNames = parts.PhaseNames.ToArray();
        PhaseMap = parts.Validated
            ? PhaseMap.FromArray(parts.Width, parts.Height, PhaseNames, parts.Labels)
            : PhaseMap.WrapTrusted(parts.Width, parts.Height, PhaseNames, parts.Labels);
        _correlations = parts.Correlations;
        _secondLabels = parts.SecondLabels;
        _best = parts.Best;
        _second = parts.Second;
        _reliability = parts.Reliability;
        _status = parts.Status;
        Ambiguous = parts.Validated
            ? PixelMask.FromArray(parts.Width, parts.Height, parts.Ambiguous)
            : PixelMask.WrapCounted(parts.Width, parts.Height, parts.Ambiguous, parts.AmbiguousCount);
        AmbiguityThreshold = parts.AmbiguityThreshold;
        MaskedCount = parts.MaskedCount;
        InvalidCount = parts.InvalidCount;
    }

    /// <summary>Validates the public constructor's arguments (nulls, sizes, second labels) and counts the masked and invalid pixels.</summary>
    private static Parts Checked(Parts parts)
    {
        ArgumentNullException.ThrowIfNull(parts.PhaseNames, "phaseNames");
        ArgumentNullException.ThrowIfNull(parts.Correlations, "correlations");
        ArgumentNullException.ThrowIfNull(parts.Labels, "labels");
        ArgumentNullException.ThrowIfNull(parts.SecondLabels, "secondLabels");
        ArgumentNullException.ThrowIfNull(parts.Best, "bestCoefficients");
        ArgumentNullException.ThrowIfNull(parts.Second, "secondCoefficients");
        ArgumentNullException.ThrowIfNull(parts.Reliability, "reliability");
        ArgumentNullException.ThrowIfNull(parts.Ambiguous, "ambiguous");
        ArgumentNullException.ThrowIfNull(parts.Status, "status");
        ThrowHelper.ThrowIfNotPositive(parts.Width, "width");
        ThrowHelper.ThrowIfNotPositive(parts.Height, "height");
        long n = (long)parts.Width * parts.Height;
        int phases = parts.PhaseNames.Count;
        if (parts.Correlations.Length != n * phases)
        {
            ThrowHelper.LengthMismatch("correlations", n * phases, parts.Correlations.Length);
        }

        CheckLength(parts.SecondLabels.Length, n, "secondLabels");
        CheckLength(parts.Best.Length, n, "bestCoefficients");
        CheckLength(parts.Second.Length, n, "secondCoefficients");
        CheckLength(parts.Reliability.Length, n, "reliability");
        CheckLength(parts.Ambiguous.Length, n, "ambiguous");
        CheckLength(parts.Status.Length, n, "status");
        int bad = parts.SecondLabels.AsSpan().IndexOfAnyExceptInRange(-1, phases - 1);
        if (bad >= 0)
        {
            ThrowHelper.Invalid("secondLabels",
                string.Create(CultureInfo.InvariantCulture,
                    $"Second label of pixel {bad} is {parts.SecondLabels[bad]}; it must be −1 or in [0, {phases})."));
        }

        ReadOnlySpan<byte> codes = System.Runtime.InteropServices.MemoryMarshal.AsBytes(parts.Status.AsSpan());
        return parts with { MaskedCount = codes.Count((byte)PixelStatus.Masked), InvalidCount = codes.Count((byte)PixelStatus.Invalid) };
    }

    /// <summary>
    /// A result's pieces. <see cref="Validated"/>: the labels and the ambiguity flags still go through
    /// <see cref="PhaseMap.FromArray"/> and <see cref="PixelMask.FromArray"/> (public constructor); otherwise the
    /// producer guarantees them and supplied <see cref="AmbiguousCount"/>.
    /// </summary>
    private readonly record struct Parts(
        int Width,
        int Height,
        IReadOnlyList<string> PhaseNames,
        float[] Correlations,
        int[] Labels,
        int[] SecondLabels,
        float[] Best,
        float[] Second,
        float[] Reliability,
        bool[] Ambiguous,
        PixelStatus[] Status,
        double AmbiguityThreshold,
        int MaskedCount = 0,
        int InvalidCount = 0,
        int AmbiguousCount = -1)
    {
        public bool Validated => AmbiguousCount < 0;
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
