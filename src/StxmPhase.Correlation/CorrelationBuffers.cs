using System.Globalization;
using System.Runtime.InteropServices;
using StxmPhase.Spectra;

namespace StxmPhase.Correlation;

/// <summary>
/// Caller-owned, reusable outputs of <see cref="PearsonPhaseCorrelator.CorrelateInto"/>: the same per-pixel results
/// as <see cref="CorrelationResult"/> (correlation maps, phase, second phase, Q1, Q2, reliability, ambiguity, status and
/// counts), written in place, so that a scan of many stacks of one size allocates its outputs once.
/// </summary>
/// <remarks>
/// <para>
/// Why: <see cref="PearsonPhaseCorrelator.Correlate"/> must return fresh arrays (its result is immutable), and on
/// first touch the operating system maps every new page: at 42 B per pixel that costs more than the kernel itself
/// (docs/performance/correlation.md). Reusing one <see cref="CorrelationBuffers"/> removes that cost.
/// </para>
/// <para>
/// The views (<see cref="Correlations"/>, <see cref="Labels"/>, …) show the most recent
/// <see cref="PearsonPhaseCorrelator.CorrelateInto"/>; the next call overwrites them. Call <see cref="ToResult"/> for an
/// immutable copy. An instance is not safe for concurrent use: give each thread its own. Before the first call every
/// view holds zeros and <see cref="HasResult"/> is <see langword="false"/>; after a call that failed or was cancelled,
/// <see cref="HasResult"/> is <see langword="false"/> and the views hold a partial result.
/// </para>
/// <para>Memory: N · (4P + 22) bytes for N pixels and P phases, allocated in the constructor.</para>
/// </remarks>
/// <example>
/// <code>
/// var correlator = new PearsonPhaseCorrelator();
/// var buffers = new CorrelationBuffers(width, height, references.PhaseCount);
/// foreach (SpectralStack stack in series)
/// {
///     correlator.CorrelateInto(stack, references, particleMask, buffers);
///     Accumulate(buffers.Labels, buffers.Reliability);   // read before the next call
/// }
/// </code>
/// </example>
public sealed class CorrelationBuffers
{
    private IReadOnlyList<string> _phaseNames = [];

    /// <summary>Allocates outputs for stacks of <paramref name="width"/> × <paramref name="height"/> pixels and <paramref name="phaseCount"/>
    /// references.</summary>
    /// <param name="width">Image width in pixels (≥ 1).</param>
    /// <param name="height">Image height in pixels (≥ 1).</param>
    /// <param name="phaseCount">Number of reference phases (≥ 1).</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is not positive, or N · P exceeds the largest array.</exception>
    public CorrelationBuffers(int width, int height, int phaseCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(phaseCount);
        long pixels = (long)width * height;
        if (pixels * phaseCount > Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(nameof(phaseCount), phaseCount,
                string.Create(CultureInfo.InvariantCulture,
                    $"{width}×{height} pixels × {phaseCount} phases = {pixels * phaseCount} correlation values, more than one array can hold " +
                    $"({Array.MaxLength})."));
        }

        Width = width;
        Height = height;
        Arrays = new PearsonBuffers((int)pixels, phaseCount, zeroed: true);
    }

    /// <summary>Gets the image width in pixels.</summary>
    public int Width { get; }

    /// <summary>Gets the image height in pixels.</summary>
    public int Height { get; }

    /// <summary>Gets the number of pixels N.</summary>
    public int PixelCount => Arrays.PixelCount;

    /// <summary>Gets the number of phases P.</summary>
    public int PhaseCount => Arrays.PhaseCount;

    /// <summary>Gets whether a correlation has been written (at least one successful <see cref="PearsonPhaseCorrelator.CorrelateInto"/>).</summary>
    public bool HasResult { get; private set; }

    /// <summary>Gets the phase names of the most recent correlation (empty before the first).</summary>
    public IReadOnlyList<string> PhaseNames => _phaseNames;

    /// <summary>Gets the threshold δ that the most recent correlation applied (0 before the first).</summary>
    public double AmbiguityThreshold { get; private set; }

    /// <summary>Gets all correlation maps, phase-major (<c>[p · PixelCount + pixel]</c>); 0 where not valid.</summary>
    public ReadOnlySpan<float> Correlations => Arrays.Correlations;

    /// <summary>Gets the best-correlated phase per pixel (−1 where not valid).</summary>
    public ReadOnlySpan<int> Labels => Arrays.Labels;

    /// <summary>Gets the second-best phase per pixel (−1 where not valid or with a single phase).</summary>
    public ReadOnlySpan<int> SecondLabels => Arrays.SecondLabels;

    /// <summary>Gets Q1, the best coefficient per pixel (0 where not valid).</summary>
    public ReadOnlySpan<float> BestCoefficients => Arrays.Best;

    /// <summary>Gets Q2, the second-best coefficient per pixel (0 where not valid).</summary>
    public ReadOnlySpan<float> SecondCoefficients => Arrays.Second;

    /// <summary>Gets the reliability R = 100·(Q1 − Q2) per pixel (0 where not valid).</summary>
    public ReadOnlySpan<float> Reliability => Arrays.Reliability;

    /// <summary>Gets whether each pixel is ambiguous (valid and Q1 − Q2 &lt; δ).</summary>
    public ReadOnlySpan<bool> Ambiguous => Arrays.Ambiguous;

    /// <summary>Gets the status of each pixel.</summary>
    public ReadOnlySpan<PixelStatus> Status => Arrays.Status;

    /// <summary>Gets the number of pixels excluded by the mask.</summary>
    public int MaskedCount { get; private set; }

    /// <summary>Gets the number of pixels whose spectrum contained NaN/±∞ or was constant.</summary>
    public int InvalidCount { get; private set; }

    /// <summary>Gets the number of valid pixels (0 before the first correlation).</summary>
    public int ValidCount => HasResult ? PixelCount - MaskedCount - InvalidCount : 0;

    /// <summary>Gets the number of ambiguous pixels.</summary>
    public int AmbiguousCount { get; private set; }

    /// <summary>Gets the internal arrays the kernel writes.</summary>
    internal PearsonBuffers Arrays { get; }

    /// <summary>Returns the correlation map of phase <paramref name="phase"/> (Height × Width, row-major).</summary>
    /// <param name="phase">Phase index.</param>
    /// <returns>The map.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="phase"/> is outside [0, PhaseCount).</exception>
    public ReadOnlySpan<float> CorrelationMap(int phase)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(phase);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(phase, PhaseCount);
        return Arrays.Correlations.AsSpan(phase * PixelCount, PixelCount);
    }

    /// <summary>Copies the most recent correlation into an immutable <see cref="CorrelationResult"/>.</summary>
    /// <returns>A result equal to what <see cref="PearsonPhaseCorrelator.Correlate"/> returns for the same inputs.</returns>
    /// <exception cref="InvalidOperationException">No correlation has been written yet.</exception>
    public CorrelationResult ToResult()
    {
        if (!HasResult)
        {
            throw new InvalidOperationException("These buffers hold no correlation yet; call PearsonPhaseCorrelator.CorrelateInto first.");
        }

        return Arrays.Copy().ToResult(Width, Height, _phaseNames, AmbiguityThreshold, new PixelCounts(MaskedCount, InvalidCount, AmbiguousCount));
    }

    /// <summary>Records the metadata and counts after the kernel has filled the arrays.</summary>
    /// <param name="phaseNames">Phase names of the references.</param>
    /// <param name="ambiguityThreshold">δ.</param>
    /// <param name="counts">The counts the kernel took while writing the arrays.</param>
    internal void Complete(IReadOnlyList<string> phaseNames, double ambiguityThreshold, PixelCounts counts)
    {
        MaskedCount = counts.Masked;
        InvalidCount = counts.Invalid;
        AmbiguousCount = counts.Ambiguous;
        _phaseNames = phaseNames.ToArray();
        AmbiguityThreshold = ambiguityThreshold;
        HasResult = true;
    }

    /// <summary>Marks the contents as undefined (a call failed or was cancelled part-way).</summary>
    internal void Invalidate()
    {
        HasResult = false;
        MaskedCount = 0;
        InvalidCount = 0;
        AmbiguousCount = 0;
    }
}
