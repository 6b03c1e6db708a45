using PureHDF;
using PureHDF.VOL.Native;
using StxmPhase.Spectra;

namespace StxmPhase.IO;

/// <summary>
/// What <see cref="NxstxmStackReader"/> reads from an NXstxm file: the chosen entry, detector channel and data set, the
/// order of its axes, the energies, image size, scan type, the other channels, pixel sizes and dwell time; and the
/// rules that find them (entries, channels, axes).
/// </summary>
internal sealed record NxstxmSelection(IH5Group Entry, IH5Group Channel, IH5Dataset Data, int[] Dims, int[] Order, double[] Energies,
    int Width, int Height, string ScanType, string[] Channels, double? PixelXNm, double? PixelYNm, double? DwellMs)
{
    /// <summary>The top-level NXentry groups whose definition is NXstxm (or absent); throws when there is none.</summary>
    public static List<IH5Group> Entries(NativeFile h5, string file)
    {
        var result = new List<IH5Group>();
        foreach (IH5Object child in h5.Children())
        {
            if (child is not IH5Group g || H5Util.AttrString(g, "NX_class") != "NXentry")
            {
                continue;
            }

            string? def = H5Util.DatasetString(g, "definition");
            if (def is null || def.Trim().Equals("NXstxm", StringComparison.OrdinalIgnoreCase))
            {
                result.Add(g);
            }
        }

        if (result.Count == 0)
        {
            throw IoError.Invalid(file, "NXentry", null, "the file has no NXentry group with definition NXstxm.");
        }

        return result;
    }

    /// <summary>Picks the entry, the detector channel and its axes as the options ask, and reads the energies, pixel sizes and dwell time.</summary>
    public static NxstxmSelection Select(NativeFile h5, List<IH5Group> entries, StackReadOptions options, long length)
    {
        string file = options.FileName ?? "(stream)";
        IH5Group entry;
        if (options.Entry is string wantEntry)
        {
            entry = entries.FirstOrDefault(e => e.Name == wantEntry)
                ?? throw IoError.Invalid(file, "entry", null,
                    $"entry '{wantEntry}' was requested; the file has {string.Join(", ", entries.Select(e => $"'{e.Name}'"))}.");
        }
        else
        {
            entry = entries[0];
        }

        List<IH5Group> channels = entry.Children().OfType<IH5Group>().Where(g => H5Util.AttrString(g, "NX_class") == "NXdata").ToList();
        if (channels.Count == 0)
        {
            throw IoError.Invalid(file, entry.Name, null, "the entry has no NXdata group.");
        }

        IH5Group channel;
        if (options.Channel is string wantChannel)
        {
            channel = channels.FirstOrDefault(c => c.Name == wantChannel)
                ?? throw IoError.Invalid(file, entry.Name, null,
                    $"channel '{wantChannel}' was requested; the entry has {string.Join(", ", channels.Select(c => $"'{c.Name}'"))}.");
        }
        else
        {
            channel = channels[0];
        }

        string where = $"{entry.Name}/{channel.Name}";
        string signal = H5Util.AttrString(channel, "signal") ?? "data";
        IH5Dataset data = H5Util.Dataset(channel, signal)
            ?? throw IoError.Invalid(file, $"{where}/{signal}", null, "the signal dataset does not exist.");
        ulong[] dims = H5Util.Dims(data);
        string scanType = H5Util.DatasetString(channel, "stxm_scan_type") ?? H5Util.DatasetString(entry, "stxm_scan_type") ?? string.Empty;
        string[] axes = H5Util.AttrStrings(channel, "axes");
        string typeLower = scanType.ToUpperInvariant();
        if (axes.Contains("line_position") || typeLower.Contains("LINE", StringComparison.Ordinal))
        {
            throw IoError.Invalid(file, where, null,
                $"'{Describe(scanType, axes)}' is a line spectrum (energy × line position), not an image stack.");
        }

        if (typeLower.Contains("FOCUS", StringComparison.Ordinal) || axes.Contains("zoneplate_z") || axes.Contains("zp_z"))
        {
            throw IoError.Invalid(file, where, null, $"'{Describe(scanType, axes)}' is a focus scan, not an image stack.");
        }

        if (dims.Length == 1 || typeLower.Contains("POINT", StringComparison.Ordinal))
        {
            throw IoError.Invalid(file, where, null, $"'{Describe(scanType, axes)}' is a point spectrum, not an image stack.");
        }

        if (dims.Length is not (2 or 3))
        {
            throw IoError.Invalid(file, $"{where}/{signal}", null,
                IoError.Inv($"the signal has rank {dims.Length}; an image needs 2 and a stack 3."));
        }

        if (axes.Length != dims.Length)
        {
            axes = dims.Length == 3 ? ["energy", "sample_y", "sample_x"] : ["sample_y", "sample_x"];
        }

        int ie = Array.IndexOf(axes, "energy");
        if (ie < 0)
        {
            ie = Array.IndexOf(axes, "photon_energy");
        }

        int iy = Array.IndexOf(axes, "sample_y");
        int ix = Array.IndexOf(axes, "sample_x");
        if (iy < 0 || ix < 0 || (dims.Length == 3 && ie < 0))
        {
            throw IoError.Invalid(file, $"{where}/@axes", null, $"axes [{string.Join(", ", axes)}] do not name energy, sample_y and sample_x.");
        }

        long elements = H5Util.ElementCount(data);
        long bytes = elements == long.MaxValue ? long.MaxValue : elements * H5Util.ElementSize(data);
        long limit = data.Layout.Class == H5DataLayoutClass.Chunked ? length * 1100 : length;
        if (bytes > limit)
        {
            throw IoError.Invalid(file, $"{where}/{signal}", null, IoError.Inv(
                $"the dataset declares shape ({string.Join(", ", dims)}) = {bytes} bytes, impossible in a {length}-byte file."));
        }

        int nx = (int)Math.Min(dims[ix], int.MaxValue);
        int ny = (int)Math.Min(dims[iy], int.MaxValue);
        int ne = dims.Length == 3 ? (int)Math.Min(dims[ie], int.MaxValue) : 1;
        StackAssembly.CheckedCount(file, $"{where}/{signal}", ne, nx, ny);
        double[] energies = ReadEnergies(h5, entry, channel, file, where);
        if (energies.Length != ne)
        {
            if (dims.Length == 2 && energies.Length >= 1)
            {
                energies = energies[..1];
            }
            else
            {
                throw IoError.Invalid(file, $"{where}/energy", null,
                    IoError.Inv($"the data has {ne} energies but the energy dataset holds {energies.Length} values."));
            }
        }

        int[] order = dims.Length == 3 ? [ie, iy, ix] : [iy, ix];
        int[] intDims = dims.Select(d => (int)d).ToArray();
        double? dwell = null;
        if (H5Util.Dataset(channel, "count_time") is IH5Dataset ct && ct.Type.Class == H5DataTypeClass.FloatingPoint
            && H5Util.ElementCount(ct) <= 1_000_000)
        {
            double[] t = H5Util.ReadDoubles(ct).Where(double.IsFinite).ToArray();
            dwell = t.Length > 0 ? t.Average() * 1000.0 : null;
        }

        return new NxstxmSelection(entry, channel, data, intDims, order, energies, nx, ny,
            string.IsNullOrEmpty(scanType) ? (dims.Length == 3 ? "sample image stack" : "sample image") : scanType,
            channels.Select(c => c.Name).ToArray(),
            PixelNm(channel, "sample_x", nx), PixelNm(channel, "sample_y", ny), dwell);
    }

    /// <summary>The names of the NXmonitor groups of an entry.</summary>
    public static List<string> Monitors(IH5Group entry) =>
        entry.Children().OfType<IH5Group>().Where(g => H5Util.AttrString(g, "NX_class") == "NXmonitor").Select(g => g.Name).ToList();

    private static string Describe(string scanType, string[] axes) =>
        string.IsNullOrEmpty(scanType) ? "axes " + string.Join(", ", axes) : scanType;

    private static double[] ReadEnergies(NativeFile h5, IH5Group entry, IH5Group channel, string file, string where)
    {
        IH5Dataset? d = H5Util.Dataset(channel, "energy") ?? H5Util.Dataset(channel, "photon_energy");
        if (d is null && entry.LinkExists("instrument") && entry.Get("instrument") is IH5Group inst
            && inst.LinkExists("monochromator") && inst.Get("monochromator") is IH5Group mono)
        {
            d = H5Util.Dataset(mono, "energy");
        }

        if (d is null)
        {
            throw IoError.Invalid(file, $"{where}/energy", null, "no energy dataset (energy, photon_energy or instrument/monochromator/energy).");
        }

        if (H5Util.ElementCount(d) > 1_000_000)
        {
            throw IoError.Invalid(file, $"{where}/energy", null, "the energy dataset is implausibly large.");
        }

        _ = h5;
        return H5Util.ReadDoubles(d);
    }

    private static double? PixelNm(IH5Group channel, string name, int n)
    {
        if (n < 2 || H5Util.Dataset(channel, name) is not IH5Dataset d || H5Util.ElementCount(d) != n)
        {
            return null;
        }

        double[] v = H5Util.ReadDoubles(d);
        double step = Math.Abs(v[^1] - v[0]) / (n - 1);
        string units = (H5Util.AttrString(d, "units") ?? "um").Trim();
        double factor = units switch
        {
            "nm" => 1,
            "mm" => 1e6,
            "m" => 1e9,
            _ => 1000,
        };
        double px = step * factor;
        return double.IsFinite(px) && px > 0 ? px : null;
    }
}
