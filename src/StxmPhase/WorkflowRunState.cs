using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using StxmPhase.Spectra;

namespace StxmPhase;

/// <summary>
/// The state of one <see cref="PhaseMappingWorkflow"/> run, filled stage by stage: the prepared and correlated stacks,
/// the gathered valid spectra with their PCC labels, the latent coordinates and the fitted assignment.
/// </summary>
internal sealed class WorkflowRunState
{
    private readonly IProgress<WorkflowProgress>? _progress;
    private readonly CancellationToken _cancellationToken;
    private readonly Stopwatch _total;
    private TimeSpan[] _encodeTimes = [];
    private TimeSpan _fitTime;

    private readonly ReferenceSpectra _givenReferences;

    public WorkflowRunState(
        PhaseMappingOptions options, ILogger logger, ReferenceSpectra givenReferences, EnergyAxis axis, Stopwatch total,
        IProgress<WorkflowProgress>? progress, CancellationToken cancellationToken)
    {
        Options = options;
        Logger = logger;
        _givenReferences = givenReferences;
        References = givenReferences.ResampleTo(axis);
        _total = total;
        _progress = progress;
        _cancellationToken = cancellationToken;
    }

    public PhaseMappingOptions Options { get; }

    public ILogger Logger { get; }

    /// <summary>Gets the references on the stacks' energies (shifted by the energy calibration once the stacks are prepared).</summary>
    public ReferenceSpectra References { get; private set; }

    /// <summary>Gets the energy calibration estimated on all stacks together, once they are prepared.</summary>
    public EnergyCalibrationReport? Calibration { get; private set; }

    /// <summary>Gets the background components on the stack energies (shifted by the energy offset), or <see langword="null"/>.</summary>
    public SpectralBackground? Background { get; private set; }

    public PreparedStack[] Prepared { get; private set; } = [];

    /// <summary>Gets the spectral blocks the latent model treats block by block: the first input's (a fused multi-edge
    /// input), or <see langword="null"/>.</summary>
    public SpectralBlocks? Blocks { get; private set; }

    /// <summary>Gets the valid spectra of all stacks, stack after stack, rows of E floats.</summary>
    public float[] Spectra { get; private set; } = [];

    /// <summary>Gets the PCC label of each gathered spectrum.</summary>
    public int[] PccLabels { get; private set; } = [];

    /// <summary>Gets the number of gathered spectra.</summary>
    public int SpectrumCount => PccLabels.Length;

    /// <summary>Gets the latent coordinates of the gathered spectra, rows of <see cref="LatentDimension"/> floats.</summary>
    public float[] Latent { get; private set; } = [];

    public int LatentDimension { get; private set; }

    /// <summary>Gets the gathered rows that are confidently labelled (valid and not ambiguous).</summary>
    public List<int> Confident { get; } = [];

    /// <summary>
    /// Gets the gathered rows the latent class statistics are fitted on and their labels: the rows whose noise-model posterior
    /// is at least <see cref="PhaseMappingOptions.ConfidentPosterior"/> (labelled with that phase; "no match" pixels left out)
    /// when the stacks have posteriors and any row passes, otherwise <see cref="Confident"/> with the PCC labels (Q1 − Q2 ≥ δ).
    /// </summary>
    public (List<int> Rows, List<int> Labels) FitSet { get; private set; } = ([], []);

    /// <summary>Gets whether <see cref="FitSet"/> was chosen by the noise-model posteriors (false: by Q1 − Q2 ≥ δ).</summary>
    public bool FitByPosterior { get; private set; }

    /// <summary>Stages 1–2: prepares (OD, alignment, mask) every stack, calibrates the energies on all of them, then correlates each.</summary>
    public void PrepareAndCorrelate(
        IReadOnlyList<PhaseMappingInput> inputs, IReadOnlyList<string> names, IPhaseCorrelator correlator, bool regularize)
    {
        EnergyCountCheck.Check(inputs[0], names[0], Options, correlator is Correlation.PearsonPhaseCorrelator);
        Prepared = new PreparedStack[inputs.Count];
        Blocks = inputs[0].Blocks;
        var prepared = new PreparedInput[inputs.Count];
        var preparation = new TimeSpan[inputs.Count];
        for (int s = 0; s < inputs.Count; s++)
        {
            _cancellationToken.ThrowIfCancellationRequested();
            var sw = Stopwatch.StartNew();
            _progress?.Report(new WorkflowProgress(WorkflowStage.Preprocessing, (double)s / inputs.Count, $"preparing {names[s]}"));
            prepared[s] = SamplePreparation.Prepare(inputs[s], Options, Logger, _cancellationToken);
            preparation[s] = sw.Elapsed;
        }

        // The energy offset between stacks and references from the sample pixels of all stacks together (one beamtime's
        // monochromator calibration), and the broadening (when fitted) from the first stack; per edge block for fused stacks.
        var calibrationTime = Stopwatch.StartNew();
        SpectralStack[] ods = [.. prepared.Select(p => p.OpticalDensity)];
        PixelMask?[] samples = [.. prepared.Select(p => p.SampleMask)];
        NoiseContext noise = NoiseContext.Of(prepared);
        if (Options.Background is { Spectra: not null } given && Blocks is { Count: > 1 } edges)
        {
            // Before calibrating (which fits the background per edge): a layer's spectrum must cover every edge, said by name.
            _ = given.OnAxis(ods[0].Energies, edges, null);
        }

        Calibration = EnergyCalibrationStage.SharedBlocks(inputs) is { } shared
            ? EnergyCalibrationStage.CalibrateBlocks(ods, samples, _givenReferences, shared, Options, Logger, _cancellationToken, noise)
            : EnergyCalibrationStage.Calibrate(ods, samples, _givenReferences, Options, Logger, _cancellationToken, noise);
        References = Calibration.References;
        // A fused stack's references are read at each edge's own offset; so are the background spectra.
        Background = Calibration.BlockOffsetsEv is { } offsets && Blocks is { } fused && fused.Count == offsets.Count
            ? Options.Background?.OnAxis(References.Energies, fused, offsets)
            : Options.Background?.OnAxis(References.Energies, Calibration.AppliedOffsetEv);
        preparation[0] += calibrationTime.Elapsed;
        for (int s = 0; s < inputs.Count; s++)
        {
            _cancellationToken.ThrowIfCancellationRequested();
            PreparedInput input = prepared[s];
            var sw = Stopwatch.StartNew();
            _progress?.Report(new WorkflowProgress(WorkflowStage.Correlation, (double)s / inputs.Count, $"correlating {names[s]}"));
            // A fused multi-edge input is correlated block by block (the default correlator only; a caller's own is kept); with
            // background components, Pearson correlation sees pixel and reference spectra with the background projected out.
            IPhaseCorrelator stackCorrelator =
                regularize && inputs[s].Blocks is { } blocks && correlator is Correlation.PearsonPhaseCorrelator pearson
                ? new Correlation.BlockPearsonCorrelator(blocks, pearson.Options)
                : correlator;
            CorrelationResult corr = Background is { ComponentCount: > 0 } bg
                ? stackCorrelator.Correlate(bg.ProjectOut(input.OpticalDensity, inputs[s].Blocks), bg.ProjectOut(References, inputs[s].Blocks),
                    input.SampleMask, _cancellationToken)
                : stackCorrelator.Correlate(input.OpticalDensity, References, input.SampleMask, _cancellationToken);
            // Noise-model posteriors ("no match") and the spatially regularised map over all pixels; not over a caller's own
            // correlator's labels, which the noise model and the MRF would not know: those are kept as given.
            Correlation.PhasePosteriors? posteriors = regularize
                ? PosteriorStage.Compute(input.OpticalDensity, References, input.SampleMask, input.Particles, Options, Background,
                    _cancellationToken, input.IncidentCounts, inputs[s].Blocks)
                : null;
            Assignment.PottsResult? regularized = regularize ? PosteriorStage.Regularize(posteriors, Options, _cancellationToken) : null;
            IReadOnlyList<PhasePriorWarning> priorWarnings = PhasePriorWarning.Find(corr, posteriors, regularized is not null);
            foreach (PhasePriorWarning warning in priorWarnings)
            {
                Log.PriorUnsupported(Logger, names[s], warning.Message);
            }

            Prepared[s] = new PreparedStack(
                names[s], input.OpticalDensity, input.SampleMask, corr, preparation[s], sw.Elapsed, input.UndefinedCount, input.AlignmentShifts,
                SaturationStage.Detect(input.OpticalDensity, input.SampleMask, Options), fused: inputs[s].Blocks is { Count: > 1 })
            {
                Particles = input.Particles,
                Posteriors = posteriors,
                Regularized = regularized,
                PriorWarnings = priorWarnings,
            };
            Log.Correlated(Logger, names[s], corr.ValidCount, corr.AmbiguousCount, corr.MaskedCount, corr.InvalidCount);
        }

        _progress?.Report(new WorkflowProgress(WorkflowStage.Correlation, 1, "correlation done"));
    }

    /// <summary>Stage 3: gathers the valid spectra of all stacks (one pixel-major transpose per stack) and their PCC labels.</summary>
    public void GatherValidSpectra()
    {
        int energies = References.Energies.Count;
        int total = Prepared.Sum(p => p.ValidIndices.Length);
        Spectra = new float[(long)total * energies];
        PccLabels = new int[total];
        int offset = 0;
        foreach (PreparedStack p in Prepared)
        {
            p.OpticalDensity.CopySpectra(p.ValidIndices, Spectra.AsSpan(offset * energies, p.ValidIndices.Length * energies));
            ReadOnlySpan<int> labels = p.Correlation.PhaseMap.Labels;
            PixelMask ambiguous = p.Correlation.Ambiguous;
            for (int i = 0; i < p.ValidIndices.Length; i++)
            {
                PccLabels[offset + i] = labels[p.ValidIndices[i]];
                if (!ambiguous[p.ValidIndices[i]])
                {
                    Confident.Add(offset + i);
                }
            }

            offset += p.ValidIndices.Length;
        }

        ChooseFitSet();
    }

    /// <summary>Chooses <see cref="FitSet"/>: posterior-confident rows when every stack has posteriors and any passes.</summary>
    private void ChooseFitSet()
    {
        var rows = new List<int>();
        var labels = new List<int>();
        bool posteriors = Prepared.Length > 0 && Prepared.All(p => p.Posteriors is not null);
        int offset = 0;
        foreach (PreparedStack p in Prepared)
        {
            if (!posteriors)
            {
                break;
            }

            Correlation.PhasePosteriors post = p.Posteriors!;
            int n = post.Width * post.Height;
            ReadOnlySpan<float> all = post.Posteriors;
            ReadOnlySpan<int> map = post.Labels;
            for (int i = 0; i < p.ValidIndices.Length; i++)
            {
                int px = p.ValidIndices[i];
                if (map[px] < 0)
                {
                    continue; // not analysed, or fits no reference ("no match")
                }

                for (int k = 0; k < post.PhaseCount; k++)
                {
                    if (all[(k * n) + px] >= Options.ConfidentPosterior)
                    {
                        rows.Add(offset + i);
                        labels.Add(k);
                        break;
                    }
                }
            }

            offset += p.ValidIndices.Length;
        }

        FitByPosterior = rows.Count > 0;
        FitSet = FitByPosterior ? (rows, labels) : (Confident, [.. Confident.Select(r => PccLabels[r])]);
    }

    /// <summary>Gets the data the encoder trainer learns from.</summary>
    public LatentTrainingData TrainingData() => new(Spectra, SpectrumCount, References.Energies, PccLabels, Options.Seed) { Blocks = Blocks };

    /// <summary>Stage 5: encodes every gathered spectrum, in chunks, stack by stack.</summary>
    public void Encode(ILatentEncoder encoder)
    {
        int energies = References.Energies.Count;
        int d = LatentDimension = encoder.LatentDimension;
        int n = SpectrumCount;
        Latent = new float[(long)n * d];
        _encodeTimes = new TimeSpan[Prepared.Length];
        int chunk = Math.Max(1, Options.EncodeChunkSize);
        int start = 0;
        for (int s = 0; s < Prepared.Length; s++)
        {
            var sw = Stopwatch.StartNew();
            int count = Prepared[s].ValidIndices.Length;
            for (int c = 0; c < count; c += chunk)
            {
                _cancellationToken.ThrowIfCancellationRequested();
                int m = Math.Min(chunk, count - c);
                encoder.Encode(Spectra.AsSpan((start + c) * energies, m * energies), m, Latent.AsSpan((start + c) * d, m * d));
                _progress?.Report(new WorkflowProgress(WorkflowStage.Encoding, (double)(start + c + m) / n, $"encoded {start + c + m}/{n} spectra"));
            }

            CheckFinite(Latent.AsSpan(start * d, count * d), Prepared[s].Name);
            start += count;
            _encodeTimes[s] = sw.Elapsed;
        }
    }

    /// <summary>Encodes the (optionally data-scaled) references; <see langword="null"/> when a coordinate is not finite.</summary>
    public LatentSet? EncodeReferences(ILatentEncoder encoder)
    {
        int phases = References.PhaseCount;
        float[] rows = ReferenceScaling.Rows(References, Spectra, PccLabels, Confident, Options.ScaleReferencesToData, Blocks);
        float[] z = new float[phases * encoder.LatentDimension];
        encoder.Encode(rows, phases, z);
        foreach (float v in z)
        {
            if (!float.IsFinite(v))
            {
                Log.ReferenceNotFinite(Logger);
                return null;
            }
        }

        return new LatentSet(z, encoder.LatentDimension, Enumerable.Range(0, phases).ToArray(), References.PhaseNames);
    }

    /// <summary>Stage 6a: fits the assigner on <see cref="FitSet"/>; <see langword="null"/> when it is empty.</summary>
    public ILatentAssignment? FitAssignment(ILatentAssigner assigner, LatentSet? encodedReferences, Stopwatch timer, out int labelledCount)
    {
        int d = LatentDimension;
        (List<int> rows, List<int> fitLabels) = FitSet;
        float[] points = new float[rows.Count * d];
        int[] labels = [.. fitLabels];
        for (int k = 0; k < rows.Count; k++)
        {
            Latent.AsSpan(rows[k] * d, d).CopyTo(points.AsSpan(k * d, d));
        }

        labelledCount = labels.Length;
        ILatentAssignment? model = null;
        if (labels.Length == 0)
        {
            Log.NoConfident(Logger);
        }
        else
        {
            model = assigner.Fit(new LatentSet(points, d, labels, References.PhaseNames), encodedReferences);
        }

        _fitTime = timer.Elapsed;
        return model;
    }

    /// <summary>
    /// Stage 6a': the false-positive test on every confidently labelled point of all stacks (leave-one-out Gaussian
    /// posteriors); returns one flag per gathered row (false for ambiguous rows).
    /// </summary>
    public bool[] TestFalsePositives(Assignment.LatentFalsePositiveTest test)
    {
        int d = LatentDimension;
        bool[] flags = new bool[SpectrumCount];
        if (Confident.Count == 0 || d == 0)
        {
            return flags;
        }

        float[] points = new float[Confident.Count * d];
        int[] labels = new int[Confident.Count];
        for (int k = 0; k < Confident.Count; k++)
        {
            Latent.AsSpan(Confident[k] * d, d).CopyTo(points.AsSpan(k * d, d));
            labels[k] = PccLabels[Confident[k]];
        }

        double[] posterior = new double[labels.Length];
        bool[] flagged = new bool[labels.Length];
        test.Test(new LatentSet(points, d, labels, References.PhaseNames), posterior, flagged);
        for (int k = 0; k < Confident.Count; k++)
        {
            flags[Confident[k]] = flagged[k];
        }

        return flags;
    }

    /// <summary>Stage 6b: assigns and resolves the pixels of each stack and assembles its result.</summary>
    public PhaseMappingResult[] Resolve(ILatentAssignment? model, StackResultBuilder builder, bool[] falsePositiveRows)
    {
        var results = new PhaseMappingResult[Prepared.Length];
        int start = 0;
        for (int s = 0; s < Prepared.Length; s++)
        {
            _cancellationToken.ThrowIfCancellationRequested();
            var sw = Stopwatch.StartNew();
            PreparedStack p = Prepared[s];
            _progress?.Report(new WorkflowProgress(WorkflowStage.Assignment, (double)s / Prepared.Length, $"assigning {p.Name}"));
            int count = p.ValidIndices.Length;
            ReadOnlySpan<float> stackLatent = Latent.AsSpan(start * LatentDimension, count * LatentDimension);
            results[s] = builder.Assemble(
                p, stackLatent, LatentDimension, model, falsePositiveRows.AsSpan(start, count),
                (_fitTime / Prepared.Length) + sw.Elapsed, _encodeTimes[s]);
            start += count;
        }

        return results;
    }

    /// <summary>Results without a latent space: every final map is its PCC map.</summary>
    public PhaseMappingRun PccOnly(StackResultBuilder builder)
    {
        var results = new PhaseMappingResult[Prepared.Length];
        for (int s = 0; s < Prepared.Length; s++)
        {
            results[s] = builder.Assemble(Prepared[s], ReadOnlySpan<float>.Empty, 0, null, ReadOnlySpan<bool>.Empty, TimeSpan.Zero, TimeSpan.Zero);
        }

        return new PhaseMappingRun(results, References, null, false, null, 0, TimeSpan.Zero, _total.Elapsed, Options, null, null);
    }

    /// <summary>Attaches the energy calibration and the saturated-pixel masks to a finished run.</summary>
    public PhaseMappingRun WithCalibration(PhaseMappingRun run)
    {
        run.EnergyCalibration = Calibration;
        SaturationStage.Attach(run, Prepared);
        return run;
    }

    /// <summary>Reports the end of the run.</summary>
    public void Finished() => _progress?.Report(new WorkflowProgress(WorkflowStage.Finishing, 1, "done"));

    /// <summary>Gets the wall-clock time since the run started.</summary>
    public TimeSpan Elapsed => _total.Elapsed;

    private static void CheckFinite(ReadOnlySpan<float> latent, string stack)
    {
        for (int i = 0; i < latent.Length; i++)
        {
            if (!float.IsFinite(latent[i]))
            {
                throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                    $"The encoder returned a non-finite latent coordinate ({latent[i]}) for spectrum {i} of stack '{stack}'."));
            }
        }
    }
}
