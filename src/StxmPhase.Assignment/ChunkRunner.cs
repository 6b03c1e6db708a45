namespace StxmPhase.Assignment;

/// <summary>Runs work over contiguous chunks of points, in parallel when it pays.</summary>
internal static class ChunkRunner
{
    /// <summary>
    /// Calls <paramref name="body"/>(start, length) for consecutive chunks of at most <paramref name="chunkSize"/>
    /// items covering [0, <paramref name="count"/>). Chunks are independent, so results do not depend on the
    /// schedule.
    /// </summary>
    public static void Run(int count, int chunkSize, int maxDegreeOfParallelism, Action<int, int> body)
    {
        if (count <= 0)
        {
            return;
        }

        int chunks = (int)(((long)count + chunkSize - 1) / chunkSize);
        if (chunks == 1 || maxDegreeOfParallelism == 1 || Environment.ProcessorCount == 1)
        {
            for (int c = 0; c < chunks; c++)
            {
                int start = c * chunkSize;
                body(start, Math.Min(chunkSize, count - start));
            }

            return;
        }

        var options = new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism };
        Parallel.For(0, chunks, options, c =>
        {
            int start = c * chunkSize;
            body(start, Math.Min(chunkSize, count - start));
        });
    }
}
