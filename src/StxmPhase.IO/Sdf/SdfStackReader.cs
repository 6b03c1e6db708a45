using System.Globalization;
using System.Text.RegularExpressions;
using StxmPhase.Spectra;

namespace StxmPhase.IO;

/// <summary>
/// Reads SDF stacks (<c>.hdr</c> header + one <c>.xim</c> text frame per energy) from ALS, CLS, SLS and COSMIC STXMs.
/// </summary>
/// <remarks>
/// <para>
/// Frames are found from the <c>ImageNNN_R</c> records of the header (NNN = frame index used in the file name,
/// R = region), falling back to the <c>StackAxis</c> points numbered from 0 when the header has no records.
/// File names: <c>{stem}_{ch}{NNN}.xim</c> (single region), <c>{stem}_{ch}{NNN}{R}.xim</c> (multi-region),
/// <c>{stem}_{ch}.xim</c> (single image), where <c>ch</c> is <c>a</c>, <c>b</c>, … for channel 0, 1, ….
/// </para>
/// <para>
/// A <c>.xim</c> holds one text line per y (QAxis) point and one value per x (PAxis) point, separated by tabs or spaces
/// (a trailing tab and CRLF are accepted), integers or decimals. Image scans with one energy become a one-energy stack.
/// Line scans, point spectra and focus scans are rejected. When the last frames of an aborted stack are missing, the
/// stack is truncated to the frames present and <c>sdf.missingFrames</c> is recorded in the metadata; a missing
/// frame in the middle is an error. Values are detector counts (<see cref="SpectralQuantity.Transmission"/>).
/// </para>
/// </remarks>
public sealed partial class SdfStackReader : IStackInspector
{
    /// <inheritdoc/>
    public string FormatName => "SDF .hdr/.xim";

    /// <inheritdoc/>
    public bool CanRead(ReadOnlySpan<byte> header, string? fileName)
    {
        if (!Path.GetExtension(fileName ?? string.Empty).Equals(".hdr", StringComparison.OrdinalIgnoreCase)
            && !header.TrimStart(" \t\r\n"u8).StartsWith("ScanDefinition"u8))
        {
            return false;
        }

        return header.IndexOf("ScanDefinition"u8) >= 0;
    }

    /// <inheritdoc/>
    public SpectralStack Read(Stream stream, StackReadOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(options);
        Plan plan = MakePlan(stream, options, cancellationToken);
        int n = StackAssembly.CheckedCount(plan.File, "ScanDefinition.Regions", plan.Frames.Count, plan.Width, plan.Height);
        float[] data = new float[n];
        int plane = plan.Width * plan.Height;
        for (int f = 0; f < plan.Frames.Count; f++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            ReadXim(plan.Frames[f].Path, plan.Width, plan.Height, data.AsSpan(f * plane, plane), cancellationToken);
        }

        var attrs = new Dictionary<string, string>(plan.Attributes);
        var meta = new StackMetadata
        {
            Name = Path.GetFileNameWithoutExtension(plan.File),
            SourceFile = plan.File,
            PixelSizeXNm = plan.PixelXNm,
            PixelSizeYNm = plan.PixelYNm,
            DwellTimeMs = plan.DwellMs,
            Attributes = attrs,
        };
        double[] energies = plan.Frames.Select(fr => fr.EnergyEv).ToArray();
        return StackAssembly.Build(plan.File, "ImageNNN_R.Energy", energies, plan.Width, plan.Height, data,
            options.Quantity ?? SpectralQuantity.Transmission, meta);
    }

    /// <inheritdoc/>
    public StackFileInfo Inspect(Stream stream, StackReadOptions options)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(options);
        Plan plan = MakePlan(stream, options, CancellationToken.None, requireFrames: false);
        return new StackFileInfo
        {
            Format = FormatName,
            FileName = options.FileName,
            ScanType = plan.ScanType,
            Width = plan.Width,
            Height = plan.Height,
            EnergyCount = plan.Frames.Count,
            EnergiesEv = plan.Frames.Select(f => f.EnergyEv).ToArray(),
            Channels = plan.Channels,
            RegionCount = plan.RegionCount,
            PixelSizeXNm = plan.PixelXNm,
            PixelSizeYNm = plan.PixelYNm,
            DwellTimeMs = plan.DwellMs,
            DataType = "text (.xim)",
            Attributes = plan.Attributes,
        };
    }

    internal static void ReadXim(string path, int width, int height, Span<float> destination, CancellationToken ct)
    {
        long length = new FileInfo(path).Length;
        long min = (2L * width * height) - 1;
        long max = (64L * width * height) + (4L * height) + 1024;
        if (length < min || length > max)
        {
            throw IoError.Invalid(path, "length", 0, IoError.Inv(
                $"a {width} × {height} frame needs between {min} and {max} bytes of text; the file has {length}."));
        }

        byte[] bytes = File.ReadAllBytes(path);
        ReadOnlySpan<byte> s = bytes;
        int row = 0;
        int line = 0;
        int pos = 0;
        while (pos < s.Length)
        {
            ct.ThrowIfCancellationRequested();
            int nl = s[pos..].IndexOf((byte)'\n');
            ReadOnlySpan<byte> text = nl < 0 ? s[pos..] : s.Slice(pos, nl);
            pos = nl < 0 ? s.Length : pos + nl + 1;
            line++;
            text = text.Trim(" \t\r"u8);
            if (text.IsEmpty)
            {
                continue;
            }

            if (row >= height)
            {
                throw IoError.Invalid(path, "row", line, IoError.Inv($"the frame has more than the {height} rows the header declares."));
            }

            int col = 0;
            while (!text.IsEmpty)
            {
                int sep = text.IndexOfAny(" \t,"u8);
                ReadOnlySpan<byte> tok = sep < 0 ? text : text[..sep];
                text = sep < 0 ? [] : text[(sep + 1)..].TrimStart(" \t,"u8);
                if (col >= width)
                {
                    throw IoError.Invalid(path, "row", line, IoError.Inv($"row {row} has more than the {width} values the header declares."));
                }

                if (!double.TryParse(tok, NumberStyles.Float, CultureInfo.InvariantCulture, out double v))
                {
                    throw IoError.Invalid(path, "value", line,
                        IoError.Inv($"value {col} of row {row} ('{System.Text.Encoding.Latin1.GetString(tok)}') is not a number."));
                }

                destination[(row * width) + col] = (float)v;
                col++;
            }

            if (col != width)
            {
                throw IoError.Invalid(path, "row", line, IoError.Inv($"row {row} has {col} values; the header declares {width}."));
            }

            row++;
        }

        if (row != height)
        {
            throw IoError.Invalid(path, "rows", line, IoError.Inv($"the frame has {row} rows; the header declares {height}."));
        }
    }

    private static Plan MakePlan(Stream stream, StackReadOptions options, CancellationToken ct, bool requireFrames = true)
    {
        string file = options.FileName ?? "(stream)";
        byte[] bytes = StackAssembly.ReadAll(stream, file, 64L << 20, ct);
        SdfStruct root = SdfHeader.Parse(bytes, file);
        SdfStruct sd = root.Struct("ScanDefinition")
            ?? throw IoError.Invalid(file, "ScanDefinition", null, "the header has no ScanDefinition struct.");
        string type = sd.String("Type") ?? string.Empty;
        string flags = sd.String("Flags") ?? string.Empty;
        string scanType = string.IsNullOrEmpty(flags) ? type : $"{type} ({flags})";
        if (type.Contains("Point", StringComparison.OrdinalIgnoreCase) || flags.Contains("Spectra", StringComparison.OrdinalIgnoreCase))
        {
            throw IoError.Invalid(file, "ScanDefinition.Type", null,
                $"'{scanType}' is a point spectrum, not an image stack; read its .xsp spectra as text spectra.");
        }

        if (type.Contains("Line", StringComparison.OrdinalIgnoreCase) || type.Contains("Focus", StringComparison.OrdinalIgnoreCase))
        {
            throw IoError.Invalid(file, "ScanDefinition.Type", null, $"'{scanType}' is a line or focus scan, not an image stack.");
        }

        bool isStack = flags.Contains("Stack", StringComparison.OrdinalIgnoreCase)
            || (type.Contains("NEXAFS", StringComparison.OrdinalIgnoreCase) && !flags.Contains("Image", StringComparison.OrdinalIgnoreCase));

        List<SdfStruct> regions = (sd.ArrayItems("Regions") ?? []).OfType<SdfStruct>().ToList();
        if (regions.Count == 0)
        {
            throw IoError.Invalid(file, "ScanDefinition.Regions", null, "the scan defines no spatial region.");
        }

        int r = options.Region;
        if (r < 0 || r >= regions.Count)
        {
            throw IoError.Invalid(file, "ScanDefinition.Regions", null,
                IoError.Inv($"region {r} was requested but the scan has {regions.Count} region(s)."));
        }

        SdfStruct region = regions[r];
        (int width, double? pxX) = Axis(region.Struct("PAxis"), file, "PAxis");
        (int height, double? pxY) = Axis(region.Struct("QAxis"), file, "QAxis");

        List<string> channels = (sd.ArrayItems("Channels") ?? []).OfType<SdfStruct>().Select(c => c.String("Name") ?? "?").ToList();
        int ch = 0;
        if (options.Channel is string want)
        {
            ch = channels.FindIndex(c => c.Equals(want, StringComparison.OrdinalIgnoreCase));
            if (ch < 0 && want.Length == 1 && want[0] is >= 'a' and <= 'z')
            {
                ch = want[0] - 'a';
            }

            if (ch < 0 || (channels.Count > 0 && ch >= channels.Count))
            {
                throw IoError.Invalid(file, "ScanDefinition.Channels", null,
                    $"channel '{want}' was requested; the file has {string.Join(", ", channels.Select(c => $"'{c}'"))}.");
            }
        }

        if (ch > 25)
        {
            throw IoError.Invalid(file, "ScanDefinition.Channels", null, IoError.Inv($"channel index {ch} has no file letter."));
        }

        char letter = (char)('a' + ch);
        var records = new List<(int Index, double Energy)>();
        foreach (string key in root.Keys)
        {
            Match m = ImageRecord().Match(key);
            if (m.Success && int.TryParse(m.Groups[2].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out int rr) && rr == r
                && int.TryParse(m.Groups[1].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out int idx))
            {
                double e = root.Struct(key)?.Number("Energy") ?? double.NaN;
                records.Add((idx, e));
            }
        }

        records.Sort((a, b) => a.Index.CompareTo(b.Index));
        if (records.Count == 0)
        {
            List<object> points = sd.Struct("StackAxis")?.ArrayItems("Points") ?? [];
            records.AddRange(points.OfType<double>().Select((e, i) => (i, e)));
        }

        string dir = Path.GetDirectoryName(Path.GetFullPath(file)) ?? ".";
        string stem = Path.GetFileNameWithoutExtension(file);
        bool multi = regions.Count > 1;
        var frames = new List<Frame>();
        if (isStack)
        {
            foreach ((int idx, double e) in records)
            {
                string name = multi
                    ? string.Create(CultureInfo.InvariantCulture, $"{stem}_{letter}{idx:000}{r}.xim")
                    : string.Create(CultureInfo.InvariantCulture, $"{stem}_{letter}{idx:000}.xim");
                frames.Add(new Frame(Path.Combine(dir, name), e));
            }
        }
        else
        {
            double e = records.Count > 0 ? records[0].Energy
                : options.Energies is { Count: > 0 } oe ? oe[0] : double.NaN;
            string name = multi ? $"{stem}_{letter}{r}.xim" : $"{stem}_{letter}.xim";
            frames.Add(new Frame(Path.Combine(dir, name), e));
        }

        if (frames.Count == 0)
        {
            throw IoError.Invalid(file, "ImageNNN_R", null, "the header lists no frames (no ImageNNN_R records and no StackAxis points).");
        }

        for (int i = 0; i < frames.Count; i++)
        {
            if (!double.IsFinite(frames[i].EnergyEv) || frames[i].EnergyEv <= 0)
            {
                throw IoError.Invalid(file, "Energy", null,
                    IoError.Inv($"frame {i} ('{Path.GetFileName(frames[i].Path)}') has no valid energy ({frames[i].EnergyEv})."));
            }
        }

        var attrs = new Dictionary<string, string> { ["sdf.type"] = scanType,
            ["sdf.channel"] = channels.Count > ch ? channels[ch] : letter.ToString() };
        int present = frames.Count;
        while (present > 0 && !File.Exists(frames[present - 1].Path))
        {
            present--;
        }

        if (present < frames.Count)
        {
            attrs["sdf.missingFrames"] = string.Join(", ", frames.Skip(present).Select(f => Path.GetFileName(f.Path)));
            if (present == 0)
            {
                // Inspect describes the header, but nothing of it can be read: say so (stxmphase info then fails as map would).
                attrs["warning"] = IoError.Inv($"'{file}': none of the {frames.Count} frame files listed in the header exists ")
                    + IoError.Inv($"(first expected: '{Path.GetFileName(frames[0].Path)}'), so the stack cannot be read; ")
                    + "copy the .xim files beside the header.";
            }

            if (requireFrames)
            {
                if (present == 0)
                {
                    throw IoError.Invalid(file, ".xim", null, $"none of the frame files exists (first expected: '{frames[0].Path}').");
                }

                frames.RemoveRange(present, frames.Count - present);
            }
        }

        if (requireFrames)
        {
            foreach (Frame f in frames)
            {
                if (!File.Exists(f.Path))
                {
                    throw IoError.Invalid(file, ".xim", null, $"frame file '{f.Path}' is missing from the middle of the stack.");
                }
            }
        }

        return new Plan(file, scanType, width, height, frames, channels, regions.Count, pxX, pxY, sd.Number("Dwell"), attrs);
    }

    private static (int Count, double? PixelNm) Axis(SdfStruct? axis, string file, string name)
    {
        if (axis is null)
        {
            throw IoError.Invalid(file, name, null, $"the region has no {name} struct.");
        }

        double count = axis.ArrayCount("Points") ?? double.NaN;
        if (!(count >= 1 && count <= int.MaxValue) || count != Math.Floor(count))
        {
            throw IoError.Invalid(file, name + ".Points", null, IoError.Inv($"the point count ({count}) is not a positive integer."));
        }

        int n = (int)count;
        List<double> pts = (axis.ArrayItems("Points") ?? []).OfType<double>().ToList();
        double? px = null;
        if (n > 1 && pts.Count == n)
        {
            px = Math.Abs(pts[^1] - pts[0]) / (n - 1) * 1000.0;
        }
        else if (n > 1 && axis.Number("Min") is double min && axis.Number("Max") is double max)
        {
            px = Math.Abs(max - min) / (n - 1) * 1000.0;
        }

        if (px is double p && (!double.IsFinite(p) || p <= 0))
        {
            px = null;
        }

        return (n, px);
    }

    [GeneratedRegex(@"^Image(\d+)_(\d+)$", RegexOptions.CultureInvariant)]
    private static partial Regex ImageRecord();

    private sealed record Frame(string Path, double EnergyEv);

    private sealed record Plan(string File, string ScanType, int Width, int Height, List<Frame> Frames, List<string> Channels,
        int RegionCount, double? PixelXNm, double? PixelYNm, double? DwellMs, Dictionary<string, string> Attributes);
}
