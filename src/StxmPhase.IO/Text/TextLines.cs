using System.Globalization;

namespace StxmPhase.IO;

/// <summary>Helpers shared by the text readers: numbers in invariant culture, field splitting, comment rules.</summary>
internal static class TextLines
{
    public const long MaxTextBytes = 512L << 20;

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

    public static string[] ReadAllLines(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            throw new FileNotFoundException($"File '{path}' does not exist.", path);
        }

        if (info.Length > MaxTextBytes)
        {
            throw IoError.Invalid(path, null, null, IoError.Inv($"the text file is {info.Length} bytes, more than the {MaxTextBytes} bytes accepted."));
        }

        return File.ReadAllLines(path);
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
