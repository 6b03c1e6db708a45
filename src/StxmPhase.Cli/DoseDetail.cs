using System.Globalization;
using StxmPhase.Spectra;
using StxmPhase.Synthetic;

namespace StxmPhase.Cli;

/// <summary>
/// Per-dose details of the accuracy report beyond the table: accuracy on thin domains (1-, 2-, 3-px shells and stripes of
/// the truth) for the default and for PCC with the same mask, and the default's posteriors pooled over seeds for one
/// reliability diagram, and the precision of the latent-space false-positive flags of the default and the paper pipeline.
/// </summary>
internal sealed class DoseDetail
{
    private const int MaxWidth = 3;
    private readonly long[] _total = new long[MaxWidth + 1];
    private readonly long[] _default = new long[MaxWidth + 1];
    private readonly long[] _pcc = new long[MaxWidth + 1];
    private readonly List<(float[] Posteriors, PhaseMap Truth, PixelMask Interior)> _posteriors = [];
    private readonly List<FalsePositiveEvaluation> _defaultFlags = [];
    private readonly List<FalsePositiveEvaluation> _paperFlags = [];
    private readonly List<(double Mean, double Max, int Warnings)> _priors = [];

    public void AddDefault(PhaseMappingResult result, SyntheticDataset data, double falsePositiveThreshold)
    {
        Count(result.FinalMap, data.Truth, _default, _total);
        _defaultFlags.Add(FalsePositiveEvaluation.Evaluate(result, data.Truth, falsePositiveThreshold));
        if (!result.FinalPosteriors.IsEmpty)
        {
            _posteriors.Add((result.FinalPosteriors.ToArray(), data.Truth, data.BoundaryMask.Not()));
        }

        if (result.Posteriors is { } post)
        {
            // The noise model's estimated prior against the truth's phase fractions over every particle pixel.
            double[] truth = new double[post.PhaseCount];
            int particle = 0;
            foreach (int t in data.Truth.Labels)
            {
                if (t >= 0 && t < truth.Length)
                {
                    truth[t]++;
                    particle++;
                }
            }

            double[] error = [.. truth.Select((f, k) => Math.Abs(post.Prior[k] - (f / Math.Max(1, particle))))];
            _priors.Add((error.Average(), error.Max(), result.PriorWarnings.Count));
        }
    }

    /// <summary>How far the default's estimated prior is from the truth's phase fractions, and how many prior warnings it raised.</summary>
    public string PriorLine()
    {
        CultureInfo c = CultureInfo.InvariantCulture;
        return _priors.Count == 0 ? "Default pipeline: no noise-model prior." : string.Create(c,
            $"Default pipeline's estimated phase prior against the true phase fractions (every particle pixel), per seed: mean absolute "
            + $"difference {string.Join(" / ", _priors.Select(p => (p.Mean * 100).ToString("F1", c)))} points, largest "
            + $"{string.Join(" / ", _priors.Select(p => (p.Max * 100).ToString("F1", c)))}; prior warnings (a phase PCC labels widely with "
            + $"a prior near 0) {string.Join(" / ", _priors.Select(p => p.Warnings))}.");
    }

    public void AddPcc(PhaseMappingResult result, SyntheticDataset data) => Count(result.FinalMap, data.Truth, _pcc, null);

    /// <summary>Adds the false-positive flags of a paper-pipeline run (statistics fitted on Q1 − Q2 ≥ δ pixels).</summary>
    public void AddPaperFlags(PhaseMappingResult result, SyntheticDataset data, double falsePositiveThreshold) =>
        _paperFlags.Add(FalsePositiveEvaluation.Evaluate(result, data.Truth, falsePositiveThreshold));

    /// <summary>How many latent-space false-positive flags each pipeline raised per seed, and how many are real PCC errors.</summary>
    public string FalsePositiveLine()
    {
        CultureInfo c = CultureInfo.InvariantCulture;
        static string Pooled(List<FalsePositiveEvaluation> e) => e.Sum(f => f.Flagged) == 0
            ? "–"
            : (e.Sum(f => f.TruePositives) / (double)e.Sum(f => f.Flagged)).ToString("F2", CultureInfo.InvariantCulture);
        string Flags(List<FalsePositiveEvaluation> e) => string.Create(c,
            $"{string.Join(" / ", e.Select(f => f.Flagged))} flags, {string.Join(" / ", e.Select(f => f.TruePositives))} of them PCC errors "
            + $"(precision {Pooled(e)}, recall {string.Join(" / ", e.Select(f => double.IsNaN(f.Recall) ? "–" : f.Recall.ToString("F2", c)))})");
        double tau = _defaultFlags.Count > 0 ? _defaultFlags[0].Threshold : double.NaN;
        return string.Create(c,
            $"Latent-space false-positive flags (τ = {tau:0.###}, per seed; a flag is right when the confident pixel's PCC label is wrong): "
            + $"default pipeline {Flags(_defaultFlags)}; paper pipeline {Flags(_paperFlags)}.");
    }

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
