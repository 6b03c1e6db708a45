using StxmPhase.Spectra;

namespace StxmPhase;

/// <summary>Options of <see cref="ParticleAnalysis.Analyze(PhaseMappingResult, ParticleAnalysisOptions?, ReadOnlySpan{float})"/>.</summary>
public sealed class ParticleAnalysisOptions
{
    internal static ParticleAnalysisOptions Default { get; } = new();

    /// <summary>Gets how the sample mask is split into particles. Default: 8-connected components of at least 10 pixels, no split.</summary>
    public ParticleSegmentationOptions Segmentation { get; init; } = new();
}
