using System.Globalization;
using StxmPhase.Spectra;
using StxmPhase.Synthetic;

namespace StxmPhase.Cli;

/// <summary>
/// Per-dose details of the accuracy report beyond the table: accuracy on thin domains (1-, 2-, 3-px shells and stripes of
/// the truth) for the default and for PCC with the same mask, and the default's posteriors pooled over seeds for one
/// reliability diagram.
/// </summary>
internal sealed class DoseDetail
{
    private const int MaxWidth = 3;
    private readonly long[] _total = new long[MaxWidth + 1];
    private readonly long[] _default = new long[MaxWidth + 1];
    private readonly long[] _pcc = new long[MaxWidth + 1];
    private readonly List<(float[] Posteriors, PhaseMap Truth, PixelMask Interior)> _posteriors = [];

    public void AddDefault(PhaseMappingResult result, SyntheticDataset data)
    {
        Count(result.FinalMap, data.Truth, _default, _total);
        if (!result.FinalPosteriors.IsEmpty)
        {
            _posteriors.Add((result.FinalPosteriors.ToArray(), data.Truth, data.BoundaryMask.Not()));
        }
    }

    public void AddPcc(PhaseMappingResult result, SyntheticDataset data) => Count(result.FinalMap, data.Truth, _pcc, null);

    /// <summary>Accuracy on thin domains of every seed, per width.</summary>
    public string ThinDomainLine()
    {
        CultureInfo c = CultureInfo.InvariantCulture;
        string Pct(long[] hits) => string.Join(" / ", Enumerable.Range(1, MaxWidth).Select(w =>
            _total[w] == 0 ? "–" : (100.0 * hits[w] / _total[w]).ToString("F1", c)));
        return string.Create(c,
            $"Thin domains of the truth (pixels of 1 / 2 / 3 px thin shells and stripes, all seeds: "
            + $"{string.Join(" / ", _total.Skip(1))}): the default labels {Pct(_default)} % of them correctly; "
            + $"PCC with the same mask {Pct(_pcc)} %.");
    }

    /// <summary>The default's calibration over the interior pixels of every seed (the seeds' images stacked).</summary>
    public CalibrationMetrics? PooledCalibration()
    {
        if (_posteriors.Count == 0)
        {
            return null;
        }

        int w = _posteriors[0].Truth.Width, h = _posteriors[0].Truth.Height, k = _posteriors[0].Truth.PhaseCount, n = w * h;
        int seeds = _posteriors.Count, all = n * seeds;
        float[] post = new float[k * all];
        int[] labels = new int[all];
        bool[] interior = new bool[all];
        for (int s = 0; s < seeds; s++)
        {
            (float[] p, PhaseMap truth, PixelMask inner) = _posteriors[s];
            for (int j = 0; j < k; j++)
            {
                p.AsSpan(j * n, n).CopyTo(post.AsSpan((j * all) + (s * n), n));
            }

            truth.Labels.CopyTo(labels.AsSpan(s * n, n));
            for (int i = 0; i < n; i++)
            {
                interior[(s * n) + i] = inner[i];
            }
        }

        var stacked = PhaseMap.FromArray(w, h * seeds, _posteriors[0].Truth.PhaseNames, labels);
        return PhaseMappingEvaluation.Calibration(post, stacked, PixelMask.FromArray(w, h * seeds, interior));
    }

    private static void Count(PhaseMap map, PhaseMap truth, long[] hits, long[]? total)
    {
        for (int width = 1; width <= MaxWidth; width++)
        {
            PixelMask thin = PhaseMappingEvaluation.ThinDomainMask(truth, width);
            ReadOnlySpan<int> t = truth.Labels, m = map.Labels;
            for (int p = 0; p < t.Length; p++)
            {
                if (thin[p])
                {
                    hits[width] += m[p] == t[p] ? 1 : 0;
                    if (total is not null)
                    {
                        total[width]++;
                    }
                }
            }
        }
    }
}
