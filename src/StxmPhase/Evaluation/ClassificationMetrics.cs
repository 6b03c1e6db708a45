namespace StxmPhase;

/// <summary>Agreement of a predicted phase map with the ground truth over a set of pixels.</summary>
/// <remarks>
/// Evaluated pixels that received no label (−1) count as errors: they lower the accuracy and count as false negatives
/// of their true phase in the F1 scores.
/// </remarks>
public sealed class ClassificationMetrics
{
    private readonly long[] _confusion;

    internal ClassificationMetrics(int phaseCount, long[] confusion, long[] unassignedPerPhase)
    {
        PhaseCount = phaseCount;
        _confusion = confusion;
        long correct = 0, total = 0, unassigned = 0;
        for (int t = 0; t < phaseCount; t++)
        {
            unassigned += unassignedPerPhase[t];
            for (int p = 0; p < phaseCount; p++)
            {
                total += confusion[(t * phaseCount) + p];
            }

            correct += confusion[(t * phaseCount) + t];
        }

        total += unassigned;
        Count = total;
        Unassigned = unassigned;
        Accuracy = total == 0 ? double.NaN : (double)correct / total;
        double[] f1 = new double[phaseCount];
        double sum = 0;
        int present = 0;
        for (int c = 0; c < phaseCount; c++)
        {
            long tp = confusion[(c * phaseCount) + c], fp = 0, fn = unassignedPerPhase[c];
            for (int o = 0; o < phaseCount; o++)
            {
                if (o != c)
                {
                    fp += confusion[(o * phaseCount) + c];
                    fn += confusion[(c * phaseCount) + o];
                }
            }

            double denom = (2.0 * tp) + fp + fn;
            f1[c] = denom == 0 ? double.NaN : 2.0 * tp / denom;
            if (tp + fn > 0)
            {
                sum += f1[c];
                present++;
            }
        }

        F1 = f1;
        MacroF1 = present == 0 ? double.NaN : sum / present;
    }

    /// <summary>Gets the number of phases.</summary>
    public int PhaseCount { get; }

    /// <summary>Gets the number of pixels evaluated.</summary>
    public long Count { get; }

    /// <summary>Gets the number of evaluated pixels that received no label (counted as errors).</summary>
    public long Unassigned { get; }

    /// <summary>Gets the fraction of evaluated pixels labelled with their true phase (NaN when none was evaluated).</summary>
    public double Accuracy { get; }

    /// <summary>Gets the F1 score per phase (NaN for a phase that is neither present nor predicted).</summary>
    public IReadOnlyList<double> F1 { get; }

    /// <summary>Gets the unweighted mean F1 over the phases present in the truth (NaN when none).</summary>
    public double MacroF1 { get; }

    /// <summary>Returns the number of pixels of true phase <paramref name="truth"/> predicted as <paramref name="predicted"/>.</summary>
    /// <param name="truth">True phase.</param>
    /// <param name="predicted">Predicted phase.</param>
    /// <returns>The count.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A phase is outside [0, PhaseCount).</exception>
    public long Confusion(int truth, int predicted)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(truth);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(truth, PhaseCount);
        ArgumentOutOfRangeException.ThrowIfNegative(predicted);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(predicted, PhaseCount);
        return _confusion[(truth * PhaseCount) + predicted];
    }
}
