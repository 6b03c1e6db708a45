using StxmPhase.Spectra;

namespace StxmPhase;

/// <summary>Options of <see cref="PhaseMappingWorkflow"/>. Defaults follow the paper (arXiv 2603.07666) where it decides.</summary>
public sealed class PhaseMappingOptions
{
    /// <summary>Gets the threshold δ on Q1 − Q2 below which a pixel is ambiguous. Default 0.005 (the paper's value).</summary>
    public double AmbiguityThreshold { get; init; } = 0.005;

    /// <summary>Gets how sample pixels are selected. Default <see cref="MaskMode.Auto"/> (Otsu on integrated OD).</summary>
    public MaskMode Mask { get; init; } = MaskMode.Auto;

    /// <summary>
    /// Gets the registration of the energy images applied before anything else (drift correction by cross-correlation
    /// with sub-pixel refinement, then cropping to the common region), or <see langword="null"/> for none (the default).
    /// When set, results have the cropped size and report the shifts; a caller mask is cropped the same way.
    /// </summary>
    public StackAlignmentOptions? Alignment { get; init; }

    /// <summary>Gets which pixels the latent space may relabel. Default <see cref="ResolutionScope.AmbiguousOnly"/> (the paper).</summary>
    public ResolutionScope Scope { get; init; } = ResolutionScope.AmbiguousOnly;

    /// <summary>
    /// Gets τ of the latent-space false-positive test (<see cref="Assignment.LatentFalsePositiveTest"/>): a confidently
    /// labelled pixel is flagged when the posterior of its PCC phase, with that phase's Gaussian refitted without the pixel,
    /// is at most 1 − τ. Default 0.95.
    /// </summary>
    public double FalsePositiveThreshold { get; init; } = 0.95;

    /// <summary>
    /// Gets the false-positive test's spatial-coherence requirement: 0 (default, off) to 8, the number of a flagged pixel's
    /// 8 neighbours that must be flagged too for its flag to stand.
    /// </summary>
    public int FalsePositiveNeighbours { get; init; }

    /// <summary>
    /// Gets whether an ambiguous pixel may only receive one of its two PCC candidates (best, second), as the paper keeps
    /// the ambiguous pair. Default <see langword="true"/>. Requires an assignment that implements
    /// <see cref="Spectra.IPhaseCostAssignment"/>; otherwise the unrestricted assignment is used and a warning is logged.
    /// </summary>
    public bool RestrictToAmbiguousPair { get; init; } = true;

    /// <summary>
    /// Gets the weight w of the 3×3 spatial-neighbourhood prior for resolved pixels (0 = off, the paper's procedure).
    /// </summary>
    /// <remarks>
    /// With w &gt; 0, the phase of a resolved pixel minimises <c>cost_c − w · ln((n_c + 1) / (n + P))</c>, where
    /// <c>cost_c</c> is the assignment's phase cost (a squared Mahalanobis distance, i.e. −2 ln likelihood up to a
    /// constant, for the default assigner), <c>n_c</c> the number of the 8 neighbours confidently labelled c, n the number
    /// of confidently labelled neighbours and P the number of phases. w = 2 makes it a posterior with a Laplace-smoothed
    /// neighbourhood prior for Mahalanobis costs. See docs/accuracy.md for when it helps.
    /// </remarks>
    public double SpatialPriorWeight { get; init; }

    /// <summary>
    /// Gets whether reference spectra are scaled to the data before they are encoded (least-squares scale factor that
    /// matches each reference to the mean spectrum of the pixels confidently labelled with it). Default
    /// <see langword="true"/>: references are usually normalised absorption, not OD of a particle of a given thickness,
    /// and a GMVAE with a global-scale input encodes thickness on one latent axis.
    /// </summary>
    public bool ScaleReferencesToData { get; init; } = true;

    /// <summary>
    /// Gets whether the latent stages run at all. <see langword="false"/> = PCC only: no encoder is trained and the final
    /// map equals the PCC map (ambiguous pixels keep their best PCC label). Default <see langword="true"/>.
    /// </summary>
    public bool ResolveAmbiguities { get; init; } = true;

    /// <summary>Gets the seed of every random choice of the run (also passed to the encoder trainer). Default 0.</summary>
    public int Seed { get; init; }

    /// <summary>Gets the number of spectra encoded per call to the encoder (progress and cancellation are checked between calls). Default 4096.</summary>
    public int EncodeChunkSize { get; init; } = 4096;
}
