using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
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
/// Ledoit–Wolf shrinkage). Deterministic for a given <see cref="PhaseMappingOptions.Seed"/> on CPU.
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
    /// <summary>Gets the options. Default: the paper's values.</summary>
    public PhaseMappingOptions Options { get; init; } = new();

    /// <summary>Gets the correlator; <see langword="null"/> = Pearson with <see cref="PhaseMappingOptions.AmbiguityThreshold"/>.</summary>
    public IPhaseCorrelator? Correlator { get; init; }

    /// <summary>
    /// Gets a trained encoder to use instead of training one (e.g. a loaded GMVAE checkpoint or a caller's own encoder).
    /// When set, <see cref="EncoderTrainer"/> is ignored and the run does not dispose the encoder.
    /// </summary>
    public ILatentEncoder? Encoder { get; init; }

    /// <summary>Gets the encoder trainer; <see langword="null"/> = <see cref="GmvaeEncoderTrainer"/> with the paper's options.</summary>
    public ILatentEncoderTrainer? EncoderTrainer { get; init; }

    /// <summary>Gets the latent-space assigner; <see langword="null"/> = Mahalanobis (the paper's default).</summary>
    public ILatentAssigner? Assigner { get; init; }

    /// <summary>Gets the logger. Default: none.</summary>
    public ILogger Logger { get; init; } = NullLogger.Instance;

    /// <summary>Maps one stack. See <see cref="Run(IReadOnlyList{PhaseMappingInput}, ReferenceSpectra, IProgress{WorkflowProgress}?, CancellationToken)"/>.</summary>
    /// <param name="input">The stack.</param>
    /// <param name="references">Reference spectra (any energy grid covering the stack's energies).</param>
    /// <param name="progress">Optional progress.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>The run with one result.</returns>
    public PhaseMappingRun Run(PhaseMappingInput input, ReferenceSpectra references, IProgress<WorkflowProgress>? progress = null, CancellationToken cancellationToken = default)
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
    public PhaseMappingRun Run(IReadOnlyList<PhaseMappingInput> inputs, ReferenceSpectra references, IProgress<WorkflowProgress>? progress = null, CancellationToken cancellationToken = default)
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
            CheckSameEnergies(axis, inputs[s].Stack.Energies, names[0], names[s]);
        }

        ReferenceSpectra refs = references.ResampleTo(axis);
        EnergyCalibrationReport? calibration = null;
        IPhaseCorrelator correlator = Correlator ?? DefaultComponents.Correlator(options.AmbiguityThreshold);

        // Stage 1: preprocessing and correlation, per stack.
        var prepared = new PreparedStack[inputs.Count];
        for (int s = 0; s < inputs.Count; s++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var sw = Stopwatch.StartNew();
            progress?.Report(new WorkflowProgress(WorkflowStage.Preprocessing, (double)s / inputs.Count, $"preparing {names[s]}"));
            PreparedInput prep0 = SamplePreparation.Prepare(inputs[s], options, Logger, cancellationToken);
            SpectralStack od = prep0.OpticalDensity;
            PixelMask sample = prep0.SampleMask;
            if (s == 0)
            {
                calibration = EnergyCalibrationStage.Calibrate(od, sample, references, options, Logger, cancellationToken);
                refs = calibration.References;
            }

            TimeSpan prep = sw.Elapsed;
            sw.Restart();
            progress?.Report(new WorkflowProgress(WorkflowStage.Correlation, (double)s / inputs.Count, $"correlating {names[s]}"));
            CorrelationResult corr = correlator.Correlate(od, refs, sample, cancellationToken);
            prepared[s] = new PreparedStack(names[s], od, sample, corr, prep, sw.Elapsed, prep0.UndefinedCount, prep0.AlignmentShifts, SaturationStage.Detect(od, sample, options));
            Log.Correlated(Logger, names[s], corr.ValidCount, corr.AmbiguousCount, corr.MaskedCount, corr.InvalidCount);
        }

        progress?.Report(new WorkflowProgress(WorkflowStage.Correlation, 1, "correlation done"));

        // Stage 2: gather the valid spectra of all stacks (one pixel-major transpose per stack).
        int energies = axis.Count;
        int totalValid = prepared.Sum(p => p.ValidIndices.Length);
        var spectra = new float[(long)totalValid * energies];
        var pccLabels = new int[totalValid];
        int offset = 0;
        foreach (PreparedStack p in prepared)
        {
            p.OpticalDensity.CopySpectra(p.ValidIndices, spectra.AsSpan(offset * energies, p.ValidIndices.Length * energies));
            ReadOnlySpan<int> labels = p.Correlation.PhaseMap.Labels;
            for (int i = 0; i < p.ValidIndices.Length; i++)
            {
                pccLabels[offset + i] = labels[p.ValidIndices[i]];
            }

            offset += p.ValidIndices.Length;
        }

        if (!options.ResolveAmbiguities)
        {
            return WithCalibration(PccOnly(prepared, refs, options, total.Elapsed), calibration, prepared);
        }

        if (totalValid < 2)
        {
            Log.TooFewValid(Logger, totalValid);
            return WithCalibration(PccOnly(prepared, refs, options, total.Elapsed), calibration, prepared);
        }

        // Stage 3: train (or take) the encoder.
        var training = Stopwatch.StartNew();
        ILatentEncoder encoder;
        bool ownsEncoder;
        if (Encoder is not null)
        {
            encoder = Encoder;
            ownsEncoder = false;
        }
        else
        {
            ILatentEncoderTrainer trainer = EncoderTrainer ?? new GmvaeEncoderTrainer(logger: Logger);
            encoder = trainer.Train(new LatentTrainingData(spectra, totalValid, axis, pccLabels, options.Seed), progress, cancellationToken);
            ownsEncoder = true;
        }

        TimeSpan trainingTime = Encoder is null ? training.Elapsed : TimeSpan.Zero;
        try
        {
            return WithCalibration(Resolve(prepared, refs, spectra, pccLabels, encoder, ownsEncoder, trainingTime, total, progress, cancellationToken), calibration, prepared);
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

    private static PhaseMappingRun WithCalibration(PhaseMappingRun run, EnergyCalibrationReport? calibration, PreparedStack[] prepared)
    {
        run.EnergyCalibration = calibration;
        SaturationStage.Attach(run, prepared);
        return run;
    }

    private PhaseMappingRun Resolve(
        PreparedStack[] prepared,
        ReferenceSpectra refs,
        float[] spectra,
        int[] pccLabels,
        ILatentEncoder encoder,
        bool ownsEncoder,
        TimeSpan trainingTime,
        Stopwatch total,
        IProgress<WorkflowProgress>? progress,
        CancellationToken cancellationToken)
    {
        PhaseMappingOptions options = Options;
        int energies = refs.Energies.Count;
        int d = encoder.LatentDimension;
        int n = pccLabels.Length;

        // Stage 4: encode every valid spectrum, chunked.
        var latent = new float[(long)n * d];
        var encodeTimes = new TimeSpan[prepared.Length];
        int chunk = Math.Max(1, options.EncodeChunkSize);
        int start = 0;
        for (int s = 0; s < prepared.Length; s++)
        {
            var sw = Stopwatch.StartNew();
            int count = prepared[s].ValidIndices.Length;
            for (int c = 0; c < count; c += chunk)
            {
                cancellationToken.ThrowIfCancellationRequested();
                int m = Math.Min(chunk, count - c);
                encoder.Encode(
                    spectra.AsSpan((start + c) * energies, m * energies), m,
                    latent.AsSpan((start + c) * d, m * d));
                progress?.Report(new WorkflowProgress(WorkflowStage.Encoding, (double)(start + c + m) / n, $"encoded {start + c + m}/{n} spectra"));
            }

            CheckFinite(latent.AsSpan(start * d, count * d), prepared[s].Name);
            start += count;
            encodeTimes[s] = sw.Elapsed;
        }

        if (encoder is Gmvae.GmvaeModel)
        {
            // libtorch freed the activations of every chunk, but glibc keeps them in its arenas: 25-40 MB at 1024².
            Gmvae.TorchNative.ReleaseFreedNativeMemory();
        }

        // Stage 5: fit the assigner on the confidently labelled pixels of all stacks.
        var assignTimer = Stopwatch.StartNew();
        var confident = new List<int>(n);
        start = 0;
        foreach (PreparedStack p in prepared)
        {
            PixelMask ambiguous = p.Correlation.Ambiguous;
            for (int i = 0; i < p.ValidIndices.Length; i++)
            {
                if (!ambiguous[p.ValidIndices[i]])
                {
                    confident.Add(start + i);
                }
            }

            start += p.ValidIndices.Length;
        }

        LatentSet labelled = Gather(latent, d, pccLabels, confident, refs.PhaseNames);
        LatentSet? encodedRefs = EncodeReferences(refs, spectra, pccLabels, confident, encoder);
        ILatentAssigner assigner = Assigner ?? DefaultComponents.Assigner();
        ILatentAssignment? model = null;
        if (labelled.Count == 0)
        {
            Log.NoConfident(Logger);
        }
        else
        {
            model = assigner.Fit(labelled, encodedRefs);
        }

        TimeSpan fitTime = assignTimer.Elapsed;
        var results = new PhaseMappingResult[prepared.Length];
        start = 0;
        for (int s = 0; s < prepared.Length; s++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var sw = Stopwatch.StartNew();
            PreparedStack p = prepared[s];
            progress?.Report(new WorkflowProgress(WorkflowStage.Assignment, (double)s / prepared.Length, $"assigning {p.Name}"));
            int count = p.ValidIndices.Length;
            ReadOnlySpan<float> stackLatent = latent.AsSpan(start * d, count * d);
            results[s] = Assemble(p, stackLatent, d, model, options, (fitTime / prepared.Length) + sw.Elapsed, encodeTimes[s]);
            start += count;
        }

        int resolvedTotal = results.Sum(r => r.Resolved.Count);
        int falsePositiveTotal = results.Sum(r => r.FalsePositiveCount);
        string assignerName = assigner.GetType().Name;
        Log.Assigned(Logger, labelled.Count, assignerName, resolvedTotal, falsePositiveTotal);
        progress?.Report(new WorkflowProgress(WorkflowStage.Finishing, 1, "done"));
        (TrainingCurves? curves, float[]? reconstructions) = GmvaeExtras(encoder, encodedRefs, energies);
        return new PhaseMappingRun(results, refs, encoder, ownsEncoder, encodedRefs, n, trainingTime, total.Elapsed, options, curves, reconstructions);
    }

    private PhaseMappingResult Assemble(
        PreparedStack p,
        ReadOnlySpan<float> stackLatent,
        int d,
        ILatentAssignment? model,
        PhaseMappingOptions options,
        TimeSpan fitShare,
        TimeSpan encodeTime)
    {
        var sw = Stopwatch.StartNew();
        CorrelationResult corr = p.Correlation;
        int pixels = corr.PixelCount;
        int count = p.ValidIndices.Length;
        int[] final = corr.PhaseMap.Labels.ToArray();
        var latentAll = new float[(long)pixels * d];
        var latentLabels = new int[pixels];
        Array.Fill(latentLabels, PhaseMap.Unassigned);
        var scores = new float[pixels];
        Array.Fill(scores, float.NaN);
        var resolved = new bool[pixels];
        var falsePositive = new bool[pixels];
        for (int i = 0; i < count; i++)
        {
            stackLatent.Slice(i * d, d).CopyTo(latentAll.AsSpan(p.ValidIndices[i] * d, d));
        }

        if (model is not null && count > 0)
        {
            // Unrestricted latent assignment of every valid pixel: the false-positive diagnostic.
            var latentPhase = new int[count];
            var latentScore = new float[count];
            model.Assign(stackLatent, count, latentPhase, latentScore);
            PixelMask ambiguous = corr.Ambiguous;
            ReadOnlySpan<int> pcc = corr.PhaseMap.Labels;
            var toResolve = new List<int>();
            for (int i = 0; i < count; i++)
            {
                int px = p.ValidIndices[i];
                latentLabels[px] = latentPhase[i];
                if (ambiguous[px])
                {
                    toResolve.Add(i);
                }
                else if (latentPhase[i] != pcc[px])
                {
                    falsePositive[px] = true;
                    if (options.Scope == ResolutionScope.AmbiguousAndFalsePositives)
                    {
                        toResolve.Add(i);
                    }
                }
            }

            if (toResolve.Count > 0)
            {
                ResolvePixels(p, stackLatent, d, model, options, toResolve, latentPhase, latentScore, final, scores);
                foreach (int i in toResolve)
                {
                    resolved[p.ValidIndices[i]] = true;
                }
            }
        }

        var timings = new StageTimings(p.PreprocessingTime, p.CorrelationTime, encodeTime, fitShare + sw.Elapsed);
        return new PhaseMappingResult(
            p.Name,
            p.OpticalDensity,
            p.SampleMask,
            p.UndefinedCount,
            p.Shifts,
            corr,
            PhaseMap.FromArray(corr.Width, corr.Height, corr.PhaseNames, final),
            PixelMask.FromArray(corr.Width, corr.Height, resolved),
            PixelMask.FromArray(corr.Width, corr.Height, falsePositive),
            latentAll,
            d,
            latentLabels,
            scores,
            timings);
    }

    private void ResolvePixels(
        PreparedStack p,
        ReadOnlySpan<float> stackLatent,
        int d,
        ILatentAssignment model,
        PhaseMappingOptions options,
        List<int> toResolve,
        int[] latentPhase,
        float[] latentScore,
        int[] final,
        float[] scores)
    {
        CorrelationResult corr = p.Correlation;
        int phases = corr.PhaseCount;
        var costModel = model as IPhaseCostAssignment;
        bool needCosts = options.RestrictToAmbiguousPair || options.SpatialPriorWeight > 0;
        if (needCosts && costModel is null)
        {
            Log.NoCosts(Logger, model.GetType().Name);
        }

        if (!needCosts || costModel is null)
        {
            foreach (int i in toResolve)
            {
                final[p.ValidIndices[i]] = latentPhase[i];
                scores[p.ValidIndices[i]] = latentScore[i];
            }

            return;
        }

        int m = toResolve.Count;
        var points = new float[m * d];
        for (int k = 0; k < m; k++)
        {
            stackLatent.Slice(toResolve[k] * d, d).CopyTo(points.AsSpan(k * d, d));
        }

        var costs = new float[m * phases];
        costModel.PhaseCosts(points, m, costs);
        bool[] resolving = new bool[corr.PixelCount];
        foreach (int i in toResolve)
        {
            resolving[p.ValidIndices[i]] = true;
        }

        ReadOnlySpan<int> pcc = corr.PhaseMap.Labels;
        ReadOnlySpan<int> second = corr.SecondLabels;
        Span<int> neighbourCounts = stackalloc int[phases];
        for (int k = 0; k < m; k++)
        {
            int px = p.ValidIndices[toResolve[k]];
            Span<float> c = costs.AsSpan(k * phases, phases);
            if (options.SpatialPriorWeight > 0)
            {
                int nTotal = SpatialPrior.CountNeighbours(pcc, resolving, corr.Width, corr.Height, px, neighbourCounts);
                for (int ph = 0; ph < phases; ph++)
                {
                    c[ph] -= (float)(options.SpatialPriorWeight * Math.Log((neighbourCounts[ph] + 1.0) / (nTotal + phases)));
                }
            }

            int best = -1;
            float bestCost = float.PositiveInfinity;
            if (options.RestrictToAmbiguousPair && corr.Ambiguous[px] && second[px] >= 0)
            {
                int a = pcc[px], b = second[px];
                int lo = Math.Min(a, b), hi = Math.Max(a, b);
                best = c[hi] < c[lo] ? hi : lo;
                bestCost = c[best];
            }
            else
            {
                for (int ph = 0; ph < phases; ph++)
                {
                    if (c[ph] < bestCost)
                    {
                        bestCost = c[ph];
                        best = ph;
                    }
                }
            }

            if (best >= 0 && float.IsFinite(bestCost))
            {
                final[px] = best;
                scores[px] = bestCost;
            }
        }
    }

    private LatentSet? EncodeReferences(ReferenceSpectra refs, float[] spectra, int[] labels, List<int> confident, ILatentEncoder encoder)
    {
        int e = refs.Energies.Count;
        int phases = refs.PhaseCount;
        var rows = new float[phases * e];
        for (int ph = 0; ph < phases; ph++)
        {
            ReadOnlySpan<double> r = refs.Spectrum(ph);
            double scale = 1;
            if (Options.ScaleReferencesToData)
            {
                // Least-squares scale s minimising ‖mean_c − s·r‖², mean_c = mean spectrum of confident pixels of phase c.
                var mean = new double[e];
                int count = 0;
                foreach (int i in confident)
                {
                    if (labels[i] != ph)
                    {
                        continue;
                    }

                    count++;
                    for (int k = 0; k < e; k++)
                    {
                        mean[k] += spectra[(i * e) + k];
                    }
                }

                if (count > 0)
                {
                    double num = 0, den = 0;
                    for (int k = 0; k < e; k++)
                    {
                        num += mean[k] / count * r[k];
                        den += r[k] * r[k];
                    }

                    if (den > 0 && num > 0)
                    {
                        scale = num / den;
                    }
                }
            }

            for (int k = 0; k < e; k++)
            {
                rows[(ph * e) + k] = (float)(r[k] * scale);
            }
        }

        var z = new float[phases * encoder.LatentDimension];
        encoder.Encode(rows, phases, z);
        foreach (float v in z)
        {
            if (!float.IsFinite(v))
            {
                Log.ReferenceNotFinite(Logger);
                return null;
            }
        }

        return new LatentSet(z, encoder.LatentDimension, Enumerable.Range(0, phases).ToArray(), refs.PhaseNames);
    }

    private static (TrainingCurves? Curves, float[]? Reconstructions) GmvaeExtras(ILatentEncoder encoder, LatentSet? encodedRefs, int energies)
    {
        if (encoder is not Gmvae.GmvaeModel model)
        {
            return (null, null);
        }

        IReadOnlyList<Gmvae.GmvaeEpoch> epochs = model.History.Epochs;
        var curves = new TrainingCurves(
            epochs.Select(e => e.TrainMse).ToArray(),
            epochs.Where(e => e.ValidationMse.HasValue).Select(e => e.ValidationMse!.Value).ToArray(),
            epochs.Select(e => e.TrainKl).ToArray(),
            epochs.Where(e => e.ValidationKl.HasValue).Select(e => e.ValidationKl!.Value).ToArray(),
            model.History.TestLoss);
        float[]? reconstructions = null;
        if (encodedRefs is not null)
        {
            reconstructions = new float[encodedRefs.Count * energies];
            model.Decode(encodedRefs.Points, encodedRefs.Count, reconstructions);
        }

        return (curves, reconstructions);
    }

    private static LatentSet Gather(float[] latent, int d, int[] labels, List<int> indices, IReadOnlyList<string> names)
    {
        var points = new float[indices.Count * d];
        var l = new int[indices.Count];
        for (int k = 0; k < indices.Count; k++)
        {
            latent.AsSpan(indices[k] * d, d).CopyTo(points.AsSpan(k * d, d));
            l[k] = labels[indices[k]];
        }

        return new LatentSet(points, d, l, names);
    }

    private PhaseMappingRun PccOnly(PreparedStack[] prepared, ReferenceSpectra refs, PhaseMappingOptions options, TimeSpan elapsed)
    {
        var results = new PhaseMappingResult[prepared.Length];
        for (int s = 0; s < prepared.Length; s++)
        {
            PreparedStack p = prepared[s];
            results[s] = Assemble(p, ReadOnlySpan<float>.Empty, 0, null, options, TimeSpan.Zero, TimeSpan.Zero);
        }

        return new PhaseMappingRun(results, refs, null, false, null, 0, TimeSpan.Zero, elapsed, options, null, null);
    }

    private static void CheckSameEnergies(EnergyAxis first, EnergyAxis other, string firstName, string otherName)
    {
        if (first.Matches(other))
        {
            return;
        }

        if (first.Count != other.Count)
        {
            throw new IncompatibleEnergiesException(
                $"Stacks '{firstName}' and '{otherName}' must share one energy axis to share a latent space; they have {first.Count} and {other.Count} energies.");
        }

        for (int i = 0; i < first.Count; i++)
        {
            if (Math.Abs(first[i] - other[i]) > 1e-3)
            {
                throw new IncompatibleEnergiesException(string.Create(CultureInfo.InvariantCulture,
                    $"Stacks '{firstName}' and '{otherName}' must share one energy axis; energy {i} is {first[i]} eV in the first and {other[i]} eV in the second."))
                {
                    EnergyEv = other[i],
                };
            }
        }
    }

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
