using System.Globalization;
using StxmPhase.Spectra;

namespace StxmPhase.IO;

/// <summary>
/// Reads and writes reference spectra as CSV: a header <c>energy_eV,&lt;phase 1&gt;,&lt;phase 2&gt;,…</c> then one row per
/// energy.
/// </summary>
/// <remarks>
/// Rules: lines starting with <c>#</c> are comments; fields are comma-separated (tab or semicolon accepted); the first
/// column is the energy in eV and its header may be any text (<c>energy_eV</c>, <c>eV</c>, <c>photon energy</c>); each
/// further header names a phase (unique, non-empty). Every row has one value per column, all finite. Energies must be
/// strictly increasing or strictly decreasing (decreasing files are flipped).
/// </remarks>
/// <example>
/// <code>
/// ReferenceSpectra refs = ReferenceSpectraCsv.Read("refs.csv");
/// </code>
/// </example>
public static class ReferenceSpectraCsv
{
    /// <summary>Reads reference spectra.</summary>
    /// <param name="path">The CSV file.</param>
    /// <returns>The spectra.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidStackContentException">The header or a row is malformed; the message names the line and column.</exception>
    public static ReferenceSpectra Read(string path)
    {
        string[] lines = TextLines.ReadAllLines(path);
        return Parse(lines, path);
    }

    /// <summary>Writes reference spectra atomically with round-trip precision.</summary>
    /// <param name="path">The destination file.</param>
    /// <param name="references">The spectra.</param>
    /// <exception cref="ArgumentNullException"><paramref name="references"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A phase name contains a comma, quote or line break.</exception>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public static void Write(string path, ReferenceSpectra references)
    {
        ArgumentNullException.ThrowIfNull(references);
        foreach (string name in references.PhaseNames)
        {
            if (name.AsSpan().IndexOfAny(",\"\r\n") >= 0)
            {
                throw new ArgumentException($"Phase name '{name}' contains a comma, quote or line break, which this CSV format cannot hold.",
                    nameof(references));
            }
        }

        AtomicFile.WriteText(path, w =>
        {
            w.WriteLine("energy_eV," + string.Join(',', references.PhaseNames));
            int n = references.Energies.Count;
            for (int e = 0; e < n; e++)
            {
                w.Write(references.Energies[e].ToString("R", CultureInfo.InvariantCulture));
                for (int p = 0; p < references.PhaseCount; p++)
                {
                    w.Write(',');
                    w.Write(references.Values[(p * n) + e].ToString("R", CultureInfo.InvariantCulture));
                }

                w.WriteLine();
            }
        });
    }

    internal static ReferenceSpectra Parse(string[] lines, string? fileName)
    {
        int i = 0;
        while (i < lines.Length && (string.IsNullOrWhiteSpace(lines[i]) || lines[i].TrimStart().StartsWith('#')))
        {
            i++;
        }

        if (i == lines.Length)
        {
            throw IoError.Invalid(fileName, "header", null, "the file has no header line 'energy_eV,<phase 1>,…'.");
        }

        string[] header = TextLines.Fields(lines[i]);
        int headerLine = i + 1;
        if (header.Length < 2)
        {
            throw IoError.Invalid(fileName, "header", headerLine,
                "the header must name the energy column and at least one phase, separated by commas.");
        }

        if (TextLines.TryNumber(header[0], out _))
        {
            throw IoError.Invalid(fileName, "header", headerLine,
                IoError.Inv($"the first line starts with a number ('{header[0]}'); a header 'energy_eV,<phase 1>,…' is required."));
        }

        string[] names = header[1..].Select(h => h.Trim('"')).ToArray();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int p = 0; p < names.Length; p++)
        {
            if (names[p].Length == 0 || !seen.Add(names[p]))
            {
                throw IoError.Invalid(fileName, "header", headerLine, IoError.Inv($"phase name {p + 1} ('{names[p]}') is empty or repeated."));
            }
        }

        var energies = new List<double>();
        var columns = names.Select(_ => new List<double>()).ToArray();
        for (i++; i < lines.Length; i++)
        {
            if (string.IsNullOrWhiteSpace(lines[i]) || lines[i].TrimStart().StartsWith('#'))
            {
                continue;
            }

            string[] f = TextLines.Fields(lines[i]);
            if (f.Length != names.Length + 1)
            {
                throw IoError.Invalid(fileName, "row", i + 1, IoError.Inv($"expected {names.Length + 1} values; got {f.Length}."));
            }

            for (int c = 0; c < f.Length; c++)
            {
                if (!TextLines.TryNumber(f[c], out double v) || !double.IsFinite(v))
                {
                    throw IoError.Invalid(fileName, c == 0 ? header[0] : names[c - 1], i + 1,
                        IoError.Inv($"'{f[c]}' in column {c + 1} is not a finite number."));
                }

                if (c == 0)
                {
                    energies.Add(v);
                }
                else
                {
                    columns[c - 1].Add(v);
                }
            }
        }

        return Build(fileName, energies, names, columns);
    }

    internal static ReferenceSpectra Build(string? fileName, List<double> energies, string[] names, List<double>[] columns)
    {
        if (energies.Count < 2)
        {
            throw IoError.Invalid(fileName, "energy", null, IoError.Inv($"at least two energies are required; got {energies.Count}."));
        }

        bool descending = energies[^1] < energies[0];
        if (descending)
        {
            energies.Reverse();
            foreach (List<double> c in columns)
            {
                c.Reverse();
            }
        }

        for (int e = 0; e < energies.Count; e++)
        {
            if (!(energies[e] > 0) || (e > 0 && !(energies[e] > energies[e - 1])))
            {
                throw IoError.Invalid(fileName, "energy", null, IoError.Inv(
                    $"energies must be positive and strictly monotonic; value {energies[e]} eV at row {e + 1} breaks the order."));
            }
        }

        double[] values = new double[names.Length * energies.Count];
        for (int p = 0; p < names.Length; p++)
        {
            columns[p].CopyTo(values, p * energies.Count);
        }

        return new ReferenceSpectra(new EnergyAxis(energies), names, values);
    }
}
