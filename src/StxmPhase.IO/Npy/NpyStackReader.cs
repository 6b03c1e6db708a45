using StxmPhase.Spectra;

namespace StxmPhase.IO;

/// <summary>
/// Reads a stack from a NumPy <c>.npy</c> array of shape (energies, height, width), or (height, width) for a single
/// image. Energies come from <see cref="StackReadOptions.Energies"/> or a sidecar next to the file
/// (<c>{stem}.energies.csv</c>, <c>{stem}_energies.csv</c>, <c>{stem}.txt</c>, <c>{stem}.csv</c>, then <c>energies.csv</c>
/// in the same folder as <c>stxmphase synth</c> writes it; rules of <see cref="EnergyAxisCsv"/>); the metadata attribute
/// <c>energies.source</c> names the file used.
/// </summary>
/// <remarks><see cref="Inspect"/> records a file shorter or longer than its header declares as the attribute <c>warning</c>.
/// Values are converted to float32. The quantity is <see cref="StackReadOptions.Quantity"/> or, when that is not
/// set, detected from the values: a median above 5 is detector counts (transmission); values below −0.02 or above 1.5,
/// or sample-free pixels near 0, are optical density; values in 0…1 with sample-free pixels near 1 are transmittance;
/// anything else raises <see cref="InvalidStackContentException"/> asking for the quantity. The metadata attribute
/// <c>quantity</c> says what was assumed and why. Frames listed in descending energy order are re-sorted.</remarks>
public sealed class NpyStackReader : IStackInspector
{
    /// <inheritdoc/>
    public string FormatName => "NumPy .npy";

    /// <inheritdoc/>
    public bool CanRead(ReadOnlySpan<byte> header, string? fileName) => NpyFile.IsNpy(header);

    /// <inheritdoc/>
    public SpectralStack Read(Stream stream, StackReadOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        string? file = options.FileName;
        long start = stream.CanSeek ? stream.Position : 0;
        NpyHeader header = NpyFile.ReadHeader(stream, file);
        (int e, int h, int w) = Dims(header.Shape, file);
        double[] energies = EnergyAxisCsv.ForStack(options, FormatName, out string? sidecar);
        var attributes = new Dictionary<string, string>();
        if (sidecar is not null)
        {
            attributes[QuantityDetection.EnergiesAttribute] = sidecar;
        }

        if (energies.Length != e)
        {
            throw new IncompatibleEnergiesException(IoError.Where(file, "energies", null) +
                IoError.Inv($"the array has {e} energy planes but {energies.Length} energies were ") +
                    IoError.Inv($"given{(sidecar is null ? string.Empty : $" (in '{sidecar}')")}."))
            {
                FileName = file,
                Field = "energies",
            };
        }

        if (stream.CanSeek)
        {
            stream.Position = start;
        }
        else
        {
            throw IoError.Invalid(file, "data", null, IoError.Inv($"the stream must be seekable ({e} × {h} × {w} array)."));
        }

        float[] data = NpyFile.ReadSingles(stream, file, cancellationToken);
        SpectralQuantity quantity = QuantityDetection.Resolve(file, options.Quantity, data, attributes);
        var meta = new StackMetadata { Name = Path.GetFileNameWithoutExtension(file), SourceFile = file, Attributes = attributes };
        return StackAssembly.Build(file, "energies", energies, w, h, data, quantity, meta);
    }

    /// <inheritdoc/>
    public StackFileInfo Inspect(Stream stream, StackReadOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        NpyHeader h = NpyFile.ReadHeader(stream, options.FileName);
        (int e, int hh, int w) = Dims(h.Shape, options.FileName);
        var attrs = new Dictionary<string, string>();
        try
        {
            NpyFile.CheckDataLength(stream, h, options.FileName);
        }
        catch (InvalidStackContentException ex)
        {
            attrs["warning"] = ex.Message;
        }

        double[] energies = EnergyAxisCsv.ForStackOrReason(options, FormatName, attrs);

        return new StackFileInfo
        {
            Format = FormatName,
            FileName = options.FileName,
            Width = w,
            Height = hh,
            EnergyCount = e,
            EnergiesEv = energies,
            DataType = h.DType.Descr + (h.FortranOrder ? " (Fortran order)" : string.Empty),
            Attributes = attrs,
        };
    }

    private static (int E, int H, int W) Dims(int[] shape, string? file)
    {
        (int e, int h, int w) = shape.Length switch
        {
            3 => (shape[0], shape[1], shape[2]),
            2 => (1, shape[0], shape[1]),
            _ =>
                throw IoError.Invalid(file, "shape", null,
                    IoError.Inv($"a stack needs shape (energies, height, width) or (height, width); got rank {shape.Length}.")),
        };
        StackAssembly.CheckedCount(file, "shape", e, w, h);
        return (e, h, w);
    }
}
