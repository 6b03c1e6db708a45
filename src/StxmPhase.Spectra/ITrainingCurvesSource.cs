namespace StxmPhase.Spectra;

/// <summary>
/// An optional capability of an <see cref="ILatentEncoder"/> that was trained iteratively: its per-epoch losses. The
/// workflow reports them with its results.
/// </summary>
public interface ITrainingCurvesSource
{
    /// <summary>Gets the per-epoch losses of the training that produced this encoder.</summary>
    TrainingCurves TrainingCurves { get; }
}
