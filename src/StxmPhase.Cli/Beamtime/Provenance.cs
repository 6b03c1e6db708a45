using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace StxmPhase.Cli.Beamtime;

/// <summary>
/// What a result records so that a beamtime can be audited later: the SHA-256 of the input file and of the model, the
/// tool version and the exact command line.
/// </summary>
/// <param name="InputSha256">SHA-256 (hex) of the stack file, or <see langword="null"/> when there is none (synthetic data).</param>
/// <param name="ModelSha256">The model's content hash (hex), or <see langword="null"/> when no model file was used.</param>
/// <param name="ToolVersion">The stxmphase version.</param>
/// <param name="CommandLine">The command line, as typed (arguments quoted where needed).</param>
internal sealed record Provenance(string? InputSha256, string? ModelSha256, string ToolVersion, string CommandLine)
{
    private static readonly AsyncLocal<string[]?> s_arguments = new();

    /// <summary>Gets the stxmphase version (the informational version of the workflow assembly).</summary>
    public static string Version { get; } =
        typeof(PhaseMappingWorkflow).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    /// <summary>Gets or sets the arguments of the command running on this logical thread (set by <see cref="CliApp"/>).</summary>
    public static IReadOnlyList<string>? Arguments
    {
        get => s_arguments.Value;
        set => s_arguments.Value = value?.ToArray();
    }

    /// <summary>Gets the command line of the running command: <c>stxmphase</c> and its arguments, quoted where needed.</summary>
    public static string CurrentCommandLine =>
        "stxmphase " + string.Join(' ', (Arguments ?? Environment.GetCommandLineArgs().Skip(1).ToArray()).Select(Quote));

    /// <summary>Creates the provenance of one stack's result.</summary>
    /// <param name="inputFile">The stack file, or <see langword="null"/>.</param>
    /// <param name="modelSha256">The model hash, or <see langword="null"/>.</param>
    /// <returns>The record.</returns>
    public static Provenance For(string? inputFile, string? modelSha256) =>
        new(inputFile is not null && File.Exists(inputFile) ? FileSha256(inputFile) : null, modelSha256, Version, CurrentCommandLine);

    /// <summary>Returns the SHA-256 of a file as lower-case hex.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The hash.</returns>
    public static string FileSha256(string path)
    {
        using FileStream stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    /// <summary>Writes the <c>provenance</c> object of a summary.json.</summary>
    /// <param name="j">The writer.</param>
    public void Write(Utf8JsonWriter j)
    {
        ArgumentNullException.ThrowIfNull(j);
        j.WriteStartObject("provenance");
        j.WriteString("input_sha256", InputSha256);
        j.WriteString("model_sha256", ModelSha256);
        j.WriteString("tool_version", ToolVersion);
        j.WriteString("command_line", CommandLine);
        j.WriteEndObject();
    }

    private static string Quote(string argument)
    {
        if (argument.Length > 0 && !argument.Any(c => char.IsWhiteSpace(c) || c is '"' or '\'' or '$' or '`' or '\\' or ';' or '&' or '|'))
        {
            return argument;
        }

        var b = new StringBuilder("'");
        b.Append(argument.Replace("'", "'\\''", StringComparison.Ordinal));
        return b.Append('\'').ToString();
    }
}
