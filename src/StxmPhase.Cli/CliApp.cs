using System.CommandLine;
using System.CommandLine.Help;
using System.Globalization;
using StxmPhase.Spectra;

namespace StxmPhase.Cli;

/// <summary>Builds the <c>stxmphase</c> command tree and runs it with exit-code mapping.</summary>
internal static class CliApp
{
    /// <summary>The name of the installed tool (<c>ToolCommandName</c>), used in help and messages.</summary>
    internal const string ToolName = "stxmphase";

    /// <summary>Parses and runs a command line.</summary>
    /// <param name="args">The arguments.</param>
    /// <param name="stdout">Standard output.</param>
    /// <param name="stderr">Standard error.</param>
    /// <param name="cancellationToken">Cancels the command (in addition to Ctrl+C).</param>
    /// <returns>The exit code.</returns>
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        Beamtime.Provenance.Arguments = args;
        Command root = Build(stdout, stderr);
        ParseResult parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                await stderr.WriteLineAsync("stxmphase: " + InUsersTerms(error.Message)).ConfigureAwait(false);
            }

            // Point at the help of the command that was being parsed (its options), not only at the list of commands.
            string command = parse.CommandResult.Command == root ? string.Empty : parse.CommandResult.Command.Name + " ";
            await stderr.WriteLineAsync($"Run 'stxmphase {command}--help' for usage.").ConfigureAwait(false);
            return ExitCodes.InvalidArguments;
        }

        var config = new InvocationConfiguration { Output = stdout, Error = stderr };
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true;
            cts.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        try
        {
            config.ProcessTerminationTimeout = null;
            return await parse.InvokeAsync(config, cts.Token).ConfigureAwait(false);
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }

    /// <summary>A parser message with .NET type names ("as expected type 'System.Int32'") in the user's terms.</summary>
    internal static string InUsersTerms(string message) => message
        .Replace("as expected type 'System.Int32'", "as a whole number", StringComparison.Ordinal)
        .Replace("as expected type 'System.Int64'", "as a whole number", StringComparison.Ordinal)
        .Replace("as expected type 'System.Double'", "as a number (decimal point, not comma)", StringComparison.Ordinal);

    /// <summary>
    /// The command tree. The root is a command named <see cref="ToolName"/> rather than a <see cref="RootCommand"/>, whose name
    /// is the executable's (<c>StxmPhase.Cli</c> from the build folder or <c>dotnet run</c>), so that help always shows the usage
    /// the documentation uses; it has the root command's <c>--help</c> (on every command) and <c>--version</c>.
    /// </summary>
    internal static Command Build(TextWriter stdout, TextWriter stderr)
    {
        var root = new Command(ToolName,
            "stxmphase — phase maps from STXM stacks: Pearson correlation (PCC) with references, a Gaussian-mixture VAE latent " +
            "space, and latent-space resolution of ambiguous pixels (after arXiv 2603.07666).\n\n" +
            "Exit codes: 0 success, 1 unexpected error or outputs that cannot be written (e.g. disk full), 2 invalid arguments " +
            "(also an output folder in use or holding results), 3 unreadable or invalid input data (also a corrupt checkpoint or " +
            "a stack with no analysable pixel), 4 incompatible inputs (energies/references/shapes/model), 5 batch or collect " +
            "finished but some stacks failed or are missing (see ROOT/summary.csv), 6 a Slurm submission that sbatch refused or " +
            "could not run (slurm --submit), 130 cancelled.");
        root.Options.Add(new HelpOption());
        root.Options.Add(new VersionOption());
        root.Subcommands.Add(Commands.Demo(stdout, stderr));
        root.Subcommands.Add(Commands.Map(stdout, stderr));
        root.Subcommands.Add(Beamtime.BeamtimeCommands.Train(stdout, stderr));
        root.Subcommands.Add(Beamtime.BeamtimeCommands.Batch(stdout, stderr));
        root.Subcommands.Add(Beamtime.BeamtimeCommands.Collect(stdout, stderr));
        root.Subcommands.Add(Commands.Synth(stdout, stderr));
        root.Subcommands.Add(Commands.Evaluate(stdout, stderr));
        root.Subcommands.Add(Commands.Info(stdout, stderr));
        root.Subcommands.Add(SlurmCommand.Create(stdout, stderr));
        return root;
    }

    /// <summary>Runs a command body with the shared error handling: one-line messages, exit codes, stack traces only when verbose.</summary>
    /// <param name="context">The command context.</param>
    /// <param name="body">The work; returns an exit code.</param>
    /// <returns>The exit code.</returns>
    internal static int Guarded(CliContext context, Func<int> body)
    {
        try
        {
            int code = body();
            context.Progress.Complete();
            return code;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            context.Progress.Complete();
            context.Error.WriteLine(ErrorMapper.Describe(ex));
            if (context.Verbose)
            {
                context.Error.WriteLine(ex.ToString());
            }
            else if (ErrorMapper.IsUnexpected(ex))
            {
                context.Error.WriteLine("Run again with --verbose for details.");
            }

            return ErrorMapper.ExitCodeFor(ex);
        }
    }

    /// <summary>Reads a caller mask file (.npy of H×W, non-zero = include).</summary>
    /// <param name="path">The file.</param>
    /// <param name="width">Expected width.</param>
    /// <param name="height">Expected height.</param>
    /// <param name="warnings">Where to warn about negative values (which count as included), or null.</param>
    /// <returns>The mask.</returns>
    internal static PixelMask ReadMask(string path, int width, int height, TextWriter? warnings = null)
    {
        var array = IO.NpyFile.Read(path);
        if (array.Shape.Count != 2 || array.Shape[0] != height || array.Shape[1] != width)
        {
            throw new IncompatibleInputException(
                $"{path}: the mask has shape ({string.Join(", ", array.Shape)}) but the stack is {height}×{width} (height, width).")
            {
                FileName = path,
            };
        }

        double[] values = array.ToDoubleArray();
        int negative = values.Count(v => v < 0);
        if (negative > 0)
        {
            // A phase map such as truth.npy marks 'not sample' with −1, which as a mask would include every pixel.
            warnings?.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"stxmphase: warning: mask '{path}': {negative} pixels are negative (−1 = 'not sample' in a phase map such as ")
                + string.Create(CultureInfo.InvariantCulture,
                    $"truth.npy?) and count as included, as every non-zero value does; if that is not meant, give 1 = sample, 0 = not."));
        }

        return new PixelMask(width, height, values.Select(v => v != 0).ToArray());
    }
}
