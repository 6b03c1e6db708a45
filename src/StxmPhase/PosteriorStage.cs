using StxmPhase.Assignment;
using StxmPhase.Correlation;
using StxmPhase.Spectra;

namespace StxmPhase;

/// <summary>The workflow's posterior stage: noise-model posteriors per stack and the "no match" label in the final map.</summary>
internal static class PosteriorStage
{
    /// <summary>Posteriors of the sample pixels, the noise measured on the complement of the automatic particle mask.</summary>
    /// <remarks>A fused multi-edge stack (<paramref name="blocks"/>) gets one offset per edge block.</remarks>
    public static PhasePosteriors? Compute(SpectralStack od, ReferenceSpectra refs, PixelMask sample, ParticleMaskResult? particles,
        PhaseMappingOptions options, CancellationToken ct, SpectralBlocks? blocks = null)
    {
        if (!options.ComputePosteriors)
        {
            return null;
        }

        PixelMask? sampleFree = particles is null ? null : particles.Mask.Not();
        NoiseModelOptions? noise = blocks is null
            ? options.NoiseModel
            : (options.NoiseModel ?? new NoiseModelOptions()).WithOffsetBlocks(blocks.Counts);
        return new NoiseModelClassifier(noise).Classify(od, refs, sample, sampleFree, ct);
    }

    /// <summary>The Potts MRF on the posteriors, when <see cref="PhaseMappingOptions.SpatialRegularization"/> is on.</summary>
    public static PottsResult? Regularize(PhasePosteriors? posteriors, PhaseMappingOptions options, CancellationToken ct) =>
        posteriors is null || !options.SpatialRegularization
            ? null
            : PottsRegularizer.Regularize(posteriors.Posteriors, posteriors.Width, posteriors.Height, posteriors.PhaseCount, options.Potts, ct);

    /// <summary>
    /// Finishes the final map: every labelled pixel takes the MRF's label (when regularised), then every labelled pixel
    /// that fits no reference becomes <see cref="PhaseMap.NoMatch"/> (when <see cref="PhaseMappingOptions.MarkNoMatch"/>).
    /// </summary>
    public static void Finish(int[] final, PhasePosteriors? posteriors, PottsResult? regularized, PhaseMappingOptions options)
    {
        if (regularized is not null)
        {
            ReadOnlySpan<int> smooth = regularized.Labels;
            for (int p = 0; p < final.Length; p++)
            {
                if (final[p] >= 0 && smooth[p] >= 0)
                {
                    final[p] = smooth[p];
                }
            }
        }

        if (posteriors is null || !options.MarkNoMatch || posteriors.NoMatchCount == 0)
        {
            return;
        }

        ReadOnlySpan<int> labels = posteriors.Labels;
        for (int p = 0; p < final.Length; p++)
        {
            if (labels[p] == PhaseMap.NoMatch && final[p] >= 0)
            {
                final[p] = PhaseMap.NoMatch;
            }
        }
    }
}
