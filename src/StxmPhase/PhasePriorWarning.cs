using System.Globalization;
using StxmPhase.Correlation;
using StxmPhase.Spectra;

namespace StxmPhase;

/// <summary>
/// A phase that the correlation stage labels in a sizeable share of the pixels but whose prior the noise model estimated
/// near zero (<see cref="PhaseMappingResult.PriorWarnings"/>): no pixel's spectrum favours it under the noise model, so the
/// posteriors and the Potts MRF's final map give it (almost) no pixels while the PCC map, LCF and NMF show it. On the real
/// 4-energy PolLux C K stack with two improvised references this flags the PCC labels of thin, noise-dominated pixels
/// (docs/accuracy.md, "Few energies: a phase the final map drops").
/// </summary>
public sealed class PhasePriorWarning
{
    /// <summary>A phase is flagged when the correlation stage labels at least this share of the analysed pixels with it…</summary>
    public const double MinimumCorrelationFraction = 0.05;

    /// <summary>…and its estimated prior is below this multiple of that share.</summary>
    public const double PriorToFractionRatio = 0.1;

    internal PhasePriorWarning(
        int phase, string name, double prior, double fraction, double medianLogRatio, double temperature, bool regularized)
    {
        string final = regularized ? ", and so does the MRF's final map" : string.Empty;
        string compare = regularized
            ? "compare the map without the MRF (PhaseMappingOptions.SpatialRegularization = false; CLI --mrf off) or with --method lcf"
            : "compare the map with --method lcf";
        Phase = phase;
        PhaseName = name;
        Prior = prior;
        CorrelationFraction = fraction;
        MedianLogLikelihoodRatio = medianLogRatio;
        Message = string.Create(CultureInfo.InvariantCulture,
            $"Phase '{name}': the noise model's estimated prior is {prior:G2} although the correlation (PCC) labels {100 * fraction:0.0} % "
            + $"of the analysed pixels with it; in those pixels its median log-likelihood ratio against the best other phase is "
            + $"{medianLogRatio:+0.000;-0.000;0.000} nats, so hardly any pixel's spectrum favours it under the noise model: the posteriors "
            + $"give it (almost) no pixels{final}. Its PCC labels are probably noise (thin or sample-free pixels, which every reference "
            + $"fits equally), or the references do not describe the sample (χ² scale {temperature:0.##}); check the references and the "
            + $"mask, and {compare}.");
    }

    /// <summary>Gets the phase's index.</summary>
    public int Phase { get; }

    /// <summary>Gets the phase's name.</summary>
    public string PhaseName { get; }

    /// <summary>Gets the prior the noise model estimated for it (<see cref="PhasePosteriors.Prior"/>).</summary>
    public double Prior { get; }

    /// <summary>Gets the share of the analysed pixels the correlation stage labels with it.</summary>
    public double CorrelationFraction { get; }

    /// <summary>Gets the median, over the pixels the correlation stage labels with it, of ln L(phase) − max over the other
    /// phases of ln L (nats, the χ² scale applied); near 0 when those pixels fit every reference equally.</summary>
    public double MedianLogLikelihoodRatio { get; }

    /// <summary>Gets the warning, for a log or a user.</summary>
    public string Message { get; }

    /// <summary>The phases to warn about: PCC share ≥ <see cref="MinimumCorrelationFraction"/>, prior below
    /// <see cref="PriorToFractionRatio"/> × that share.</summary>
    internal static IReadOnlyList<PhasePriorWarning> Find(CorrelationResult correlation, PhasePosteriors? posteriors, bool regularized)
    {
        if (posteriors is null || posteriors.AnalysedCount == 0)
        {
            return [];
        }

        int n = posteriors.Width * posteriors.Height, phases = posteriors.PhaseCount;
        ReadOnlySpan<int> pcc = correlation.PhaseMap.Labels;
        ReadOnlySpan<float> post = posteriors.Posteriors;
        long[] counts = new long[phases];
        long total = 0;
        for (int p = 0; p < n; p++)
        {
            if (pcc[p] >= 0 && pcc[p] < phases && !float.IsNaN(post[p]))
            {
                counts[pcc[p]]++;
                total++;
            }
        }

        var warnings = new List<PhasePriorWarning>();
        for (int k = 0; k < phases && total > 0; k++)
        {
            double fraction = counts[k] / (double)total;
            if (fraction < MinimumCorrelationFraction || posteriors.Prior[k] >= PriorToFractionRatio * fraction)
            {
                continue;
            }

            warnings.Add(new PhasePriorWarning(k, posteriors.PhaseNames[k], posteriors.Prior[k], fraction,
                MedianLogRatio(pcc, posteriors, k), posteriors.Temperature, regularized));
        }

        return warnings;
    }

    /// <summary>Median over the PCC pixels of phase k of ln(P_k/π_k) − max_j≠k ln(P_j/π_j) (the prior divided out).</summary>
    private static double MedianLogRatio(ReadOnlySpan<int> pcc, PhasePosteriors posteriors, int k)
    {
        int n = posteriors.Width * posteriors.Height, phases = posteriors.PhaseCount;
        ReadOnlySpan<float> post = posteriors.Posteriors;
        var ratios = new List<double>();
        for (int p = 0; p < n; p++)
        {
            if (pcc[p] != k || float.IsNaN(post[p]))
            {
                continue;
            }

            double other = double.NegativeInfinity;
            for (int j = 0; j < phases; j++)
            {
                if (j != k)
                {
                    other = Math.Max(other, Math.Log(post[(j * n) + p] / posteriors.Prior[j]));
                }
            }

            ratios.Add(Math.Log(post[(k * n) + p] / posteriors.Prior[k]) - other);
        }

        ratios.Sort();
        int m = ratios.Count;
        return (m & 1) == 1 ? ratios[m / 2] : (ratios[(m / 2) - 1] + ratios[m / 2]) / 2;
    }
}
