using System.Globalization;
using System.Text;
using StxmPhase.Spectra;

namespace StxmPhase.Cli.Beamtime;

/// <summary>One line of a beamtime manifest: a stack file, its output name, its energies file and its metadata.</summary>
/// <param name="Index">The 0-based line index (the header not counted): <c>--manifest-index</c>, <c>$SLURM_ARRAY_TASK_ID</c>.</param>
/// <param name="Path">The stack file, resolved against the manifest's folder.</param>
/// <param name="Name">The output folder name (<c>ROOT/&lt;name&gt;/</c>).</param>
/// <param name="Energies">An energies CSV for this stack, resolved against the manifest's folder, or <see langword="null"/>.</param>
/// <param name="Metadata">Every other column, in the manifest's order.</param>
internal sealed record ManifestEntry(int Index, string Path, string Name, string? Energies, IReadOnlyList<KeyValuePair<string, string>> Metadata)
{
    /// <summary>
    /// Gets whether the entry is a line of a manifest file (not a <c>--stack</c>): its relative path followed the manifest's folder.
    /// </summary>
    public bool FromManifest { get; init; }

    /// <summary>
    /// Throws when the stack file does not exist, saying for a manifest line that a relative path is resolved against the
    /// manifest's folder (an error message showing '…/bt/bt/s1/stack.npy' does not say why).
    /// </summary>
    /// <exception cref="FileNotFoundException">The stack file does not exist.</exception>
    public void CheckExists()
    {
        if (FromManifest && !File.Exists(Path) && !Directory.Exists(Path))
        {
            throw new FileNotFoundException(string.Create(CultureInfo.InvariantCulture,
                $"Stack file '{Path}' (manifest entry {Index}, '{Name}') does not exist; a relative path in a manifest is resolved "
                + $"against the manifest's folder."), Path);
        }
    }
}

/// <summary>
/// Reads a beamtime manifest: a CSV file with a header. <c>path</c> is required (relative paths are resolved against the
/// manifest's folder); <c>name</c> is optional (default: the file stem) and must be unique and usable as a folder name;
/// <c>energies</c> is optional (a per-stack energies CSV); every other column is metadata copied to <c>summary.csv</c>.
/// Fields may be quoted ("a, b"; "" is a quote); blank lines and lines starting with # are skipped.
/// </summary>
internal sealed class BeamtimeManifest
{
    private static readonly System.Buffers.SearchValues<char> s_unsafe = System.Buffers.SearchValues.Create("/\\:*?\"<>|");

    private BeamtimeManifest(string file, IReadOnlyList<string> metadataColumns, IReadOnlyList<ManifestEntry> entries)
    {
        File = file;
        MetadataColumns = metadataColumns;
        Entries = entries;
    }

    /// <summary>Gets the manifest file (full path).</summary>
    public string File { get; }

    /// <summary>Gets the metadata column names, in the manifest's order.</summary>
    public IReadOnlyList<string> MetadataColumns { get; }

    /// <summary>Gets the stacks, one per data line.</summary>
    public IReadOnlyList<ManifestEntry> Entries { get; }

    /// <summary>Reads a manifest.</summary>
    /// <param name="path">The CSV file.</param>
    /// <returns>The manifest.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="ManifestFormatException">The header lacks <c>path</c>, a line has the wrong number of fields, a
    /// path is empty, or a name is repeated or not usable as a folder name; the message names the file, line and value.</exception>
    public static BeamtimeManifest Read(string path)
    {
        string full = System.IO.Path.GetFullPath(path);
        if (!System.IO.File.Exists(full))
        {
            throw new FileNotFoundException($"The manifest '{full}' does not exist.", full);
        }

        string folder = System.IO.Path.GetDirectoryName(full)!;
        string[] lines = System.IO.File.ReadAllLines(full);
        int headerLine = Array.FindIndex(lines, l => !IsSkipped(l));
        if (headerLine < 0)
        {
            throw Error(full, "is empty; it needs a header line with a 'path' column and one line per stack", "header", 1);
        }

        string[] header = Split(lines[headerLine], full, headerLine + 1).Select(h => h.Trim()).ToArray();
        int pathColumn = Column(header, "path");
        if (pathColumn < 0)
        {
            throw Error(full, $"has no 'path' column in its header ({string.Join(",", header)})", "header", headerLine + 1);
        }

        int nameColumn = Column(header, "name");
        int energiesColumn = Column(header, "energies");
        var metadataColumns = Enumerable.Range(0, header.Length).Where(c => c != pathColumn && c != nameColumn && c != energiesColumn).ToArray();
        var entries = new List<ManifestEntry>();
        var seen = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (int n = headerLine + 1; n < lines.Length; n++)
        {
            if (IsSkipped(lines[n]))
            {
                continue;
            }

            string[] fields = Split(lines[n], full, n + 1);
            if (fields.Length != header.Length)
            {
                throw Error(full, string.Create(CultureInfo.InvariantCulture,
                    $"line {n + 1} has {fields.Length} fields but the header has {header.Length}"), "fields", n + 1);
            }

            string stack = fields[pathColumn].Trim();
            if (stack.Length == 0)
            {
                throw Error(full, string.Create(CultureInfo.InvariantCulture, $"line {n + 1} has an empty 'path'"), "path", n + 1);
            }

            string name = nameColumn >= 0 && fields[nameColumn].Trim().Length > 0
                ? fields[nameColumn].Trim()
                : System.IO.Path.GetFileNameWithoutExtension(stack);
            CheckName(full, name, n + 1);
            if (seen.TryGetValue(name, out int first))
            {
                throw Error(full, string.Create(CultureInfo.InvariantCulture, $"line {n + 1} has the name '{name}' of line {first}") +
                    " (names are output folders and must be unique; add a 'name' column)", "name", n + 1);
            }

            seen[name] = n + 1;
            string? energies = energiesColumn >= 0 && fields[energiesColumn].Trim().Length > 0
                ? System.IO.Path.GetFullPath(fields[energiesColumn].Trim(), folder)
                : null;
            var metadata = metadataColumns.Select(c => new KeyValuePair<string, string>(header[c], fields[c])).ToArray();
            entries.Add(new ManifestEntry(entries.Count, System.IO.Path.GetFullPath(stack, folder), name, energies, metadata)
            {
                FromManifest = true,
            });
        }

        if (entries.Count == 0)
        {
            throw Error(full, "lists no stack (only a header)", "path", headerLine + 2);
        }

        return new BeamtimeManifest(full, metadataColumns.Select(c => header[c]).ToArray(), entries);
    }

    /// <summary>Returns line <paramref name="index"/> (0-based, as <c>$SLURM_ARRAY_TASK_ID</c>).</summary>
    /// <param name="index">The index.</param>
    /// <returns>The entry.</returns>
    /// <exception cref="UsageException">The index is outside the manifest.</exception>
    public ManifestEntry Entry(int index) => index >= 0 && index < Entries.Count
        ? Entries[index]
        : throw new UsageException(string.Create(CultureInfo.InvariantCulture,
            $"--manifest-index {index} is outside '{File}', which lists {Entries.Count} stacks (indices 0 to {Entries.Count - 1})."));

    private static bool IsSkipped(string line) => string.IsNullOrWhiteSpace(line) || line.TrimStart().StartsWith('#');

    private static int Column(string[] header, string name) =>
        Array.FindIndex(header, h => string.Equals(h, name, StringComparison.OrdinalIgnoreCase));

    private static void CheckName(string file, string name, int line)
    {
        if (name is "." or ".." || name.StartsWith('.') || name.AsSpan().IndexOfAny(s_unsafe) >= 0 || name.Any(char.IsControl)
            || name.Length > 200 || name.Equals("summary.csv", StringComparison.OrdinalIgnoreCase))
        {
            throw Error(file, string.Create(CultureInfo.InvariantCulture, $"line {line} has the name '{name}'") +
                ", which cannot be an output folder name (no / \\ : * ? \" < > |, no leading dot, at most 200 characters)", "name", line);
        }
    }

    /// <summary>Splits one CSV line (RFC 4180 quoting within the line).</summary>
    private static string[] Split(string line, string file, int lineNumber)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        bool quoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"')
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
                    field.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else
            {
                field.Append(c);
            }
        }

        if (quoted)
        {
            throw Error(file, string.Create(CultureInfo.InvariantCulture, $"line {lineNumber} has an unclosed quote"), "quote", lineNumber);
        }

        fields.Add(field.ToString());
        return fields.ToArray();
    }

    private static ManifestFormatException Error(string file, string problem, string field, int line) =>
        new($"The manifest '{file}' {problem}.") { FileName = file, Field = field, Offset = line };
}

/// <summary>A beamtime manifest that cannot be used (exit code 3); names the file, the field and the line
/// (<see cref="StxmPhaseException.Offset"/>).</summary>
internal sealed class ManifestFormatException : StxmPhaseException
{
    /// <summary>Initializes a new instance.</summary>
    /// <param name="message">The message.</param>
    public ManifestFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance.</summary>
    public ManifestFormatException()
    {
    }

    /// <summary>Initializes a new instance.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public ManifestFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
