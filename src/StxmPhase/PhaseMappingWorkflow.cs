using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using StxmPhase.Assignment;
using StxmPhase.Spectra;

namespace StxmPhase;

/// <summary>
/// The PCC–GMVAE phase-mapping workflow (after arXiv 2603.07666): optical density (if given transmission) → sample mask →
/// Pearson correlation with the references → ambiguity → train a latent encoder on <b>all spectra of all given stacks</b>
/// → encode → fit the assigner on confidently labelled pixels → reassign ambiguous pixels (and, optionally, latent-space
/// false positives) → one <see cref="PhaseMappingResult"/> per stack.
/// </summary>
/// <remarks>
/// Every part can be replaced: <see cref="Correlator"/> (default Pearson), <see cref="EncoderTrainer"/> (default GMVAE
/// with the paper's architecture) or a ready <see cref="Encoder"/>, and <see cref="Assigner"/> (default Mahalanobis with
/// Ledoit–Wolf shrinkage). Deterministic for a given <see cref="PhaseMappingOptions.Seed"/> on CPU. The workflow only
/// composes: the ambiguous-pixel rules are <see cref="Assignment.AmbiguousPixelResolver"/>'s, and what an encoder can also
/// tell is read through <see cref="ILatentDecoder"/> and <see cref="ITrainingCurvesSource"/>.
/// </remarks>
/// <example>
/// <code>
/// var workflow = new PhaseMappingWorkflow { Options = new PhaseMappingOptions { Seed = 1 } };
/// using PhaseMappingRun run = workflow.Run(new[] { new PhaseMappingInput(odStack, "particle-1") }, references);
/// PhaseMap final = run.Results[0].FinalMap;
/// </code>
/// </example>
public sealed class PhaseMappingWorkflow
{
    /// <summary>
    /// Gets the options. Default: <c>new PhaseMappingOptions()</c> (bounded training; <see cref="PhaseMappingOptions.Paper"/> for the
    /// paper's schedule).
    /// </summary>
    public PhaseMappingOptions Options { get; init; } = new();

    /// <summary>Gets the correlator; <see langword="null"/> = Pearson with <see cref="PhaseMappingOptions.AmbiguityThreshold"/>.</summary>
    public IPhaseCorrelator? Correlator { get; init; }

    /// <summary>
    /// Gets a trained encoder to use instead of training one (e.g. a loaded GMVAE checkpoint or a caller's own encoder).
    /// When set, <see cref="EncoderTrainer"/> is ignored and the run does not dispose the encoder.
    /// </summary>
    public ILatentEncoder? Encoder { get; init; }

    /// <summary>
    /// Gets the encoder trainer; <see langword="null"/> = <see cref="GmvaeEncoderTrainer"/> with the training schedule, seed and threads
    /// of <see cref="Options"/>.
    /// </summary>
    public ILatentEncoderTrainer? EncoderTrainer { get; init; }

    /// <summary>Gets the latent-space assigner; <see langword="null"/> = Mahalanobis (the paper's default).</summary>
    public ILatentAssigner? Assigner { get; init; }

    /// <summary>Gets the logger. Default: none.</summary>
    public ILogger Logger { get; init; } = NullLogger.Instance;

    /// <summary>
    /// Maps one stack. See <see cref="Run(IReadOnlyList{PhaseMappingInput}, ReferenceSpectra, IProgress{WorkflowProgress}?, CancellationToken)"/>.
    /// </summary>
    /// <param name="input">The stack.</param>
    /// <param name="references">Reference spectra (any energy grid covering the stack's energies).</param>
    /// <param name="progress">Optional progress.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>The run with one result.</returns>
    public PhaseMappingRun Run(
        PhaseMappingInput input, ReferenceSpectra references, IProgress<WorkflowProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        return Run(new[] { input }, references, progress, cancellationToken);
    }

    /// <summary>Maps one or many stacks that share one latent space.</summary>
    /// <param name="inputs">The stacks; all must have the same energies.</param>
    /// <param name="references">Reference spectra (any energy grid covering the stacks' energies; resampled linearly).</param>
    /// <param name="progress">Optional progress, per stage.</param>
    /// <param name="cancellationToken">Cancels the run (throws <see cref="OperationCanceledException"/>).</param>
    /// <returns>The results; dispose the run to release a trained encoder.</returns>
    /// <exception cref="ArgumentException">No input was given.</exception>
    /// <exception cref="IncompatibleEnergiesException">The stacks have different energies, or the references do not cover them.</exception>
    /// <exception cref="InvalidStackContentException">
    /// The stacks have too few energies: fewer than 3 for the default Pearson correlator, or too few for the noise-model posteriors'
    /// fit (a·r + b, one offset per edge block, one term per background component, one degree of freedom).
    /// </exception>
    public PhaseMappingRun Run(
        IReadOnlyList<PhaseMappingInput> inputs, ReferenceSpectra references, IProgress<WorkflowProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(references);
        if (inputs.Count == 0)
        {
            throw new ArgumentException("At least one stack is required.", nameof(inputs));
        }

        PhaseMappingOptions options = Options;
        var total = Stopwatch.StartNew();
        EnergyAxis axis = inputs[0].Stack.Energies;
        string[] names = new string[inputs.Count];
        for (int s = 0; s < inputs.Count; s++)
        {
            names[s] = inputs[s].Name ?? string.Create(CultureInfo.InvariantCulture, $"stack {s + 1}");
            inputs[s].Stack.Energies.EnsureMatches(
                axis, $"stack '{names[s]}'", $"stack '{names[0]}'", remedy: "Stacks that share one latent space must share one energy axis.");
        }

        // A weight that is not > 0 (negative, NaN) has always meant "no prior" here; the resolver itself rejects it.
        var resolver = new AmbiguousPixelResolver(options.RestrictToAmbiguousPair, options.SpatialPriorWeight > 0 ? options.SpatialPriorWeight : 0);
        var builder = new StackResultBuilder(
            options, resolver, new LatentFalsePositiveTest(options.FalsePositiveThreshold, options.FalsePositiveNeighbours), Logger);
        var run = new WorkflowRunState(options, Logger, references, axis, total, progress, cancellationToken);

        // Prepare and correlate each stack, then gather the valid spectra of all of them.
        run.PrepareAndCorrelate(inputs, names, Correlator ?? DefaultComponents.Correlator(options), regularize: Correlator is null);
        run.GatherValidSpectra();
        if (!options.ResolveAmbiguities)
        {
            return run.WithCalibration(run.PccOnly(builder));
        }

        if (run.SpectrumCount < 2)
        {
            Log.TooFewValid(Logger, run.SpectrumCount);
            return run.WithCalibration(run.PccOnly(builder));
        }

        // Train (or take) the encoder on all spectra of all stacks.
        var training = Stopwatch.StartNew();
        ILatentEncoder encoder = Encoder
            ?? (EncoderTrainer ?? DefaultComponents.EncoderTrainer(Options, Logger)).Train(run.TrainingData(), progress, cancellationToken);
        bool ownsEncoder = Encoder is null;
        WarnIfBlocksDiffer(Encoder, run.Blocks);
        TimeSpan trainingTime = ownsEncoder ? training.Elapsed : TimeSpan.Zero;
        try
        {
            return run.WithCalibration(EncodeAndResolve(run, builder, encoder, ownsEncoder, trainingTime));
        }
        catch
        {
            if (ownsEncoder && encoder is IDisposable d)
            {
                d.Dispose();
            }

            throw;
        }
    }

    /// <summary>
    /// Prepares and correlates one stack exactly as
    /// <see cref="Run(IReadOnlyList{PhaseMappingInput}, ReferenceSpectra, IProgress{WorkflowProgress}?, CancellationToken)"/> would
    /// (OD, mask, energy calibration, Pearson labels) and returns the spectra an encoder would be trained on: every valid pixel with
    /// its PCC label. Train once on many stacks by keeping a subsample of each and releasing the stack.
    /// </summary>
    /// <param name="input">The stack.</param>
    /// <param name="references">Reference spectra (any energy grid covering the stack's energies).</param>
    /// <param name="cancellationToken">Cancels the preparation.</param>
    /// <returns>The valid spectra (pixel-major, optical density) and their PCC labels; the seed is <see cref="PhaseMappingOptions.Seed"/>.</returns>
    /// <exception cref="IncompatibleEnergiesException">The references do not cover the stack's energies.</exception>
    public LatentTrainingData PrepareTrainingData(PhaseMappingInput input, ReferenceSpectra references, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(references);
        var run = new WorkflowRunState(Options, Logger, references, input.Stack.Energies, Stopwatch.StartNew(), null, cancellationToken);
        run.PrepareAndCorrelate([input], [input.Name ?? "stack 1"], Correlator ?? DefaultComponents.Correlator(Options), regularize: false);
        run.GatherValidSpectra();
        return run.TrainingData();
    }

    /// <summary>A given GMVAE (e.g. a loaded checkpoint) keeps the blocks it was trained with; say so when the input's differ.</summary>
    private void WarnIfBlocksDiffer(ILatentEncoder? encoder, SpectralBlocks? input)
    {
        if (encoder is not Gmvae.GmvaeModel model)
        {
            return;
        }

        static string Describe(SpectralBlocks? b) => b is null
            ? "one block"
            : string.Join(", ", b.Counts.Select((count, i) => string.Create(CultureInfo.InvariantCulture,
                $"{count} energies, weight {b.Weights[i]:0.###}")));
        string own = Describe(model.BlockNormalization?.Blocks), given = Describe(input);
        if (own != given)
        {
            Log.EncoderBlocksDiffer(Logger, own, given);
        }
    }

    private PhaseMappingRun EncodeAndResolve(
        WorkflowRunState run, StackResultBuilder builder, ILatentEncoder encoder, bool ownsEncoder, TimeSpan trainingTime)
    {
        // Encode; fit the assigner on the confidently labelled pixels (with the encoded references); resolve the rest.
        run.Encode(encoder);
        var fitTimer = Stopwatch.StartNew();
        LatentSet? encodedRefs = run.EncodeReferences(encoder);
        ILatentAssigner assigner = Assigner ?? DefaultComponents.Assigner(Options);
        ILatentAssignment? model = run.FitAssignment(assigner, encodedRefs, fitTimer, out int labelled);
        bool[] falsePositiveRows = model is null
            ? new bool[run.SpectrumCount]
            : run.TestFalsePositives(new LatentFalsePositiveTest(run.Options.FalsePositiveThreshold, run.Options.FalsePositiveNeighbours));
        PhaseMappingResult[] results = run.Resolve(model, builder, falsePositiveRows);
        int resolved = results.Sum(r => r.Resolved.Count), falsePositives = results.Sum(r => r.FalsePositiveCount);
        Log.Assigned(Logger, labelled, assigner.GetType().Name, resolved, falsePositives);
        run.Finished();

        // What the encoder can also tell: its training curves and its reconstructions of the encoded references.
        TrainingCurves? curves = (encoder as ITrainingCurvesSource)?.TrainingCurves;
        float[]? reconstructions = null;
        if (encoder is ILatentDecoder decoder && encodedRefs is not null)
        {
            reconstructions = new float[encodedRefs.Count * run.References.Energies.Count];
            decoder.Decode(encodedRefs.Points, encodedRefs.Count, reconstructions);
        }

        return new PhaseMappingRun(
            results, run.References, encoder, ownsEncoder, encodedRefs, run.SpectrumCount, trainingTime, run.Elapsed, run.Options,
            curves, reconstructions);
    }
}
