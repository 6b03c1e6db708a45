using System.Globalization;
using StxmPhase.Spectra;

namespace StxmPhase.IO;

/// <summary>Builds the domain exceptions of this assembly with file, field and offset context.</summary>
internal static class IoError
{
    public static InvalidStackContentException Invalid(string? file, string? field, long? offset, string message, Exception? inner = null)
    {
        string where = Where(file, field, offset);
        return new InvalidStackContentException(where + message, inner)
        {
            FileName = file,
            Field = field,
            Offset = offset,
        };
    }

    public static string Where(string? file, string? field, long? offset)
    {
        var parts = new List<string>(3);
        if (!string.IsNullOrEmpty(file))
        {
            parts.Add($"'{file}'");
        }

        if (!string.IsNullOrEmpty(field))
        {
            parts.Add($"field '{field}'");
        }

        if (offset is long o)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"offset/line {o}"));
        }

        return parts.Count == 0 ? string.Empty : string.Join(", ", parts) + ": ";
    }

    public static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
