using System.Numerics.Tensors;

namespace StxmPhase.Unmixing;

/// <summary>
/// Dense row-major float64 products used by the decompositions. Every kernel is deterministic: work is split into a
/// fixed number of row chunks (independent of the thread count) and partial sums are reduced in chunk order.
/// </summary>
internal static class Kernels
{
    /// <summary>Rows per chunk of the parallel kernels.</summary>
    private const int ChunkRows = 2048;

    /// <summary>
    /// destination (m×p) = A (m×n) · Bᵀ, with B given row-major p×n: <c>destination[i,t] = Σ_j A[i,j]·B[t,j]</c>.
    /// Each entry is one vectorised dot product over n.
    /// </summary>
    public static void MultiplyABt(double[] a, int m, int n, double[] b, int p, double[] destination, int maxDegreeOfParallelism)
    {
        int chunks = (m + ChunkRows - 1) / ChunkRows;
        For(chunks, maxDegreeOfParallelism, c =>
        {
            int start = c * ChunkRows;
            int end = Math.Min(m, start + ChunkRows);
            ReadOnlySpan<double> bs = b.AsSpan(0, p * n);
            for (int i = start; i < end; i++)
            {
                ReadOnlySpan<double> row = a.AsSpan(i * n, n);
                Span<double> dst = destination.AsSpan(i * p, p);
                for (int t = 0; t < p; t++)
                {
                    dst[t] = TensorPrimitives.Dot(row, bs.Slice(t * n, n));
                }
            }
        });
    }

    /// <summary>
    /// destination (p×n) = Bᵀ · A, with A row-major m×n and B row-major m×p:
    /// <c>destination[t,j] = Σ_i B[i,t]·A[i,j]</c>. Each row of A is streamed once and added (scaled) into p
    /// accumulator rows of length n; chunks keep private accumulators which are summed in chunk order.
    /// </summary>
    public static void MultiplyBtA(double[] a, int m, int n, double[] b, int p, double[] destination, int maxDegreeOfParallelism)
    {
        int chunks = (m + ChunkRows - 1) / ChunkRows;
        double[][] partial = new double[chunks][];
        For(chunks, maxDegreeOfParallelism, c =>
        {
            int start = c * ChunkRows;
            int end = Math.Min(m, start + ChunkRows);
            double[] acc = new double[p * n];
            for (int i = start; i < end; i++)
            {
                ReadOnlySpan<double> row = a.AsSpan(i * n, n);
                for (int t = 0; t < p; t++)
                {
                    double s = b[(i * p) + t];
                    if (s != 0)
                    {
                        Span<double> dst = acc.AsSpan(t * n, n);
                        TensorPrimitives.MultiplyAdd(row, s, dst, dst);
                    }
                }
            }

            partial[c] = acc;
        });

        Array.Clear(destination, 0, p * n);
        Span<double> d = destination.AsSpan(0, p * n);
        foreach (double[] acc in partial)
        {
            TensorPrimitives.Add(d, acc, d);
        }
    }

    /// <summary>Gram matrix G (k×k) = Aᵀ A of a row-major m×k matrix (k small). Deterministic chunked reduction.</summary>
    public static void Gram(double[] a, int m, int k, double[] destination, int maxDegreeOfParallelism)
    {
        MultiplyBtA(a, m, k, a, k, destination, maxDegreeOfParallelism);

        // Symmetrise exactly (both triangles are computed with the same operations, but make it explicit).
        for (int i = 0; i < k; i++)
        {
            for (int j = i + 1; j < k; j++)
            {
                destination[(j * k) + i] = destination[(i * k) + j];
            }
        }
    }

    /// <summary>Transposes a row-major rows×cols matrix into destination (cols×rows).</summary>
    public static void Transpose(ReadOnlySpan<double> source, int rows, int cols, Span<double> destination)
    {
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < cols; j++)
            {
                destination[(j * rows) + i] = source[(i * cols) + j];
            }
        }
    }

    /// <summary>Small dense product C (m×p) = A (m×n) · B (n×p), all row-major; sequential.</summary>
    public static void MultiplySmall(ReadOnlySpan<double> a, int m, int n, ReadOnlySpan<double> b, int p, Span<double> destination)
    {
        destination.Slice(0, m * p).Clear();
        for (int i = 0; i < m; i++)
        {
            Span<double> dst = destination.Slice(i * p, p);
            for (int j = 0; j < n; j++)
            {
                double s = a[(i * n) + j];
                if (s != 0)
                {
                    TensorPrimitives.MultiplyAdd(b.Slice(j * p, p), s, dst, dst);
                }
            }
        }
    }

    /// <summary>destination (m×p) = A (m×n) · B (n×p), all row-major, parallel over rows of A.</summary>
    public static void MultiplySmallParallel(double[] a, int m, int n, double[] b, int p, double[] destination, int maxDegreeOfParallelism)
    {
        double[] bt = new double[p * n];
        Transpose(b, n, p, bt);
        MultiplyABt(a, m, n, bt, p, destination, maxDegreeOfParallelism);
    }

    /// <summary>Sum of squares of all entries, in chunked order (deterministic).</summary>
    public static double SumOfSquares(ReadOnlySpan<double> x)
    {
        double total = 0;
        for (int start = 0; start < x.Length; start += 1 << 16)
        {
            ReadOnlySpan<double> chunk = x.Slice(start, Math.Min(1 << 16, x.Length - start));
            total += TensorPrimitives.Dot(chunk, chunk);
        }

        return total;
    }

    /// <summary>
    /// Runs body(0 … count − 1): inline when there is a single chunk or parallelism is 1 (no thread-pool round trip for
    /// small problems), else with Parallel.For.
    /// </summary>
    public static void For(int count, int maxDegreeOfParallelism, Action<int> body, CancellationToken cancellationToken = default)
    {
        if (count <= 1 || maxDegreeOfParallelism == 1)
        {
            for (int i = 0; i < count; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                body(i);
            }

            return;
        }

        Parallel.For(0, count, Options(maxDegreeOfParallelism, cancellationToken), body);
    }

    public static ParallelOptions Options(int maxDegreeOfParallelism, CancellationToken cancellationToken = default) =>
        new() { MaxDegreeOfParallelism = maxDegreeOfParallelism, CancellationToken = cancellationToken };
}
