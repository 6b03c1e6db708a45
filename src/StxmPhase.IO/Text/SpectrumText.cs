using StxmPhase.Spectra;

namespace StxmPhase.IO;

/// <summary>
/// Reads common single-spectrum text files (<c>.txt</c>, <c>.xas</c>, <c>.csv</c>, <c>.dat</c>): an energy column
/// followed by one or more value columns.
/// </summary>
/// <remarks>
/// Rules: lines starting with <c>*</c>, <c>#</c>, <c>%</c> or <c>;</c> are header/comment lines; a line
/// <c>* Common name: X</c> (aXis/MANTiS <c>.xas</c>) names the spectrum; fields are separated by commas, tabs,
/// semicolons or runs of spaces; one non-numeric column-header row is allowed before the data (e.g.
/// <c>photon energy,ROI 1</c>). The first column is the energy in eV. Descending files are flipped. Energies must then be
/// strictly increasing and all values finite.
/// </remarks>
public static class SpectrumText
{
    /// <summary>Reads one spectrum.</summary>
    /// <param name="path">The text file.</param>
    /// <param name="column">Which value column to read (1 = the column after the energy).</param>
    /// <returns>The spectrum as single-phase <see cref="ReferenceSpectra"/>, named after the <c>Common name</c> header, the column header, or the
    /// file name.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="column"/> is less than 1.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidStackContentException">A row is malformed, the column is missing, or the energies are not monotonic; the message names
    /// the line.</exception>
    public static ReferenceSpectra Read(string path, int column = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(column, 1);
        return Parse(TextLines.ReadAllLines(path), path, column);
    }

    /// <summary>
    /// Reads several single-spectrum files as the phases of one <see cref="ReferenceSpectra"/>, tabulated on the union of
    /// the files' energies inside the range every file covers (each file linearly interpolated there). Each file's own
    /// energies in that range are knots of the grid, so interpolating the result at an energy gives what interpolating
    /// that file gives, and no file is coarsened to another's sampling.
    /// </summary>
    /// <param name="paths">One file per phase.</param>
    /// <param name="names">Phase names, or <see langword="null"/> to use the names from the files.</param>
    /// <returns>The combined spectra.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="paths"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">No path is given, or <paramref name="names"/> has a different count or repeats a name.</exception>
    /// <exception cref="InvalidStackContentException">A file is malformed.</exception>
    /// <exception cref="IncompatibleEnergiesException">The files' common energy range holds fewer than two of their energies (the
    /// message lists every file's range).</exception>
    public static ReferenceSpectra ReadMany(IReadOnlyList<string> paths, IReadOnlyList<string>? names = null)
    {
        ArgumentNullException.ThrowIfNull(paths);
        if (paths.Count == 0)
        {
            throw new ArgumentException("At least one spectrum file is required.", nameof(paths));
        }

        if (names is not null && names.Count != paths.Count)
        {
            throw new ArgumentException(IoError.Inv($"{names.Count} names were given for {paths.Count} files."), nameof(names));
        }

        ReferenceSpectra[] spectra = paths.Select(p => Read(p)).ToArray();
        double lo = spectra.Max(s => s.Energies.MinimumEv);
        double hi = spectra.Min(s => s.Energies.MaximumEv);
        double[] axis = spectra.SelectMany(s => s.Energies.ToArray()).Where(e => e >= lo && e <= hi).Distinct().Order().ToArray();
        if (axis.Length < 2)
        {
            string ranges = string.Join(", ",
                paths.Select((p, i) => IoError.Inv($"'{p}' {spectra[i].Energies.MinimumEv}–{spectra[i].Energies.MaximumEv} eV")));
            throw new IncompatibleEnergiesException($"The spectrum files share no energy range ({ranges}).")
            {
                FileName = paths[spectra.Select(s => s.Energies.MaximumEv).ToList().IndexOf(hi)],
                Field = "energy_eV",
            };
        }

        var target = new EnergyAxis(axis);
        double[] values = new double[spectra.Length * axis.Length];
        string[] phaseNames = new string[spectra.Length];
        for (int p = 0; p < spectra.Length; p++)
        {
            spectra[p].ResampleTo(target, 0).Spectrum(0).CopyTo(values.AsSpan(p * axis.Length, axis.Length));
            phaseNames[p] = names?[p] ?? spectra[p].PhaseNames[0];
        }

        if (phaseNames.Distinct(StringComparer.Ordinal).Count() != phaseNames.Length)
        {
            throw new ArgumentException("Phase names must be unique; pass names explicitly.", nameof(names));
        }

        return new ReferenceSpectra(target, phaseNames, values);
    }

    internal static ReferenceSpectra Parse(string[] lines, string? fileName, int column)
    {
        string? name = null;
        string? columnHeader = null;
        var energies = new List<double>();
        var values = new List<double>();
        bool seenData = false;
        bool seenHeaderRow = false;
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i];
            string t = line.TrimStart();
            if (t.StartsWith('*') && t.Contains("Common name", StringComparison.OrdinalIgnoreCase))
            {
                int colon = t.IndexOf(':', StringComparison.Ordinal);
                if (colon > 0 && t[(colon + 1)..].Trim().Length > 0)
                {
                    name = t[(colon + 1)..].Trim();
                }

                continue;
            }

            if (TextLines.IsComment(line))
            {
                continue;
            }

            string[] f = TextLines.Fields(line);
            if (!TextLines.TryNumber(f[0], out double e))
            {
                if (!seenData && !seenHeaderRow)
                {
                    seenHeaderRow = true;
                    columnHeader = f.Length > column ? f[column].Trim('"') : null;
                    continue;
                }

                throw IoError.Invalid(fileName, "energy", i + 1, $"'{f[0]}' is not a number.");
            }

            if (f.Length <= column)
            {
                throw IoError.Invalid(fileName, "row", i + 1, IoError.Inv($"value column {column} is missing (the row has {f.Length} fields)."));
            }

            if (!TextLines.TryNumber(f[column], out double v) || !double.IsFinite(v) || !double.IsFinite(e))
            {
                throw IoError.Invalid(fileName, "row", i + 1, IoError.Inv($"'{f[0]}', '{f[column]}' are not finite numbers."));
            }

            seenData = true;
            energies.Add(e);
            values.Add(v);
        }

        string phase = name ?? (string.IsNullOrWhiteSpace(columnHeader) ? null : columnHeader)
            ?? (fileName is null ? "spectrum" : Path.GetFileNameWithoutExtension(fileName));
        return ReferenceSpectraCsv.Build(fileName, energies, [phase], [values]);
    }
}
