using System.Globalization;

namespace StxmPhase.IO;

/// <summary>Helpers shared by the text readers: numbers in invariant culture, field splitting, comment rules.</summary>
internal static class TextLines
{
    /// <summary>The largest text input accepted, in bytes (512 MiB).</summary>
    public const long MaxTextBytes = 512L << 20;

    /// <summary>The longest line accepted in a text input, in characters (1 Mi).</summary>
    public const int MaxLineChars = 1 << 20;

    public static bool TryNumber(string s, out double value) =>
        double.TryParse(s.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out value);

    public static bool IsComment(string line)
    {
        string t = line.TrimStart();
        return t.Length == 0 || t[0] is '#' or '*' or '%' or ';';
    }

    /// <summary>Splits on commas, tabs, semicolons, or runs of spaces when none of those is present.</summary>
    public static string[] Fields(string line)
    {
        string t = line.Trim();
        if (t.Contains(',', StringComparison.Ordinal))
        {
            return t.Split(',', StringSplitOptions.TrimEntries);
        }

        if (t.Contains('\t', StringComparison.Ordinal))
        {
            return t.Split('\t', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        }

        if (t.Contains(';', StringComparison.Ordinal))
        {
            return t.Split(';', StringSplitOptions.TrimEntries);
        }

        return t.Split(' ', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>
    /// Reads the lines of a text file with bounded memory: at most <see cref="MaxTextBytes"/> bytes in all (also for
    /// devices and pipes, whose length is unknown, such as <c>/dev/zero</c>) and <see cref="MaxLineChars"/> characters per line.
    /// </summary>
    public static string[] ReadAllLines(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (Directory.Exists(path))
        {
            throw IoError.Invalid(path, null, null, "this is a folder, not a text file.");
        }

        var info = new FileInfo(path);
        if (!info.Exists)
        {
            throw new FileNotFoundException($"File '{path}' does not exist.", path);
        }

        if (info.Length > MaxTextBytes)
        {
            throw IoError.Invalid(path, null, null,
                IoError.Inv($"the text file is {info.Length} bytes, more than the {MaxTextBytes} bytes accepted."));
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        using var reader = new StreamReader(stream, detectEncodingFromByteOrderMarks: true);
        var lines = new List<string>();
        var line = new System.Text.StringBuilder();
        char[] buffer = new char[1 << 14];
        bool afterCr = false;
        int n;
        while ((n = reader.Read(buffer, 0, buffer.Length)) > 0)
        {
            if (stream.Position > MaxTextBytes)
            {
                throw IoError.Invalid(path, null, null,
                    IoError.Inv($"more than the {MaxTextBytes} bytes accepted for a text file were read; is this a text file?"));
            }

            for (int i = 0; i < n; i++)
            {
                char c = buffer[i];
                if (c == '\n' && afterCr)
                {
                    afterCr = false;
                    continue;
                }

                if (c == '\0')
                {
                    // No text format holds NUL: a binary file (a .npy, HDF5 or TIFF stack given as energies or references).
                    throw IoError.Invalid(path, "line", lines.Count + 1,
                        "the file holds a NUL byte, so it is binary, not text: is it a stack file (.npy, .hdf5, .tif) given in place of a CSV?");
                }

                afterCr = c == '\r';
                if (c is '\n' or '\r')
                {
                    lines.Add(line.ToString());
                    line.Clear();
                    continue;
                }

                if (line.Length == MaxLineChars)
                {
                    throw IoError.Invalid(path, "line", lines.Count + 1,
                        IoError.Inv($"the line is longer than the {MaxLineChars} characters accepted; is this a text file?"));
                }

                line.Append(c);
            }
        }

        if (line.Length > 0)
        {
            lines.Add(line.ToString());
        }

        return [.. lines];
    }

    public static string[] ReadAllLines(Stream stream, string? fileName, CancellationToken ct)
    {
        byte[] bytes = StackAssembly.ReadAll(stream, fileName, MaxTextBytes, ct);
        using var reader = new StreamReader(new MemoryStream(bytes), detectEncodingFromByteOrderMarks: true);
        var lines = new List<string>();
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            lines.Add(line);
        }

        return [.. lines];
    }
}
