namespace StxmPhase.Assignment;

/// <summary>The 3×3 neighbourhood counts used by <see cref="AmbiguousPixelResolver.SpatialPriorWeight"/>.</summary>
internal static class SpatialPrior
{
    /// <summary>
    /// Counts, per phase, the 8-neighbours of <paramref name="pixel"/> that carry a confident label (labelled and not
    /// being resolved). Returns the number of such neighbours.
    /// </summary>
    public static int CountNeighbours(ReadOnlySpan<int> labels, bool[] resolving, int width, int height, int pixel, Span<int> counts)
    {
        counts.Clear();
        int x = pixel % width, y = pixel / width, total = 0;
        for (int dy = -1; dy <= 1; dy++)
        {
            int yy = y + dy;
            if ((uint)yy >= (uint)height)
            {
                continue;
            }

            for (int dx = -1; dx <= 1; dx++)
            {
                int xx = x + dx;
                if ((dx == 0 && dy == 0) || (uint)xx >= (uint)width)
                {
                    continue;
                }

                int q = (yy * width) + xx;
                int l = labels[q];
                if (l != PhaseMap.Unassigned && !resolving[q])
                {
                    counts[l]++;
                    total++;
                }
            }
        }

        return total;
    }
}
