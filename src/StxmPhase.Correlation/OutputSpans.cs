using StxmPhase.Spectra;

namespace StxmPhase.Correlation;

/// <summary>
/// Destination spans of the per-pixel outputs. Pixel <c>i</c> of phase <c>j</c> goes to
/// <c>Correlations[j · CorrelationStride + i]</c>; the other outputs are indexed by <c>i</c>. The kernels write the
/// result arrays through it, and the vector tail writes a small scratch block through it.
/// </summary>
internal readonly ref struct OutputSpans
{
    public OutputSpans(Span<float> correlations, int correlationStride, Span<int> labels, Span<int> secondLabels,
        Span<float> best, Span<float> second, Span<float> reliability, Span<byte> ambiguous, Span<byte> status)
    {
        Correlations = correlations;
        CorrelationStride = correlationStride;
        Labels = labels;
        SecondLabels = secondLabels;
        Best = best;
        Second = second;
        Reliability = reliability;
        Ambiguous = ambiguous;
        Status = status;
    }

    public Span<float> Correlations { get; }

    public int CorrelationStride { get; }

    public Span<int> Labels { get; }

    public Span<int> SecondLabels { get; }

    public Span<float> Best { get; }

    public Span<float> Second { get; }

    public Span<float> Reliability { get; }

    /// <summary>Gets the ambiguity flags as bytes (0 or 1, the representation of <see cref="bool"/>).</summary>
    public Span<byte> Ambiguous { get; }

    /// <summary>Gets the <see cref="PixelStatus"/> values as bytes.</summary>
    public Span<byte> Status { get; }

    /// <summary>Writes a pixel that is masked or invalid: label −1 and 0 in every map.</summary>
    /// <param name="index">Pixel index.</param>
    /// <param name="phaseCount">P.</param>
    /// <param name="status">Masked or invalid.</param>
    public void WriteNotValid(int index, int phaseCount, PixelStatus status)
    {
        for (int j = 0; j < phaseCount; j++)
        {
            Correlations[(j * CorrelationStride) + index] = 0f;
        }

        Labels[index] = -1;
        SecondLabels[index] = -1;
        Best[index] = 0f;
        Second[index] = 0f;
        Reliability[index] = 0f;
        Ambiguous[index] = 0;
        Status[index] = (byte)status;
    }

    /// <summary>
    /// Writes a valid pixel from its (clamped, float32) coefficients: stable top-2 (ties → lower index first),
    /// Q1, Q2 (−1 with a single phase), R = 100·(Q1 − Q2) and ambiguity Q1 − Q2 &lt; threshold, all evaluated in
    /// float32 exactly as the vector kernel does.
    /// </summary>
    /// <param name="index">Pixel index.</param>
    /// <param name="rho">The P coefficients.</param>
    /// <param name="ambiguityThreshold">The float32 threshold from <see cref="PearsonMath.AmbiguityThresholdSingle(double)"/>.</param>
    public void WriteValid(int index, ReadOnlySpan<float> rho, float ambiguityThreshold)
    {
        float q1 = rho[0];
        float q2 = float.NegativeInfinity;
        int l1 = 0;
        int l2 = -1;
        Correlations[index] = rho[0];
        for (int j = 1; j < rho.Length; j++)
        {
            float r = rho[j];
            Correlations[(j * CorrelationStride) + index] = r;
            if (r > q1)
            {
                q2 = q1;
                l2 = l1;
                q1 = r;
                l1 = j;
            }
            else if (r > q2)
            {
                q2 = r;
                l2 = j;
            }
        }

        if (rho.Length == 1)
        {
            q2 = -1f;
        }

        float d = q1 - q2;
        Labels[index] = l1;
        SecondLabels[index] = l2;
        Best[index] = q1;
        Second[index] = q2;
        Reliability[index] = 100f * d;
        Ambiguous[index] = d < ambiguityThreshold ? (byte)1 : (byte)0;
        Status[index] = (byte)PixelStatus.Valid;
    }
}
