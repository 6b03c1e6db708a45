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

        OutputFolders.Prepare(s.OutputFolder, ["demo"], s.Overwrite);
        var sw = Stopwatch.StartNew();
        SyntheticDataset data = SyntheticStackGenerator.Generate(
            new SyntheticStackOptions { Width = s.Size, Height = s.Size, Seed = s.Seed, Dose = s.Dose }, ct);
        ctx.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Synthetic NaxV2(PO4)2F3-like stack: {s.Size}×{s.Size} px × {data.Transmission.EnergyCount} energies ({data.Transmission.Energies.MinimumEv:F1}–{data.Transmission.Energies.MaximumEv:F1} eV), {data.ParticleCount} particles, dose {s.Dose} photons/px/energy, generated in {sw.Elapsed.TotalSeconds:F2} s."));
        var input = new PhaseMappingInput(data.Transmission, "demo") { ReuseStackMemory = true };
        using PhaseMappingRun run = RunWorkflow(ctx, [input], data.References, s.Model, ct);
        PhaseMappingResult result = run.Results[0];
        WorkflowEvaluation evaluation = PhaseMappingEvaluation.Evaluate(result, data.Truth, data.BoundaryMask);
        string folder = Path.Combine(s.OutputFolder, "demo");
        OutputWriter.Write(ctx, run, result, folder, s.Model, evaluation);
        NpyFile.Write(Path.Combine(folder, "truth.npy"), data.Truth);
        if (s.Model.Figures && evaluation.Calibration is { } calibration)
        {
            PhaseFigures.SavePng(Path.Combine(folder, "reliability-diagram.png"), PhaseFigures.RenderReliabilityDiagram(calibration));
        }

        Report.PrintSummary(ctx.Out, run, result, evaluation);
        ctx.Out.WriteLine($"Outputs: {Path.GetFullPath(folder)}");
        return ExitCodes.Success;
    }

    public static int Map(CliContext ctx, MapSettings s, CancellationToken ct)
    {
        ReferenceSpectra references = ReferenceSpectraCsv.Read(s.References);
        EnergyAxis? energies = s.Energies is null ? null : EnergyAxisCsv.Read(s.Energies);
        var names = UniqueNames(s.Stacks);
        OutputFolders.Prepare(s.OutputFolder, names, s.Overwrite);
        var inputs = new List<PhaseMappingInput>();
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
            if (s.I0 is not null && s.I0 != "auto")
            {
                stack = ApplyI0File(stack, s.I0, ct);
            }

            PixelMask? mask = s.Mask is "auto" or "otsu" or "none" ? null : CliApp.ReadMask(s.Mask, stack.Width, stack.Height);
            inputs.Add(new PhaseMappingInput(stack, names[i], mask) { ReuseStackMemory = true }); // read from a file: convert in place
        }

        ModelSettings model = s.Model;
        if (model.Method != "pcc-gmvae")
        {
            BaselinePipeline.Run(ctx, inputs, references, model, MaskModeFor(s.Mask), s.Align, s.OutputFolder, ct, ParticleMaskFor(s.Mask));
            return ExitCodes.Success;
        }

        using PhaseMappingRun run = RunWorkflow(ctx, inputs, references, model, ct, MaskModeFor(s.Mask), s.Align, ParticleMaskFor(s.Mask));
        foreach (PhaseMappingResult result in run.Results)
        {
            string folder = Path.Combine(s.OutputFolder, result.Name);
            OutputWriter.Write(ctx, run, result, folder, model, evaluation: null);
            Report.PrintSummary(ctx.Out, run, result, null);
        }

        ctx.Out.WriteLine($"Outputs: {Path.GetFullPath(s.OutputFolder)}");
        return ExitCodes.Success;
    }

    public static int Synth(CliContext ctx, SyntheticStackOptions options, string outDir, bool asOpticalDensity, bool overwrite, CancellationToken ct)
    {
        OutputFolders.Prepare(outDir, null, overwrite);
        SyntheticDataset data = SyntheticStackGenerator.Generate(options, ct);
        SpectralStack stack = asOpticalDensity ? data.OpticalDensity : data.Transmission;
        NpyFile.Write(Path.Combine(outDir, "stack.npy"), stack);
        EnergyAxisCsv.Write(Path.Combine(outDir, "energies.csv"), stack.Energies);
        ReferenceSpectraCsv.Write(Path.Combine(outDir, "references.csv"), data.References);
        NpyFile.Write(Path.Combine(outDir, "truth.npy"), data.Truth);
        NpyFile.Write(Path.Combine(outDir, "boundary.npy"), OutputWriter.ToBytes(data.BoundaryMask.AsSpan()), data.Truth.Height, data.Truth.Width);
        ctx.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Wrote {(asOpticalDensity ? "optical density" : "transmission")} stack {stack.Width}×{stack.Height}×{stack.EnergyCount} (stack.npy, energies.csv), references.csv, truth.npy, boundary.npy to {Path.GetFullPath(outDir)}"));
        ctx.Out.WriteLine($"Map it with: stxmphase map --stack {Path.Combine(outDir, "stack.npy")} --energies {Path.Combine(outDir, "energies.csv")} --references {Path.Combine(outDir, "references.csv")}{(asOpticalDensity ? string.Empty : " --quantity transmission")}");
        return ExitCodes.Success;
    }

    public static int EvaluateStack(CliContext ctx, string stackPath, string truthPath, string? boundaryPath, string referencesPath, string? energiesPath,
        SpectralQuantity quantity, ModelSettings model, CancellationToken ct)
    {
        ReferenceSpectra references = ReferenceSpectraCsv.Read(referencesPath);
        EnergyAxis? energies = energiesPath is null ? null : EnergyAxisCsv.Read(energiesPath);
        SpectralStack stack = StackFile.Read(stackPath, new StackReadOptions { FileName = stackPath, Energies = energies, Quantity = quantity }, ct);
        PhaseMap truth = ReadTruth(truthPath, stack.Width, stack.Height, references.PhaseNames);
        PixelMask? boundary = boundaryPath is null ? null : CliApp.ReadMask(boundaryPath, stack.Width, stack.Height);
        using PhaseMappingRun run = RunWorkflow(ctx, [new PhaseMappingInput(stack, Path.GetFileNameWithoutExtension(stackPath)) { ReuseStackMemory = true }], references, model, ct);
        WorkflowEvaluation e = PhaseMappingEvaluation.Evaluate(run.Results[0], truth, boundary);
        Report.PrintSummary(ctx.Out, run, run.Results[0], e);
        return ExitCodes.Success;
    }

    public static int EvaluateSynthetic(CliContext ctx, double[] doses, int size, int seed, int seeds, ModelSettings model, string? reportPath, CancellationToken ct)
    {
        string markdown = AccuracyReport.Run(ctx, doses, size, seed, seeds, model, ct);
        if (reportPath is not null)
        {
            AtomicText.Write(reportPath, markdown);
            ctx.Out.WriteLine($"Report written to {Path.GetFullPath(reportPath)}");
        }
        else
        {
            ctx.Out.Write(markdown);
        }

        return ExitCodes.Success;
    }

    /// <summary>Builds the workflow from the bound options and runs it with progress on stderr.</summary>
    internal static PhaseMappingRun RunWorkflow(CliContext ctx, IReadOnlyList<PhaseMappingInput> inputs, ReferenceSpectra references, ModelSettings m, CancellationToken ct, MaskMode mask = MaskMode.Auto, bool align = false, ParticleMaskOptions? particleMask = null)
    {
        ILogger logger = ctx.Logger("stxmphase");
        var options = new PhaseMappingOptions
        {
            AmbiguityThreshold = m.AmbiguityThreshold,
            Mask = mask,
            ParticleMask = m.PaperPipeline ? PhaseMappingOptions.PaperPipeline.ParticleMask : particleMask,
            ComputePosteriors = !m.PaperPipeline,
            MarkNoMatch = !m.PaperPipeline,
            SpatialRegularization = !m.PaperPipeline,
            Scope = m.Scope,
            SpatialPriorWeight = m.SpatialPriorWeight,
            Seed = m.Seed,
            ResolveAmbiguities = m.Strategy != "none",
            Alignment = align ? new StackAlignmentOptions() : null,
        };
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
                Encoder = loaded,
                EncoderTrainer = m.Encoder == "pca" ? new PcaEncoderTrainer() : new GmvaeEncoderTrainer(GmvaeOptionsFor(m), logger),
                Assigner = AssignerFor(m.Strategy, logger),
            };
            PhaseMappingRun run = workflow.Run(inputs, references, ctx.Progress, ct);
            ctx.Progress.Complete();
            if (m.SaveModelPath is not null && run.Encoder is GmvaeModel trained)
            {
                trained.Save(m.SaveModelPath);
                ctx.Out.WriteLine($"Model saved to {Path.GetFullPath(m.SaveModelPath)}");
            }

            return run;
        }
        finally
        {
            loaded?.Dispose();
        }
    }

    /// <summary>The workflow's mask mode for a <c>--mask</c> value: automatic for auto and otsu; none for none and a mask file (the file alone decides).</summary>
    internal static MaskMode MaskModeFor(string mask) => mask is "auto" or "otsu" ? MaskMode.Auto : MaskMode.None;

    /// <summary>The particle-mask options for a <c>--mask</c> value: Otsu for <c>otsu</c>, else the noise-aware defaults.</summary>
    internal static ParticleMaskOptions? ParticleMaskFor(string mask) =>
        mask == "otsu" ? new ParticleMaskOptions { Method = ParticleMaskMethod.Otsu } : null;

    internal static GmvaeOptions GmvaeOptionsFor(ModelSettings m) => new()
    {
        Epochs = m.Epochs,
        MaxTrainingSpectra = m.MaxTrainingSpectra == 0 ? null : m.MaxTrainingSpectra,
        Seed = m.Seed,
        Device = m.Cuda ? GmvaeDevice.Cuda : GmvaeDevice.Cpu,
    };

    internal static ILatentAssigner? AssignerFor(string strategy, ILogger logger) => strategy switch
    {
        "mahalanobis" => new MahalanobisAssigner(),
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
        OpticalDensityResult od = OpticalDensity.FromTransmission(stack,
            new OpticalDensityOptions { I0 = I0Source.FromSpectrum(i0.Energies, i0.Spectrum(0)) }, ct);
        return od.OpticalDensity;
    }

    private static PhaseMap ReadTruth(string path, int width, int height, IReadOnlyList<string> names)
    {
        NpyArray array = NpyFile.Read(path);
        if (array.Shape.Count != 2 || array.Shape[0] != height || array.Shape[1] != width)
        {
            throw new IncompatibleInputException($"{path}: the truth map has shape ({string.Join(", ", array.Shape)}) but the stack is {height}×{width}.") { FileName = path };
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

    private static string[] UniqueNames(string[] paths)
    {
        var names = new string[paths.Length];
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
