using StxmPhase.Assignment;
using StxmPhase.Correlation;
using StxmPhase.Spectra;

namespace StxmPhase;

/// <summary>The components the workflow uses when the caller supplies none.</summary>
internal static class DefaultComponents
{
    public static IPhaseCorrelator Correlator(double ambiguityThreshold) =>
        new PearsonPhaseCorrelator(new PearsonOptions { AmbiguityThreshold = ambiguityThreshold });

    public static ILatentAssigner Assigner() => new MahalanobisAssigner();
}
