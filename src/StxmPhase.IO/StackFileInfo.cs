using System.Globalization;
using System.Text;
using StxmPhase.Spectra;

namespace StxmPhase.IO;

/// <summary>
/// What a stack file holds, as reported by <see cref="StackFile.Inspect(string, StackReadOptions?)"/>: format,
/// dimensions, energies, channels, entries, pixel size and dwell. Produced from headers without reading the pixel data
/// where the format allows it.
/// </summary>
public sealed class StackFileInfo
{
    /// <summary>Gets the format name (e.g. "NeXus NXstxm HDF5", "SDF .hdr/.xim").</summary>
    public required string Format { get; init; }

    /// <summary>Gets the file that was inspected.</summary>
    public string? FileName { get; init; }

    /// <summary>Gets the scan type declared by the file (e.g. "sample image stack", "NEXAFS Image Scan"), when known.</summary>
    public string? ScanType { get; init; }

    /// <summary>Gets the image width in pixels (x).</summary>
    public int Width { get; init; }

    /// <summary>Gets the image height in pixels (y).</summary>
    public int Height { get; init; }

    /// <summary>Gets the number of energies that would be read.</summary>
    public int EnergyCount { get; init; }

    /// <summary>Gets the energies in eV in file order, when the file stores them.</summary>
    public IReadOnlyList<double> EnergiesEv { get; init; } = [];

    /// <summary>Gets the detector channels the file offers (the first is read by default).</summary>
    public IReadOnlyList<string> Channels { get; init; } = [];

    /// <summary>Gets the stack entries (HDF5 NXentry names) the file offers.</summary>
    public IReadOnlyList<string> Entries { get; init; } = [];

    /// <summary>Gets the number of regions of a multi-region scan (1 otherwise).</summary>
    public int RegionCount { get; init; } = 1;

    /// <summary>Gets the pixel size along x in nanometres, when known.</summary>
    public double? PixelSizeXNm { get; init; }

    /// <summary>Gets the pixel size along y in nanometres, when known.</summary>
    public double? PixelSizeYNm { get; init; }

    /// <summary>Gets the dwell time per pixel in milliseconds, when known.</summary>
    public double? DwellTimeMs { get; init; }

    /// <summary>Gets the on-disk element type (e.g. "float64", "int16 × 1/scale", "text"), when known.</summary>
    public string? DataType { get; init; }

    /// <summary>Gets further facts (producer, normalisation monitors, missing frames…).</summary>
    public IReadOnlyDictionary<string, string> Attributes { get; init; } = new Dictionary<string, string>();

    /// <summary>Up to this many energies, <see cref="ToString"/> lists every energy; beyond, it gives the range.</summary>
    private const int ListedEnergies = 20;

    /// <summary>
    /// Up to this many comma-separated items (e.g. the missing frame files of <c>sdf.missingFrames</c>), <see cref="ToString"/>
    /// lists an attribute whole; beyond, the first three, the last and the count (<see cref="Attributes"/> keeps every item).
    /// </summary>
    private const int ListedItems = 6;

    /// <summary>Returns a multi-line, human-readable summary (used by <c>stxmphase info</c>).</summary>
    /// <returns>The summary.</returns>
    public override string ToString()
    {
        var sb = new StringBuilder();
        CultureInfo c = CultureInfo.InvariantCulture;
        sb.Append(c, $"Format:     {Format}\n");
        if (FileName is not null)
        {
            sb.Append(c, $"File:       {FileName}\n");
        }

        if (ScanType is not null)
        {
            sb.Append(c, $"Scan type:  {ScanType}\n");
        }

        sb.Append(c, $"Size:       {Width} × {Height} px, {EnergyCount} {(EnergyCount == 1 ? "energy" : "energies")}\n");
        if (EnergiesEv.Count is > 0 and <= ListedEnergies)
        {
            // A short stack is described by its energies themselves (which edge features it samples), not by a range.
            sb.Append(c, $"Energies:   {string.Join(", ", EnergiesEv.Select(e => e.ToString("0.###", c)))} eV\n");
        }
        else if (EnergiesEv.Count > ListedEnergies)
        {
            sb.Append(c, $"Energies:   {EnergiesEv.Min():0.###}–{EnergiesEv.Max():0.###} eV\n");
        }

        if (Channels.Count > 0)
        {
            sb.Append(c, $"Channels:   {string.Join(", ", Channels)}\n");
        }

        if (Entries.Count > 0)
        {
            sb.Append(c, $"Entries:    {string.Join(", ", Entries)}\n");
        }

        if (RegionCount > 1)
        {
            sb.Append(c, $"Regions:    {RegionCount}\n");
        }

        if (PixelSizeXNm is double px)
        {
            sb.Append(c, $"Pixel size: {px:0.###} × {PixelSizeYNm ?? px:0.###} nm\n");
        }

        if (DwellTimeMs is double d)
        {
            sb.Append(c, $"Dwell:      {d:0.###} ms\n");
        }

        if (DataType is not null)
        {
            sb.Append(c, $"Data type:  {DataType}\n");
        }

        foreach (KeyValuePair<string, string> kv in Attributes)
        {
            sb.Append(c, $"{kv.Key}: {Shortened(kv.Value)}\n");
        }

        return sb.ToString();
    }

    private static string Shortened(string value)
    {
        string[] items = value.Split(", ");
        return items.Length <= ListedItems ? value : IoError.Inv($"{items[0]}, {items[1]}, {items[2]}, …, {items[^1]} ({items.Length} in all)");
    }
}
