using System.Globalization;
using StxmPhase.Spectra;

namespace StxmPhase.Cli;

/// <summary>
/// The number of stacks in a beamtime manifest (a CSV with a header that has a <c>path</c> column; one stack per
/// non-blank data record; quoted fields may hold commas, doubled quotes and line breaks). <c>stxmphase slurm</c> needs
/// only this count (the array's size); the tasks read their own line with <c>map --manifest-index</c>.
/// </summary>
internal static class ManifestStackCount
{
    /// <summary>Counts the stacks of <paramref name="path"/>.</summary>
    /// <param name="path">The manifest.</param>
    /// <returns>At least 1.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="StxmPhaseException">No header with a <c>path</c> column, an unterminated quote or no stack.</exception>
    public static int Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path}: the manifest does not exist.", path);
        }

        List<List<string>> records = Parse(File.ReadAllText(path), path);
        if (records.Count == 0)
        {
            throw new StxmPhaseException($"{path}: the manifest is empty; it needs a header line with a 'path' column.") { FileName = path };
        }

        if (!records[0].Any(c => string.Equals(c.Trim(), "path", StringComparison.OrdinalIgnoreCase)))
        {
            throw new StxmPhaseException($"{path}: the header line '{string.Join(',', records[0])}' has no 'path' column.")
            {
                FileName = path,
                Field = "path",
                Offset = 1,
            };
        }

        int stacks = records.Count - 1;
        return stacks > 0
            ? stacks
            : throw new StxmPhaseException($"{path}: the manifest lists no stack (a header line only).") { FileName = path, Offset = 2 };
    }

    /// <summary>Splits CSV text into records of fields; blank lines are skipped.</summary>
    internal static List<List<string>> Parse(string text, string path)
    {
        var records = new List<List<string>>();
        var fields = new List<string>();
        var field = new System.Text.StringBuilder();
        bool quoted = false, any = false;
        int line = 1, quoteLine = 0;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    line += c == '\n' ? 1 : 0;
                    field.Append(c);
                }

                continue;
            }

            switch (c)
            {
                case '"':
                    quoted = true;
                    quoteLine = line;
                    any = true;
                    break;
                case ',':
                    fields.Add(field.ToString());
                    field.Clear();
                    any = true;
                    break;
                case '\r':
                    break;
                case '\n':
                    line++;
                    EndRecord();
                    break;
                default:
                    any |= !char.IsWhiteSpace(c);
                    field.Append(c);
                    break;
            }
        }

        if (quoted)
        {
            throw new StxmPhaseException(string.Create(CultureInfo.InvariantCulture,
                $"{path}: line {quoteLine} opens a quoted field that never closes.")) { FileName = path, Offset = quoteLine };
        }

        EndRecord();
        return records;

        void EndRecord()
        {
            fields.Add(field.ToString());
            field.Clear();
            if (any)
            {
                records.Add([.. fields]);
            }

            fields.Clear();
            any = false;
        }
    }
}
