using PureHDF;
using PureHDF.VOL.Native;
using StxmPhase.Spectra;

namespace StxmPhase.IO;

/// <summary>
/// Reads NeXus NXstxm HDF5 files (SLS PolLux, pyStxm/CLS, pystxmcontrol/ALS, and files written by
/// <see cref="NxstxmResultWriter"/>).
/// </summary>
/// <remarks>
/// <para>
/// Entries are top-level groups with <c>@NX_class = NXentry</c>; a <c>definition</c> dataset, when present, must say
/// <c>NXstxm</c> (scalar string or one-element array both accepted). Channels are the entry's <c>NXdata</c> groups
/// (e.g. <c>counter0</c>); <see cref="StackReadOptions.Entry"/> and <see cref="StackReadOptions.Channel"/> choose by
/// name, the defaults are the first of each. The signal is <c>@signal</c> (default <c>data</c>); the axis order comes from
/// <c>@axes</c> (energy, sample_y, sample_x in any order; transposed to energy-major). Energies come from
/// <c>energy</c>, else <c>photon_energy</c>, else <c>instrument/monochromator/energy</c>.
/// </para>
/// <para>
/// Scan types: image stacks (rank 3) are read; single images (rank 2, or rank 3 with one energy) become a
/// one-energy stack; point spectra, line spectra (<c>line_position</c> axis) and focus scans are rejected with a message
/// naming the scan type. Frames that are entirely NaN at the end (pyStxm writes NaN for frames not yet acquired) are
/// dropped and counted in <c>nxstxm.droppedNaNFrames</c>. Pixel size comes from <c>sample_x</c>/<c>sample_y</c>
/// (units µm unless <c>@units</c> says nm or mm), dwell from the mean of <c>count_time</c> (s). Values are detector
/// counts (<see cref="SpectralQuantity.Transmission"/>) unless <see cref="StackReadOptions.Quantity"/> says otherwise or the
/// signal has a <c>@quantity</c> attribute naming a <see cref="SpectralQuantity"/> (as <see cref="NxstxmResultWriter"/> writes).
/// </para>
/// <para>
/// HDF5 files with a user block (superblock at 512, 1024, … bytes) are supported. Before reading, the dataset's
/// declared size is checked against the file length (contiguous: at most the file length; chunked: at most 1100× it,
/// the DEFLATE limit). Errors from the HDF5 library are wrapped in <see cref="InvalidStackContentException"/>.
/// </para>
/// </remarks>
public sealed class NxstxmStackReader : IStackInspector
{
    private readonly NxstxmReadOptions _options;

    /// <summary>Initializes a reader with default options (no monitor normalisation).</summary>
    public NxstxmStackReader()
        : this(NxstxmReadOptions.Default)
    {
    }

    /// <summary>Initializes a reader with NXstxm-specific options.</summary>
    /// <param name="options">The options.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    public NxstxmStackReader(NxstxmReadOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
    }

    /// <inheritdoc/>
    public string FormatName => "NeXus NXstxm HDF5";

    /// <inheritdoc/>
    public bool CanRead(ReadOnlySpan<byte> header, string? fileName)
    {
        if (header.StartsWith(H5Util.Signature))
        {
            return true;
        }

        string ext = Path.GetExtension(fileName ?? string.Empty).ToUpperInvariant();
        return ext is ".H5" or ".HDF5" or ".HDF" or ".NXS" or ".NX" or ".NXSTXM";
    }

    /// <inheritdoc/>
    public SpectralStack Read(Stream stream, StackReadOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(options);
        return WithFile(stream, options.FileName, (file, length) => ReadCore(file, length, options, cancellationToken));
    }

    /// <inheritdoc/>
    public StackFileInfo Inspect(Stream stream, StackReadOptions options)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(options);
        return WithFile(stream, options.FileName, (file, length) =>
        {
            List<IH5Group> entries = NxstxmSelection.Entries(file, options.FileName ?? "(stream)");
            NxstxmSelection sel = NxstxmSelection.Select(file, entries, options, length);
            return new StackFileInfo
            {
                Format = FormatName,
                FileName = options.FileName,
                ScanType = sel.ScanType,
                Width = sel.Width,
                Height = sel.Height,
                EnergyCount = sel.Energies.Length,
                EnergiesEv = sel.Energies,
                Channels = sel.Channels,
                Entries = entries.Select(e => e.Name).ToArray(),
                PixelSizeXNm = sel.PixelXNm,
                PixelSizeYNm = sel.PixelYNm,
                DwellTimeMs = sel.DwellMs,
                DataType = sel.Data.Type.Class + " " + sel.Data.Type.Size.ToString(System.Globalization.CultureInfo.InvariantCulture) + " bytes",
                Attributes = new Dictionary<string, string>
                {
                    ["nxstxm.entry"] = sel.Entry.Name,
                    ["nxstxm.channel"] = sel.Channel.Name,
                    ["nxstxm.monitors"] = string.Join(", ", NxstxmSelection.Monitors(sel.Entry)),
                },
            };
        });
    }

    private static T WithFile<T>(Stream stream, string? fileName, Func<NativeFile, long, T> body)
    {
        string file = fileName ?? "(stream)";
        if (!stream.CanSeek)
        {
            throw new ArgumentException("NXstxm HDF5 reading needs a seekable stream.", nameof(stream));
        }

        try
        {
            long super = H5Util.FindSuperblock(stream);
            if (super < 0)
            {
                throw IoError.Invalid(file, "superblock", 0, "no HDF5 signature at offset 0, 512, 1024, … (not an HDF5 file).");
            }

            H5Util.CheckGlobalHeaps(stream, super, file);
            using OffsetStream view = super == 0 ? new OffsetStream(stream, 0) : BaseAddressView(stream, super);
            using NativeFile h5 = H5File.Open(view, leaveOpen: true);
            return body(h5, view.Length);
        }
        catch (EndOfStreamException ex)
        {
            // The HDF5 library followed an address past the end of the file: the usual sign of an incomplete copy or download.
            throw IoError.Invalid(file, null, null, string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"the file ends before its HDF5 structure does ({stream.Length} bytes): it is probably truncated (an incomplete copy "
                + $"or transfer); copy it again from the original."), ex);
        }
        catch (Exception ex) when (ex is not StxmPhaseException and not OperationCanceledException and not ArgumentException { ParamName: "stream" })
        {
            throw IoError.Invalid(file, null, null, "the HDF5 structure could not be read (" + ex.GetType().Name + ": " + ex.Message + ").", ex);
        }
    }

    private static OffsetStream BaseAddressView(Stream stream, long super)
    {
        stream.Position = super + 8;
        int version = stream.ReadByte();
        stream.Position = super;
        // Base address: offset 24 in superblock versions 0 and 1, offset 12 in versions 2 and 3 (8-byte offsets assumed).
        return version switch
        {
            0 or 1 => new OffsetStream(stream, super, 24, 8),
            2 or 3 => new OffsetStream(stream, super, 12, 8),
            _ => new OffsetStream(stream, super),
        };
    }

    private SpectralStack ReadCore(NativeFile h5, long length, StackReadOptions options, CancellationToken ct)
    {
        string file = options.FileName ?? "(stream)";
        List<IH5Group> entries = NxstxmSelection.Entries(h5, file);
        NxstxmSelection sel = NxstxmSelection.Select(h5, entries, options, length);
        ct.ThrowIfCancellationRequested();
        float[] raw = H5Util.ReadSingles(sel.Data);
        ct.ThrowIfCancellationRequested();
        int e = sel.Energies.Length, h = sel.Height, w = sel.Width;
        float[] data = Permute(raw, sel.Dims, sel.Order);
        var attrs = new Dictionary<string, string>
        {
            ["nxstxm.entry"] = sel.Entry.Name,
            ["nxstxm.channel"] = sel.Channel.Name,
            ["nxstxm.scanType"] = sel.ScanType,
        };

        if (_options.Monitor is string monitorName)
        {
            Normalise(sel, monitorName, data, file, ct);
            attrs["nxstxm.normalisedBy"] = monitorName;
        }

        int plane = w * h;
        int keep = e;
        while (keep > 1 && AllNaN(data.AsSpan((keep - 1) * plane, plane)))
        {
            keep--;
        }

        double[] energies = sel.Energies;
        if (keep < e)
        {
            attrs["nxstxm.droppedNaNFrames"] = (e - keep).ToString(System.Globalization.CultureInfo.InvariantCulture);
            data = data.AsSpan(0, keep * plane).ToArray();
            energies = energies[..keep];
        }

        var meta = new StackMetadata
        {
            Name = Path.GetFileNameWithoutExtension(file),
            SourceFile = options.FileName,
            PixelSizeXNm = sel.PixelXNm,
            PixelSizeYNm = sel.PixelYNm,
            DwellTimeMs = sel.DwellMs,
            Attributes = attrs,
        };
        SpectralQuantity quantity = options.Quantity
            ?? (Enum.TryParse(H5Util.AttrString(sel.Data, "quantity"), ignoreCase: true, out SpectralQuantity q)
                && Enum.IsDefined(q) ? q : SpectralQuantity.Transmission);
        return StackAssembly.Build(file, sel.Channel.Name + "/energy", energies, w, h, data, quantity, meta);
    }

    private static bool AllNaN(ReadOnlySpan<float> s)
    {
        foreach (float v in s)
        {
            if (!float.IsNaN(v))
            {
                return false;
            }
        }

        return true;
    }

    private static void Normalise(NxstxmSelection sel, string monitorName, float[] data, string file, CancellationToken ct)
    {
        if (!sel.Entry.LinkExists(monitorName) || sel.Entry.Get(monitorName) is not IH5Group mon)
        {
            throw IoError.Invalid(file, $"{sel.Entry.Name}/{monitorName}", null,
                $"the monitor group does not exist; the entry has monitors: {string.Join(", ", NxstxmSelection.Monitors(sel.Entry))}.");
        }

        IH5Dataset md = H5Util.Dataset(mon, H5Util.AttrString(mon, "signal") ?? "data")
            ?? throw IoError.Invalid(file, $"{sel.Entry.Name}/{monitorName}/data", null, "the monitor has no data dataset.");
        if (H5Util.ElementCount(md) != data.Length)
        {
            throw IoError.Invalid(file, $"{sel.Entry.Name}/{monitorName}/data", null, IoError.Inv(
                $"the monitor has {H5Util.ElementCount(md)} values; the detector data has {data.Length}."));
        }

        ct.ThrowIfCancellationRequested();
        int[] monDims = H5Util.Dims(md).Select(d => (int)d).ToArray();
        int[] monOrder = sel.Order;
        string[] monAxes = H5Util.AttrStrings(mon, "axes");
        if (monAxes.Length == monDims.Length && monDims.Length == sel.Order.Length)
        {
            string[] wanted = monDims.Length == 3 ? ["energy", "sample_y", "sample_x"] : ["sample_y", "sample_x"];
            int[] o = wanted.Select(a => Array.IndexOf(monAxes, a)).ToArray();
            if (o.All(i => i >= 0))
            {
                monOrder = o;
            }
        }
        else if (monDims.Length != sel.Dims.Length)
        {
            monDims = sel.Dims;
        }

        float[] m = Permute(H5Util.ReadSingles(md), monDims, monOrder);
        float[] finite = m.Where(float.IsFinite).ToArray();
        if (finite.Length == 0)
        {
            throw IoError.Invalid(file, $"{sel.Entry.Name}/{monitorName}/data", null, "the monitor holds no finite value.");
        }

        Array.Sort(finite);
        double median = finite.Length % 2 == 1 ? finite[finite.Length / 2] : 0.5 * (finite[(finite.Length / 2) - 1] + finite[finite.Length / 2]);
        for (int i = 0; i < data.Length; i++)
        {
            double f = m[i] / median;
            data[i] = f != 0 && double.IsFinite(f) ? (float)(data[i] / f) : float.NaN;
        }
    }

    /// <summary>Transposes data stored with axes in <paramref name="order"/> positions into (energy, y, x) order.</summary>
    private static float[] Permute(float[] raw, int[] dims, int[] order)
    {
        bool identity = true;
        for (int i = 0; i < order.Length; i++)
        {
            identity &= order[i] == i;
        }

        if (identity)
        {
            return raw;
        }

        int rank = dims.Length;
        long[] strides = new long[rank];
        long s = 1;
        for (int d = rank - 1; d >= 0; d--)
        {
            strides[d] = s;
            s *= dims[d];
        }

        int[] outDims = order.Select(o => dims[o]).ToArray();
        float[] result = new float[raw.Length];
        int[] idx = new int[rank];
        for (long i = 0; i < raw.Length; i++)
        {
            long src = 0;
            for (int d = 0; d < rank; d++)
            {
                src += idx[d] * strides[order[d]];
            }

            result[i] = raw[src];
            for (int d = rank - 1; d >= 0; d--)
            {
                if (++idx[d] < outDims[d])
                {
                    break;
                }

                idx[d] = 0;
            }
        }

        return result;
    }
}
