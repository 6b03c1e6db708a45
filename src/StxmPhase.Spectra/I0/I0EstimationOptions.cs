namespace StxmPhase.Spectra;

/// <summary>Options for <see cref="I0Estimator"/>. Defaults follow pystxmcontrol's automatic I0 mask.</summary>
public sealed class I0EstimationOptions
{
    internal static I0EstimationOptions Default { get; } = new();

    /// <summary>
    /// Gets the number of histogram bins of the mean-transmission image; the sample-free region is the top bin.
    /// Default 5 (pystxmcontrol <c>getIOMask</c>). More bins select a narrower, brighter population.
    /// </summary>
    public int HistogramBinCount { get; init; } = 5;

    /// <summary>
    /// Gets the percentile (0–100] of the mean-transmission values used as the upper end of the histogram range, so that
    /// a few hot pixels cannot stretch the range; brighter pixels fall into the top bin. Default 99.9.
    /// </summary>
    public double RangeUpperPercentile { get; init; } = 99.9;

    /// <summary>
    /// Gets the smallest fraction (0–1] of the eligible pixels the region must contain; while the top bin(s) hold fewer,
    /// the threshold is lowered by one bin. Default 0.01 (1 %).
    /// </summary>
    public double MinimumRegionFraction { get; init; } = 0.01;

    /// <summary>Gets the per-energy statistic over the region. Default <see cref="I0Statistic.Median"/>.</summary>
    public I0Statistic Statistic { get; init; } = I0Statistic.Median;

    /// <summary>
    /// Gets the largest number of threads the estimate uses (pixel means, per-energy statistics); −1 (default) = no
    /// limit. The result does not depend on it.
    /// </summary>
    public int MaxDegreeOfParallelism { get; init; } = -1;

    /// <summary>Returns a copy with another <see cref="MaxDegreeOfParallelism"/>.</summary>
    internal I0EstimationOptions WithMaxDegreeOfParallelism(int value) => new()
    {
        HistogramBinCount = HistogramBinCount,
        RangeUpperPercentile = RangeUpperPercentile,
        MinimumRegionFraction = MinimumRegionFraction,
        Statistic = Statistic,
        MaxDegreeOfParallelism = value,
    };
}
