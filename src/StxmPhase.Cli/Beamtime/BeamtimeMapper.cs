using StxmPhase.Gmvae;
using StxmPhase.IO;
using StxmPhase.Spectra;

namespace StxmPhase.Cli.Beamtime;

/// <summary>
/// Maps single stacks with a beamtime model: the model's references, energies and settings, its GMVAE loaded once
/// (shared by every stack; encoding is serialised by the model), the assigner's class statistics refitted per stack.
/// <c>map --model</c>, <c>map --manifest-index</c> and <c>batch</c> all map through this class, so their labels agree bit
/// for bit on the CPU for the same thread count.
/// </summary>
internal sealed class BeamtimeMapper : IDisposable
{
    private readonly GmvaeModel? _encoder;

    private BeamtimeMapper(BeamtimeModel model, ModelSettings settings, ReferenceSpectra references, GmvaeModel? encoder)
    {
        Model = model;
        Settings = settings;
        References = references;
        _encoder = encoder;
    }

    /// <summary>Gets the model.</summary>
    public BeamtimeModel Model { get; }

    /// <summary>Gets the map settings (the model's science settings, the command line's threads, device and outputs).</summary>
    public ModelSettings Settings { get; }

    /// <summary>Gets the references (the model's).</summary>
    public ReferenceSpectra References { get; }

    /// <summary>Opens a model for mapping.</summary>
    /// <param name="ctx">The command context.</param>
    /// <param name="model">The model.</param>
    /// <param name="run">The command line's options (threads, device, figures, particles).</param>
    /// <param name="referencesPath">References given on the command line (must equal the model's), or <see langword="null"/>.</param>
    /// <returns>The mapper, which the caller disposes.</returns>
    /// <exception cref="IncompatibleInputException">The references differ from the model's.</exception>
    public static BeamtimeMapper Open(CliContext ctx, BeamtimeModel model, ModelSettings run, string? referencesPath)
    {
        if (referencesPath is not null)
        {
            model.CheckReferences(ReferenceSpectraCsv.Read(referencesPath), referencesPath);
        }

        ModelSettings settings = model.Settings(run);
        if (settings.Strategy != "none" && !model.HasEncoder)
        {
            throw new CheckpointFormatException($"The model '{model.Path}' uses the latent strategy '{settings.Strategy}' but holds no GMVAE.")
            {
                FileName = model.Path,
                Field = "gmvae",
            };
        }

        GmvaeModel? encoder = settings.Strategy == "none" ? null : model.LoadEncoder(settings.Cuda, ctx.Logger("stxmphase"));
        if (encoder is not null)
        {
            TorchNative.SetThreads(ThreadsOption.Resolve(run.Threads));
        }

        return new BeamtimeMapper(model, settings, model.References, encoder);
    }

    /// <summary>Reads one stack as the model's preprocessing settings say and checks its energies.</summary>
    /// <param name="ctx">The command context.</param>
    /// <param name="path">The stack file.</param>
    /// <param name="energiesFile">An energies CSV, or <see langword="null"/> (the file's own, or energies.csv beside it).</param>
    /// <param name="model">The model (energies, quantity).</param>
    /// <param name="ct">Cancels reading.</param>
    /// <returns>The stack.</returns>
    public static SpectralStack ReadStack(CliContext ctx, string path, string? energiesFile, BeamtimeSettings model, CancellationToken ct)
    {
        EnergyAxis? energies = energiesFile is null ? null : EnergyAxisCsv.Read(energiesFile);
        SpectralStack stack = StackFile.Read(path, new StackReadOptions
        {
            FileName = path,
            Energies = energies,
            Quantity = StackReadNote.ParseQuantity(model.Quantity),
        }, ct);
        InputChecks.CheckStack(ctx, stack, path, allowPartial: false);
        return stack;
    }

    /// <summary>Maps one stack; <paramref name="finish"/> writes its outputs while the run is open.</summary>
    /// <param name="ctx">The command context.</param>
    /// <param name="path">The stack file.</param>
    /// <param name="name">The stack's name.</param>
    /// <param name="energiesFile">An energies CSV, or <see langword="null"/>.</param>
    /// <param name="settings">The settings (<see cref="Settings"/>, possibly with fewer threads).</param>
    /// <param name="finish">Writes the outputs.</param>
    /// <param name="ct">Cancels the run.</param>
    public void Map(CliContext ctx, string path, string name, string? energiesFile, ModelSettings settings, Action<PhaseMappingRun> finish,
        CancellationToken ct)
    {
        BeamtimeSettings s = Model.Header.Settings;
        SpectralStack stack = ReadStack(ctx, path, energiesFile, s, ct);
        Model.CheckStack(stack, path);
        InputChecks.CheckReferences(References, Model.Path, stack.Energies);
        var input = new PhaseMappingInput(stack, name) { ReuseStackMemory = true };
        using PhaseMappingRun run = Pipelines.RunWorkflow(ctx, [input], References, settings, ct, Pipelines.MaskModeFor(s.Mask), s.Align,
            Pipelines.ParticleMaskFor(s.Mask), finish: run =>
            {
                Pipelines.CheckAnalysedResult(ctx, run.Results[0], settings);
                finish(run);
            }, encoder: _encoder);
    }

    /// <inheritdoc/>
    public void Dispose() => _encoder?.Dispose();
}
