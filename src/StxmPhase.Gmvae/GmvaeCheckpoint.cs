using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging;
using StxmPhase.Spectra;
using TorchSharp;

namespace StxmPhase.Gmvae;

/// <summary>Reads and writes GMVAE checkpoints (see <see cref="GmvaeModel.Save"/> for the layout).</summary>
internal static partial class GmvaeCheckpoint
{
    /// <summary>The format version of a model without spectral blocks (unchanged, so such files stay byte-identical).</summary>
    public const uint FormatVersion = 1;

    /// <summary>The format version of a model with spectral blocks (a fused multi-edge input): version 1 plus
    /// <c>Normalization.Blocks</c>, so that a reader that does not know blocks refuses the file instead of ignoring them.</summary>
    public const uint BlocksFormatVersion = 2;

    private const int HashLength = 32;
    private const int PrefixLength = 16; // magic 8 + version 4 + header length 4
    private static readonly byte[] s_magic = "STXMGMVA"u8.ToArray();

    public static void Write(string path, GmvaeModel model)
    {
        string full = Path.GetFullPath(path);
        BlockNormalization? blocks = model.Normalizer.Blocks;
        uint version = blocks is null ? FormatVersion : BlocksFormatVersion;
        var header = new CheckpointHeader
        {
            FormatVersion = version,
            Library = "StxmPhase.Gmvae " + typeof(GmvaeModel).Assembly.GetName().Version,
            EnergiesEv = model.Energies.ToArray(),
            Options = model.Options,
            Normalization = new NormalizationState
            {
                Mode = model.Normalizer.Mode,
                Scale = model.Normalizer.Scale,
                Mean = model.Normalizer.Mean,
                Std = model.Normalizer.Std,
                Blocks = blocks is null ? null : BlockState.From(blocks),
            },
            History = model.History,
            StateKeys = model.Network.state_dict().Select(kv => kv.Key + " " + string.Join("x", kv.Value.shape)).ToArray(),
        };
        byte[] headerBytes = JsonSerializer.SerializeToUtf8Bytes(header, CheckpointJsonContext.Default.CheckpointHeader);

        using var payload = new MemoryStream();
        using (var writer = new BinaryWriter(payload, Encoding.UTF8, leaveOpen: true))
        {
            model.Network.save(writer);
        }

        AtomicFile.Write(full, stream =>
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            Span<byte> prefix = stackalloc byte[PrefixLength];
            s_magic.CopyTo(prefix);
            BinaryPrimitives.WriteUInt32LittleEndian(prefix[8..], version);
            BinaryPrimitives.WriteUInt32LittleEndian(prefix[12..], (uint)headerBytes.Length);
            Span<byte> payloadLength = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(payloadLength, (ulong)payload.Length);
            ReadOnlySpan<byte> payloadBytes = payload.GetBuffer().AsSpan(0, (int)payload.Length);
            foreach (byte[]? part in new[] { prefix.ToArray(), headerBytes, payloadLength.ToArray() })
            {
                stream.Write(part);
                hash.AppendData(part);
            }

            stream.Write(payloadBytes);
            hash.AppendData(payloadBytes);
            stream.Write(hash.GetHashAndReset());
        });
    }

    public static GmvaeModel Read(string path, GmvaeDevice device, ILogger logger)
    {
        string full = Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            throw new FileNotFoundException($"The checkpoint '{full}' does not exist.", full);
        }

        long length = new FileInfo(full).Length;
        const long Minimum = PrefixLength + 8 + HashLength;
        if (length < Minimum)
        {
            throw Format(full,
                string.Create(CultureInfo.InvariantCulture,
                    $"is {length} bytes long, shorter than the smallest GMVAE checkpoint ({Minimum} bytes); it is truncated or not a checkpoint"),
                "file");
        }

        byte[] bytes = File.ReadAllBytes(full);
        if (!bytes.AsSpan(0, 8).SequenceEqual(s_magic))
        {
            throw Format(full, "does not start with the GMVAE checkpoint signature 'STXMGMVA'; it is not a StxmPhase GMVAE checkpoint", "magic");
        }

        uint version = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(8));
        if (version != FormatVersion && version != BlocksFormatVersion)
        {
            throw Format(full,
                string.Create(CultureInfo.InvariantCulture,
                    $"has checkpoint format version {version}; this library reads versions {FormatVersion} and {BlocksFormatVersion}"), "version");
        }

        long headerLength = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(12));
        if (PrefixLength + headerLength + 8 + HashLength > length)
        {
            throw Format(full,
                string.Create(CultureInfo.InvariantCulture,
                    $"declares a {headerLength}-byte header but is only {length} bytes long; it is truncated"), "header length");
        }

        int payloadOffset = (int)(PrefixLength + headerLength + 8);
        ulong payloadLength = BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(payloadOffset - 8));
        if ((ulong)payloadOffset + payloadLength + HashLength != (ulong)length)
        {
            throw Format(full,
                string.Create(CultureInfo.InvariantCulture,
                    $"declares {payloadLength} bytes of weights, so it should be {(ulong)payloadOffset + payloadLength + HashLength} bytes long, " +
                    $"but it is {length} bytes; it is truncated or has trailing data"), "weights length");
        }

        byte[] expectedHash = SHA256.HashData(bytes.AsSpan(0, bytes.Length - HashLength));
        if (!expectedHash.AsSpan().SequenceEqual(bytes.AsSpan(bytes.Length - HashLength)))
        {
            throw Format(full, "fails its SHA-256 check; it is corrupted", "checksum");
        }

        CheckpointHeader header;
        try
        {
            header = JsonSerializer.Deserialize(bytes.AsSpan(PrefixLength, (int)headerLength), CheckpointJsonContext.Default.CheckpointHeader)
                ?? throw new JsonException("The header is null.");
        }
        catch (JsonException ex)
        {
            throw Format(full, "has an unreadable header: " + ex.Message, "header", ex);
        }

        EnergyAxis energies;
        try
        {
            energies = new EnergyAxis(header.EnergiesEv ?? []);
            (header.Options ?? throw new ArgumentException("The options are missing.")).Validate();
            if (header.History is null || header.Normalization is null)
            {
                throw new ArgumentException("The history or the normalisation is missing.");
            }
        }
        catch (ArgumentException ex)
        {
            throw Format(full, "has an invalid header: " + ex.Message, "header", ex);
        }

        var norm = header.Normalization;
        int e = energies.Count;
        if (norm.Mode == GmvaeNormalization.PerEnergy && (norm.Mean?.Length != e || norm.Std?.Length != e))
        {
            throw Format(full,
                string.Create(CultureInfo.InvariantCulture, $"has per-energy normalisation vectors whose length is not the energy count {e}"),
                "normalization");
        }

        BlockNormalization? blockNorm;
        try
        {
            blockNorm = norm.Blocks?.ToNormalization(e);
        }
        catch (ArgumentException ex)
        {
            throw Format(full, "has invalid spectral blocks in its normalisation: " + ex.Message, "normalization.blocks", ex);
        }

        var normalizer = new GmvaeNormalizer(norm.Mode, e, norm.Scale, norm.Mean ?? [], norm.Std ?? [], blockNorm);

        TorchNative.EnsureLoaded(logger);
        var torchDevice = GmvaeModel.ResolveDevice(device);
        var network = new GmvaeNetwork(e, header.Options);
        try
        {
            using (var stream = new MemoryStream(bytes, payloadOffset, (int)payloadLength, writable: false))
            using (var reader = new BinaryReader(stream, Encoding.UTF8))
            {
                network.load(reader, strict: true);
            }

            if (torchDevice.type != DeviceType.CPU)
            {
                network.to(torchDevice);
            }
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or IOException or EndOfStreamException or FormatException
            or NotImplementedException or OverflowException)
        {
            network.Dispose();
            throw Format(full, "has weights that do not match the architecture in its header: " + ex.Message, "weights", ex);
        }

        var model = new GmvaeModel(network, normalizer, energies, header.Options, header.History, torchDevice, logger);
        LogLoaded(logger, full, e, header.Library ?? "unknown");
        return model;
    }

    private static CheckpointFormatException Format(string path, string problem, string field, Exception? inner = null) =>
        new($"The GMVAE checkpoint '{path}' {problem}.", inner) { FileName = path, Field = field };

    [LoggerMessage(Level = LogLevel.Debug, Message = "Loaded GMVAE checkpoint {Path} ({Energies} energies, written by {Library}).")]
    private static partial void LogLoaded(ILogger logger, string path, int energies, string library);
}

/// <summary>The JSON header of a checkpoint.</summary>
internal sealed class CheckpointHeader
{
    public uint FormatVersion { get; set; }

    public string? Library { get; set; }

    public double[]? EnergiesEv { get; set; }

    public GmvaeOptions? Options { get; set; }

    public NormalizationState? Normalization { get; set; }

    public GmvaeTrainingHistory? History { get; set; }

    public string[]? StateKeys { get; set; }
}

/// <summary>The stored input transform.</summary>
internal sealed class NormalizationState
{
    public GmvaeNormalization Mode { get; set; }

    public double Scale { get; set; }

    public float[]? Mean { get; set; }

    public float[]? Std { get; set; }

    /// <summary>The per-block transform of a fused multi-edge input; absent in older checkpoints and single-block models.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public BlockState? Blocks { get; set; }
}

/// <summary>The stored <see cref="BlockNormalization"/>: blocks, weights (and where they came from), scaling and scales.</summary>
internal sealed class BlockState
{
    public string[]? Names { get; set; }

    public int[]? Counts { get; set; }

    public double[]? Weights { get; set; }

    public BlockWeightSource WeightSource { get; set; }

    public BlockScaling Scaling { get; set; }

    public double[]? Scales { get; set; }

    public static BlockState From(BlockNormalization n) => new()
    {
        Names = [.. n.Blocks.Names],
        Counts = [.. n.Blocks.Counts],
        Weights = [.. n.Blocks.Weights],
        WeightSource = n.Blocks.WeightSource,
        Scaling = n.Scaling,
        Scales = [.. n.Scales],
    };

    /// <summary>Rebuilds the transform; throws <see cref="ArgumentException"/> when a field is missing or inconsistent.</summary>
    public BlockNormalization ToNormalization(int energies)
    {
        var blocks = new SpectralBlocks(
            Names ?? throw new ArgumentException("The block names are missing."),
            Counts ?? throw new ArgumentException("The block counts are missing."));
        blocks = blocks.WithWeights(Weights ?? throw new ArgumentException("The block weights are missing."), WeightSource);
        if (blocks.EnergyCount != energies)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"The blocks cover {blocks.EnergyCount} energies but the model has {energies}."));
        }

        return new BlockNormalization(blocks, Scaling, Scales);
    }
}

[JsonSourceGenerationOptions(WriteIndented = true, UseStringEnumConverter = true,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(CheckpointHeader))]
internal sealed partial class CheckpointJsonContext : JsonSerializerContext
{
}
