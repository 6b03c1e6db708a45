using System.Globalization;

namespace StxmPhase.IO;

/// <summary>Writes numeric tables as CSV (invariant culture, round-trip precision, <c>\n</c> line ends), atomically.</summary>
public static class CsvFile
{
    /// <summary>Writes a table given as columns of equal length.</summary>
    /// <param name="path">The destination file.</param>
    /// <param name="columnNames">One header per column.</param>
    /// <param name="columns">The columns; all must have the same length.</param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The counts of names and columns differ, columns have different lengths, or a name contains a comma, quote
    /// or line break.</exception>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public static void WriteColumns(string path, IReadOnlyList<string> columnNames, IReadOnlyList<IReadOnlyList<double>> columns)
    {
        ArgumentNullException.ThrowIfNull(columnNames);
        ArgumentNullException.ThrowIfNull(columns);
        if (columnNames.Count != columns.Count || columns.Count == 0)
        {
            throw new ArgumentException(
                IoError.Inv($"Got {columnNames.Count} column names for {columns.Count} columns; both must be equal and positive."), nameof(columns));
        }

        CheckNames(columnNames);
        int rows = columns[0].Count;
        for (int c = 1; c < columns.Count; c++)
        {
            if (columns[c].Count != rows)
            {
                throw new ArgumentException(IoError.Inv($"Column {c} ('{columnNames[c]}') has {columns[c].Count} rows; column 0 has {rows}."),
                    nameof(columns));
            }
        }

        AtomicFile.WriteText(path, w =>
        {
            w.WriteLine(string.Join(',', columnNames));
            for (int r = 0; r < rows; r++)
            {
                for (int c = 0; c < columns.Count; c++)
                {
                    if (c > 0)
                    {
                        w.Write(',');
                    }

                    w.Write(columns[c][r].ToString("R", CultureInfo.InvariantCulture));
                }

                w.WriteLine();
            }
        });
    }

    /// <summary>Writes a table of text cells (quoted where needed, RFC 4180).</summary>
    /// <param name="path">The destination file.</param>
    /// <param name="header">The header cells.</param>
    /// <param name="rows">The rows; each should have as many cells as the header.</param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A row has a different number of cells than the header.</exception>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public static void WriteRows(string path, IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(rows);
        List<IReadOnlyList<string>> all = rows.ToList();
        for (int r = 0; r < all.Count; r++)
        {
            if (all[r].Count != header.Count)
            {
                throw new ArgumentException(IoError.Inv($"Row {r} has {all[r].Count} cells; the header has {header.Count}."), nameof(rows));
            }
        }

        AtomicFile.WriteText(path, w =>
        {
            w.WriteLine(string.Join(',', header.Select(Quote)));
            foreach (IReadOnlyList<string> row in all)
            {
                w.WriteLine(string.Join(',', row.Select(Quote)));
            }
        });
    }

    private static string Quote(string cell) =>
        cell.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + cell.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : cell;

    private static void CheckNames(IReadOnlyList<string> names)
    {
        foreach (string n in names)
        {
            ArgumentNullException.ThrowIfNull(n, nameof(names));
            if (n.AsSpan().IndexOfAny(",\"\r\n") >= 0)
            {
                throw new ArgumentException($"Column name '{n}' contains a comma, quote or line break.", nameof(names));
            }
        }
    }
}
