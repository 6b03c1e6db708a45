using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using StxmPhase.Assignment;
using StxmPhase.Figures;
using StxmPhase.Gmvae;
using StxmPhase.IO;
using StxmPhase.Spectra;
using StxmPhase.Synthetic;

namespace StxmPhase.Cli;

/// <summary>The command bodies: read inputs, run the library, write outputs. No science lives here.</summary>
internal static class Pipelines
{
    public static int Demo(CliContext ctx, DemoSettings s, CancellationToken ct)
    {
        if (s.Size < 16)
        {
            throw new UsageException($"--size must be at least 16; got {s.Size}.");
        }

        if (s.Model.Method != "pcc-gmvae")
        {
            throw new UsageException(
                $"--method {s.Model.Method}: demo maps with the pcc-gmvae pipeline only. To try {s.Model.Method} on synthetic data: "
                + "stxmphase synth --out data, then stxmphase map --stack data/stack.npy --references data/references.csv "
                + $"--method {s.Model.Method}.");
        }

        PreflightModel(s.Model, s.Overwrite);
        using OutputFolders output = OutputFolders.Open(s.OutputFolder, ["demo"], s.Overwrite);
        var sw = Stopwatch.StartNew();
        SyntheticDataset data = SyntheticStackGenerator.Generate(
            new SyntheticStackOptions { Width = s.Size, Height = s.Size, Seed = s.Seed, Dose = s.Dose }, ct);
        ctx.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Synthetic NaxV2(PO4)2F3-like stack: {s.Size}×{s.Size} px × {data.Transmission.EnergyCount} energies "
            + $"({data.Transmission.Energies.MinimumEv:F1}–{data.Transmission.Energies.MaximumEv:F1} eV), {data.ParticleCount} particles, "
            + $"dose {s.Dose} photons/px/energy, generated in {sw.Elapsed.TotalSeconds:F2} s."));
        var input = new PhaseMappingInput(data.Transmission, "demo") { ReuseStackMemory = true };
        using PhaseMappingRun run = RunWorkflow(ctx, [input], data.References, s.Model, ct, finish: run =>
        {
            PhaseMappingResult r = run.Results[0];
            CheckAnalysed(ctx, r, s.Model);
            WorkflowEvaluation e = PhaseMappingEvaluation.Evaluate(r, data.Truth, data.BoundaryMask);
            string folder = WriteStaged(output, "demo", staging =>
            {
                OutputWriter.Write(ctx, run, r, staging, s.Model, e);
                OutputWriter.WriteRun(run, staging, s.Model);
                NpyFile.Write(Path.Combine(staging, "truth.npy"), data.Truth);
                if (s.Model.Figures && e.Calibration is { } calibration)
                {
                    PhaseFigures.SavePng(Path.Combine(staging, "reliability-diagram.png"), PhaseFigures.RenderReliabilityDiagram(calibration));
                }
            });
            SaveModel(ctx, run, s.Model, folder);
            Report.PrintSummary(ctx.Out, run, r, e);
            ctx.Out.WriteLine($"Outputs: {folder}");
        });
        return ExitCodes.Success;
    }

    public static int Map(CliContext ctx, MapSettings s, CancellationToken ct)
    {
        PreflightModel(s.Model, s.Overwrite);
        EdgeInputs.Check(s);
        ReferenceSpectra references = ReferenceInput.Read(s.References!);
        EnergyAxis? energies = s.Energies is null ? null : EnergyAxisCsv.Read(s.Energies);
        string[] names = UniqueNames(s.Stacks);
        using OutputFolders output = OutputFolders.Open(s.OutputFolder, names, s.Overwrite);
        var inputs = new List<PhaseMappingInput>();
        FusedEdgeStack? fusion = null;
        for (int i = 0; i < s.Stacks.Length; i++)
        {
            ct.ThrowIfCancellationRequested();
            string path = s.Stacks[i];
            var readOptions = new StackReadOptions
            {
                FileName = path,
                Energies = energies,
                Channel = s.Channel,
                Quantity = s.Quantity,
            };
            SpectralStack stack = s.Monitor is null
                ? StackFile.Read(path, readOptions, ct)
                : StackFile.Read(path, readOptions, WithMonitor(s.Monitor), ct);
            StackReadNote.Write(ctx.Out, path, stack);
            InputChecks.CheckStack(ctx, stack, path, s.AllowPartialStack, sidecarNoted: true);
            if (s.I0 is not null && s.I0 != "auto")
            {
                stack = ApplyI0File(stack, s.I0, ct);
            }

            if (i == 0)
            {
                InputChecks.CheckReferences(references, s.References!, stack.Energies);
                InputChecks.CheckBackgroundSpectra(s.Model, stack.Energies);
            }

            PixelMask? mask = s.Mask is "auto" or "otsu" or "none" ? null : CliApp.ReadMask(s.Mask, stack.Width, stack.Height, ctx.Error);
            if (s.Edges.Count > 0)
            {
                // Several edges of one field: register, resample and fuse them with the first stack as spectral blocks.
                fusion = EdgeInputs.Fuse(ctx, s, stack, references, ct);
                inputs.Add(new PhaseMappingInput(fusion.Stack, names[i], mask) { Blocks = fusion.Blocks });
                continue;
            }

            inputs.Add(new PhaseMappingInput(stack, names[i], mask) { ReuseStackMemory = true }); // read from a file: convert in place
        }

        ModelSettings model = s.Model;
        if (model.Method != "pcc-gmvae")
        {
            BaselinePipeline.Run(ctx, inputs, references, model, MaskModeFor(s.Mask), s.Align, output, ct, ParticleMaskFor(s.Mask));
            return ExitCodes.Success;
        }

        using PhaseMappingRun run = EdgeInputs.NamingEdgeFiles(s, () => RunWorkflow(ctx, inputs, references, model, ct, MaskModeFor(s.Mask),
            s.Align, ParticleMaskFor(s.Mask), finish: run =>
            {
                foreach (PhaseMappingResult result in run.Results)
                {
                    CheckAnalysed(ctx, result, model);
                }

                foreach (PhaseMappingResult result in run.Results)
                {
                    WriteStaged(output, result.Name, staging =>
                    {
                        OutputWriter.Write(ctx, run, result, staging, model, evaluation: null);
                        EdgeInputs.AddToSummary(staging, fusion);
                    });
                    Report.PrintSummary(ctx.Out, run, result, null);
                }

                OutputWriter.WriteRun(run, output.Root, model);
                SaveModel(ctx, run, model, output.Root);
                ctx.Out.WriteLine($"Outputs: {output.Root}");
            }));
        return ExitCodes.Success;
    }

    public static int Synth(CliContext ctx, SyntheticStackOptions options, string outDir, bool asOpticalDensity, bool overwrite, CancellationToken ct)
    {
        using OutputFolders output = OutputFolders.Open(outDir, null, overwrite);
        SyntheticDataset data = SyntheticStackGenerator.Generate(options, ct);
        SpectralStack stack = asOpticalDensity ? data.OpticalDensity : data.Transmission;
        WriteStaged(output, null, staging =>
        {
            NpyFile.Write(Path.Combine(staging, "stack.npy"), stack);
            EnergyAxisCsv.Write(Path.Combine(staging, "energies.csv"), stack.Energies);
            ReferenceSpectraCsv.Write(Path.Combine(staging, "references.csv"), data.References);
            NpyFile.Write(Path.Combine(staging, "truth.npy"), data.Truth);
            NpyFile.Write(Path.Combine(staging, "boundary.npy"), OutputWriter.ToBytes(data.BoundaryMask.AsSpan()),
                data.Truth.Height, data.Truth.Width);
        });
        ctx.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Wrote {(asOpticalDensity ? "optical density" : "transmission")} stack {stack.Width}×{stack.Height}×{stack.EnergyCount} "
            + $"(stack.npy, energies.csv), references.csv, truth.npy, boundary.npy to {Path.GetFullPath(outDir)}"));
        ctx.Out.WriteLine(
            $"Map it with: stxmphase map --stack {Path.Combine(outDir, "stack.npy")} --references {Path.Combine(outDir, "references.csv")}"
            + $"   (energies.csv beside the stack is found; the quantity is detected)");
        return ExitCodes.Success;
    }

    public static int EvaluateStack(CliContext ctx, string stackPath, string truthPath, string? boundaryPath, string referencesPath,
        string? energiesPath, SpectralQuantity? quantity, ModelSettings model, CancellationToken ct)
    {
        PreflightModel(model, overwrite: false);
        ReferenceSpectra references = ReferenceInput.Read(referencesPath);
        EnergyAxis? energies = ReadSyntheticEnergies(energiesPath);

        SpectralStack stack = StackFile.Read(stackPath, new StackReadOptions { FileName = stackPath, Energies = energies, Quantity = quantity }, ct);
        StackReadNote.Write(ctx.Out, stackPath, stack);
        InputChecks.CheckStack(ctx, stack, stackPath, allowPartial: false, sidecarNoted: true);
        InputChecks.CheckReferences(references, referencesPath, stack.Energies);
        InputChecks.CheckBackgroundSpectra(model, stack.Energies);
        PhaseMap truth = ReadTruth(truthPath, stack.Width, stack.Height, references.PhaseNames);
        PixelMask? boundary = boundaryPath is null ? null : CliApp.ReadMask(boundaryPath, stack.Width, stack.Height, ctx.Error);
        using PhaseMappingRun run = RunWorkflow(
            ctx, [new PhaseMappingInput(stack, Path.GetFileNameWithoutExtension(stackPath)) { ReuseStackMemory = true }], references, model, ct,
            finish: run =>
            {
                CheckAnalysed(ctx, run.Results[0], model);
                WorkflowEvaluation e = PhaseMappingEvaluation.Evaluate(run.Results[0], truth, boundary);
                Report.PrintSummary(ctx.Out, run, run.Results[0], e);
                SaveModel(ctx, run, model, resultsFolder: null);
            });
        return ExitCodes.Success;
    }

    /// <summary>Reads an --energies file for the synthetic references, refusing an energy outside their range (names the
    /// file, index and value).</summary>
    private static EnergyAxis? ReadSyntheticEnergies(string? energiesPath)
    {
        EnergyAxis? energies = energiesPath is null ? null : EnergyAxisCsv.Read(energiesPath);
        double low = NaVanadiumFluorophosphateReferences.HighResolutionMinimumEv, high = NaVanadiumFluorophosphateReferences.HighResolutionMaximumEv;
        for (int e = 0; e < (energies?.Count ?? 0); e++)
        {
            if (energies![e] < low || energies[e] > high)
            {
                throw new UsageException(string.Create(CultureInfo.InvariantCulture,
                    $"--energies '{energiesPath}': energy {energies[e]} eV (index {e}) lies outside the synthetic references' {low}–{high} eV."));
            }
        }

        return energies;
    }

    public static int EvaluateSynthetic(CliContext ctx, double[] doses, int size, int seed, int seeds, ModelSettings model, string? reportPath,
        CancellationToken ct, string? energiesPath = null)
    {
        if (model.SaveModelPath is not null)
        {
            throw new UsageException(
                "--save-model is not used by evaluate --synthetic (it trains one model per dataset); map a stack to save a model.");
        }

        if (reportPath is not null)
        {
            OutputFolders.CheckWritableFile(reportPath, "--report", overwrite: true);
        }

        string? figures = reportPath is null ? null : Path.Combine(Path.GetDirectoryName(Path.GetFullPath(reportPath))!, "images");
        EnergyAxis? energies = ReadSyntheticEnergies(energiesPath);

        string markdown = AccuracyReport.Run(ctx, doses, size, seed, seeds, model, ct, figures, energies, energiesPath);
        ReportOutput.Emit(ctx, reportPath, markdown);

        return ExitCodes.Success;
    }

    /// <summary>Builds the workflow from the bound options and runs it with progress on stderr.</summary>
    /// <remarks><paramref name="finish"/> works on the run while a loaded checkpoint is still open (writing results, saving the model).</remarks>
    internal static PhaseMappingRun RunWorkflow(CliContext ctx, IReadOnlyList<PhaseMappingInput> inputs, ReferenceSpectra references,
        ModelSettings m, CancellationToken ct, MaskMode mask = MaskMode.Auto, bool align = false, ParticleMaskOptions? particleMask = null,
        Action<PhaseMappingRun>? finish = null, ILatentEncoder? encoder = null)
    {
        ILogger logger = ctx.Logger("stxmphase");
        PhaseMappingOptions options = OptionsFor(m, mask, align, particleMask);
        GmvaeModel? loaded = null;
        try
        {
            if (m.ModelPath is not null)
            {
                loaded = GmvaeModel.Load(m.ModelPath, inputs[0].Stack.Energies, m.Cuda ? GmvaeDevice.Cuda : GmvaeDevice.Cpu, logger);
            }

            var workflow = new PhaseMappingWorkflow
            {
                Options = options,
                Logger = logger,
                Encoder = encoder ?? loaded,
                EncoderTrainer = TrainerFor(m, logger),
                Assigner = AssignerFor(m.Strategy, logger, m.PaperPipeline),
            };
            PhaseMappingRun run = workflow.Run(inputs, references, ctx.Progress, ct);
            ctx.Progress.Complete();
            EnergyCalibrationSummary.WarnIfNeeded(ctx.Error, run.EnergyCalibration);
            try
            {
                finish?.Invoke(run);
            }
            catch
            {
                run.Dispose();
                throw;
            }

            return run;
        }
        finally
        {
            loaded?.Dispose();
        }
    }

    /// <summary>The workflow options for the bound model options and the preprocessing choices.</summary>
    internal static PhaseMappingOptions OptionsFor(ModelSettings m, MaskMode mask = MaskMode.Auto, bool align = false,
        ParticleMaskOptions? particleMask = null) => new()
    {
        AmbiguityThreshold = m.AmbiguityThreshold,
        Mask = mask,
        ParticleMask = m.PaperPipeline ? PhaseMappingOptions.PaperPipeline.ParticleMask : particleMask,
        ComputePosteriors = !m.PaperPipeline,
        MarkNoMatch = !m.PaperPipeline,
        SpatialRegularization = !m.PaperPipeline && m.SpatialRegularization,
        Potts = PottsFor(m),
        Scope = m.Scope,
        FalsePositiveThreshold = m.FalsePositiveThreshold,
        FalsePositiveNeighbours = m.FalsePositiveNeighbours,
        SpatialPriorWeight = m.SpatialPriorWeight,
        Seed = m.Seed,
        ResolveAmbiguities = m.Strategy != "none",
        Alignment = align ? new StackAlignmentOptions() : null,
        TrainingEpochs = m.Epochs,
        MaxTrainingSpectra = m.MaxTrainingSpectra == 0 ? null : m.MaxTrainingSpectra,
        Threads = m.Threads,
        EnergyOffset = m.EnergyOffset,
        EnergyOffsetEv = m.EnergyOffsetEv,
        MaxOpticalDensity = m.MaxOpticalDensity,
        FitReferenceBroadening = m.ReferenceBroadening == "fit",
        ReferenceBroadeningEv = ReferenceBroadeningOption.Value(m.ReferenceBroadening),
        Background = BackgroundOption.Build(m.Background.Linear, m.Background.SpectrumPath, m.BackgroundSpectra),
    };

    /// <summary>The Potts options for <c>--mrf-strength</c>: a fixed β, or <see langword="null"/> (the library's estimate).</summary>
    internal static PottsOptions? PottsFor(ModelSettings m) =>
        m.MrfStrength is { } beta ? new PottsOptions { Strength = beta } : null;

    /// <summary>
    /// Checks the model options that can fail only late, before any work: <c>--save-model</c> must be a writable file that
    /// does not exist (unless <paramref name="overwrite"/>), and <c>--device cuda</c> needs CUDA when a GMVAE is used.
    /// </summary>
    internal static void PreflightModel(ModelSettings m, bool overwrite)
    {
        if (m.SaveModelPath is { } save)
        {
            // Only a trained GMVAE is saved: say so rather than finish the run without the file.
            if (m.Method != "pcc-gmvae" || (m.Encoder != "gmvae" && m.ModelPath is null))
            {
                throw new UsageException(m.Method != "pcc-gmvae"
                    ? $"--save-model saves the GMVAE of the pcc-gmvae method; --method {m.Method} trains none."
                    : $"--save-model saves a GMVAE checkpoint; --encoder {m.Encoder} trains none (leave it out, or use --encoder gmvae).");
            }

            OutputFolders.CheckWritableFile(save, "--save-model", overwrite);
        }

        bool usesGmvae = m.Method == "pcc-gmvae" && (m.Encoder == "gmvae" || m.ModelPath is not null);
        if (m.Cuda && usesGmvae && !CudaAvailable())
        {
            throw new UsageException(
                "--device cuda: CUDA is not available to this stxmphase (it ships the CPU build of TorchSharp, or no NVIDIA driver/GPU "
                + "was found); use --device cpu.");
        }
    }

    private static bool CudaAvailable()
    {
        TorchNative.EnsureLoaded(); // the native libraries first: touching TorchSharp before them fails for the whole process
        return TorchSharp.torch.cuda.is_available();
    }

    /// <summary>Writes one result set into a temporary folder and moves it into place; a failed write leaves nothing behind.</summary>
    /// <returns>The final folder.</returns>
    /// <exception cref="OutputWriteException">A file cannot be written (disk full, permissions).</exception>
    internal static string WriteStaged(OutputFolders output, string? name, Action<string> write)
    {
        string staging = output.Stage(name);
        try
        {
            write(staging);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new OutputWriteException($"cannot write the results to '{Path.Combine(output.Root, name ?? string.Empty)}': {ex.Message}", ex);
        }

        return output.Commit(name);
    }

    /// <summary>Saves the trained GMVAE for <c>--save-model</c>, after the results are safe.</summary>
    private static void SaveModel(CliContext ctx, PhaseMappingRun run, ModelSettings m, string? resultsFolder)
    {
        if (m.SaveModelPath is not { } path || run.Encoder is not GmvaeModel model)
        {
            return;
        }

        try
        {
            model.Save(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            string kept = resultsFolder is null ? string.Empty : $"the results were written to '{resultsFolder}', but ";
            throw new OutputWriteException($"{kept}the model could not be saved to '{path}': {ex.Message}", ex);
        }

        ctx.Out.WriteLine($"Model saved to {Path.GetFullPath(path)}");
    }

    internal static void CheckAnalysedResult(CliContext ctx, PhaseMappingResult r, ModelSettings m) => CheckAnalysed(ctx, r, m);

    /// <summary>Fails a result without an analysable pixel (exit code 3); warns when most analysed pixels are saturated.</summary>
    private static void CheckAnalysed(CliContext ctx, PhaseMappingResult r, ModelSettings m)
    {
        InputChecks.CheckAnalysed(r.Name, r.Correlation.PixelCount, r.Correlation.ValidCount, r.UndefinedOpticalDensityCount, r.InvalidCount,
            r.MaskedCount - r.UndefinedOpticalDensityCount);
        Report.WarnIfMostlySaturated(ctx.Error, r, m.MaxOpticalDensity);
    }

    /// <summary>
    /// The workflow's mask mode for a <c>--mask</c> value: automatic for auto and otsu; none for none and a mask file (the file alone decides).
    /// </summary>
    internal static MaskMode MaskModeFor(string mask) => mask is "auto" or "otsu" ? MaskMode.Auto : MaskMode.None;

    /// <summary>The particle-mask options for a <c>--mask</c> value: Otsu for <c>otsu</c>, else the noise-aware defaults.</summary>
    internal static ParticleMaskOptions? ParticleMaskFor(string mask) =>
        mask == "otsu" ? new ParticleMaskOptions { Method = ParticleMaskMethod.Otsu } : null;

    /// <summary>The encoder trainer of <c>--encoder</c>: PCA, or the GMVAE with the bound training options.</summary>
    internal static ILatentEncoderTrainer TrainerFor(ModelSettings m, ILogger logger) => m.Encoder == "pca"
        ? new PcaEncoderTrainer()
        : new GmvaeEncoderTrainer(GmvaeOptionsFor(m), logger) { EncodingThreads = ThreadsOption.Resolve(m.Threads) };

    internal static GmvaeOptions GmvaeOptionsFor(ModelSettings m) => new()
    {
        Epochs = m.Epochs,
        MaxTrainingSpectra = m.MaxTrainingSpectra == 0 ? null : m.MaxTrainingSpectra,
        Seed = m.Seed,
        Device = m.Cuda ? GmvaeDevice.Cuda : GmvaeDevice.Cpu,
    };

    internal static ILatentAssigner? AssignerFor(string strategy, ILogger logger, bool paper = false) => strategy switch
    {
        // --paper: the paper's D²-only rule; otherwise the Gaussian class log-likelihood (QDA).
        "mahalanobis" => new MahalanobisAssigner(paper ? new MahalanobisOptions { Rule = MahalanobisRule.SquaredDistance } : null),
        "euclidean" => new EuclideanReferenceAssigner(),
        "knn" => new KnnAssigner(logger: logger),
        "centroid" => new NearestCentroidAssigner(),
        _ => null,
    };

    /// <summary>The standard readers, with the NXstxm reader normalising by the given monitor.</summary>
    private static IStackReader[] WithMonitor(string monitor) =>
        StackFile.Readers.Select(r => r is NxstxmStackReader ? new NxstxmStackReader(new NxstxmReadOptions { Monitor = monitor }) : r).ToArray();

    /// <summary>Converts a transmission stack to OD with I0 from a two-column spectrum file (interpolated onto the stack energies).</summary>
    private static SpectralStack ApplyI0File(SpectralStack stack, string path, CancellationToken ct)
    {
        if (stack.Quantity != SpectralQuantity.Transmission)
        {
            throw new UsageException($"--i0 {path} needs a transmission stack; pass --quantity transmission.");
        }

        ReferenceSpectra i0 = SpectrumText.Read(path);
        ReadOnlySpan<double> values = i0.Spectrum(0);
        for (int e = 0; e < values.Length; e++)
        {
            if (!(values[e] > 0))
            {
                throw new InvalidStackContentException(string.Create(CultureInfo.InvariantCulture,
                    $"'{path}': I0 must be positive; the value at {i0.Energies[e]} eV (row {e + 1} of the data) is {values[e]}."))
                {
                    FileName = path,
                    Field = "I0",
                    Offset = e + 1,
                };
            }
        }

        OpticalDensityResult od = OpticalDensity.FromTransmission(stack,
            new OpticalDensityOptions { I0 = I0Source.FromSpectrum(i0.Energies, i0.Spectrum(0)) }, ct);
        return od.OpticalDensity;
    }

    private static PhaseMap ReadTruth(string path, int width, int height, IReadOnlyList<string> names)
    {
        NpyArray array = NpyFile.Read(path);
        if (array.Shape.Count != 2 || array.Shape[0] != height || array.Shape[1] != width)
        {
            throw new IncompatibleInputException(
                $"{path}: the truth map has shape ({string.Join(", ", array.Shape)}) but the stack is {height}×{width}.")
            {
                FileName = path,
            };
        }

        int[] labels = array.ToInt32Array();
        for (int i = 0; i < labels.Length; i++)
        {
            if (labels[i] < -1 || labels[i] >= names.Count)
            {
                throw new InvalidStackContentException($"{path}: label {labels[i]} at pixel {i} is outside [−1, {names.Count}).") { FileName = path };
            }
        }

        return PhaseMap.FromArray(width, height, names, labels);
    }

    internal static string[] UniqueNames(string[] paths)
    {
        string[] names = new string[paths.Length];
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < paths.Length; i++)
        {
            string baseName = Path.GetFileNameWithoutExtension(paths[i]);
            names[i] = seen.TryGetValue(baseName, out int n) ? $"{baseName}-{n + 1}" : baseName;
            seen[baseName] = n + 1;
        }

        return names;
    }
}
