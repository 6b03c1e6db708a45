using StxmPhase.Gmvae;
using StxmPhase.Spectra;

namespace StxmPhase;

/// <summary>
/// Options of <see cref="PhaseMappingWorkflow"/>. Defaults follow the paper (arXiv 2603.07666) where it decides, except
/// the training schedule, which is bounded (<see cref="TrainingEpochs"/> = 40 epochs on at most
/// <see cref="MaxTrainingSpectra"/> = 12 000 spectra, the same defaults as the <c>stxmphase</c> tool);
/// <see cref="Paper"/> is the paper's schedule (400 epochs on every spectrum). docs/concepts.md lists the defaults.
/// </summary>
/// <example>
/// <code>
/// var bounded = new PhaseMappingOptions { Seed = 1 };              // 40 epochs on at most 12 000 spectra
/// var paper = PhaseMappingOptions.Paper with { Seed = 1 };         // 400 epochs on every spectrum
/// var oneCore = new PhaseMappingOptions { Seed = 1, Threads = 1 }; // every stage on one thread
/// </code>
/// </example>
public sealed record PhaseMappingOptions
{
    /// <summary>Gets the paper's training schedule (<see cref="TrainingEpochs"/> = 400, <see cref="MaxTrainingSpectra"/>
    /// = <see langword="null"/>: every spectrum) with every other option at its default. Slow on a CPU for large stacks.</summary>
    public static PhaseMappingOptions Paper => new() { TrainingEpochs = GmvaeOptions.PaperEpochs, MaxTrainingSpectra = null };

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

    /// <summary>
    /// Gets the number of epochs of the default GMVAE encoder (used when <see cref="PhaseMappingWorkflow.EncoderTrainer"/>
    /// and <see cref="PhaseMappingWorkflow.Encoder"/> are not set). Default <see cref="GmvaeOptions.DefaultEpochs"/> = 40;
    /// the paper: 400 (<see cref="Paper"/>).
    /// </summary>
    public int TrainingEpochs { get; init; } = GmvaeOptions.DefaultEpochs;

    /// <summary>
    /// Gets the largest number of spectra the default GMVAE encoder is trained on (a seeded subsample stratified by the
    /// PCC phase; every spectrum is still encoded), or <see langword="null"/> for all (the paper, <see cref="Paper"/>).
    /// Default <see cref="GmvaeOptions.DefaultMaxTrainingSpectra"/> = 12 000.
    /// </summary>
    public int? MaxTrainingSpectra { get; init; } = GmvaeOptions.DefaultMaxTrainingSpectra;

    /// <summary>
    /// Gets the number of threads every stage may use (OD and I0, correlation, assignment, and libtorch's intra-op
    /// pool for encoding), or <see langword="null"/> (default) for <see cref="ProcessorBudget.Available"/>: the CPUs
    /// the process may use (affinity, cgroup quota, <c>SLURM_CPUS_PER_TASK</c>). GMVAE training uses one thread for the
    /// paper's mini-batches whatever this says, unless the caller's <see cref="GmvaeOptions.Threads"/> sets it.
    /// Components the caller supplies keep their own settings.
    /// </summary>
    public int? Threads { get; init; }

    /// <summary>Gets the number of spectra encoded per call to the encoder (progress and cancellation are checked between calls). Default 4096.</summary>
    public int EncodeChunkSize { get; init; } = 4096;
}
