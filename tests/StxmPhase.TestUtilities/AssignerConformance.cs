namespace StxmPhase.TestUtilities;

/// <summary>
/// Reusable checks that any <see cref="ILatentAssigner"/> should pass (the C# counterpart of scikit-learn's
/// <c>check_estimator</c>). Other test projects can call these with their own assigners. Each check builds its data
/// from a fixed seed; for reference-anchored strategies the blob centres are passed as <c>references</c>.
/// </summary>
public static class AssignerConformance
{
    /// <summary>Latent dimension used by the checks.</summary>
    public const int Dimension = 3;

    /// <summary>Number of phases used by the checks.</summary>
    public const int PhaseCount = 5;

    /// <summary>Runs every check.</summary>
    /// <param name="assigner">The strategy under test.</param>
    public static void All(ILatentAssigner assigner)
    {
        FitIsIdempotent(assigner);
        AssignIsDeterministicAndBatchInvariant(assigner);
        LabelsAreInRange(assigner);
        RecoversSeparatedBlobs(assigner);
        NonFiniteQueryThrowsNamingPoint(assigner);
        EmptyLabelledSetThrows(assigner);
        MissingPhaseIsNeverPredicted(assigner);
        CandidateRestrictionIsHonoured(assigner);
        CostsAreNegativeLogProbabilities(assigner);
    }

    /// <summary>Fitting twice on the same data gives models that assign bit-identically.</summary>
    /// <param name="assigner">The strategy under test.</param>
    public static void FitIsIdempotent(ILatentAssigner assigner)
    {
        ArgumentNullException.ThrowIfNull(assigner);
        (LatentSet labelled, LatentSet references, _) = Blobs(seed: 1, perPhase: 60, spread: 0.6);
        float[] queries = Queries(seed: 2, count: 300);
        ILatentAssignment first = assigner.Fit(labelled, references);
        ILatentAssignment second = assigner.Fit(labelled, references);
        (int[] p1, float[] s1) = AssignAll(first, queries);
        (int[] p2, float[] s2) = AssignAll(second, queries);
        Assert.Equal(p1, p2);
        Assert.Equal(s1, s2);
        Assert.Equal(first.PhaseCount, second.PhaseCount);
        if (first is IPhaseCostAssignment c1 && second is IPhaseCostAssignment c2)
        {
            Assert.Equal(Costs(c1, queries), Costs(c2, queries));
        }
    }

    /// <summary>
    /// Assigning twice gives identical results, and assigning all points at once equals assigning them one by one
    /// and in odd-sized batches (no dependence on batching or threading).
    /// </summary>
    /// <param name="assigner">The strategy under test.</param>
    public static void AssignIsDeterministicAndBatchInvariant(ILatentAssigner assigner)
    {
        ArgumentNullException.ThrowIfNull(assigner);
        (LatentSet labelled, LatentSet references, _) = Blobs(seed: 3, perPhase: 80, spread: 1.2);
        float[] queries = Queries(seed: 4, count: 1000);
        ILatentAssignment model = assigner.Fit(labelled, references);
        (int[] p1, float[] s1) = AssignAll(model, queries);
        (int[] p2, float[] s2) = AssignAll(model, queries);
        Assert.Equal(p1, p2);
        Assert.Equal(s1, s2);

        int n = queries.Length / Dimension;
        int[] phase = new int[n];
        float[] score = new float[n];
        foreach (int batch in new[] { 1, 7, 333 })
        {
            for (int start = 0; start < n; start += batch)
            {
                int m = Math.Min(batch, n - start);
                model.Assign(queries.AsSpan(start * Dimension, m * Dimension), m, phase.AsSpan(start, m), score.AsSpan(start, m));
            }

            Assert.Equal(p1, phase);
            Assert.Equal(s1, score);
        }
    }

    /// <summary>Every label is in [0, PhaseCount) and every score is finite; zero points is a no-op.</summary>
    /// <param name="assigner">The strategy under test.</param>
    public static void LabelsAreInRange(ILatentAssigner assigner)
    {
        ArgumentNullException.ThrowIfNull(assigner);
        (LatentSet labelled, LatentSet references, _) = Blobs(seed: 5, perPhase: 30, spread: 2.0);
        ILatentAssignment model = assigner.Fit(labelled, references);
        Assert.Equal(PhaseCount, model.PhaseCount);
        float[] queries = Queries(seed: 6, count: 500, range: 50);
        (int[] phase, float[] score) = AssignAll(model, queries);
        Assert.All(phase, p => Assert.InRange(p, 0, PhaseCount - 1));
        Assert.All(score, s => Assert.True(float.IsFinite(s), $"score {s} is not finite"));
        model.Assign([], 0, [], []);
    }

    /// <summary>Well-separated Gaussian blobs are recovered with accuracy ≥ <paramref name="minimumAccuracy"/>.</summary>
    /// <param name="assigner">The strategy under test.</param>
    /// <param name="minimumAccuracy">Required fraction of correctly assigned fresh points.</param>
    public static void RecoversSeparatedBlobs(ILatentAssigner assigner, double minimumAccuracy = 0.95)
    {
        ArgumentNullException.ThrowIfNull(assigner);
        (LatentSet labelled, LatentSet references, double[] centres) = Blobs(seed: 7, perPhase: 200, spread: 0.5);
        ILatentAssignment model = assigner.Fit(labelled, references);
        var rng = new Random(8);
        const int n = 2000;
        int[] truth = new int[n];
        float[] queries = new float[n * Dimension];
        for (int i = 0; i < n; i++)
        {
            truth[i] = rng.Next(PhaseCount);
            for (int j = 0; j < Dimension; j++)
            {
                queries[(i * Dimension) + j] = (float)(centres[(truth[i] * Dimension) + j] + (0.5 * Gaussian(rng)));
            }
        }

        (int[] phase, _) = AssignAll(model, queries);
        double accuracy = phase.Zip(truth).Count(t => t.First == t.Second) / (double)n;
        Assert.True(accuracy >= minimumAccuracy, $"accuracy {accuracy:F4} < {minimumAccuracy}");
    }

    /// <summary>A NaN or ±∞ coordinate makes Assign (and PhaseCosts) throw an ArgumentException naming the point.</summary>
    /// <param name="assigner">The strategy under test.</param>
    public static void NonFiniteQueryThrowsNamingPoint(ILatentAssigner assigner)
    {
        ArgumentNullException.ThrowIfNull(assigner);
        (LatentSet labelled, LatentSet references, _) = Blobs(seed: 9, perPhase: 20, spread: 0.5);
        ILatentAssignment model = assigner.Fit(labelled, references);
        foreach (float bad in new[] { float.NaN, float.PositiveInfinity, float.NegativeInfinity })
        {
            float[] queries = Queries(seed: 10, count: 20);
            queries[(13 * Dimension) + 1] = bad;
            var ex = Assert.ThrowsAny<ArgumentException>(() => model.Assign(queries, 20, new int[20], new float[20]));
            Assert.Contains("13", ex.Message, StringComparison.Ordinal);
            if (model is IPhaseCostAssignment costs)
            {
                var ex2 = Assert.ThrowsAny<ArgumentException>(() => costs.PhaseCosts(queries, 20, new float[20 * PhaseCount]));
                Assert.Contains("13", ex2.Message, StringComparison.Ordinal);
            }
        }
    }

    /// <summary>Fitting on a labelled set with no points throws an ArgumentException (nothing can be predicted).</summary>
    /// <param name="assigner">The strategy under test.</param>
    public static void EmptyLabelledSetThrows(ILatentAssigner assigner)
    {
        ArgumentNullException.ThrowIfNull(assigner);
        (_, LatentSet references, _) = Blobs(seed: 11, perPhase: 5, spread: 0.5);
        var empty = new LatentSet([], Dimension, [], references.PhaseNames);
        Assert.ThrowsAny<ArgumentException>(() => assigner.Fit(empty, references));
    }

    /// <summary>
    /// A phase with no labelled points is never predicted, even for queries sitting on its (reference) centre, and
    /// its cost is +∞.
    /// </summary>
    /// <param name="assigner">The strategy under test.</param>
    public static void MissingPhaseIsNeverPredicted(ILatentAssigner assigner)
    {
        ArgumentNullException.ThrowIfNull(assigner);
        const int missing = 2;
        (LatentSet full, LatentSet references, double[] centres) = Blobs(seed: 12, perPhase: 50, spread: 0.5);
        int[] keep = Enumerable.Range(0, full.Count).Where(i => full.Labels[i] != missing).ToArray();
        float[] points = keep.SelectMany(i => full.Point(i).ToArray()).ToArray();
        int[] labels = keep.Select(i => full.Labels[i]).ToArray();
        var labelled = new LatentSet(points, Dimension, labels, full.PhaseNames);
        ILatentAssignment model = assigner.Fit(labelled, references);

        var rng = new Random(13);
        float[] queries = new float[300 * Dimension];
        for (int i = 0; i < 300; i++)
        {
            for (int j = 0; j < Dimension; j++)
            {
                queries[(i * Dimension) + j] = (float)(centres[(missing * Dimension) + j] + (0.3 * Gaussian(rng)));
            }
        }

        (int[] phase, _) = AssignAll(model, queries);
        Assert.DoesNotContain(missing, phase);
        if (model is IPhaseCostAssignment costModel)
        {
            float[] costs = Costs(costModel, queries);
            for (int i = 0; i < 300; i++)
            {
                Assert.Equal(float.PositiveInfinity, costs[(i * PhaseCount) + missing]);
            }
        }
    }

    /// <summary>
    /// For an <see cref="IPhaseCostAssignment"/>: <c>AssignAmong</c> only returns candidate phases, picks the
    /// cheapest candidate, ignores −1 slots, agrees with Assign when every phase is a candidate, and returns
    /// <see cref="PhaseMap.Unassigned"/> when no slot is used. Other assignments pass trivially.
    /// </summary>
    /// <param name="assigner">The strategy under test.</param>
    public static void CandidateRestrictionIsHonoured(ILatentAssigner assigner)
    {
        ArgumentNullException.ThrowIfNull(assigner);
        (LatentSet labelled, LatentSet references, _) = Blobs(seed: 14, perPhase: 60, spread: 1.0);
        if (assigner.Fit(labelled, references) is not IPhaseCostAssignment model)
        {
            return;
        }

        const int n = 400;
        float[] queries = Queries(seed: 15, count: n);
        float[] costs = Costs(model, queries);
        var rng = new Random(16);
        int[] candidates = new int[n * 3];
        for (int i = 0; i < n; i++)
        {
            int a = rng.Next(PhaseCount);
            int b = (a + 1 + rng.Next(PhaseCount - 1)) % PhaseCount;
            candidates[i * 3] = a;
            candidates[(i * 3) + 1] = -1;
            candidates[(i * 3) + 2] = b;
        }

        int[] phase = new int[n];
        float[] score = new float[n];
        model.AssignAmong(queries, n, candidates, 3, phase, score);
        for (int i = 0; i < n; i++)
        {
            int a = candidates[i * 3], b = candidates[(i * 3) + 2];
            Assert.True(phase[i] == a || phase[i] == b, $"point {i}: phase {phase[i]} is not a candidate ({a}, {b})");
            float ca = costs[(i * PhaseCount) + a], cb = costs[(i * PhaseCount) + b];
            int expected = ca < cb || (ca == cb && a < b) ? a : b;
            Assert.Equal(expected, phase[i]);
            Assert.Equal(costs[(i * PhaseCount) + expected], score[i]);
        }

        // All phases as candidates: same labels as Assign.
        int[] all = Enumerable.Range(0, n).SelectMany(_ => Enumerable.Range(0, PhaseCount)).ToArray();
        model.AssignAmong(queries, n, all, PhaseCount, phase, score);
        (int[] direct, _) = AssignAll(model, queries);
        Assert.Equal(direct, phase);

        // No usable slot: unassigned.
        model.AssignAmong(queries.AsSpan(0, Dimension), 1, [-1, -1], 2, phase.AsSpan(0, 1), score.AsSpan(0, 1));
        Assert.Equal(PhaseMap.Unassigned, phase[0]);
        Assert.True(float.IsNaN(score[0]));
    }

    /// <summary>
    /// For an <see cref="IPhaseCostAssignment"/>: the costs are negative log-probabilities in nats (the contract of
    /// <see cref="IPhaseCostAssignment.PhaseCosts"/>), so exp(−cost) normalised over the phases is a calibrated posterior:
    /// on overlapping blobs (spread 2, centres 6 apart, scaled by 4; about 1 point in 9 closer to another centre) the mean posterior of
    /// the chosen phase matches the fraction chosen correctly within <paramref name="tolerance"/>, and the mean log-loss
    /// of the true phase stays within <paramref name="maxExcessLogLoss"/> nats of the Bayes posterior's. Squared distances,
    /// plain distances or 1 − vote share fail it. Other assignments pass trivially.
    /// </summary>
    /// <param name="assigner">The strategy under test.</param>
    /// <param name="tolerance">Largest accepted |mean confidence − accuracy|; a model of the class densities meets 0.05, a vote
    /// count over k neighbours (posteriors in steps of 1/k) needs more.</param>
    /// <param name="maxExcessLogLoss">Largest accepted mean log-loss above the Bayes posterior's, in nats.</param>
    public static void CostsAreNegativeLogProbabilities(ILatentAssigner assigner, double tolerance = 0.05, double maxExcessLogLoss = 0.1)
    {
        ArgumentNullException.ThrowIfNull(assigner);
        // In units 4 times the blobs' (a latent space's units are arbitrary): a plain distance is not in nats in any unit.
        const double unit = 4, spread = 2.0 * unit;
        (LatentSet blobs, LatentSet refs, double[] centres) = Blobs(seed: 17, perPhase: 400, spread: 2.0);
        LatentSet labelled = Scaled(blobs, unit), references = Scaled(refs, unit);
        centres = centres.Select(v => v * unit).ToArray();
        if (assigner.Fit(labelled, references) is not IPhaseCostAssignment model)
        {
            return;
        }

        var rng = new Random(18);
        const int n = 4000;
        int[] truth = new int[n];
        float[] queries = new float[n * Dimension];
        for (int i = 0; i < n; i++)
        {
            truth[i] = rng.Next(PhaseCount);
            for (int j = 0; j < Dimension; j++)
            {
                queries[(i * Dimension) + j] = (float)(centres[(truth[i] * Dimension) + j] + (spread * Gaussian(rng)));
            }
        }

        float[] costs = Costs(model, queries);
        double confidence = 0, correct = 0, logLoss = 0, bayesLogLoss = 0;
        double[] p = new double[PhaseCount];
        for (int i = 0; i < n; i++)
        {
            Softmax(costs.AsSpan(i * PhaseCount, PhaseCount), p);
            int best = 0;
            for (int c = 1; c < PhaseCount; c++)
            {
                best = p[c] > p[best] ? c : best;
            }

            confidence += p[best];
            correct += best == truth[i] ? 1 : 0;
            logLoss -= Math.Log(Math.Max(p[truth[i]], 1e-300));
            float[] bayes = new float[PhaseCount];
            for (int c = 0; c < PhaseCount; c++)
            {
                double d2 = 0;
                for (int j = 0; j < Dimension; j++)
                {
                    double diff = queries[(i * Dimension) + j] - centres[(c * Dimension) + j];
                    d2 += diff * diff;
                }

                bayes[c] = (float)(d2 / (2 * spread * spread));
            }

            Softmax(bayes, p);
            bayesLogLoss -= Math.Log(p[truth[i]]);
        }

        double gap = (confidence - correct) / n, excess = (logLoss - bayesLogLoss) / n;
        Assert.True(Math.Abs(gap) <= tolerance, $"mean confidence {confidence / n:F3} vs accuracy {correct / n:F3}: costs are not in nats");
        Assert.True(excess <= maxExcessLogLoss, $"log-loss {logLoss / n:F3} vs Bayes {bayesLogLoss / n:F3} nats: costs are not in nats");
    }

    /// <summary>
    /// Five isotropic Gaussian blobs in 3-D with centres 6 units apart; the references are the exact centres (one
    /// per phase).
    /// </summary>
    /// <param name="seed">Random seed.</param>
    /// <param name="perPhase">Points per phase.</param>
    /// <param name="spread">Standard deviation per axis.</param>
    /// <returns>The labelled set, the reference set and the centres (5 × 3).</returns>
    public static (LatentSet Labelled, LatentSet References, double[] Centres) Blobs(int seed, int perPhase, double spread)
    {
        double[] centres =
        [
            0, 0, 0,
            6, 0, 0,
            0, 6, 0,
            0, 0, 6,
            6, 6, 6,
        ];
        string[] names = ["alpha", "beta", "gamma", "delta", "epsilon"];
        var rng = new Random(seed);
        int n = perPhase * PhaseCount;
        float[] points = new float[n * Dimension];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++)
        {
            labels[i] = i % PhaseCount;
            for (int j = 0; j < Dimension; j++)
            {
                points[(i * Dimension) + j] = (float)(centres[(labels[i] * Dimension) + j] + (spread * Gaussian(rng)));
            }
        }

        var references = new LatentSet(centres.Select(v => (float)v).ToArray(), Dimension, [0, 1, 2, 3, 4], names);
        return (new LatentSet(points, Dimension, labels, names), references, centres);
    }

    /// <summary>Uniform queries in [−range/2, range/2 + 6)³, covering the blobs and the space between them.</summary>
    /// <param name="seed">Random seed.</param>
    /// <param name="count">Number of points.</param>
    /// <param name="range">Extent of the box.</param>
    /// <returns>count × 3 coordinates.</returns>
    public static float[] Queries(int seed, int count, double range = 10)
    {
        var rng = new Random(seed);
        float[] q = new float[count * Dimension];
        for (int i = 0; i < q.Length; i++)
        {
            q[i] = (float)((rng.NextDouble() * range) - (range / 2) + 3);
        }

        return q;
    }

    private static (int[] Phase, float[] Score) AssignAll(ILatentAssignment model, float[] queries)
    {
        int n = queries.Length / Dimension;
        int[] phase = new int[n];
        float[] score = new float[n];
        model.Assign(queries, n, phase, score);
        return (phase, score);
    }

    private static float[] Costs(IPhaseCostAssignment model, float[] queries)
    {
        int n = queries.Length / Dimension;
        float[] costs = new float[n * model.PhaseCount];
        model.PhaseCosts(queries, n, costs);
        return costs;
    }

    private static LatentSet Scaled(LatentSet set, double factor) =>
        new(set.Points.ToArray().Select(v => (float)(v * factor)).ToArray(), set.Dimension, set.Labels.ToArray(), set.PhaseNames);

    /// <summary>exp(−cost) normalised over the phases (0 for +∞ costs).</summary>
    private static void Softmax(ReadOnlySpan<float> costs, Span<double> p)
    {
        double min = double.PositiveInfinity;
        foreach (float c in costs)
        {
            min = Math.Min(min, c);
        }

        double sum = 0;
        for (int c = 0; c < costs.Length; c++)
        {
            p[c] = Math.Exp(-(costs[c] - min));
            sum += p[c];
        }

        for (int c = 0; c < costs.Length; c++)
        {
            p[c] /= sum;
        }
    }

    private static double Gaussian(Random rng)
    {
        // Box–Muller; deterministic given the Random's seed.
        double u1 = 1.0 - rng.NextDouble();
        double u2 = rng.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }
}
