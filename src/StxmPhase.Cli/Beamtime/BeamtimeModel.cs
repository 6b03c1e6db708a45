using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using StxmPhase.Gmvae;
using StxmPhase.IO;
using StxmPhase.Spectra;

namespace StxmPhase.Cli.Beamtime;

/// <summary>
/// A model trained once for a beamtime (<c>stxmphase train</c>) and used to map every stack (<c>map --model</c>,
/// <c>batch</c>): the energies and references, the preprocessing and resolution settings, the training inputs and,
/// when the configuration uses a latent strategy, the GMVAE checkpoint. The class statistics of the latent assigner are
/// refitted per stack on that stack's confidently labelled pixels (the rule of the in-process run, applied per stack).
/// </summary>
/// <remarks>Layout (little-endian): magic <c>STXMBEAM</c>, format version (u32), header length (u32), UTF-8 JSON header,
/// GMVAE checkpoint length (u64, 0 = none), the GMVAE checkpoint (<see cref="GmvaeModel.Save"/>'s format), SHA-256 of
/// everything before it. That SHA-256 is the model's content hash.</remarks>
internal sealed class BeamtimeModel
{
    /// <summary>The current format version (2: the background spectrum is stored by value, not by path).</summary>
    public const int FormatVersion = 2;

    /// <summary>The oldest format version this tool reads (1: a background spectrum is named by path and read from there).</summary>
    public const int OldestFormatVersion = 1;

    private const int HashLength = 32;
    private static readonly byte[] s_magic = "STXMBEAM"u8.ToArray();
    private readonly byte[] _gmvae;

    private BeamtimeModel(string path, BeamtimeModelHeader header, byte[] gmvae, string sha256)
    {
        Path = path;
        Header = header;
        _gmvae = gmvae;
        Sha256 = sha256;
    }

    /// <summary>Gets the file.</summary>
    public string Path { get; }

    /// <summary>Gets the header.</summary>
    public BeamtimeModelHeader Header { get; }

    /// <summary>Gets the content hash (SHA-256, lower-case hex).</summary>
    public string Sha256 { get; }

    /// <summary>Gets whether the model carries a GMVAE.</summary>
    public bool HasEncoder => _gmvae.Length > 0;

    /// <summary>Gets the energy axis every mapped stack must have.</summary>
    public EnergyAxis Energies => new(Header.EnergiesEv);

    /// <summary>Gets the reference spectra, as read at training time.</summary>
    public ReferenceSpectra References => new(new EnergyAxis(Header.ReferenceEnergiesEv), Header.PhaseNames, Header.ReferenceValues);

    /// <summary>Returns whether <paramref name="path"/> starts with the beamtime model signature.</summary>
    /// <param name="path">A file.</param>
    /// <returns><see langword="true"/> for a beamtime model; <see langword="false"/> otherwise (e.g. a bare GMVAE checkpoint).</returns>
    public static bool IsBeamtimeModel(string path)
    {
        if (!File.Exists(path))
        {
            return false;
        }

        using FileStream stream = File.OpenRead(path);
        Span<byte> magic = stackalloc byte[8];
        return stream.ReadAtLeast(magic, 8, throwOnEndOfStream: false) == 8 && magic.SequenceEqual(s_magic);
    }

    /// <summary>Writes a model atomically.</summary>
    /// <param name="path">The file.</param>
    /// <param name="header">The header.</param>
    /// <param name="encoder">The trained GMVAE, or <see langword="null"/> when the configuration needs none.</param>
    /// <returns>The content hash.</returns>
    public static string Write(string path, BeamtimeModelHeader header, GmvaeModel? encoder)
    {
        header.FormatVersion = FormatVersion;
        byte[] gmvae = [];
        if (encoder is not null)
        {
            string temp = System.IO.Path.Combine(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!,
                $".{System.IO.Path.GetFileName(path)}.{Environment.ProcessId}.gmvae.tmp");
            try
            {
                encoder.Save(temp);
                gmvae = File.ReadAllBytes(temp);
            }
            finally
            {
                File.Delete(temp);
            }
        }

        byte[] json = JsonSerializer.SerializeToUtf8Bytes(header, BeamtimeJsonContext.Default.BeamtimeModelHeader);
        byte[] bytes = new byte[8 + 4 + 4 + json.Length + 8 + gmvae.Length + HashLength];
        s_magic.CopyTo(bytes, 0);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(8), FormatVersion);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(12), (uint)json.Length);
        json.CopyTo(bytes, 16);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(16 + json.Length), (ulong)gmvae.Length);
        gmvae.CopyTo(bytes, 24 + json.Length);
        SHA256.HashData(bytes.AsSpan(0, bytes.Length - HashLength), bytes.AsSpan(bytes.Length - HashLength));
        AtomicFile.WriteBytes(path, bytes);
        return Convert.ToHexStringLower(bytes.AsSpan(bytes.Length - HashLength));
    }

    /// <summary>Reads and verifies a model.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The model.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="CheckpointFormatException">The file is truncated, corrupted, of another version or not a beamtime model.</exception>
    public static BeamtimeModel Read(string path)
    {
        string full = System.IO.Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            throw new FileNotFoundException($"The model '{full}' does not exist.", full);
        }

        byte[] bytes = File.ReadAllBytes(full);
        if (bytes.Length < 24 + HashLength || !bytes.AsSpan(0, 8).SequenceEqual(s_magic))
        {
            throw Format(full, "is not a stxmphase beamtime model (it does not start with 'STXMBEAM' or is too short)", "magic");
        }

        uint version = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(8));
        if (version is < OldestFormatVersion or > FormatVersion)
        {
            throw Format(full, string.Create(CultureInfo.InvariantCulture,
                $"has format version {version}; this stxmphase reads {OldestFormatVersion}–{FormatVersion}"), "version");
        }

        long jsonLength = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(12));
        if (24 + jsonLength + HashLength > bytes.Length)
        {
            throw Format(full,
                string.Create(CultureInfo.InvariantCulture, $"declares a {jsonLength}-byte header but is {bytes.Length} bytes long"),
                "header length");
        }

        ulong gmvaeLength = BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan((int)(16 + jsonLength)));
        if ((ulong)(24 + jsonLength + HashLength) + gmvaeLength != (ulong)bytes.Length)
        {
            throw Format(full, string.Create(CultureInfo.InvariantCulture,
                $"declares a {gmvaeLength}-byte GMVAE but is {bytes.Length} bytes long; it is truncated or has trailing data"), "gmvae length");
        }

        byte[] hash = SHA256.HashData(bytes.AsSpan(0, bytes.Length - HashLength));
        if (!hash.AsSpan().SequenceEqual(bytes.AsSpan(bytes.Length - HashLength)))
        {
            throw Format(full, "fails its SHA-256 check; it is corrupted", "checksum");
        }

        BeamtimeModelHeader header;
        try
        {
            header = JsonSerializer.Deserialize(bytes.AsSpan(16, (int)jsonLength), BeamtimeJsonContext.Default.BeamtimeModelHeader)
                ?? throw new JsonException("The header is null.");
            _ = new ReferenceSpectra(new EnergyAxis(header.ReferenceEnergiesEv), header.PhaseNames, header.ReferenceValues);
            _ = new EnergyAxis(header.EnergiesEv);
            _ = StoredSpectra(header.Settings.BackgroundSpectrumValues);
        }
        catch (Exception ex) when (ex is JsonException or ArgumentException)
        {
            throw Format(full, "has an invalid header: " + ex.Message, "header", ex);
        }

        return new BeamtimeModel(full, header, bytes.AsSpan((int)(24 + jsonLength), (int)gmvaeLength).ToArray(), Convert.ToHexStringLower(hash));
    }

    /// <summary>Loads the GMVAE (libtorch is loaded on the first call), or returns <see langword="null"/> when the model has none.</summary>
    /// <param name="cuda">Whether to place it on the GPU.</param>
    /// <param name="logger">The logger.</param>
    /// <returns>The encoder, which the caller disposes.</returns>
    public GmvaeModel? LoadEncoder(bool cuda, ILogger logger)
    {
        if (!HasEncoder)
        {
            return null;
        }

        string temp = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"stxmphase-{Environment.ProcessId}-{Guid.NewGuid():N}.gmvae");
        try
        {
            File.WriteAllBytes(temp, _gmvae);
            return GmvaeModel.Load(temp, Energies, cuda ? GmvaeDevice.Cuda : GmvaeDevice.Cpu, logger);
        }
        catch (CheckpointFormatException ex)
        {
            throw Format(Path, "holds a GMVAE that cannot be read: " + ex.Message, "gmvae", ex);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    /// <summary>Checks that a stack has the model's energies.</summary>
    /// <param name="stack">The stack.</param>
    /// <param name="file">Its file.</param>
    /// <exception cref="IncompatibleEnergiesException">The energies differ (exit code 4).</exception>
    public void CheckStack(SpectralStack stack, string file)
    {
        try
        {
            stack.Energies.EnsureMatches(Energies, $"stack '{file}'", $"the model '{Path}'",
                remedy: "A model maps only stacks with the energies it was trained on; train one for these energies.");
        }
        catch (IncompatibleEnergiesException ex)
        {
            throw new IncompatibleEnergiesException(ex.Message, ex) { FileName = file, Field = "energies" };
        }
    }

    /// <summary>Checks that <paramref name="references"/> (read from <paramref name="file"/>) are the model's references.</summary>
    /// <param name="references">The references given on the command line.</param>
    /// <param name="file">Their file.</param>
    /// <exception cref="IncompatibleInputException">They differ (exit code 4); the message names the first difference.</exception>
    public void CheckReferences(ReferenceSpectra references, string file)
    {
        ReferenceSpectra own = References;
        string? difference = !own.PhaseNames.SequenceEqual(references.PhaseNames)
            ? $"phases ({string.Join(", ", references.PhaseNames)}) differ from the model's ({string.Join(", ", own.PhaseNames)})"
            : !own.Energies.ToArray().SequenceEqual(references.Energies.ToArray())
                ? "energy grid differs from the model's"
                : !own.Values.SequenceEqual(references.Values) ? "spectra differ from the model's" : null;
        if (difference is not null)
        {
            throw new IncompatibleInputException(
                $"'{file}': the references' {difference}; the model '{Path}' was trained with other references (omit --references to use its own).")
            {
                FileName = file,
                Field = "references",
            };
        }
    }

    /// <summary>The map settings of this model: its science settings with the run's own threads, device, figures and outputs.</summary>
    /// <param name="run">The options of the command line (threads, device, figures, particles, reference values).</param>
    /// <returns>The settings.</returns>
    public ModelSettings Settings(ModelSettings run)
    {
        BeamtimeSettings s = Header.Settings;
        return new ModelSettings(
            s.AmbiguityThreshold, s.Strategy, "pcc-gmvae", s.Encoder, s.Epochs, s.MaxTrainingSpectra, run.Cuda,
            s.Resolve == "ambiguous+fp" ? ResolutionScope.AmbiguousAndFalsePositives : ResolutionScope.AmbiguousOnly,
            s.SpatialPrior, ModelPath: null, SaveModelPath: null, run.Figures, s.Seed, run.Threads, s.Paper)
        {
            EnergyOffset = s.EnergyOffset switch { "none" => EnergyOffsetMode.None, "fixed" => EnergyOffsetMode.Fixed, _ => EnergyOffsetMode.Auto },
            EnergyOffsetEv = s.EnergyOffsetEv,
            MaxOpticalDensity = s.MaxOpticalDensity == 0 ? double.PositiveInfinity : s.MaxOpticalDensity,
            ReferenceBroadening = s.ReferenceBroadening,
            FalsePositiveThreshold = s.FalsePositiveThreshold,
            FalsePositiveNeighbours = s.FalsePositiveNeighbours,
            Particles = run.Particles,
            ReferenceValues = run.ReferenceValues,
            Background = (s.BackgroundLinear, s.BackgroundSpectrumValues?.FileName ?? s.BackgroundSpectrum),
            BackgroundSpectra = BackgroundSpectra(),
            SpatialRegularization = MrfOf(s),
            MrfStrength = MrfOf(s) ? s.MrfStrength : null,
        };
    }

    /// <summary>
    /// The background spectra the model was trained with: its stored values or, for a model of format version 1 (path only),
    /// the file at the stored path; <see langword="null"/> when it was trained without one.
    /// </summary>
    /// <returns>The spectra, or <see langword="null"/>.</returns>
    /// <exception cref="FileNotFoundException">A version-1 model's background spectrum file no longer exists (exit code 3).</exception>
    public ReferenceSpectra? BackgroundSpectra()
    {
        BeamtimeSettings s = Header.Settings;
        if (s.BackgroundSpectrumValues is { } stored)
        {
            return StoredSpectra(stored);
        }

        if (s.BackgroundSpectrum is not { } legacy)
        {
            return null;
        }

        if (!File.Exists(legacy))
        {
            throw new FileNotFoundException(
                $"The model '{Path}' names its background spectrum by path only (it was written by an older stxmphase), and '{legacy}' " +
                "does not exist; put that file back at this path, or train the model again (a new model stores the spectrum's values).",
                legacy);
        }

        return ReferenceSpectraCsv.Read(legacy);
    }

    /// <summary>
    /// Checks a <c>--background-spectrum</c> given beside the model: it must be the file the model was trained with, by SHA-256.
    /// </summary>
    /// <param name="file">The file given on the command line.</param>
    /// <exception cref="UsageException">The model has no background spectrum or another one (exit code 2).</exception>
    public void CheckBackgroundSpectrum(string file)
    {
        BeamtimeSettings s = Header.Settings;
        string? own = s.BackgroundSpectrumValues?.Sha256
            ?? (s.BackgroundSpectrum is { } legacy && File.Exists(legacy) ? Provenance.FileSha256(legacy) : null);
        string given = SpectraSha256(file);
        if (own is null)
        {
            throw new UsageException(
                $"--background-spectrum: the model '{Path}' was trained without a background spectrum; omit '{file}', or train another model.");
        }

        if (given != own)
        {
            string name = s.BackgroundSpectrumValues?.FileName ?? System.IO.Path.GetFileName(s.BackgroundSpectrum)!;
            throw new UsageException(
                $"--background-spectrum: '{file}' (sha256 {given}) is not the background spectrum the model '{Path}' was trained with " +
                $"('{name}', sha256 {own}); omit it (the model carries its values), or train another model.");
        }
    }

    /// <summary>Whether a model maps with the Potts MRF: its stored <c>--mrf</c>, or for a model written before that option, on
    /// unless it uses the paper's pipeline (as such models mapped).</summary>
    /// <param name="s">The stored settings.</param>
    /// <returns>Whether the MRF decides the final map.</returns>
    internal static bool MrfOf(BeamtimeSettings s) => (s.Mrf ?? true) && !s.Paper;

    /// <summary>The settings a model stores for <paramref name="m"/> and the preprocessing options.</summary>
    /// <param name="m">The bound model options.</param>
    /// <param name="mask">auto, otsu or none.</param>
    /// <param name="quantity">auto, od, transmission or transmittance.</param>
    /// <param name="align">Whether to register the energy images.</param>
    /// <returns>The settings.</returns>
    public static BeamtimeSettings SettingsOf(ModelSettings m, string mask, string quantity, bool align) => new()
    {
        Mask = mask,
        Quantity = quantity,
        Align = align,
        AmbiguityThreshold = m.AmbiguityThreshold,
        Strategy = m.Strategy,
        Encoder = m.Encoder,
        Epochs = m.Epochs,
        MaxTrainingSpectra = m.MaxTrainingSpectra,
        Paper = m.PaperPipeline,
        Resolve = m.Scope == ResolutionScope.AmbiguousAndFalsePositives ? "ambiguous+fp" : "ambiguous",
        SpatialPrior = m.SpatialPriorWeight,
        Mrf = m.SpatialRegularization && !m.PaperPipeline,
        MrfStrength = m.SpatialRegularization && !m.PaperPipeline ? m.MrfStrength : null,
        FalsePositiveThreshold = m.FalsePositiveThreshold,
        FalsePositiveNeighbours = m.FalsePositiveNeighbours,
        EnergyOffset = m.EnergyOffset switch { EnergyOffsetMode.None => "none", EnergyOffsetMode.Fixed => "fixed", _ => "auto" },
        EnergyOffsetEv = m.EnergyOffsetEv,
        ReferenceBroadening = m.ReferenceBroadening,
        MaxOpticalDensity = double.IsPositiveInfinity(m.MaxOpticalDensity) ? 0 : m.MaxOpticalDensity,
        Seed = m.Seed,
        BackgroundLinear = m.Background.Linear,
        BackgroundSpectrumValues = m.Background.SpectrumPath is { } spectrum ? Store(spectrum) : null,
    };

    /// <summary>Reads <c>--background-spectrum</c>'s spectra for storing in a model: their values, file names and SHA-256.</summary>
    private static StoredSpectrum Store(string path)
    {
        ReferenceSpectra spectra = ReferenceInput.ReadBackground(path);
        return new StoredSpectrum
        {
            FileName = BackgroundOption.FileNames(path),
            Sha256 = SpectraSha256(path),
            EnergiesEv = spectra.Energies.ToArray(),
            Names = [.. spectra.PhaseNames],
            Values = spectra.Values.ToArray(),
        };
    }

    /// <summary>
    /// The SHA-256 of a <c>--background-spectrum</c> value: of its file, or for spectrum files separated by commas, of their
    /// SHA-256s (lower-case hex) joined by commas, in the order given (the order is the components' order).
    /// </summary>
    private static string SpectraSha256(string value)
    {
        string[] files = ReferenceInput.Files(value, "--background-spectrum");
        return files.Length == 1
            ? Provenance.FileSha256(files[0])
            : Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join(',', files.Select(Provenance.FileSha256)))));
    }

    private static ReferenceSpectra? StoredSpectra(StoredSpectrum? stored) =>
        stored is null ? null : new ReferenceSpectra(new EnergyAxis(stored.EnergiesEv), stored.Names, stored.Values);

    private static CheckpointFormatException Format(string path, string problem, string field, Exception? inner = null) =>
        new($"The model '{path}' {problem}.", inner) { FileName = path, Field = field };
}
