using System.Text;

namespace StxmPhase.Cli;

/// <summary>Writes text files atomically (temporary file in the same folder, then rename).</summary>
internal static class AtomicText
{
    public static void Write(string path, string text)
    {
        string full = Path.GetFullPath(path);
        string? dir = Path.GetDirectoryName(full);
        if (!string.IsNullOrEmpty(dir))
        {
            Directory.CreateDirectory(dir);
        }

        // Same pattern as the library's atomic writers (.<name>.<pid>.<guid>.tmp), so that a later run can find and delete
        // what an interrupted one left.
        string temp = Path.Combine(dir ?? ".", string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp"));
        try
        {
            File.WriteAllText(temp, text, new UTF8Encoding(false));
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }
}
