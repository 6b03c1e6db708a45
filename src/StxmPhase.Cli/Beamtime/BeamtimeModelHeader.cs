using System.Text.Json.Serialization;

namespace StxmPhase.Cli.Beamtime;

/// <summary>The JSON header of a beamtime model file: everything needed to map a new stack as the training run would.</summary>
internal sealed class BeamtimeModelHeader
{
    /// <summary>Gets or sets the format version.</summary>
    public int FormatVersion { get; set; }

    /// <summary>Gets or sets the stxmphase version that wrote the model.</summary>
    public string? ToolVersion { get; set; }

    /// <summary>Gets or sets the .NET version that wrote the model.</summary>
    public string? DotnetVersion { get; set; }

    /// <summary>Gets or sets when the model was written (UTC, ISO 8601).</summary>
    public string? CreatedUtc { get; set; }

    /// <summary>Gets or sets the command line of the training run.</summary>
    public string? CommandLine { get; set; }

    /// <summary>Gets or sets the energies (eV) every stack must have.</summary>
    public double[] EnergiesEv { get; set; } = [];

    /// <summary>Gets or sets the reference phase names.</summary>
    public string[] PhaseNames { get; set; } = [];

    /// <summary>Gets or sets the energies (eV) of the reference spectra, as read.</summary>
    public double[] ReferenceEnergiesEv { get; set; } = [];

    /// <summary>Gets or sets the reference spectra as read, phase-major (<c>[p · ReferenceEnergiesEv.Length + e]</c>).</summary>
    public double[] ReferenceValues { get; set; } = [];

    /// <summary>Gets or sets the preprocessing and resolution settings.</summary>
    public BeamtimeSettings Settings { get; set; } = new();

    /// <summary>Gets or sets the number of spectra the encoder was trained on (0 when there is no encoder).</summary>
    public int TrainingSpectra { get; set; }

    /// <summary>Gets or sets the stacks the model was trained on.</summary>
    public TrainingInput[] TrainingInputs { get; set; } = [];
}

/// <summary>The settings a beamtime model fixes for every stack it maps (the science options of <c>map</c>).</summary>
internal sealed class BeamtimeSettings
{
    /// <summary>Gets or sets the mask mode: auto, otsu or none.</summary>
    public string Mask { get; set; } = "auto";

    /// <summary>Gets or sets what .npy/.tif stacks hold: auto, od, transmission or transmittance.</summary>
    public string Quantity { get; set; } = "auto";

    /// <summary>Gets or sets whether energy images are registered.</summary>
    public bool Align { get; set; }

    /// <summary>Gets or sets δ.</summary>
    public double AmbiguityThreshold { get; set; }

    /// <summary>Gets or sets the latent strategy (none = no latent stage, no network).</summary>
    public string Strategy { get; set; } = "mahalanobis";

    /// <summary>Gets or sets the encoder (gmvae).</summary>
    public string Encoder { get; set; } = "gmvae";

    /// <summary>Gets or sets the training epochs.</summary>
    public int Epochs { get; set; }

    /// <summary>Gets or sets the training-set cap (0 = every spectrum).</summary>
    public int MaxTrainingSpectra { get; set; }

    /// <summary>Gets or sets whether the paper's pipeline is used.</summary>
    public bool Paper { get; set; }

    /// <summary>Gets or sets the resolution scope: ambiguous or ambiguous+fp.</summary>
    public string Resolve { get; set; } = "ambiguous";

    /// <summary>Gets or sets the spatial prior weight.</summary>
    public double SpatialPrior { get; set; }

    /// <summary>Gets or sets whether the Potts MRF decides the final map (<c>--mrf</c>); null in models written before the
    /// option existed, which mapped with it on (off with <see cref="Paper"/>, which has no posteriors).</summary>
    public bool? Mrf { get; set; }

    /// <summary>Gets or sets the Potts MRF's fixed strength β (<c>--mrf-strength</c>), or null for the estimate (auto; also every
    /// model written before the option existed). Not written when null, so an auto model's header is the one it was before.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? MrfStrength { get; set; }

    /// <summary>Gets or sets τ of the false-positive test.</summary>
    public double FalsePositiveThreshold { get; set; }

    /// <summary>Gets or sets the false-positive spatial coherence.</summary>
    public int FalsePositiveNeighbours { get; set; }

    /// <summary>Gets or sets the energy-offset mode: auto, none or fixed.</summary>
    public string EnergyOffset { get; set; } = "auto";

    /// <summary>Gets or sets the fixed energy offset (eV).</summary>
    public double EnergyOffsetEv { get; set; }

    /// <summary>Gets or sets the reference broadening: none, fit or a FWHM in eV.</summary>
    public string ReferenceBroadening { get; set; } = "none";

    /// <summary>Gets or sets the largest trusted OD (0 = no check).</summary>
    public double MaxOpticalDensity { get; set; }

    /// <summary>Gets or sets the seed.</summary>
    public int Seed { get; set; }

    /// <summary>Gets or sets whether a linear pre-edge background term is fitted (<c>--background linear</c>).</summary>
    public bool BackgroundLinear { get; set; }

    /// <summary>
    /// Gets or sets the absolute path of the background spectrum (<c>--background-spectrum</c>) as models of format version 1
    /// stored it (by path only), or null. Newer models store <see cref="BackgroundSpectrumValues"/> instead.
    /// </summary>
    public string? BackgroundSpectrum { get; set; }

    /// <summary>Gets or sets the background spectrum the model was trained with (its values, file name and SHA-256), or null.</summary>
    public StoredSpectrum? BackgroundSpectrumValues { get; set; }
}

/// <summary>Spectra stored inside a model by value, with the file they were read from (name and SHA-256) for provenance.</summary>
internal sealed class StoredSpectrum
{
    /// <summary>Gets or sets the file name (without folder) the spectra were read from; for several spectrum files, their names
    /// comma-separated.</summary>
    public string FileName { get; set; } = string.Empty;

    /// <summary>Gets or sets the SHA-256 (lower-case hex) of that file; for several files, the SHA-256 of their SHA-256s joined by
    /// commas.</summary>
    public string Sha256 { get; set; } = string.Empty;

    /// <summary>Gets or sets the energies (eV) of the spectra, as read.</summary>
    public double[] EnergiesEv { get; set; } = [];

    /// <summary>Gets or sets the component names (the CSV's column headers, or the spectrum files' names).</summary>
    public string[] Names { get; set; } = [];

    /// <summary>Gets or sets the values as read, component-major (<c>[c · EnergiesEv.Length + e]</c>).</summary>
    public double[] Values { get; set; } = [];
}

/// <summary>One stack a model was trained on.</summary>
internal sealed class TrainingInput
{
    /// <summary>Gets or sets the name.</summary>
    public string? Name { get; set; }

    /// <summary>Gets or sets the file (full path at training time).</summary>
    public string? Path { get; set; }

    /// <summary>Gets or sets the SHA-256 of the file.</summary>
    public string? Sha256 { get; set; }

    /// <summary>Gets or sets the spectra this stack gave to the training subsample.</summary>
    public int Spectra { get; set; }
}

/// <summary>Source-generated JSON for the model header.</summary>
[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(BeamtimeModelHeader))]
[JsonSerializable(typeof(BeamtimeSettings))]
[JsonSerializable(typeof(StoredSpectrum))]
internal sealed partial class BeamtimeJsonContext : JsonSerializerContext;
