namespace StxmPhase.Assignment;

/// <summary>Result of <see cref="PottsRegularizer.Regularize"/>. Immutable.</summary>
public sealed class PottsResult
{
    private readonly float[] _posteriors;
    private readonly int[] _labels;

    internal PottsResult(float[] posteriors, int[] labels, double strength)
    {
        _posteriors = posteriors;
        _labels = labels;
        Strength = strength;
    }

    /// <summary>Gets the smoothed (mean-field) posteriors, phase-major K × H × W, NaN where the input was NaN.</summary>
    public ReadOnlySpan<float> Posteriors => _posteriors;

    /// <summary>Gets the label of the largest smoothed posterior per pixel (−1 where the input was NaN).</summary>
    public ReadOnlySpan<int> Labels => _labels;

    /// <summary>Gets the interaction strength β used (given or estimated).</summary>
    public double Strength { get; }

    /// <summary>
    /// Gets the temperature T the mean-field posteriors were tempered by (q ↦ q^{1/T}, normalised), fitted on held-out
    /// pixels without truth; 1 when β = 0 or <see cref="PottsOptions.Calibrate"/> is off. T &gt; 1 means mean field alone
    /// was over-confident.
    /// </summary>
    public double Temperature { get; internal init; } = 1;
}
