using System.Buffers;
using System.Globalization;

namespace StxmPhase.Assignment;

/// <summary>Conveniences over <see cref="IPhaseCostAssignment"/> that any implementation gets.</summary>
public static class PhaseCostAssignmentExtensions
{
    private const int ChunkPoints = 1024;

    /// <summary>
    /// Assigns each point the candidate phase of lowest cost, e.g. restricted to the ambiguous pair (best, second)
    /// of the PCC stage.
    /// </summary>
    /// <param name="assignment">A fitted assignment.</param>
    /// <param name="points"><paramref name="count"/> rows of D floats.</param>
    /// <param name="count">The number of points.</param>
    /// <param name="candidates">
    /// <paramref name="count"/> × <paramref name="candidatesPerPoint"/> phase indices, row-major; −1 marks an unused
    /// slot.
    /// </param>
    /// <param name="candidatesPerPoint">Candidate slots per point (≥ 1).</param>
    /// <param name="phase">
    /// Receives the chosen phase: the candidate of lowest <see cref="IPhaseCostAssignment.PhaseCosts"/> cost, ties to
    /// the lowest phase index; <see cref="PhaseMap.Unassigned"/> (−1) when no candidate has a finite cost (all slots
    /// unused, or every candidate phase has no labelled points).
    /// </param>
    /// <param name="score">Receives the winning candidate's cost (NaN when unassigned). For KNN this is 1 − vote share.</param>
    /// <exception cref="ArgumentNullException"><paramref name="assignment"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative, <paramref name="candidatesPerPoint"/> is below 1, or a
    /// candidate is below −1 or not below PhaseCount (the message names the point and slot).</exception>
    /// <exception cref="ArgumentException">A span has the wrong length, or a coordinate is NaN or ±∞.</exception>
    /// <remarks>
    /// Costs are computed in chunks of 1024 points through <see cref="IPhaseCostAssignment.PhaseCosts"/>, so the
    /// implementation's own validation (non-finite coordinates, dimension) applies.
    /// </remarks>
    public static void AssignAmong(
        this IPhaseCostAssignment assignment, ReadOnlySpan<float> points, int count, ReadOnlySpan<int> candidates,
        int candidatesPerPoint, Span<int> phase, Span<float> score) =>
        AssignAmong(assignment, points, count, candidates, candidatesPerPoint, ReadOnlySpan<float>.Empty, phase, score);

    /// <summary>
    /// <see cref="AssignAmong(IPhaseCostAssignment, ReadOnlySpan{float}, int, ReadOnlySpan{int}, int, Span{int}, Span{float})"/>
    /// with an additive term per point and phase (e.g. a negative log prior): the choice minimises
    /// <c>cost + costOffsets[i · PhaseCount + phase]</c>, and the score is that sum.
    /// </summary>
    /// <param name="assignment">A fitted assignment.</param>
    /// <param name="points"><paramref name="count"/> rows of D floats.</param>
    /// <param name="count">The number of points.</param>
    /// <param name="candidates"><paramref name="count"/> × <paramref name="candidatesPerPoint"/> phase indices; −1 marks an unused slot.</param>
    /// <param name="candidatesPerPoint">Candidate slots per point (≥ 1).</param>
    /// <param name="costOffsets">Empty (no offsets), or count × PhaseCount terms, row-major.</param>
    /// <param name="phase">Receives the chosen phase, or −1 when no candidate has a finite cost.</param>
    /// <param name="score">Receives the winning candidate's cost plus offset (NaN when unassigned).</param>
    internal static void AssignAmong(
        this IPhaseCostAssignment assignment, ReadOnlySpan<float> points, int count, ReadOnlySpan<int> candidates,
        int candidatesPerPoint, ReadOnlySpan<float> costOffsets, Span<int> phase, Span<float> score)
    {
        ArgumentNullException.ThrowIfNull(assignment);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfLessThan(candidatesPerPoint, 1);
        if (count == 0)
        {
            return;
        }

        if (points.Length % count != 0)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"{points.Length} values cannot hold {count} points of equal dimension."),
                nameof(points));
        }

        int d = points.Length / count;
        int phases = assignment.PhaseCount;
        if (candidates.Length != (long)count * candidatesPerPoint)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture,
                    $"Expected {count} points × {candidatesPerPoint} candidates = {(long)count * candidatesPerPoint} values; got " +
                    $"{candidates.Length}."),
                nameof(candidates));
        }

        ThrowHelper.ValidateDestination(phase.Length, count, nameof(phase));
        ThrowHelper.ValidateDestination(score.Length, count, nameof(score));
        if (!costOffsets.IsEmpty && costOffsets.Length != (long)count * phases)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture,
                    $"Expected {count} points × {phases} phases = {(long)count * phases} cost offsets; got {costOffsets.Length}."),
                nameof(costOffsets));
        }

        for (int i = 0; i < candidates.Length; i++)
        {
            int c = candidates[i];
            if (c < -1 || c >= phases)
            {
                throw new ArgumentOutOfRangeException(nameof(candidates), c,
                    string.Create(CultureInfo.InvariantCulture,
                        $"Candidate {i % candidatesPerPoint} of point {i / candidatesPerPoint} is {c}; it must be −1 (unused) or in " +
                        $"[0, {phases})."));
            }
        }

        int chunk = Math.Min(count, ChunkPoints);
        float[] costs = ArrayPool<float>.Shared.Rent(chunk * phases);
        try
        {
            for (int start = 0; start < count; start += chunk)
            {
                int n = Math.Min(chunk, count - start);
                assignment.PhaseCosts(points.Slice(start * d, n * d), n, costs.AsSpan(0, n * phases));
                for (int i = 0; i < n; i++)
                {
                    ReadOnlySpan<int> slots = candidates.Slice((start + i) * candidatesPerPoint, candidatesPerPoint);
                    int best = PhaseMap.Unassigned;
                    float bestCost = float.PositiveInfinity;
                    foreach (int c in slots)
                    {
                        if (c < 0)
                        {
                            continue;
                        }

                        float cost = costs[(i * phases) + c];
                        if (!costOffsets.IsEmpty)
                        {
                            cost += costOffsets[((start + i) * phases) + c];
                        }

                        if (cost < bestCost || (cost == bestCost && best >= 0 && c < best))
                        {
                            bestCost = cost;
                            best = c;
                        }
                    }

                    phase[start + i] = best;
                    score[start + i] = best < 0 ? float.NaN : bestCost;
                }
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(costs);
        }
    }

    /// <summary>
    /// Writes, per point, the phase of lowest cost and the runner-up with their costs, so that callers can report the
    /// margin (second − best) as algorithms.md §3.5 asks.
    /// </summary>
    /// <param name="assignment">A fitted assignment.</param>
    /// <param name="points"><paramref name="count"/> rows of D floats.</param>
    /// <param name="count">The number of points.</param>
    /// <param name="best">Receives the phase of lowest cost (ties to the lowest phase index); −1 if every cost is +∞.</param>
    /// <param name="bestCost">Receives the lowest cost (+∞ when <paramref name="best"/> is −1).</param>
    /// <param name="second">Receives the phase of second-lowest cost; −1 when fewer than two phases have a finite cost.</param>
    /// <param name="secondCost">Receives the second-lowest cost (+∞ when <paramref name="second"/> is −1).</param>
    /// <exception cref="ArgumentNullException"><paramref name="assignment"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative.</exception>
    /// <exception cref="ArgumentException">A span has the wrong length, or a coordinate is NaN or ±∞.</exception>
    public static void BestTwo(
        this IPhaseCostAssignment assignment, ReadOnlySpan<float> points, int count, Span<int> best, Span<float> bestCost,
        Span<int> second, Span<float> secondCost)
    {
        ArgumentNullException.ThrowIfNull(assignment);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (count == 0)
        {
            return;
        }

        if (points.Length % count != 0)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"{points.Length} values cannot hold {count} points of equal dimension."),
                nameof(points));
        }

        ThrowHelper.ValidateDestination(best.Length, count, nameof(best));
        ThrowHelper.ValidateDestination(bestCost.Length, count, nameof(bestCost));
        ThrowHelper.ValidateDestination(second.Length, count, nameof(second));
        ThrowHelper.ValidateDestination(secondCost.Length, count, nameof(secondCost));
        int d = points.Length / count;
        int phases = assignment.PhaseCount;
        int chunk = Math.Min(count, ChunkPoints);
        float[] costs = ArrayPool<float>.Shared.Rent(chunk * phases);
        try
        {
            for (int start = 0; start < count; start += chunk)
            {
                int n = Math.Min(chunk, count - start);
                assignment.PhaseCosts(points.Slice(start * d, n * d), n, costs.AsSpan(0, n * phases));
                for (int i = 0; i < n; i++)
                {
                    int b1 = -1, b2 = -1;
                    float c1 = float.PositiveInfinity, c2 = float.PositiveInfinity;
                    for (int c = 0; c < phases; c++)
                    {
                        float v = costs[(i * phases) + c];
                        if (v < c1)
                        {
                            (b2, c2) = (b1, c1);
                            (b1, c1) = (c, v);
                        }
                        else if (v < c2)
                        {
                            (b2, c2) = (c, v);
                        }
                    }

                    best[start + i] = b1;
                    bestCost[start + i] = c1;
                    second[start + i] = b2;
                    secondCost[start + i] = c2;
                }
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(costs);
        }
    }
}
