namespace StxmPhase;

/// <summary>
/// Calibration of per-pixel phase posteriors against the truth: the expected calibration error and the reliability
/// diagram's bins (confidence = the largest posterior, correct = its phase is the true one).
/// </summary>
public sealed class CalibrationMetrics
{
    internal CalibrationMetrics(double ece, long count, double[] confidence, double[] accuracy, long[] counts)
    {
        ExpectedCalibrationError = ece;
        Count = count;
        BinConfidence = confidence;
        BinAccuracy = accuracy;
        BinCount = counts;
    }

    /// <summary>Gets the expected calibration error Σ_b (n_b / N) · |accuracy_b − confidence_b| (NaN when no pixel was scored).</summary>
    public double ExpectedCalibrationError { get; }

    /// <summary>Gets the number of pixels scored.</summary>
    public long Count { get; }

    /// <summary>Gets the mean confidence per bin (NaN for an empty bin); bins split [0, 1] evenly.</summary>
    public IReadOnlyList<double> BinConfidence { get; }

    /// <summary>Gets the accuracy per bin (NaN for an empty bin).</summary>
    public IReadOnlyList<double> BinAccuracy { get; }

    /// <summary>Gets the number of pixels per bin.</summary>
    public IReadOnlyList<long> BinCount { get; }
}
