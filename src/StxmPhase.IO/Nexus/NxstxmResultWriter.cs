using System.Globalization;
using PureHDF;
using StxmPhase.Spectra;

namespace StxmPhase.IO;

/// <summary>
/// Writes a stack and optional result maps as an NXstxm-compatible HDF5 file that <see cref="NxstxmStackReader"/>,
/// MANTiS and h5py read.
/// </summary>
/// <remarks>
/// Layout: <c>/entry1</c> (NXentry, <c>definition = ["NXstxm"]</c>), <c>/entry1/counter0</c> (NXdata:
/// <c>data</c> float32 (energy, y, x), <c>energy</c> eV, <c>sample_x</c>/<c>sample_y</c> µm (pixel centres from the
/// pixel size, else pixel indices), <c>stxm_scan_type = ["sample image stack"]</c>, <c>@signal</c>, <c>@axes</c>), and
/// <c>/entry1/results</c> (NXcollection) holding each named float32 map (y, x) and, when given, <c>phase_labels</c> int32
/// (y, x; −1 = unassigned) with <c>@phase_names</c>. Written to a temporary file and renamed.
/// </remarks>
public static class NxstxmResultWriter
{
    private static readonly string[] s_scanType = ["sample image stack"];
    private static readonly string[] s_definition = ["NXstxm"];
    private static readonly string[] s_axes = ["energy", "sample_y", "sample_x"];

    /// <summary>Writes the file.</summary>
    /// <param name="path">The destination file.</param>
    /// <param name="stack">The stack (stored as the NXdata signal).</param>
    /// <param name="maps">Optional named float32 maps of stack.Width × stack.Height values (e.g. correlation, ambiguity).</param>
    /// <param name="phaseMap">Optional phase map of the same size.</param>
    /// <exception cref="ArgumentNullException"><paramref name="stack"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A map has the wrong length or an invalid name, or the phase map has a different size.</exception>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public static void Write(string path, SpectralStack stack, IReadOnlyDictionary<string, float[]>? maps = null, PhaseMap? phaseMap = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(stack);
        int w = stack.Width, h = stack.Height;
        var results = new H5Group();
        results.Attributes = new Dictionary<string, object> { ["NX_class"] = "NXcollection" };
        if (maps is not null)
        {
            foreach (KeyValuePair<string, float[]> kv in maps)
            {
                if (string.IsNullOrWhiteSpace(kv.Key) || kv.Key.Contains('/', StringComparison.Ordinal) || kv.Key == "phase_labels")
                {
                    throw new ArgumentException($"Map name '{kv.Key}' is empty, contains '/', or is reserved.", nameof(maps));
                }

                if (kv.Value is null || kv.Value.Length != w * h)
                {
                    throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                        $"Map '{kv.Key}' must hold {w} × {h} = {w * h} values; got {kv.Value?.Length ?? 0}."), nameof(maps));
                }

                results[kv.Key] = new H5Dataset(kv.Value.ToArray(), fileDims: [(ulong)h, (ulong)w]);
            }
        }

        if (phaseMap is not null)
        {
            if (phaseMap.Width != w || phaseMap.Height != h)
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                    $"The phase map is {phaseMap.Width} × {phaseMap.Height}; the stack is {w} × {h}."), nameof(phaseMap));
            }

            results["phase_labels"] = new H5Dataset(phaseMap.Labels.ToArray(), fileDims: [(ulong)h, (ulong)w])
            {
                Attributes = new Dictionary<string, object> { ["phase_names"] = phaseMap.PhaseNames.ToArray() },
            };
        }

        double pxX = (stack.Metadata.PixelSizeXNm ?? 1000.0) / 1000.0;
        double pxY = (stack.Metadata.PixelSizeYNm ?? stack.Metadata.PixelSizeXNm ?? 1000.0) / 1000.0;
        double[] xs = Enumerable.Range(0, w).Select(i => i * pxX).ToArray();
        double[] ys = Enumerable.Range(0, h).Select(i => i * pxY).ToArray();
        var data = new H5Group
        {
            ["data"] = new H5Dataset(stack.Data.ToArray(), fileDims: [(ulong)stack.EnergyCount, (ulong)h, (ulong)w])
            {
                Attributes = new Dictionary<string, object> { ["quantity"] = stack.Quantity.ToString() },
            },
            ["energy"] = new H5Dataset(stack.Energies.AsSpan().ToArray()) { Attributes = new Dictionary<string, object> { ["units"] = "eV" } },
            ["sample_x"] = new H5Dataset(xs) { Attributes = new Dictionary<string, object> { ["units"] = "um" } },
            ["sample_y"] = new H5Dataset(ys) { Attributes = new Dictionary<string, object> { ["units"] = "um" } },
            ["stxm_scan_type"] = new H5Dataset(s_scanType),
        };
        data.Attributes = new Dictionary<string, object>
        {
            ["NX_class"] = "NXdata",
            ["signal"] = "data",
            ["axes"] = s_axes,
        };
        if (stack.Metadata.DwellTimeMs is double dwell)
        {
            data["count_time"] = new H5Dataset(Enumerable.Repeat(dwell / 1000.0, stack.EnergyCount).ToArray())
            {
                Attributes = new Dictionary<string, object> { ["units"] = "s" },
            };
        }

        var entry = new H5Group
        {
            ["definition"] = new H5Dataset(s_definition),
            ["title"] = new H5Dataset(new[] { stack.Metadata.Name ?? "stack" }),
            ["counter0"] = data,
            ["results"] = results,
        };
        entry.Attributes = new Dictionary<string, object> { ["NX_class"] = "NXentry" };
        var file = new H5File { ["entry1"] = entry };
        AtomicFile.Write(path, s => file.Write(s));
    }
}
