using Microsoft.Extensions.Logging;
using StxmPhase.Gmvae;
using StxmPhase.Spectra;

namespace StxmPhase.Cli.Beamtime;

/// <summary>One stack to train on: its name, its file (for the provenance hash) and how to read it.</summary>
/// <param name="Name">The name.</param>
/// <param name="Path">The file, or <see langword="null"/> (in-memory data).</param>
/// <param name="Load">Reads the stack; called once, and the stack is released before the next one is read.</param>
internal sealed record TrainingSource(string Name, string? Path, Func<CancellationToken, PhaseMappingInput> Load);

/// <summary>The training set and the trained encoder of <c>stxmphase train</c>.</summary>
/// <param name="Encoder">The GMVAE, or <see langword="null"/> when the configuration has no latent stage.</param>
/// <param name="Energies">The energy axis of every stack.</param>
/// <param name="TrainingSpectra">The spectra in the pooled subsample.</param>
/// <param name="Inputs">What each stack gave.</param>
/// <param name="PeakRetainedValues">The most float values the pooled subsample held at once (it only grows, so its final size).</param>
internal sealed record BeamtimeTraining(
    GmvaeModel? Encoder, EnergyAxis Energies, int TrainingSpectra, TrainingInput[] Inputs, long PeakRetainedValues);

/// <summary>
/// Trains the beamtime's latent model on a stratified subsample of all stacks while holding one stack at a time: each
/// stack is read, prepared and correlated exactly as the in-process workflow would (<see cref="PhaseMappingWorkflow.PrepareTrainingData"/>),
/// a quota of ⌈cap / stacks⌉ of its valid spectra, stratified by PCC phase in proportion to the phase counts and drawn
/// with the run's seed, is kept, and the stack is released. The pooled subsample then trains the GMVAE (which subsamples
/// it to the cap again, stratified, as in a single run). With no cap (<c>--max-training-spectra 0</c>, the paper) every
/// spectrum is kept, so that training set grows with the beamtime.
/// </summary>
internal static class BeamtimeTrainer
{
    /// <summary>Collects the subsample and trains.</summary>
    /// <param name="sources">The stacks.</param>
    /// <param name="references">The references.</param>
    /// <param name="m">The model settings.</param>
    /// <param name="workflow">The workflow whose options prepare each stack.</param>
    /// <param name="progress">Optional progress.</param>
    /// <param name="logger">The logger.</param>
    /// <param name="ct">Cancels training.</param>
    /// <returns>The training.</returns>
    /// <exception cref="IncompatibleEnergiesException">The stacks do not share one energy axis.</exception>
    public static BeamtimeTraining Train(IReadOnlyList<TrainingSource> sources, ReferenceSpectra references, ModelSettings m,
        PhaseMappingWorkflow workflow, IProgress<WorkflowProgress>? progress, ILogger logger, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(sources);
        int quota = m.MaxTrainingSpectra <= 0 ? int.MaxValue : (m.MaxTrainingSpectra + sources.Count - 1) / sources.Count;
        var spectra = new List<float>();
        var labels = new List<int>();
        var inputs = new TrainingInput[sources.Count];
        EnergyAxis? axis = null;
        long peak = 0;
        for (int s = 0; s < sources.Count; s++)
        {
            ct.ThrowIfCancellationRequested();
            progress?.Report(new WorkflowProgress(WorkflowStage.Preprocessing, (double)s / sources.Count, $"sampling {sources[s].Name}"));
            int kept = SampleOne(sources[s], references, workflow, quota, s, ref axis, spectra, labels, ct);
            inputs[s] = new TrainingInput
            {
                Name = sources[s].Name,
                Path = sources[s].Path,
                Sha256 = sources[s].Path is { } p && File.Exists(p) ? Provenance.FileSha256(p) : null,
                Spectra = kept,
            };
            peak = Math.Max(peak, spectra.Count);
        }

        if (m.Strategy == "none")
        {
            return new BeamtimeTraining(null, axis!, 0, inputs, peak);
        }

        if (labels.Count < 2)
        {
            throw new InvalidStackContentException(
                $"The stacks hold {labels.Count} valid spectra in all; a latent model needs at least 2 (check the masks and the quantity).");
        }

        var data = new LatentTrainingData(spectra.ToArray(), labels.Count, axis!, labels.ToArray(), m.Seed);
        spectra.Clear();
        var trainer = new GmvaeEncoderTrainer(Pipelines.GmvaeOptionsFor(m), logger) { EncodingThreads = ThreadsOption.Resolve(m.Threads) };
        var encoder = (GmvaeModel)trainer.Train(data, progress, ct);
        return new BeamtimeTraining(encoder, axis!, data.Count, inputs, peak);
    }

    /// <summary>Reads one stack, keeps its quota and lets the stack go (nothing of it is referenced after the call).</summary>
    private static int SampleOne(TrainingSource source, ReferenceSpectra references, PhaseMappingWorkflow workflow, int quota, int index,
        ref EnergyAxis? axis, List<float> spectra, List<int> labels, CancellationToken ct)
    {
        PhaseMappingInput input = source.Load(ct);
        if (axis is null)
        {
            axis = input.Stack.Energies;
        }
        else
        {
            input.Stack.Energies.EnsureMatches(axis, $"stack '{source.Name}'", "the first stack",
                remedy: "One model serves stacks that share one energy axis; train a model per energy axis.");
        }

        LatentTrainingData data = workflow.PrepareTrainingData(input, references, ct);
        int e = data.Energies.Count;
        int[] rows = Stratified(data.Labels.Span, quota, workflow.Options.Seed + (index * 7919));
        ReadOnlySpan<float> all = data.Spectra.Span;
        ReadOnlySpan<int> pcc = data.Labels.Span;
        foreach (int row in rows)
        {
            for (int k = 0; k < e; k++)
            {
                spectra.Add(all[(row * e) + k]);
            }

            labels.Add(pcc[row]);
        }

        return rows.Length;
    }

    /// <summary>
    /// Picks <paramref name="quota"/> of the rows (all when there are fewer), each PCC phase in proportion to its count
    /// (largest remainders), uniformly within a phase; returns them in ascending order.
    /// </summary>
    internal static int[] Stratified(ReadOnlySpan<int> labels, int quota, int seed)
    {
        int n = labels.Length;
        if (n <= quota)
        {
            return Enumerable.Range(0, n).ToArray();
        }

        var groups = new SortedDictionary<int, List<int>>();
        for (int i = 0; i < n; i++)
        {
            if (!groups.TryGetValue(labels[i], out List<int>? g))
            {
                groups[labels[i]] = g = [];
            }

            g.Add(i);
        }

        var shares = groups.Select(kv => (kv.Key, Exact: (double)quota * kv.Value.Count / n)).ToArray();
        var take = shares.ToDictionary(s => s.Key, s => (int)Math.Floor(s.Exact));
        int left = quota - take.Values.Sum();
        foreach (var s in shares.OrderByDescending(s => s.Exact - Math.Floor(s.Exact)).ThenBy(s => s.Key).Take(left))
        {
            take[s.Key]++;
        }

        var random = new Random(seed);
        var picked = new List<int>(quota);
        foreach ((int label, List<int> g) in groups)
        {
            int k = take[label];
            for (int i = 0; i < k; i++)
            {
                int j = i + random.Next(g.Count - i);
                (g[i], g[j]) = (g[j], g[i]);
            }

            picked.AddRange(g.Take(k));
        }

        picked.Sort();
        return picked.ToArray();
    }
}
