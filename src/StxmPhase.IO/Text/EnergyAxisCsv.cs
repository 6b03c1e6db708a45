using System.Globalization;
using StxmPhase.Spectra;

namespace StxmPhase.IO;

/// <summary>
/// Reads and writes energy lists: one energy in eV per line (e.g. the sidecar of a TIFF or <c>.npy</c> stack).
/// </summary>
/// <remarks>
/// Rules: blank lines and lines starting with <c>#</c>, <c>*</c>, <c>%</c> or <c>;</c> are ignored; the first
/// remaining line may be a header (it is skipped when its first field is not a number); when a line has several fields
/// (comma, tab, semicolon or space separated) the first is the energy. A comma-separated line must have exactly as many
/// fields as the header names (one without a header), so that a decimal comma (<c>515,5</c>) is an error, not 515 eV.
/// Values must be finite and positive. Files are read with the limits of the text readers (512 MiB, lines of at most
/// 1 Mi characters).
/// <see cref="Read(string)"/> requires strictly increasing energies; stack readers that use a sidecar re-sort frames instead.
/// </remarks>
public static class EnergyAxisCsv
{
    /// <summary>Reads an energy axis.</summary>
    /// <param name="path">The text file.</param>
    /// <returns>The axis.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidStackContentException">A value is not a number, not positive, or not greater than the previous one; the message names
    /// the line.</exception>
    public static EnergyAxis Read(string path)
    {
        (double[] e, int[] lines) = ReadValues(TextLines.ReadAllLines(path), path);
        for (int i = 1; i < e.Length; i++)
        {
            if (!(e[i] > e[i - 1]))
            {
                throw IoError.Invalid(path, "energy", lines[i], IoError.Inv(
                    $"energies must be strictly increasing; {e[i]} eV is not greater than the previous value ({e[i - 1]} eV)."));
            }
        }

        return new EnergyAxis(e);
    }

    /// <summary>Writes one energy per line (round-trip precision) under the header <c>energy_eV</c>, atomically.</summary>
    /// <param name="path">The destination file.</param>
    /// <param name="energies">The energies.</param>
    /// <exception cref="ArgumentNullException"><paramref name="energies"/> is <see langword="null"/>.</exception>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public static void Write(string path, EnergyAxis energies)
    {
        ArgumentNullException.ThrowIfNull(energies);
        AtomicFile.WriteText(path, w =>
        {
            w.WriteLine("energy_eV");
            foreach (double e in energies)
            {
                w.WriteLine(e.ToString("R", CultureInfo.InvariantCulture));
            }
        });
    }

    internal static (double[] Values, int[] Lines) ReadValues(string[] lines, string? fileName)
    {
        var values = new List<double>();
        var lineNumbers = new List<int>();
        bool first = true;
        int columns = 1; // fields a comma-separated data line may have: 1, or as many as a header names
        for (int i = 0; i < lines.Length; i++)
        {
            if (TextLines.IsComment(lines[i]))
            {
                continue;
            }

            string[] fields = TextLines.Fields(lines[i]);
            string field = fields[0];
            if (!TextLines.TryNumber(field, out double v))
            {
                if (first)
                {
                    first = false;
                    columns = fields.Length;
                    continue;
                }

                throw IoError.Invalid(fileName, "energy", i + 1, $"'{field}' is not a number.");
            }

            first = false;
            if (fields.Length != columns && lines[i].Contains(',', StringComparison.Ordinal))
            {
                throw IoError.Invalid(fileName, "energy", i + 1,
                    IoError.Inv($"'{lines[i].Trim()}' has {fields.Length} comma-separated fields but ") +
                    IoError.Inv($"{(columns == 1 ? "no header names extra columns" : $"the header names {columns}")}; ") +
                    "write one energy per line with a decimal point (e.g. 515.5, not 515,5).");
            }

            if (!double.IsFinite(v) || v <= 0)
            {
                throw IoError.Invalid(fileName, "energy", i + 1, IoError.Inv($"energy {v} eV is not a finite positive number."));
            }

            values.Add(v);
            lineNumbers.Add(i + 1);
        }

        if (values.Count == 0)
        {
            throw IoError.Invalid(fileName, "energy", null, "the file holds no energies.");
        }

        return ([.. values], [.. lineNumbers]);
    }

    /// <summary>Finds the energies of a stack file that does not store them: options first, then a sidecar file.</summary>
    internal static double[] ForStack(StackReadOptions options, string formatName) => ForStack(options, formatName, out _);

    /// <summary>As <see cref="ForStack(StackReadOptions, string)"/>; <paramref name="sidecar"/> is the sidecar file used, if any.</summary>
    internal static double[] ForStack(StackReadOptions options, string formatName, out string? sidecar)
    {
        sidecar = null;
        if (options.Energies is { } axis)
        {
            return axis.AsSpan().ToArray();
        }

        sidecar = FindSidecar(options.FileName);
        if (sidecar is null)
        {
            throw IoError.Invalid(options.FileName, "energies", null,
                $"{formatName} files do not store energies; pass them (--energies on the command line, StackReadOptions.Energies in code) or put a " +
                $"sidecar next to the file ({string.Join(", ", SidecarNames(options.FileName ?? "stack"))}).");
        }

        return ReadValues(TextLines.ReadAllLines(sidecar), sidecar).Values;
    }

    /// <summary>
    /// For inspection: the energies as <see cref="ForStack(StackReadOptions, string)"/> finds them, or none, with the reason recorded under
    /// "energies" in <paramref name="attributes"/> (a file is still inspectable without its energies).
    /// </summary>
    internal static double[] ForStackOrReason(StackReadOptions options, string formatName, Dictionary<string, string> attributes)
    {
        try
        {
            return ForStack(options, formatName);
        }
        catch (InvalidStackContentException ex)
        {
            attributes["energies"] = ex.Message;
            return [];
        }
    }

    internal static string? FindSidecar(string? fileName)
    {
        if (fileName is null)
        {
            return null;
        }

        foreach (string candidate in SidecarNames(fileName))
        {
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    internal static IEnumerable<string> SidecarNames(string fileName)
    {
        string dir = Path.GetDirectoryName(fileName) ?? string.Empty;
        string stem = Path.GetFileNameWithoutExtension(fileName);
        yield return Path.Combine(dir, stem + ".energies.csv");
        yield return Path.Combine(dir, stem + "_energies.csv");
        yield return Path.Combine(dir, stem + ".txt");
        yield return Path.Combine(dir, stem + ".csv");
        yield return Path.Combine(dir, "energies.csv"); // one stack per folder, as stxmphase synth writes it
    }
}
