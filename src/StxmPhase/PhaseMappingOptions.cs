using StxmPhase.Gmvae;
using StxmPhase.Assignment;
using StxmPhase.Correlation;
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
    /// <summary>Gets the paper's configuration exactly: its pipeline (<see cref="PaperPipeline"/>) and its training schedule
    /// (<see cref="TrainingEpochs"/> = 400, <see cref="MaxTrainingSpectra"/> = <see langword="null"/>: every spectrum).
    /// Slow on a CPU for large stacks. The CLI's <c>--paper</c>.</summary>
    public static PhaseMappingOptions Paper => PaperPipeline with { TrainingEpochs = GmvaeOptions.PaperEpochs, MaxTrainingSpectra = null };

    /// <summary>
    /// Gets a new options object with the paper's pipeline (arXiv 2603.07666) exactly: Otsu particle mask, PCC, latent-space
    /// resolution of the ambiguous pixels decides the final map; no noise-model posteriors, no "no match" label, no spatial
    /// regularisation, the squared Mahalanobis distance alone; with the default (bounded) training schedule — <see cref="Paper"/>
    /// adds the paper's. To change another setting, initialise a new object with these five properties
    /// (<see cref="ParticleMask"/>, <see cref="ComputePosteriors"/>, <see cref="MarkNoMatch"/>, <see cref="SpatialRegularization"/>,
    /// <see cref="MahalanobisRule"/>) set as here.
    /// </summary>
    public static PhaseMappingOptions PaperPipeline => new()
    {
        ParticleMask = new ParticleMaskOptions { Method = ParticleMaskMethod.Otsu },
        MahalanobisRule = Assignment.MahalanobisRule.SquaredDistance,
        ComputePosteriors = false,
        MarkNoMatch = false,
        SpatialRegularization = false,
    };

    /// <summary>
    /// Gets the rule of the default latent-space assigner (<see cref="MahalanobisAssigner"/>, used when
    /// <see cref="PhaseMappingWorkflow.Assigner"/> is not set). Default <see cref="Assignment.MahalanobisRule.GaussianLikelihood"/>
    /// (QDA: −½D² − ½ln|Σ| + ln π); the paper (<see cref="PaperPipeline"/>): <see cref="Assignment.MahalanobisRule.SquaredDistance"/>.
    /// </summary>
    public MahalanobisRule MahalanobisRule { get; init; } = MahalanobisRule.GaussianLikelihood;

    /// <summary>
    /// Gets the noise-model posterior a pixel needs for the latent-space class statistics (the assigner's fit) to be estimated
    /// on it: when the posteriors are computed (<see cref="ComputePosteriors"/>, the default), the assigner is fitted on the pixels
    /// whose largest posterior is at least this value, labelled with that phase ("no match" pixels left out); without posteriors,
    /// or when no pixel reaches it, on the pixels with Q1 − Q2 ≥ <see cref="AmbiguityThreshold"/> and their PCC labels (the paper).
    /// δ = 0.005 ignores the noise: at dose 150 about 30 % of those pixels are wrong. Default 0.95; in (0, 1].
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not in (0, 1].</exception>
    public double ConfidentPosterior
    {
        get;
        init => field = value is > 0 and <= 1
            ? value
            : throw new ArgumentOutOfRangeException(nameof(value), value, "ConfidentPosterior must be in (0, 1].");
    } = 0.95;

    /// <summary>Gets the threshold δ on Q1 − Q2 below which a pixel is ambiguous. Default 0.005 (the paper's value).</summary>
    public double AmbiguityThreshold { get; init; } = 0.005;

    /// <summary>Gets how sample pixels are selected. Default <see cref="MaskMode.Auto"/> (the automatic particle mask,
    /// noise-aware unless <see cref="ParticleMask"/> says otherwise).</summary>
    public MaskMode Mask { get; init; } = MaskMode.Auto;

    /// <summary>
    /// Gets the options of the automatic particle mask used with <see cref="MaskMode.Auto"/>, or <see langword="null"/>
    /// (default) for <see cref="ParticleMaskOptions"/>' defaults: noise-aware detection against the sample-free field,
    /// which keeps the thin edges of particles. <c>new ParticleMaskOptions { Method = ParticleMaskMethod.Otsu }</c> gives the
    /// Otsu threshold alone.
    /// </summary>
    public ParticleMaskOptions? ParticleMask { get; init; }

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
    /// <c>cost_c</c> is the assignment's phase cost, a negative log-probability in nats for every assigner
    /// (<see cref="Spectra.IPhaseCostAssignment"/>; ½D² + ½ln|Σ| − ln π for the default), <c>n_c</c> the number of the 8 neighbours
    /// confidently labelled c, n the number of confidently labelled neighbours and P the number of phases. w = 1 makes it a
    /// posterior with a Laplace-smoothed neighbourhood prior, whichever the assigner. See docs/accuracy.md for when it helps.
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

    /// <summary>
    /// Gets how an energy offset between the stacks and the references is handled (issue 16). Default
    /// <see cref="EnergyOffsetMode.Auto"/>: estimated from all stacks together (pooled sample pixels) and applied only when reliable and
    /// significant.
    /// </summary>
    public EnergyOffsetMode EnergyOffset { get; init; } = EnergyOffsetMode.Auto;

    /// <summary>
    /// Gets the offset ΔE in eV applied with <see cref="EnergyOffsetMode.Fixed"/>: the references are read at stack energy E + ΔE
    /// (positive when the stack's energy scale reads low). Default 0.
    /// </summary>
    public double EnergyOffsetEv { get; init; }

    /// <summary>
    /// Gets the FWHM in eV of a Gaussian broadening applied to the references before use (references measured at a finer
    /// energy resolution than the stack), in [0, 10]; 0 (default) = none. Ignored when <see cref="FitReferenceBroadening"/>.
    /// </summary>
    public double ReferenceBroadeningEv { get; init; }

    /// <summary>
    /// Gets whether the reference broadening is fitted to the first stack (<see cref="Spectra.ReferenceBroadening.EstimateFwhm"/>,
    /// 0–1.5 eV, after the energy offset). Default <see langword="false"/>.
    /// </summary>
    public bool FitReferenceBroadening { get; init; }

    /// <summary>
    /// Gets the largest trusted optical density: sample pixels whose OD exceeds it at any energy are flagged as saturated
    /// (<see cref="PhaseMappingResult.Saturated"/>), keep their PCC label and are left out of training, class statistics and
    /// reassignment. Positive; <see cref="double.PositiveInfinity"/> turns the check off. Default
    /// <see cref="Spectra.Saturation.DefaultMaxOpticalDensity"/> (2.5).
    /// </summary>
    public double MaxOpticalDensity { get; init; } = Spectra.Saturation.DefaultMaxOpticalDensity;

    /// <summary>
    /// Gets the background components of the per-pixel model (issue 16), or <see langword="null"/> (default) for none: a linear
    /// pre-edge term and/or spectra such as a carbon/CEI layer (<see cref="SpectralBackground"/>). The noise-model posteriors
    /// then fit a·r_k + b + c·(E − E0) + Σ d_j·g_j per phase (a, d_j ≥ 0), and Pearson correlation compares pixel and reference
    /// spectra with the background projected out, so that a contamination layer does not pull pixels to the wrong phase.
    /// Its spectra are shifted by the energy offset like the references. Not used by the latent stages.
    /// </summary>
    public SpectralBackground? Background { get; init; }

    /// <summary>
    /// Gets the number of spectra encoded per call to the encoder (progress and cancellation are checked between calls). Default 4096.
    /// </summary>
    public int EncodeChunkSize { get; init; } = 4096;

    /// <summary>
    /// Gets whether per-pixel phase posteriors are computed under the counting-noise model
    /// (<see cref="NoiseModelClassifier"/>, noise measured on the sample-free field: the complement of the automatic mask)
    /// and reported in <see cref="PhaseMappingResult.Posteriors"/>. Default <see langword="true"/>.
    /// </summary>
    public bool ComputePosteriors { get; init; } = true;

    /// <summary>
    /// Gets whether sample pixels that fit no reference (the posterior stage's goodness-of-fit test) are labelled
    /// <see cref="PhaseMap.NoMatch"/> (−2) in the final map instead of being forced into a phase. Needs
    /// <see cref="ComputePosteriors"/>. Default <see langword="true"/>.
    /// </summary>
    public bool MarkNoMatch { get; init; } = true;

    /// <summary>Gets the options of the noise model (per-energy weights, prior, scale, no-match quantile), or
    /// <see langword="null"/> (default) for <see cref="NoiseModelOptions"/>' defaults.</summary>
    public NoiseModelOptions? NoiseModel { get; init; }

    /// <summary>
    /// Gets whether the final map is the spatially regularised one: a Potts Markov random field over all sample pixels
    /// whose unary terms are the noise-model posteriors, solved by mean field with its strength estimated from the data
    /// (<see cref="PottsRegularizer"/>). Needs <see cref="ComputePosteriors"/>. Default <see langword="true"/>: on the
    /// synthetic evaluation it is the most accurate map at every dose (docs/accuracy.md) and keeps 2-px shells.
    /// <see langword="false"/> gives the paper's map (PCC, then latent-space resolution of ambiguous pixels).
    /// </summary>
    /// <remarks>When on, every analysed pixel takes the MRF's label; the latent-space resolution still runs (when
    /// <see cref="ResolveAmbiguities"/>) and is reported in <see cref="PhaseMappingResult.Resolved"/> and the latent
    /// outputs, but does not decide the final map. A caller's own <see cref="PhaseMappingWorkflow.Correlator"/> turns the
    /// MRF off (its labels are kept); to let a caller's own assigner decide, turn this off.</remarks>
    public bool SpatialRegularization { get; init; } = true;

    /// <summary>Gets the options of the Potts MRF, or <see langword="null"/> (default) for <see cref="PottsOptions"/>' defaults
    /// (strength from the data).</summary>
    public PottsOptions? Potts { get; init; }
}
