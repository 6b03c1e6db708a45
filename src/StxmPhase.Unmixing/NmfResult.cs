namespace StxmPhase.Unmixing;

/// <summary>The immutable result of <see cref="Nmf.Fit"/> or <see cref="RandomizedNmf.Fit"/> (the fitted model).</summary>
/// <remarks>
/// The objective is f = ½‖X − WH‖²_F on the pre-processed X (negatives clipped or shifted). The per-iteration
/// <see cref="ObjectiveHistory"/> is computed without forming WH, through ‖X‖² − 2⟨XᵀW, Hᵀ⟩ + ⟨WᵀW, HHᵀ⟩ (about 8
/// significant digits when the fit is nearly exact; for randomized NMF XHᵀ is replaced by Q(BHᵀ)), while
/// <see cref="ReconstructionError"/> is computed directly from X − WH once at the end.
/// </remarks>
public sealed class NmfResult
{
    private readonly double[] _objective;

    internal NmfResult(NmfFactors factors, int iterations, bool converged, double[] objective, double reconstructionError,
        double dataNorm, int clippedCount, double shift, int sketchSize, TimeSpan elapsed, TimeSpan initializationTime)
    {
        Factors = factors;
        Iterations = iterations;
        Converged = converged;
        _objective = objective;
        ReconstructionError = reconstructionError;
        RelativeError = dataNorm > 0 ? reconstructionError / dataNorm : 0;
        ClippedCount = clippedCount;
        Shift = shift;
        SketchSize = sketchSize;
        Elapsed = elapsed;
        InitializationTime = initializationTime;
    }

    /// <summary>Gets the fitted factors.</summary>
    public NmfFactors Factors { get; }

    /// <summary>Gets W, row-major rows × k (abundances).</summary>
    public ReadOnlySpan<double> W => Factors.W;

    /// <summary>Gets H, row-major k × columns (component spectra).</summary>
    public ReadOnlySpan<double> H => Factors.H;

    /// <summary>Gets the number of iterations run.</summary>
    public int Iterations { get; }

    /// <summary>Gets whether the stopping rule was met before the iteration cap.</summary>
    public bool Converged { get; }

    /// <summary>Gets f = ½‖X − WH‖²_F after each iteration (length <see cref="Iterations"/>).</summary>
    public IReadOnlyList<double> ObjectiveHistory => _objective;

    /// <summary>Gets ‖X − WH‖_F (scikit-learn's <c>reconstruction_err_</c>), computed against the full X.</summary>
    public double ReconstructionError { get; }

    /// <summary>Gets ‖X − WH‖_F / ‖X‖_F.</summary>
    public double RelativeError { get; }

    /// <summary>Gets the number of negative input values set to 0 (<see cref="NegativeValueHandling.ClipToZero"/>).</summary>
    public int ClippedCount { get; }

    /// <summary>Gets the value added to X (−min X under <see cref="NegativeValueHandling.SubtractMinimum"/>, else 0).</summary>
    public double Shift { get; }

    /// <summary>Gets the QB sketch size l for randomized NMF (0 for deterministic HALS).</summary>
    public int SketchSize { get; }

    /// <summary>Gets the wall time of the whole fit (initialisation, sketch and iterations).</summary>
    public TimeSpan Elapsed { get; }

    /// <summary>Gets the wall time of the initialisation and (for randomized NMF) the QB decomposition.</summary>
    public TimeSpan InitializationTime { get; }

    /// <summary>Gets the mean wall time per iteration, excluding initialisation.</summary>
    public TimeSpan TimePerIteration => Iterations > 0 ? (Elapsed - InitializationTime) / Iterations : TimeSpan.Zero;
}
