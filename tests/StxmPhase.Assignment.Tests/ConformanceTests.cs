using Microsoft.Extensions.Logging.Abstractions;

namespace StxmPhase.Assignment.Tests;

/// <summary>Runs <see cref="AssignerConformance"/> over every strategy of this assembly.</summary>
public class ConformanceTests
{
    public static TheoryData<string> Assigners => new(s_factories.Keys);

    private static readonly Dictionary<string, Func<ILatentAssigner>> s_factories = new()
    {
        ["Mahalanobis"] = () => new MahalanobisAssigner(),
        ["Mahalanobis-Ridge"] = () => new MahalanobisAssigner(new MahalanobisOptions { Regularization = CovarianceRegularization.Ridge }),
        ["Mahalanobis-None-Serial"] = () =>
            new MahalanobisAssigner(new MahalanobisOptions { Regularization = CovarianceRegularization.None, MaxDegreeOfParallelism = 1 }),
        ["EuclideanReference"] = () => new EuclideanReferenceAssigner(),
        ["Knn"] = () => new KnnAssigner(logger: NullLogger.Instance),
        ["Knn-Distance-k15"] = () => new KnnAssigner(new KnnOptions { NeighborCount = 15, Weighting = KnnWeighting.Distance }),
        ["Knn-k1-Serial"] = () => new KnnAssigner(new KnnOptions { NeighborCount = 1, MaxDegreeOfParallelism = 1 }),
        ["NearestCentroid"] = () => new NearestCentroidAssigner(),
    };

    [Theory]
    [MemberData(nameof(Assigners))]
    public void Assigner_OverlappingBlobs_CostsAreNegativeLogProbabilities(string name) =>
        // KNN's posteriors are smoothed vote counts (steps of 1/k; k = 1 and 5 measure gaps of −0.25 and −0.10, excess
        // log-loss 0.51 and 0.15 nats); 1 − vote share would give about −0.45. The others meet 0.05 and 0.1 with room to spare.
        AssignerConformance.CostsAreNegativeLogProbabilities(s_factories[name](), name.StartsWith("Knn", StringComparison.Ordinal) ? 0.3 : 0.05,
            name.StartsWith("Knn", StringComparison.Ordinal) ? 0.6 : 0.1);

    [Theory]
    [MemberData(nameof(Assigners))]
    public void Assigner_FitTwice_GivesIdenticalModels(string name) => AssignerConformance.FitIsIdempotent(s_factories[name]());

    [Theory]
    [MemberData(nameof(Assigners))]
    public void Assigner_RepeatedOrBatchedAssign_IsDeterministic(string name) =>
        AssignerConformance.AssignIsDeterministicAndBatchInvariant(s_factories[name]());

    [Theory]
    [MemberData(nameof(Assigners))]
    public void Assigner_AnyQuery_LabelsInRange(string name) => AssignerConformance.LabelsAreInRange(s_factories[name]());

    [Theory]
    [MemberData(nameof(Assigners))]
    public void Assigner_SeparatedBlobs_RecoveredWithHighAccuracy(string name) => AssignerConformance.RecoversSeparatedBlobs(s_factories[name]());

    [Theory]
    [MemberData(nameof(Assigners))]
    public void Assigner_NonFiniteQuery_ThrowsNamingPoint(string name) => AssignerConformance.NonFiniteQueryThrowsNamingPoint(s_factories[name]());

    [Theory]
    [MemberData(nameof(Assigners))]
    public void Assigner_EmptyLabelledSet_Throws(string name) => AssignerConformance.EmptyLabelledSetThrows(s_factories[name]());

    [Theory]
    [MemberData(nameof(Assigners))]
    public void Assigner_MissingPhase_NeverPredicted(string name) => AssignerConformance.MissingPhaseIsNeverPredicted(s_factories[name]());

    [Theory]
    [MemberData(nameof(Assigners))]
    public void Assigner_CandidateRestriction_Honoured(string name) => AssignerConformance.CandidateRestrictionIsHonoured(s_factories[name]());
}
