using System.CommandLine;

namespace StxmPhase.Cli.Beamtime;

/// <summary>The beamtime commands: <c>train</c> (once), <c>batch</c> (many stacks, resumable), <c>collect</c> (summary.csv).</summary>
internal static class BeamtimeCommands
{
    private static readonly Option<bool> s_verbose = new("--verbose", "-v")
    {
        Description = "Log every step to stderr and show stack traces on errors.",
    };
    private static readonly Option<bool> s_quiet = new("--quiet", "-q") { Description = "No progress bars." };

    public static Command Train(TextWriter stdout, TextWriter stderr)
    {
        var stacks = new Option<string[]>("--stack", "-s")
        {
            Description = "A stack file to train on; repeat for several (or use --manifest).",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var manifest = ManifestOption("Train on every stack of this manifest (CSV: path[,name][,energies][,metadata…]).");
        var model = new Option<string>("--model") { Description = "The model file to write (e.g. beamtime.ckpt).", Required = true };
        var overwrite = new Option<bool>("--overwrite") { Description = "Replace an existing model file." };
        var seed = new Option<int>("--seed") { Description = "Seed (subsampling, training).", DefaultValueFactory = _ => 0 };
        var inputs = new InputOptions(referencesRequired: true);
        var options = ModelOptions.Create();
        var cmd = new Command("train",
            "Train the beamtime's model once: the GMVAE on a stratified subsample of all stacks (one stack in memory at a time), with the " +
            "references, energies and every preprocessing and resolution setting, so that 'map --model' and 'batch --model' map each stack as " +
            "this configuration would.")
        {
            stacks, manifest, model, overwrite, seed, s_verbose, s_quiet,
        };
        inputs.AddTo(cmd);
        options.AddTo(cmd, modelFiles: false);
        cmd.SetAction((ParseResult p, CancellationToken ct) =>
        {
            using var ctx = new CliContext(stdout, stderr, p.GetValue(s_verbose), p.GetValue(s_quiet));
            return Task.FromResult(CliApp.Guarded(ctx, () =>
            {
                string[] files = p.GetValue(stacks) ?? [];
                string? list = p.GetValue(manifest);
                if ((files.Length == 0) == (list is null))
                {
                    throw new UsageException("train needs either --stack (repeatable) or --manifest.");
                }

                BeamtimeInputs bound = inputs.Bind(p);
                ManifestEntry[] entries = list is null
                    ? BeamtimePipelines.EntriesOf(files, bound.Energies)
                    : [.. BeamtimeManifest.Read(list).Entries];
                return BeamtimePipelines.Train(ctx, entries, bound, options.Bind(p, p.GetValue(seed)), p.GetValue(model)!, p.GetValue(overwrite), ct);
            }));
        });
        return cmd;
    }

    public static Command Batch(TextWriter stdout, TextWriter stderr)
    {
        var manifest = ManifestOption("The beamtime manifest (CSV with a header: path[,name][,energies][,metadata…]).");
        manifest.Required = true;
        var outDir = new Option<string>("--out", "-o")
        {
            Description = "Output root: each stack goes to ROOT/<name>/, the table to ROOT/summary.csv.",
            Required = true,
        };
        var jobs = ValidatedOption.Int("--jobs",
            "Stacks mapped in parallel; the threads (--threads or the CPUs this process may use) are divided between them.", 1, 1, 1024);
        var seed = new Option<int>("--seed") { Description = "Seed (subsampling, training).", DefaultValueFactory = _ => 0 };
        var inputs = new InputOptions(referencesRequired: false);
        var options = ModelOptions.Create();
        var cmd = new Command("batch",
            "Map every stack of a manifest into ROOT/<name>/ with one model (--model, or trained first into ROOT/model.ckpt), resumably: a " +
            "stack complete for the same input and model is skipped, a killed run leaves no partial folder, a failing stack does not stop the " +
            "others (exit code 5). Writes ROOT/summary.csv.")
        {
            manifest, outDir, jobs, seed, s_verbose, s_quiet,
        };
        inputs.AddTo(cmd);
        options.AddTo(cmd);
        cmd.SetAction((ParseResult p, CancellationToken ct) =>
        {
            using var ctx = new CliContext(stdout, stderr, p.GetValue(s_verbose), p.GetValue(s_quiet));
            return Task.FromResult(CliApp.Guarded(ctx, () =>
            {
                ModelSettings m = options.Bind(p, p.GetValue(seed));
                if (m.SaveModelPath is not null)
                {
                    throw new UsageException(
                        "--save-model: batch maps with --model, or trains its model into ROOT/model.ckpt and keeps it there; "
                        + "--save-model is for map.");
                }

                CheckModelFixesScience(options, inputs, p, m.ModelPath);
                return BeamtimePipelines.Batch(ctx, p.GetValue(manifest)!, p.GetValue(outDir)!, inputs.Bind(p), m, p.GetValue(jobs), ct);
            }));
        });
        return cmd;
    }

    public static Command Collect(TextWriter stdout, TextWriter stderr)
    {
        var root = new Argument<string>("root") { Description = "The output root of a batch or a Slurm array." };
        var manifest = ManifestOption(
            "One row per manifest line (stacks without a complete folder are 'missing'); default: one row per stack folder.");
        var cmd = new Command("collect",
            "Build ROOT/summary.csv from the per-stack folders (status.json); exit code 5 when a stack failed or is missing.")
        {
            root, manifest, s_verbose,
        };
        cmd.SetAction((ParseResult p, CancellationToken ct) =>
        {
            using var ctx = new CliContext(stdout, stderr, p.GetValue(s_verbose), quiet: true);
            return Task.FromResult(CliApp.Guarded(ctx, () => BeamtimePipelines.Collect(ctx, p.GetValue(root)!, p.GetValue(manifest))));
        });
        return cmd;
    }

    /// <summary>With a model, the science options are the model's: giving one is an error rather than silently ignored.</summary>
    internal static void CheckModelFixesScience(ModelOptions options, InputOptions? inputs, ParseResult p, string? modelPath)
    {
        if (modelPath is null || !BeamtimeModel.IsBeamtimeModel(modelPath))
        {
            return;
        }

        // --background-spectrum is accepted when it is the model's own file (same SHA-256): the model uses its stored values.
        string[] given = [.. options.ExplicitScienceOptions(p).Where(o => o != "--background-spectrum"),
            .. inputs?.ExplicitPreprocessingOptions(p) ?? []];
        if (given.Length > 0)
        {
            throw new UsageException(
                $"{string.Join(", ", given)}: the model '{modelPath}' fixes these settings (they were chosen at training); " +
                "omit them, or train another model.");
        }

        if (options.ExplicitBackgroundSpectrum(p) is { } spectrum)
        {
            BeamtimeModel.Read(modelPath).CheckBackgroundSpectrum(spectrum);
        }
    }

    internal static Option<string?> ManifestOption(string description) => new("--manifest") { Description = description };
}

/// <summary>The input options of train and batch: references, energies, quantity, mask, alignment.</summary>
internal sealed class InputOptions
{
    private readonly Option<string?> _references;
    private readonly Option<string?> _energies = new("--energies", "-e")
    {
        Description = "Energies CSV for stacks that store none and have no 'energies' column value in the manifest.",
    };

    private readonly Option<string> _quantity = new("--quantity")
    {
        Description = "What .npy/.tif stacks hold: auto, od, transmission or transmittance.",
        DefaultValueFactory = _ => "auto",
    };

    private readonly Option<string> _mask = new("--mask")
    {
        Description = "Sample mask: auto (noise-aware), otsu or none.",
        DefaultValueFactory = _ => "auto",
    };
    private readonly Option<bool> _align = new("--align") { Description = "Register the energy images before mapping." };

    public InputOptions(bool referencesRequired)
    {
        _references = new Option<string?>("--references", "-r")
        {
            Description = referencesRequired
                ? "Reference spectra CSV with header energy_eV,<phase 1>,… (stored in the model)."
                : "Reference spectra CSV (to train; with --model optional, and if given it must be the model's).",
            Required = referencesRequired,
        };
        _quantity.AcceptOnlyFromAmong("auto", "od", "transmission", "transmittance");
        _mask.AcceptOnlyFromAmong("auto", "otsu", "none");
    }

    public void AddTo(Command command)
    {
        foreach (Option o in new Option[] { _references, _energies, _quantity, _mask, _align })
        {
            command.Options.Add(o);
        }
    }

    public BeamtimeInputs Bind(ParseResult p) =>
        new(p.GetValue(_references), p.GetValue(_energies), p.GetValue(_quantity)!, p.GetValue(_mask)!, p.GetValue(_align));

    public IReadOnlyList<string> ExplicitPreprocessingOptions(ParseResult p) =>
        new Option[] { _quantity, _mask, _align }.Where(o => p.GetResult(o) is { Implicit: false }).Select(o => o.Name).ToArray();
}
