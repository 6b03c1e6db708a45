using StxmPhase.Correlation;
using StxmPhase.Spectra;

namespace StxmPhase;

/// <summary>The workflow's posterior stage: noise-model posteriors per stack and the "no match" label in the final map.</summary>
internal static class PosteriorStage
{
    /// <summary>Posteriors of the sample pixels, the noise measured on the complement of the automatic particle mask.</summary>
    public static PhasePosteriors? Compute(SpectralStack od, ReferenceSpectra refs, PixelMask sample, ParticleMaskResult? particles, PhaseMappingOptions options, CancellationToken ct)
    {
        if (!options.ComputePosteriors)
        {
            return null;
        }

        PixelMask? sampleFree = particles is null ? null : particles.Mask.Not();
        return new NoiseModelClassifier(options.NoiseModel).Classify(od, refs, sample, sampleFree, ct);
    }

    /// <summary>Labels <see cref="PhaseMap.NoMatch"/> every labelled pixel of <paramref name="final"/> that the posterior stage found to fit no reference.</summary>
    public static void ApplyNoMatch(int[] final, PhasePosteriors? posteriors, PhaseMappingOptions options)
    {
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
