using System.Globalization;
using StxmPhase.IO;
using StxmPhase.Spectra;

namespace StxmPhase.Cli.Beamtime;

/// <summary>The preprocessing choices of <c>train</c> and <c>batch</c> (a model stores them).</summary>
/// <param name="References">The references CSV (required to train; optional with a model).</param>
/// <param name="Energies">The energies CSV for manifest lines without their own.</param>
/// <param name="Quantity">auto, od, transmission or transmittance.</param>
/// <param name="Mask">auto, otsu or none.</param>
/// <param name="Align">Whether to register the energy images.</param>
internal sealed record BeamtimeInputs(string? References, string? Energies, string Quantity, string Mask, bool Align);

/// <summary>The bodies of <c>train</c>, <c>batch</c>, <c>collect</c> and the beamtime-model paths of <c>map</c>.</summary>
internal static class BeamtimePipelines
{
    /// <summary>The model file <c>batch</c> trains into when no <c>--model</c> is given.</summary>
    public const string BatchModelFile = "model.ckpt";

    /// <summary><c>stxmphase train</c>: trains on the stacks one at a time and writes the model.</summary>
    public static int Train(CliContext ctx, IReadOnlyList<ManifestEntry> entries, BeamtimeInputs inputs, ModelSettings m, string modelPath,
        bool overwrite, CancellationToken ct)
    {
        OutputFolders.CheckWritableFile(modelPath, "--model", overwrite);
        string sha = TrainInto(ctx, entries, inputs, m, modelPath, ct);
        ctx.Out.WriteLine($"Model saved to {Path.GetFullPath(modelPath)} (sha256 {sha})");
        return ExitCodes.Success;
    }

    /// <summary><c>stxmphase map --model BEAMTIME --stack …</c>: each stack mapped on its own with the model, into OUT/&lt;name&gt;/.</summary>
    public static int MapStacks(CliContext ctx, MapSettings s, CancellationToken ct)
    {
        BeamtimeModel model = BeamtimeModel.Read(s.Model.ModelPath!);
        using BeamtimeMapper mapper = BeamtimeMapper.Open(ctx, model, s.Model, s.References);
        string[] names = Pipelines.UniqueNames(s.Stacks);
        using OutputFolders output = OutputFolders.Open(s.OutputFolder, names, s.Overwrite);
        for (int i = 0; i < s.Stacks.Length; i++)
        {
            string path = s.Stacks[i];
            var provenance = Provenance.For(path, model.Sha256);
            mapper.Map(ctx, path, names[i], s.Energies, mapper.Settings, run =>
            {
                PhaseMappingResult r = run.Results[0];
                Pipelines.WriteStaged(output, names[i], staging => OutputWriter.Write(ctx, run, r, staging, mapper.Settings, null, provenance));
                Report.PrintSummary(ctx.Out, run, r, null);
            }, ct);
        }

        ctx.Out.WriteLine($"Outputs: {output.Root}");
        return ExitCodes.Success;
    }

    /// <summary><c>stxmphase map --manifest M --manifest-index I --model CKPT --out ROOT</c>: one line, exactly as <c>batch</c> maps it.</summary>
    public static int MapIndex(CliContext ctx, string manifestPath, int index, string root, BeamtimeInputs inputs, ModelSettings m,
        CancellationToken ct)
    {
        if (m.ModelPath is null)
        {
            throw new UsageException("map --manifest needs --model (train one with 'stxmphase train'); 'stxmphase batch' trains and maps in one go.");
        }

        BeamtimeManifest manifest = BeamtimeManifest.Read(manifestPath);
        ManifestEntry entry = WithEnergies(manifest.Entry(index), inputs.Energies);
        BeamtimeModel model = ReadModel(m.ModelPath);
        using BeamtimeMapper mapper = BeamtimeMapper.Open(ctx, model, m, inputs.References);
        Directory.CreateDirectory(root);
        StackOutcome outcome = StackJob.Run(ctx, mapper, mapper.Settings, entry, root, ct);
        PrintOutcome(ctx, outcome, 1, 1);
        return outcome.ExitCode;
    }

    /// <summary><c>stxmphase batch</c>: trains (unless <c>--model</c>), maps every manifest line into ROOT/&lt;name&gt;/, writes
    /// summary.csv.</summary>
    public static int Batch(CliContext ctx, string manifestPath, string root, BeamtimeInputs inputs, ModelSettings m, int jobs, CancellationToken ct)
    {
        BeamtimeManifest manifest = BeamtimeManifest.Read(manifestPath);
        var entries = manifest.Entries.Select(e => WithEnergies(e, inputs.Energies)).ToArray();
        BeamtimeModel? given = m.ModelPath is null ? null : ReadModel(m.ModelPath); // a bad --model leaves no empty ROOT behind
        Directory.CreateDirectory(root);
        BeamtimeModel model = given ?? ReadModel(TrainForBatch(ctx, entries, inputs, m, root, ct));
        int budget = ThreadsOption.Resolve(m.Threads);
        jobs = Math.Clamp(jobs, 1, entries.Length);
        ModelSettings perJob = m with { Threads = Math.Max(1, budget / jobs) };
        using BeamtimeMapper mapper = BeamtimeMapper.Open(ctx, model, perJob, inputs.References);
        var outcomes = new StackOutcome[entries.Length];
        int done = 0;
        var gate = new object();
        try
        {
            Parallel.For(0, entries.Length, new ParallelOptions { MaxDegreeOfParallelism = jobs, CancellationToken = ct }, i =>
            {
                // Beside other stacks, a stack's console summary is left out, but its warnings still reach stderr, one line each,
                // prefixed with its name.
                using var errors = new StackLineWriter(ctx.Error, entries[i].Name, gate);
                using var quiet = new CliContext(TextWriter.Null, errors, verbose: false, quiet: true);
                outcomes[i] = StackJob.Run(jobs == 1 ? ctx : quiet, mapper, mapper.Settings, entries[i], root, ct);
                lock (gate)
                {
                    PrintOutcome(ctx, outcomes[i], ++done, entries.Length);
                }
            });
        }
        catch (AggregateException ex)
        {
            // A stack's own errors are recorded by StackJob; what escapes is cancellation or an output error: report it as itself
            // (exit code 130 or 1 with its message), not as an AggregateException.
            Exception first = ex.InnerExceptions.FirstOrDefault(e => e is OperationCanceledException) ?? ex.InnerExceptions[0];
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(first).Throw();
        }

        CollectCounts counts = SummaryTable.Write(root, manifest);
        ctx.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{counts.Ok} {(counts.Ok == 1 ? "stack" : "stacks")} mapped or complete, {counts.Failed} failed, {counts.Missing} missing; ") +
            $"summary: {Path.Combine(Path.GetFullPath(root), SummaryTable.FileName)}");
        return counts.Failed + counts.Missing > 0 ? ExitCodes.SomeStacksFailed : ExitCodes.Success;
    }

    /// <summary><c>stxmphase collect ROOT [--manifest M]</c>.</summary>
    public static int Collect(CliContext ctx, string root, string? manifestPath)
    {
        BeamtimeManifest? manifest = manifestPath is null ? null : BeamtimeManifest.Read(manifestPath);
        CollectCounts counts = SummaryTable.Write(root, manifest, ctx.Error.WriteLine);
        ctx.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{counts.Ok} ok, {counts.Failed} failed, {counts.Missing} missing: {Path.Combine(Path.GetFullPath(root), SummaryTable.FileName)}"));
        return counts.Failed + counts.Missing > 0 ? ExitCodes.SomeStacksFailed : ExitCodes.Success;
    }

    /// <summary>Turns <c>--stack</c> files into manifest entries (names as <c>map</c> gives them).</summary>
    public static ManifestEntry[] EntriesOf(IReadOnlyList<string> stacks, string? energies)
    {
        string[] names = Pipelines.UniqueNames(stacks.ToArray());
        return stacks.Select((s, i) => new ManifestEntry(i, Path.GetFullPath(s), names[i], energies, [])).ToArray();
    }

    private static ManifestEntry WithEnergies(ManifestEntry e, string? energies) =>
        e.Energies is null && energies is not null ? e with { Energies = Path.GetFullPath(energies) } : e;

    /// <summary>
    /// Reads a beamtime model. A missing file or one that is not a beamtime model is unreadable input (exit code 3), as for
    /// <c>map --model</c> and <c>slurm</c>.
    /// </summary>
    private static BeamtimeModel ReadModel(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"--model '{path}' does not exist (train one with 'stxmphase train').", path);
        }

        return BeamtimeModel.IsBeamtimeModel(path)
            ? BeamtimeModel.Read(path)
            : throw new CheckpointFormatException(
                $"--model '{path}' is not a beamtime model (a bare GMVAE checkpoint from --save-model?); train one with 'stxmphase train'.")
            {
                FileName = path,
            };
    }

    /// <summary>Trains into ROOT/model.ckpt, or reuses it when it was trained on the same files with the same settings.</summary>
    private static string TrainForBatch(CliContext ctx, ManifestEntry[] entries, BeamtimeInputs inputs, ModelSettings m, string root,
        CancellationToken ct)
    {
        string path = Path.Combine(root, BatchModelFile);
        if (BeamtimeModel.IsBeamtimeModel(path))
        {
            BeamtimeModel existing = BeamtimeModel.Read(path);
            string wanted = System.Text.Json.JsonSerializer.Serialize(BeamtimeModel.SettingsOf(m, inputs.Mask, inputs.Quantity, inputs.Align),
                BeamtimeJsonContext.Default.BeamtimeSettings);
            string have = System.Text.Json.JsonSerializer.Serialize(existing.Header.Settings, BeamtimeJsonContext.Default.BeamtimeSettings);
            bool sameInputs = existing.Header.TrainingInputs.Length == entries.Length
                && existing.Header.TrainingInputs.Zip(entries).All(x => x.First.Path == x.Second.Path
                    && x.First.Sha256 == (File.Exists(x.Second.Path) ? Provenance.FileSha256(x.Second.Path) : null));
            if (wanted == have && sameInputs)
            {
                ctx.Out.WriteLine($"Reusing {path} (trained on the same files with the same settings; sha256 {existing.Sha256}).");
                return path;
            }

            ctx.Out.WriteLine($"Retraining {path}: it was trained on other files or settings.");
        }

        string sha = TrainInto(ctx, entries, inputs, m, path, ct);
        ctx.Out.WriteLine($"Model saved to {path} (sha256 {sha})");
        return path;
    }

    private static string TrainInto(CliContext ctx, IReadOnlyList<ManifestEntry> entries, BeamtimeInputs inputs, ModelSettings m, string modelPath,
        CancellationToken ct)
    {
        if (m.Method != "pcc-gmvae")
        {
            throw new UsageException(
                $"train fits the pcc-gmvae method's model; --method {m.Method} has nothing to train (use map or batch without --model).");
        }

        if (m.Encoder != "gmvae" && m.Strategy != "none")
        {
            throw new UsageException($"train saves a GMVAE; --encoder {m.Encoder} is fitted per run in seconds (use map).");
        }

        string referencesPath = inputs.References ?? throw new UsageException("train needs --references.");
        ReferenceSpectra references = ReferenceInput.Read(referencesPath);
        BeamtimeSettings settings = BeamtimeModel.SettingsOf(m, inputs.Mask, inputs.Quantity, inputs.Align);
        var workflow = new PhaseMappingWorkflow
        {
            Options = Pipelines.OptionsFor(m, Pipelines.MaskModeFor(inputs.Mask), inputs.Align, Pipelines.ParticleMaskFor(inputs.Mask)),
            Logger = ctx.Logger("stxmphase"),
        };
        var sources = entries.Select(e => new TrainingSource(e.Name, e.Path, token =>
        {
            e.CheckExists();
            SpectralStack stack = BeamtimeMapper.ReadStack(ctx, e.Path, e.Energies ?? inputs.Energies, settings, token);
            InputChecks.CheckReferences(references, referencesPath, stack.Energies);
            InputChecks.CheckBackgroundSpectra(m, stack.Energies);
            return new PhaseMappingInput(stack, e.Name) { ReuseStackMemory = true };
        })).ToArray();
        BeamtimeTraining training = BeamtimeTrainer.Train(sources, references, m, workflow, ctx.Progress, ctx.Logger("stxmphase"), ct);
        ctx.Progress.Complete();
        using (training.Encoder)
        {
            var header = new BeamtimeModelHeader
            {
                ToolVersion = Provenance.Version,
                DotnetVersion = Environment.Version.ToString(),
                CreatedUtc = DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture),
                CommandLine = Provenance.CurrentCommandLine,
                EnergiesEv = training.Energies.ToArray(),
                PhaseNames = references.PhaseNames.ToArray(),
                ReferenceEnergiesEv = references.Energies.ToArray(),
                ReferenceValues = references.Values.ToArray(),
                Settings = settings,
                TrainingSpectra = training.TrainingSpectra,
                TrainingInputs = training.Inputs,
            };
            try
            {
                return BeamtimeModel.Write(modelPath, header, training.Encoder);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new OutputWriteException($"the model could not be saved to '{modelPath}': {ex.Message}", ex);
            }
        }
    }

    private static void PrintOutcome(CliContext ctx, StackOutcome o, int done, int total) =>
        ctx.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"[{done}/{total}] {o.Entry.Name}: {o.Status} ({o.Seconds:F2} s){(o.Message is null ? string.Empty : " " + o.Message)}"));
}
