using System.Diagnostics;
using Microsoft.Extensions.Logging;
using StxmPhase.Assignment;
using StxmPhase.Spectra;

namespace StxmPhase;

/// <summary>
/// Assembles one stack's <see cref="PhaseMappingResult"/>: assigns every valid pixel in the latent space (the
/// false-positive diagnostic), picks the pixels to relabel (<see cref="PhaseMappingOptions.Scope"/>) and lets the
/// <see cref="AmbiguousPixelResolver"/> choose their phases.
/// </summary>
internal sealed class StackResultBuilder
{
    private readonly PhaseMappingOptions _options;
    private readonly AmbiguousPixelResolver _resolver;
    private readonly LatentFalsePositiveTest _falsePositiveTest;
    private readonly ILogger _logger;

    public StackResultBuilder(PhaseMappingOptions options, AmbiguousPixelResolver resolver, LatentFalsePositiveTest falsePositiveTest, ILogger logger)
    {
        _falsePositiveTest = falsePositiveTest;
        _options = options;
        _resolver = resolver;
        _logger = logger;
    }

    /// <summary>
    /// Builds the result; with no <paramref name="model"/> the final map is the PCC map. <paramref name="falsePositiveRows"/>
    /// holds the false-positive test's flag per valid pixel of the stack (before the spatial-coherence requirement).
    /// </summary>
    public PhaseMappingResult Assemble(
        PreparedStack p,
        ReadOnlySpan<float> stackLatent,
        int d,
        ILatentAssignment? model,
        ReadOnlySpan<bool> falsePositiveRows,
        TimeSpan fitShare,
        TimeSpan encodeTime)
    {
        var sw = Stopwatch.StartNew();
        CorrelationResult corr = p.Correlation;
        int pixels = corr.PixelCount;
        int count = p.ValidIndices.Length;
        int[] final = corr.PhaseMap.Labels.ToArray();
        float[] latentAll = new float[(long)pixels * d];
        int[] latentLabels = new int[pixels];
        Array.Fill(latentLabels, PhaseMap.Unassigned);
        float[] scores = new float[pixels];
        Array.Fill(scores, float.NaN);
        bool[] resolved = new bool[pixels];
        bool[] falsePositive = new bool[pixels];
        for (int i = 0; i < count; i++)
        {
            stackLatent.Slice(i * d, d).CopyTo(latentAll.AsSpan(p.ValidIndices[i] * d, d));
        }

        if (model is not null && count > 0)
        {
            // Unrestricted latent assignment of every valid pixel: the false-positive diagnostic.
            int[] latentPhase = new int[count];
            float[] latentScore = new float[count];
            model.Assign(stackLatent, count, latentPhase, latentScore);
            PixelMask ambiguous = corr.Ambiguous;
            for (int i = 0; i < count; i++)
            {
                falsePositive[p.ValidIndices[i]] = !ambiguous[p.ValidIndices[i]] && falsePositiveRows[i];
            }

            _falsePositiveTest.ApplySpatialCoherence(falsePositive, corr.Width, corr.Height);
            var toResolve = new List<int>();
            for (int i = 0; i < count; i++)
            {
                int px = p.ValidIndices[i];
                latentLabels[px] = latentPhase[i];
                if (ambiguous[px] || (falsePositive[px] && _options.Scope == ResolutionScope.AmbiguousAndFalsePositives))
                {
                    toResolve.Add(i);
                }
            }

            if (toResolve.Count > 0)
            {
                Resolve(p, stackLatent, d, model, toResolve, final, scores);
                foreach (int i in toResolve)
                {
                    resolved[p.ValidIndices[i]] = true;
                }
            }
        }

        PosteriorStage.Finish(final, p.Posteriors, p.Regularized, _options);
        if (p.Saturated is { } saturated)
        {
            // Saturated pixels keep their PCC label: OD beyond the linear range fits no reference's noise model.
            ReadOnlySpan<int> pcc = corr.PhaseMap.Labels;
            for (int px = 0; px < final.Length; px++)
            {
                if (saturated[px])
                {
                    final[px] = pcc[px];
                }
            }
        }

        var timings = new StageTimings(p.PreprocessingTime, p.CorrelationTime, encodeTime, fitShare + sw.Elapsed);
        return new PhaseMappingResult(
            p.Name,
            p.OpticalDensity,
            p.SampleMask,
            p.UndefinedCount,
            p.Shifts,
            corr,
            PhaseMap.FromArray(corr.Width, corr.Height, corr.PhaseNames, final),
            PixelMask.FromArray(corr.Width, corr.Height, resolved),
            PixelMask.FromArray(corr.Width, corr.Height, falsePositive),
            latentAll,
            d,
            latentLabels,
            scores,
            timings)
        {
            ParticleMask = p.Particles,
            Posteriors = p.Posteriors,
            Regularized = p.Regularized,
            PriorWarnings = p.PriorWarnings,
        };
    }

    private void Resolve(
        PreparedStack p, ReadOnlySpan<float> stackLatent, int d, ILatentAssignment model, List<int> toResolve, int[] final, float[] scores)
    {
        if (_resolver.UsesPhaseCosts && model is not IPhaseCostAssignment)
        {
            Log.NoCosts(_logger, model.GetType().Name);
        }

        int m = toResolve.Count;
        int[] pixels = new int[m];
        float[] points = new float[m * d];
        for (int k = 0; k < m; k++)
        {
            pixels[k] = p.ValidIndices[toResolve[k]];
            stackLatent.Slice(toResolve[k] * d, d).CopyTo(points.AsSpan(k * d, d));
        }

        _resolver.Resolve(model, p.Correlation, pixels, points, final, scores);
    }
}
