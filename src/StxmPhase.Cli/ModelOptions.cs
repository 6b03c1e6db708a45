using System.CommandLine;

namespace StxmPhase.Cli;

/// <summary>The options shared by map, demo and evaluate: what happens after correlation.</summary>
internal sealed class ModelOptions
{
    private readonly Option<double> _threshold = ValidatedOption.Real("--ambiguity-threshold", "δ: a pixel is ambiguous when Q1 − Q2 < δ (paper: 0.005).", 0.005, 0, 2);
    private readonly Option<string> _strategy = new("--strategy") { Description = "Latent-space assignment of ambiguous pixels: mahalanobis (paper), euclidean (to encoded references), knn, centroid, or none (PCC only).", DefaultValueFactory = _ => "mahalanobis" };
    private readonly Option<string> _method = new("--method") { Description = "pcc-gmvae (the paper's method), lcf (non-negative linear-combination fitting with the references) or nmf (NMF components matched to references).", DefaultValueFactory = _ => "pcc-gmvae" };
    private readonly Option<string> _encoder = new("--encoder") { Description = "Latent encoder: gmvae (paper) or pca (fast, linear).", DefaultValueFactory = _ => "gmvae" };
    private readonly Option<int?> _epochs = ValidatedOption.OptionalInt("--epochs", $"GMVAE training epochs (default {CliDefaults.Epochs}; the paper: 400).", 1, CliDefaults.MaxEpochs);
    private readonly Option<int?> _maxTraining = ValidatedOption.OptionalInt("--max-training-spectra", $"Train on at most this many spectra, stratified by PCC phase; every spectrum is still encoded (default {CliDefaults.MaxTrainingSpectra}; 0 = all, as the paper).", 0);
    private readonly Option<bool> _paper = new("--paper") { Description = "Reproduce the paper exactly: 400 epochs on every spectrum (slow on a CPU)." };
    private readonly Option<string> _device = new("--device") { Description = "cpu or cuda (cuda needs the TorchSharp-cuda-linux native bundle).", DefaultValueFactory = _ => "cpu" };
    private readonly Option<string> _scope = new("--resolve") { Description = "ambiguous (paper) or ambiguous+fp (also relabel PCC false positives flagged by the latent space).", DefaultValueFactory = _ => "ambiguous" };
    private readonly Option<double> _spatial = ValidatedOption.Real("--spatial-prior", $"Weight of the 3×3 neighbourhood prior for resolved pixels, in [0, {CliDefaults.MaxSpatialPrior}] (0 = off, as the paper).", 0, 0, CliDefaults.MaxSpatialPrior);
    private readonly Option<string?> _model = new("--model") { Description = "Use a saved GMVAE checkpoint instead of training one." };
    private readonly Option<string?> _saveModel = new("--save-model") { Description = "Save the trained GMVAE checkpoint to this file." };
    private readonly Option<bool> _noFigures = new("--no-figures") { Description = "Do not write PNG figures." };
    private readonly ParticleOptions _particles = new();

    private ModelOptions()
    {
        _strategy.AcceptOnlyFromAmong("mahalanobis", "euclidean", "knn", "centroid", "none");
        _method.AcceptOnlyFromAmong("pcc-gmvae", "lcf", "nmf");
        _encoder.AcceptOnlyFromAmong("gmvae", "pca");
        _device.AcceptOnlyFromAmong("cpu", "cuda");
        _scope.AcceptOnlyFromAmong("ambiguous", "ambiguous+fp");
    }

    public static ModelOptions Create() => new();

    public void AddTo(Command command)
    {
        foreach (Option o in new Option[] { _threshold, _strategy, _method, _encoder, _epochs, _maxTraining, _paper, _device, _scope, _spatial, _model, _saveModel, _noFigures })
        {
            command.Options.Add(o);
        }

        _particles.AddTo(command);
    }

    public ModelSettings Bind(ParseResult p, int seed)
    {
        bool paper = p.GetValue(_paper);
        int epochs = paper ? 400 : p.GetValue(_epochs) ?? CliDefaults.Epochs;
        int maxTraining = paper ? 0 : p.GetValue(_maxTraining) ?? CliDefaults.MaxTrainingSpectra;
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
            p.GetValue(_model),
            p.GetValue(_saveModel),
            !p.GetValue(_noFigures),
            seed) { Particles = _particles.Bind(p), ReferenceValues = _particles.BindValues(p) };
    }
}

/// <summary>The defaults of the command-line tool where they differ from the library's (the paper's) defaults.</summary>
internal static class CliDefaults
{
    /// <summary>Training epochs: bounded so that a 1024² × 13 stack maps in well under a minute on 2 CPU cores.</summary>
    public const int Epochs = 40;

    /// <summary>Training subsample, stratified by PCC phase; every spectrum is still encoded.</summary>
    public const int MaxTrainingSpectra = 12000;

    /// <summary>The largest accepted <c>--epochs</c> (far beyond any useful training; catches typos such as an extra digit group).</summary>
    public const int MaxEpochs = 100_000;

    /// <summary>The largest accepted <c>--spatial-prior</c> weight.</summary>
    public const double MaxSpatialPrior = 1000;
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
    int Seed)
{
    /// <summary>Gets how the sample mask is split into particles for particles.csv.</summary>
    public Spectra.ParticleSegmentationOptions Particles { get; init; } = new();

    /// <summary>Gets the numeric coordinate of each reference (--reference-values), or null.</summary>
    public IReadOnlyList<double>? ReferenceValues { get; init; }
}

/// <summary>The bound demo options.</summary>
internal sealed record DemoSettings(string OutputFolder, int Seed, int Size, double Dose, bool Overwrite, ModelSettings Model);

/// <summary>The bound map options.</summary>
internal sealed record MapSettings(
    string[] Stacks,
    string References,
    string? Energies,
    Spectra.SpectralQuantity Quantity,
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
}
