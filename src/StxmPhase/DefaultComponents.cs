using Microsoft.Extensions.Logging;
using StxmPhase.Assignment;
using StxmPhase.Correlation;
using StxmPhase.Gmvae;
using StxmPhase.Spectra;

namespace StxmPhase;

/// <summary>The components the workflow uses when the caller supplies none, built from the workflow options.</summary>
internal static class DefaultComponents
{
    public static IPhaseCorrelator Correlator(PhaseMappingOptions options) =>
        new PearsonPhaseCorrelator(new PearsonOptions
        {
            AmbiguityThreshold = options.AmbiguityThreshold, MaxDegreeOfParallelism = ProcessorBudget.Resolve(options.Threads),
        });

    public static ILatentAssigner Assigner(PhaseMappingOptions options) =>
        new MahalanobisAssigner(new MahalanobisOptions
        {
            Rule = options.MahalanobisRule, MaxDegreeOfParallelism = ProcessorBudget.Resolve(options.Threads),
        });

    /// <summary>The GMVAE with the options' training schedule, seed and thread count.</summary>
    public static ILatentEncoderTrainer EncoderTrainer(PhaseMappingOptions options, ILogger? logger) =>
        new GmvaeEncoderTrainer(GmvaeOptionsFor(options), logger) { EncodingThreads = ProcessorBudget.Resolve(options.Threads) };

    /// <summary>The GMVAE options the workflow's defaults stand for.</summary>
    public static GmvaeOptions GmvaeOptionsFor(PhaseMappingOptions options) => new()
    {
        Epochs = options.TrainingEpochs,
        MaxTrainingSpectra = options.MaxTrainingSpectra,
        Seed = options.Seed,
    };
}
