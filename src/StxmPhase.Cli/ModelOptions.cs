using System.CommandLine;

namespace StxmPhase.Cli;

/// <summary>The options shared by map, demo and evaluate: what happens after correlation.</summary>
internal sealed class ModelOptions
{
    private readonly Option<double> _threshold = ValidatedOption.Real(
        "--ambiguity-threshold", "δ: a pixel is ambiguous when Q1 − Q2 < δ (paper: 0.005).", 0.005, 0, 2);
    private readonly Option<string> _strategy = new("--strategy")
    {
        Description = "Latent-space assignment of ambiguous pixels: mahalanobis (the Gaussian class log-likelihood; with --paper the "
            + "paper's D²), euclidean (to encoded references), knn, centroid, or none (PCC only).",
        DefaultValueFactory = _ => "mahalanobis",
    };
    private readonly Option<string> _method = new("--method")
    {
        Description = "pcc-gmvae (the paper's method), lcf (non-negative linear-combination fitting with the references) "
            + "or nmf (NMF components matched to references).",
        DefaultValueFactory = _ => "pcc-gmvae",
    };
    private readonly Option<string> _encoder = new("--encoder")
    {
        Description = "Latent encoder: gmvae (paper) or pca (fast, linear).",
        DefaultValueFactory = _ => "gmvae",
    };
    private readonly Option<int?> _epochs = ValidatedOption.OptionalInt("--epochs",
        $"GMVAE training epochs (default {Gmvae.GmvaeOptions.DefaultEpochs}; the paper: {Gmvae.GmvaeOptions.PaperEpochs}).",
        1, CliDefaults.MaxEpochs);
    private readonly Option<int?> _maxTraining = ValidatedOption.OptionalInt("--max-training-spectra",
        $"Train on at most this many spectra, stratified by PCC phase; every spectrum is still encoded "
        + $"(default {Gmvae.GmvaeOptions.DefaultMaxTrainingSpectra}; 0 = all, as the paper).",
        0);
    private readonly Option<bool> _paper = new("--paper")
    {
        Description = "Reproduce the paper exactly: its pipeline (Otsu mask, PCC, latent-space resolution decides the final map; "
            + "no noise-model posteriors, no −2 label, no spatial regularisation) and its training schedule "
            + "(400 epochs on every spectrum; slow on a CPU).",
    };
    private readonly Option<string> _device = new("--device")
    {
        Description = "cpu or cuda (cuda needs the TorchSharp-cuda-linux native bundle).",
        DefaultValueFactory = _ => "cpu",
    };
    private readonly Option<string> _scope = new("--resolve")
    {
        Description = "ambiguous (paper) or ambiguous+fp (also relabel PCC false positives flagged by the latent space).",
        DefaultValueFactory = _ => "ambiguous",
    };
    private readonly Option<double> _fpThreshold = ValidatedOption.Real("--fp-threshold",
        "Margin τ of the latent-space false-positive test: flag a confident pixel when the leave-one-out posterior of its PCC phase "
        + "is at most 1 − τ, in (0, 0.999999] (default 0.95).",
        0.95, 0, 0.999999, minimumExclusive: true);
    private readonly Option<int?> _fpNeighbours = ValidatedOption.OptionalInt("--fp-neighbours",
        "Spatial coherence of the false-positive flags: keep a flag only when at least this many of its 8 neighbours are flagged, "
        + "0–8 (default 0 = off).",
        0, 8);
    private readonly Option<double> _spatial = ValidatedOption.Real("--spatial-prior",
        "Weight w of the 3×3 neighbourhood prior for resolved pixels: each takes the phase c of least latent cost (nats) − "
        + "w·ln((n_c + 1)/(n + P)), n_c of its n confident neighbours labelled c, P phases; 1 = the posterior with that prior, "
        + $"larger = smoother, in [0, {CliDefaults.MaxSpatialPrior}] (0 = off, as the paper).",
        0, 0, CliDefaults.MaxSpatialPrior);
    private readonly Option<string?> _mrf = new("--mrf")
    {
        Description = "Potts Markov random field over the whole map: on (default) smooths the noise-model posteriors into the "
            + "final map; off leaves the final map to PCC and latent-space resolution, pixel by pixel (for domains thinner than "
            + "the MRF resolves). --paper turns it off and refuses --mrf on. Unlike --spatial-prior, which only adds a "
            + "neighbourhood prior to the latent-space resolution of ambiguous pixels.",
    };
    private readonly Option<string?> _mrfStrength = MrfStrengthOption.Create();
    private readonly Option<string?> _model = new("--model")
    {
        Description = "Use a model instead of training one: a beamtime model from 'stxmphase train' (it fixes the references, energies " +
                      "and settings; each stack is mapped on its own) or a GMVAE checkpoint from --save-model.",
    };
    private readonly Option<string?> _saveModel = new("--save-model") { Description = "Save the trained GMVAE checkpoint to this file." };
    private readonly Option<bool> _noFigures = new("--no-figures") { Description = "Do not write PNG figures." };
    private readonly Option<int?> _threads = ThreadsOption.Create();
    private readonly Option<string> _energyOffset = EnergyOffsetOption.Create();
    private readonly Option<string> _broadening = ReferenceBroadeningOption.Create();
    private readonly Option<double> _maxOd = ValidatedOption.Real("--max-od",
        "Largest trusted optical density (default 2.5; 0 = no check): pixels above it at any energy are flagged saturated "
        + "(saturated.npy), keep their PCC label and are left out of training and reassignment.",
        Spectra.Saturation.DefaultMaxOpticalDensity, 0, 100);
    private readonly ParticleOptions _particles = new();
    private readonly BackgroundOption _background = new();

    private ModelOptions()
    {
        _strategy.AcceptOnlyFromAmong("mahalanobis", "euclidean", "knn", "centroid", "none");
        _method.AcceptOnlyFromAmong("pcc-gmvae", "lcf", "nmf");
        _encoder.AcceptOnlyFromAmong("gmvae", "pca");
        _device.AcceptOnlyFromAmong("cpu", "cuda");
        _scope.AcceptOnlyFromAmong("ambiguous", "ambiguous+fp");
        _mrf.AcceptOnlyFromAmong("on", "off");
    }

    public static ModelOptions Create() => new();

    public void AddTo(Command command, bool modelFiles = true)
    {
        foreach (Option o in new Option[]
        {
            _threshold, _strategy, _method, _encoder, _epochs, _maxTraining, _paper, _mrf, _mrfStrength, _device, _scope, _spatial, _model,
            _saveModel, _noFigures, _threads, _fpThreshold, _fpNeighbours, _energyOffset, _maxOd, _broadening,
        })
        {
            if (modelFiles || (o != _model && o != _saveModel))
            {
                command.Options.Add(o);
            }
        }

        _particles.AddTo(command);
        _background.AddTo(command);
    }

    /// <summary>The science options given explicitly on the command line (a beamtime model fixes them).</summary>
    /// <param name="p">The parse result.</param>
    /// <returns>Their names.</returns>
    public IReadOnlyList<string> ExplicitScienceOptions(ParseResult p) =>
        new Option[]
            {
                _threshold, _strategy, _method, _encoder, _epochs, _maxTraining, _paper, _mrf, _mrfStrength, _scope, _spatial, _fpThreshold,
                _fpNeighbours, _energyOffset, _maxOd, _broadening,
            }
            .Where(o => p.GetResult(o) is { Implicit: false })
            .Select(o => o.Name)
            .Concat(_background.ExplicitOptions(p))
            .ToArray();

    /// <summary>The <c>--background-spectrum</c> file when given explicitly, or null (a beamtime model accepts only its own).</summary>
    public string? ExplicitBackgroundSpectrum(ParseResult p) => _background.ExplicitSpectrum(p);

    public ModelSettings Bind(ParseResult p, int seed)
    {
        // One set of defaults with the library: PhaseMappingOptions (bounded) or, with --paper, PhaseMappingOptions.Paper.
        PhaseMappingOptions defaults = p.GetValue(_paper) ? PhaseMappingOptions.Paper : new PhaseMappingOptions();
        int epochs = p.GetValue(_epochs) ?? defaults.TrainingEpochs;
        int maxTraining = p.GetValue(_maxTraining) ?? defaults.MaxTrainingSpectra ?? 0;
        if (p.GetValue(_paper) && p.GetValue(_mrf) == "on")
        {
            // The paper's pipeline computes no noise-model posteriors, so there is nothing for the MRF to smooth.
            throw new UsageException(
                "--mrf on: --paper computes no noise-model posteriors for the Potts MRF to smooth; omit --mrf (off with --paper) or --paper.");
        }

        double? strength = MrfStrengthOption.Value(p.GetValue(_mrfStrength));
        if (strength is { } beta && p.GetValue(_paper))
        {
            throw new UsageException(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"--mrf-strength {beta}: --paper runs no Potts MRF; omit --mrf-strength or --paper."));
        }

        if (strength is { } b && p.GetValue(_mrf) == "off")
        {
            throw new UsageException(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"--mrf-strength {b}: --mrf off runs no Potts MRF; omit --mrf-strength or --mrf off."));
        }

        return new ModelSettings(
            p.GetValue(_threshold),
            p.GetValue(_strategy)!,
            p.GetValue(_method)!,
            p.GetValue(_encoder)!,
            epochs,
            maxTraining,
            p.GetValue(_device) == "cuda",
            p.GetValue(_scope) == "ambiguous+fp" ? ResolutionScope.AmbiguousAndFalsePositives : ResolutionScope.AmbiguousOnly,
            p.GetValue(_spatial),
            p.GetResult(_model) is null ? null : p.GetValue(_model),
            p.GetResult(_saveModel) is null ? null : p.GetValue(_saveModel),
            !p.GetValue(_noFigures),
            seed,
            p.GetValue(_threads),
            p.GetValue(_paper)) with
        {
            EnergyOffset = EnergyOffsetOption.Mode(p.GetValue(_energyOffset)!),
            EnergyOffsetEv = EnergyOffsetOption.Value(p.GetValue(_energyOffset)!),
            MaxOpticalDensity = p.GetValue(_maxOd) == 0 ? double.PositiveInfinity : p.GetValue(_maxOd),
            ReferenceBroadening = p.GetValue(_broadening)!,
            FalsePositiveThreshold = p.GetValue(_fpThreshold),
            FalsePositiveNeighbours = p.GetValue(_fpNeighbours) ?? 0,
            Particles = _particles.Bind(p),
            Background = _background.Bind(p),
            ReferenceValues = _particles.BindValues(p),
            SpatialRegularization = (p.GetValue(_mrf) ?? (p.GetValue(_paper) ? "off" : "on")) == "on",
            MrfStrength = strength,
        };
    }
}

/// <summary>The bounds the command-line tool puts on its numeric options (the defaults are the library's).</summary>
internal static class CliDefaults
{
    /// <summary>The largest accepted <c>--epochs</c> (far beyond any useful training; catches typos such as an extra digit group).</summary>
    public const int MaxEpochs = 100_000;

    /// <summary>
    /// The largest accepted <c>--spatial-prior</c> weight. The prior term −w·ln((n_c + 1)/(n + P)) spans at most
    /// w·ln 9 ≈ 2.2·w nats between a phase no neighbour has and one all 8 have; at w = 10 (22 nats, odds of about 4·10⁹)
    /// the neighbours overrule any realistic latent evidence, so larger weights only make a majority vote.
    /// </summary>
    public const double MaxSpatialPrior = 10;
}

/// <summary>The bound model options.</summary>
internal sealed record ModelSettings(
    double AmbiguityThreshold,
    string Strategy,
    string Method,
    string Encoder,
    int Epochs,
    int MaxTrainingSpectra,
    bool Cuda,
    ResolutionScope Scope,
    double SpatialPriorWeight,
    string? ModelPath,
    string? SaveModelPath,
    bool Figures,
    int Seed,
    int? Threads = null,
    bool PaperPipeline = false)
{
    /// <summary>Gets how the energy offset between stack and references is handled (<c>--energy-offset</c>).</summary>
    public EnergyOffsetMode EnergyOffset { get; init; }

    /// <summary>Gets the offset in eV for <see cref="EnergyOffsetMode.Fixed"/>.</summary>
    public double EnergyOffsetEv { get; init; }

    /// <summary>Gets <c>--reference-broadening</c>: none, fit or a FWHM in eV.</summary>
    public string ReferenceBroadening { get; init; } = "none";

    /// <summary>Gets the largest trusted OD (<c>--max-od</c>; +∞ = no check).</summary>
    public double MaxOpticalDensity { get; init; } = Spectra.Saturation.DefaultMaxOpticalDensity;

    /// <summary>Gets τ of the latent-space false-positive test.</summary>
    public double FalsePositiveThreshold { get; init; } = 0.95;

    /// <summary>Gets the false-positive test's spatial-coherence requirement (0 = off).</summary>
    public int FalsePositiveNeighbours { get; init; }

    /// <summary>Gets how the sample mask is split into particles for particles.csv.</summary>
    public Spectra.ParticleSegmentationOptions Particles { get; init; } = new();

    /// <summary>Gets <c>--background</c> (linear term) and <c>--background-spectrum</c> (file or null).</summary>
    public (bool Linear, string? SpectrumPath) Background { get; init; }

    /// <summary>
    /// Gets the background spectra's values when a beamtime model supplies them (then <see cref="Background"/>'s path is only the
    /// original file name, for the record), or null to read <c>--background-spectrum</c>'s file.
    /// </summary>
    public Spectra.ReferenceSpectra? BackgroundSpectra { get; init; }

    /// <summary>Gets the numeric coordinate of each reference (--reference-values), or null.</summary>
    public IReadOnlyList<double>? ReferenceValues { get; init; }

    /// <summary>
    /// Gets <c>--mrf</c>: whether the Potts MRF decides the final map (<see cref="PhaseMappingOptions.SpatialRegularization"/>);
    /// default on, off with <see cref="PaperPipeline"/> (which computes no posteriors, so the MRF never runs there).
    /// </summary>
    public bool SpatialRegularization { get; init; } = true;

    /// <summary>
    /// Gets <c>--mrf-strength</c>: the Potts MRF's fixed interaction strength β (<see cref="Assignment.PottsOptions.Strength"/>), or
    /// <see langword="null"/> (default, auto) to estimate it from the data.
    /// </summary>
    public double? MrfStrength { get; init; }
}

/// <summary>The bound demo options.</summary>
internal sealed record DemoSettings(string OutputFolder, int Seed, int Size, double Dose, bool Overwrite, ModelSettings Model);

/// <summary>The bound map options.</summary>
internal sealed record MapSettings(
    string[] Stacks,
    string? References,
    string? Energies,
    Spectra.SpectralQuantity? Quantity,
    string Mask,
    string OutputFolder,
    string? Channel,
    string? Monitor,
    string? I0,
    bool Align,
    bool Overwrite,
    ModelSettings Model)
{
    /// <summary>Gets whether a stack whose last frames are missing may be mapped (with a warning).</summary>
    public bool AllowPartialStack { get; init; }

    /// <summary>Gets the edge stacks of the same field (<c>--edge</c>), fused with the first stack; empty for none.</summary>
    public IReadOnlyList<string> Edges { get; init; } = [];

    /// <summary>Gets the energies CSV of each edge stack (<c>--edge-energies</c>), paired in order; empty when the formats carry them.</summary>
    public IReadOnlyList<string> EdgeEnergies { get; init; } = [];

    /// <summary>Gets the block weights (<c>--block-weights</c>), or <see langword="null"/> for the noise-derived default.</summary>
    public string? BlockWeights { get; init; }
}
