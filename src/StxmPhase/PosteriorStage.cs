using StxmPhase.Assignment;
using StxmPhase.Correlation;
using StxmPhase.Spectra;

namespace StxmPhase;

/// <summary>The workflow's posterior stage: noise-model posteriors per stack and the "no match" label in the final map.</summary>
internal static class PosteriorStage
{
    /// <summary>
    /// Posteriors of the sample pixels: the counting noise from <paramref name="incidentCounts"/> (I0 of transmission counts)
    /// unless the caller's noise options set their own; otherwise the noise measured on the complement of the automatic
    /// particle mask. A fused multi-edge stack (<paramref name="blocks"/>) gets one offset per edge block
    /// and, with user-given weights, tempered per-block χ² terms (<see cref="NoiseModelOptions.WithBlocks"/>).
    /// </summary>
    public static PhasePosteriors? Compute(SpectralStack od, ReferenceSpectra refs, PixelMask sample, ParticleMaskResult? particles,
        PhaseMappingOptions options, SpectralBackground? background, CancellationToken ct, IReadOnlyList<double>? incidentCounts = null,
        SpectralBlocks? blocks = null)
    {
        if (!options.ComputePosteriors)
        {
            return null;
        }

        PixelMask? sampleFree = particles is null ? null : particles.Mask.Not();
        NoiseModelOptions noise = options.NoiseModel ?? new NoiseModelOptions();
        if (incidentCounts is not null && noise.IncidentCounts is null && incidentCounts.All(c => double.IsFinite(c) && c > 0))
        {
            noise = noise.WithIncidentCounts(incidentCounts);
        }

        return Classifier(options, background, blocks, noise).Classify(od, refs, sample, sampleFree, ct);
    }

    /// <summary>
    /// The noise-model classifier of a run: <paramref name="options"/>' noise options (or <paramref name="noise"/>), one offset per
    /// edge of a fused stack (<paramref name="blocks"/>; user-given block weights temper the per-block χ² terms, noise-derived
    /// ones do not) and the background components. <see cref="EnergyCountCheck"/> asks the same classifier for its degrees of
    /// freedom, so the two cannot count the nuisance terms differently.
    /// </summary>
    public static NoiseModelClassifier Classifier(
        PhaseMappingOptions options, SpectralBackground? background, SpectralBlocks? blocks, NoiseModelOptions? noise = null)
    {
        noise ??= options.NoiseModel ?? new NoiseModelOptions();
        if (blocks is not null)
        {
            noise = noise.WithBlocks(blocks);
        }

        return new NoiseModelClassifier(noise) { Background = background };
    }

    /// <summary>
    /// The Potts MRF on the noise model's likelihoods, when <see cref="PhaseMappingOptions.SpatialRegularization"/> is on:
    /// the unary terms are the posteriors with the global phase prior divided out (see <see cref="Likelihoods"/>).
    /// </summary>
    public static PottsResult? Regularize(PhasePosteriors? posteriors, PhaseMappingOptions options, CancellationToken ct) =>
        posteriors is null || !options.SpatialRegularization
            ? null
            : PottsRegularizer.Regularize(Likelihoods(posteriors), posteriors.Width, posteriors.Height, posteriors.PhaseCount, options.Potts, ct);

    /// <summary>
    /// The per-pixel likelihoods P_p(k) / π_k (NaN outside): the MRF's unary terms. A global prior π multiplied into every
    /// pixel counts once per pixel of a domain, so where the evidence per pixel is weak it decides whole domains for the
    /// majority phase (dose 150, 128²: 4→3 and 3→2 domains, interior ECE 0.07–0.10, fraction error 3.4–5.3 points);
    /// with a flat external field the Potts term is the only prior (91–93 % of all particle pixels, ECE ≤ 0.025,
    /// fraction error ≤ 0.8 points).
    /// </summary>
    public static float[] Likelihoods(PhasePosteriors posteriors)
    {
        float[] lik = posteriors.Posteriors.ToArray();
        int n = posteriors.Width * posteriors.Height;
        for (int k = 0; k < posteriors.PhaseCount; k++)
        {
            float inv = (float)(1 / Math.Max(posteriors.Prior[k], 1e-12));
            System.Numerics.Tensors.TensorPrimitives.Multiply(lik.AsSpan(k * n, n), inv, lik.AsSpan(k * n, n));
        }

        return lik;
    }

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
