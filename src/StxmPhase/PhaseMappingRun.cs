using System.Globalization;
using StxmPhase.Spectra;

namespace StxmPhase;

/// <summary>
/// The result of one <c>PhaseMappingWorkflow.Run</c>: a <see cref="PhaseMappingResult"/> per stack plus what they
/// share — the latent encoder (trained on all stacks) and the encoded references. Dispose it to release an encoder the
/// workflow trained (e.g. a GMVAE's native memory).
/// </summary>
public sealed class PhaseMappingRun : IDisposable
{
    private readonly bool _ownsEncoder;
    private readonly float[]? _referenceReconstructions;
    private bool _disposed;
    private LatentSet? _phaseCentres;

    internal PhaseMappingRun(
        IReadOnlyList<PhaseMappingResult> results,
        ReferenceSpectra references,
        ILatentEncoder? encoder,
        bool ownsEncoder,
        LatentSet? encodedReferences,
        int trainingSpectra,
        TimeSpan trainingTime,
        TimeSpan totalTime,
        PhaseMappingOptions options,
        TrainingCurves? trainingCurves,
        float[]? referenceReconstructions)
    {
        TrainingCurves = trainingCurves;
        _referenceReconstructions = referenceReconstructions;
        Results = results;
        References = references;
        Encoder = encoder;
        _ownsEncoder = ownsEncoder;
        EncodedReferences = encodedReferences;
        TrainingSpectra = trainingSpectra;
        TrainingTime = trainingTime;
        TotalTime = totalTime;
        Options = options;
    }

    /// <summary>Gets what the run did about the energy offset between the stacks and the references.</summary>
    public EnergyCalibrationReport? EnergyCalibration { get; internal set; }

    /// <summary>Gets one result per input stack, in input order.</summary>
    public IReadOnlyList<PhaseMappingResult> Results { get; }

    /// <summary>Gets the reference spectra on the stacks' energies.</summary>
    public ReferenceSpectra References { get; }

    /// <summary>
    /// Gets the latent encoder used (trained by the workflow or supplied by the caller), or <see langword="null"/> when no
    /// pixel was valid. Cast to the concrete type (e.g. <c>StxmPhase.Gmvae.GmvaeModel</c>) for what only it offers; its
    /// training curves and decoder are already reported here (<see cref="TrainingCurves"/>, <see cref="ReferenceReconstructions"/>).
    /// </summary>
    public ILatentEncoder? Encoder { get; }

    /// <summary>Gets the reference spectra encoded in the latent space (label = phase), when computed.</summary>
    public LatentSet? EncodedReferences { get; }

    /// <summary>Gets the number of spectra (valid pixels of all stacks) the encoder was given.</summary>
    public int TrainingSpectra { get; }

    /// <summary>Gets the time spent training the encoder (zero when a trained encoder was supplied).</summary>
    public TimeSpan TrainingTime { get; }

    /// <summary>Gets the wall-clock time of the whole run.</summary>
    public TimeSpan TotalTime { get; }

    /// <summary>
    /// Gets the encoder's per-epoch training losses, when the encoder implements <see cref="ITrainingCurvesSource"/> (a
    /// GMVAE, trained or loaded, does); otherwise <see langword="null"/>.
    /// </summary>
    public TrainingCurves? TrainingCurves { get; }

    /// <summary>
    /// Gets the decoder's reconstructions of the encoded reference spectra (phases × energies, the paper's Fig. S9), when
    /// the encoder implements <see cref="ILatentDecoder"/> (a GMVAE does); empty otherwise.
    /// </summary>
    public ReadOnlySpan<float> ReferenceReconstructions => _referenceReconstructions;

    /// <summary>Gets the options of the run.</summary>
    public PhaseMappingOptions Options { get; }

    /// <summary>
    /// Gets the centre of each phase in the latent space: the mean latent point of the phase's confidently labelled pixels
    /// (valid, not ambiguous, PCC label = phase) over all stacks, computed in double precision. Phases without such pixels
    /// are left out; <see langword="null"/> when the latent stages did not run.
    /// </summary>
    public LatentSet? PhaseCentres => _phaseCentres ??= ComputePhaseCentres();

    /// <summary>Gets whether the encoder can decode latent points to spectra (implements <see cref="ILatentDecoder"/>).</summary>
    public bool CanDecode => Encoder is ILatentDecoder && !_disposed;

    /// <summary>
    /// Decodes <paramref name="steps"/> spectra along the straight latent path from the centre of phase
    /// <paramref name="fromPhase"/> to the centre of phase <paramref name="toPhase"/> (see <see cref="PhaseCentres"/>; the
    /// paper's Fig. S9).
    /// </summary>
    /// <param name="fromPhase">The start phase (index into the references).</param>
    /// <param name="toPhase">The end phase.</param>
    /// <param name="steps">The number of points, ends included (≥ 2).</param>
    /// <returns>The path and its decoded spectra.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A phase is out of range, or <paramref name="steps"/> is below 2.</exception>
    /// <exception cref="InvalidOperationException">The encoder cannot decode, the run was disposed, or a phase has no confidently
    /// labelled pixel.</exception>
    public LatentPath DecodePath(int fromPhase, int toPhase, int steps = DefaultPathSteps)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(fromPhase);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(fromPhase, References.PhaseCount);
        ArgumentOutOfRangeException.ThrowIfNegative(toPhase);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(toPhase, References.PhaseCount);
        ILatentDecoder decoder = RequireDecoder();
        LatentSet centres = PhaseCentres ?? throw new InvalidOperationException("The latent stages did not run: there are no phase centres.");
        return LatentPath.Decode(decoder, Centre(centres, fromPhase), Centre(centres, toPhase), steps, References.Energies.Count, fromPhase, toPhase);
    }

    /// <summary>Decodes <paramref name="steps"/> spectra along the straight latent path between two arbitrary points.</summary>
    /// <param name="from">The start point (D floats).</param>
    /// <param name="to">The end point (D floats).</param>
    /// <param name="steps">The number of points, ends included (≥ 2).</param>
    /// <returns>The path and its decoded spectra.</returns>
    /// <exception cref="ArgumentException">The points are not D floats each, or hold NaN or ±∞.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="steps"/> is below 2.</exception>
    /// <exception cref="InvalidOperationException">The encoder cannot decode, or the run was disposed.</exception>
    public LatentPath DecodePath(ReadOnlySpan<float> from, ReadOnlySpan<float> to, int steps = DefaultPathSteps)
    {
        ILatentDecoder decoder = RequireDecoder();
        int d = Encoder!.LatentDimension;
        if (from.Length != d || to.Length != d)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture,
                    $"The path's ends must have the latent dimension {d} (from: {from.Length}, to: {to.Length})."),
                nameof(from));
        }

        return LatentPath.Decode(decoder, from, to, steps, References.Energies.Count);
    }

    /// <summary>
    /// Decodes the paths between adjacent phases — phase p to p + 1 in the references' order (the order of the sodiation
    /// series in the paper) — for every pair whose two centres exist. Empty when the encoder cannot decode.
    /// </summary>
    /// <param name="steps">The number of points per path, ends included (≥ 2).</param>
    /// <returns>The paths, in phase order.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="steps"/> is below 2.</exception>
    public IReadOnlyList<LatentPath> AdjacentPhasePaths(int steps = DefaultPathSteps)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 2);
        var paths = new List<LatentPath>();
        if (!CanDecode || PhaseCentres is not LatentSet centres)
        {
            return paths;
        }

        bool[] has = new bool[References.PhaseCount];
        foreach (int label in centres.Labels)
        {
            has[label] = true;
        }

        for (int p = 0; p + 1 < has.Length; p++)
        {
            if (has[p] && has[p + 1])
            {
                paths.Add(DecodePath(p, p + 1, steps));
            }
        }

        return paths;
    }

    /// <summary>The default number of points along a decoded path.</summary>
    public const int DefaultPathSteps = 11;

    private ILatentDecoder RequireDecoder()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return Encoder as ILatentDecoder
            ?? throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                $"The encoder ({Encoder?.GetType().Name ?? "none"}) cannot decode latent points: it does not implement ILatentDecoder."));
    }

    private static ReadOnlySpan<float> Centre(LatentSet centres, int phase)
    {
        for (int i = 0; i < centres.Count; i++)
        {
            if (centres.Labels[i] == phase)
            {
                return centres.Point(i);
            }
        }

        throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
            $"Phase {phase} ('{centres.PhaseNames[phase]}') has no confidently labelled pixel, so it has no latent centre."));
    }

    private LatentSet? ComputePhaseCentres()
    {
        int d = Results.Count > 0 ? Results[0].LatentDimension : 0;
        if (d == 0)
        {
            return null;
        }

        int phases = References.PhaseCount;
        double[] sums = new double[phases * d];
        long[] counts = new long[phases];
        foreach (PhaseMappingResult r in Results)
        {
            ReadOnlySpan<int> pcc = r.PccMap.Labels;
            PixelMask ambiguous = r.Correlation.Ambiguous;
            PixelMask valid = r.Valid;
            for (int px = 0; px < pcc.Length; px++)
            {
                if (!valid[px] || ambiguous[px] || pcc[px] < 0)
                {
                    continue;
                }

                ReadOnlySpan<float> z = r.LatentOf(px);
                int p = pcc[px];
                counts[p]++;
                for (int j = 0; j < d; j++)
                {
                    sums[(p * d) + j] += z[j];
                }
            }
        }

        var points = new List<float>();
        var labels = new List<int>();
        for (int p = 0; p < phases; p++)
        {
            if (counts[p] == 0)
            {
                continue;
            }

            labels.Add(p);
            for (int j = 0; j < d; j++)
            {
                points.Add((float)(sums[(p * d) + j] / counts[p]));
            }
        }

        return new LatentSet(points.ToArray(), d, labels.ToArray(), References.PhaseNames);
    }

    /// <summary>Releases an encoder trained by the workflow. A caller-supplied encoder is left alone.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (_ownsEncoder && Encoder is IDisposable d)
        {
            d.Dispose();
        }
    }
}
