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
