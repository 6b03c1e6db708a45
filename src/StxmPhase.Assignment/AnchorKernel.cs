using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace StxmPhase.Assignment;

/// <summary>
/// Squared (optionally whitened) distances of query points to a set of anchors, reduced to one cost per phase as the
/// minimum over that phase's anchors; float64 throughout.
/// </summary>
/// <remarks>
/// For anchor a with mean μ_a and whitening matrix W_a = L_a⁻¹ (the inverse of the lower Cholesky factor of Σ_a, or
/// the identity), D²_a(z) = ‖W_a (z − μ_a)‖² = (z − μ_a)ᵀ Σ_a⁻¹ (z − μ_a). Points are processed in blocks of
/// <see cref="BlockSize"/>: the block is transposed to structure-of-arrays (one contiguous float64 row per
/// coordinate) so that the inner loops run across points with <see cref="Vector{T}"/> lanes; the block buffers are
/// padded to a whole number of vectors with zeros, and padded lanes are never read back. Each lane computes exactly
/// the scalar formula in the same operation order, so results do not depend on the vector width.
/// <para>
/// The cost of phase c is <c>scale · D²_c + offset_c</c> with D²_c the smallest squared distance to an anchor of c (a
/// negative log-likelihood when scale = ½ and offset_c = ½ ln|Σ_c| − ln π_c); the identity when no scale and offsets
/// are given.
/// </para>
/// </remarks>
internal sealed class AnchorKernel
{
    /// <summary>Points per block (a multiple of every vector width).</summary>
    public const int BlockSize = 256;

    private readonly int _dimension;
    private readonly int _phaseCount;
    private readonly int[] _anchorPhase;
    private readonly double[] _means;
    private readonly double[]?[] _whitening;
    private readonly double _scale;
    private readonly double[]? _offsets;

    /// <param name="dimension">Latent dimension d.</param>
    /// <param name="phaseCount">Number of phases (cost columns).</param>
    /// <param name="anchorPhase">Phase of each anchor.</param>
    /// <param name="means">Anchor positions, anchors × d.</param>
    /// <param name="whitening">Per anchor, a lower-triangular d × d matrix W (row-major), or null for the identity.</param>
    /// <param name="scale">The factor of D² in the cost.</param>
    /// <param name="offsets">The cost offset per phase, or null for none.</param>
    public AnchorKernel(
        int dimension, int phaseCount, int[] anchorPhase, double[] means, double[]?[] whitening, double scale = 1,
        double[]? offsets = null)
    {
        _scale = scale;
        _offsets = offsets;
        _dimension = dimension;
        _phaseCount = phaseCount;
        _anchorPhase = anchorPhase;
        _means = means;
        _whitening = whitening;
    }

    public int Dimension => _dimension;

    public int PhaseCount => _phaseCount;

    /// <summary>
    /// Writes count × PhaseCount float64 costs (squared distances, +∞ for phases without anchors) for points
    /// [start, start + count) of <paramref name="points"/>; count ≤ <see cref="BlockSize"/>.
    /// </summary>
    public void SquaredDistancesBlock(ReadOnlySpan<float> points, int start, int count, Span<double> destination)
    {
        int d = _dimension;
        int lanes = Vector<double>.Count;
        int padded = (count + lanes - 1) / lanes * lanes;
        double[] rented = ArrayPool<double>.Shared.Rent((d + 1) * BlockSize);
        try
        {
            Span<double> soa = rented.AsSpan(0, d * BlockSize);
            Span<double> acc = rented.AsSpan(d * BlockSize, BlockSize);
            soa.Clear();
            for (int p = 0; p < count; p++)
            {
                ReadOnlySpan<float> row = points.Slice((start + p) * d, d);
                for (int j = 0; j < d; j++)
                {
                    soa[(j * BlockSize) + p] = row[j];
                }
            }

            destination[..(count * _phaseCount)].Fill(double.PositiveInfinity);
            Span<Vector<double>> diff = d <= 16 ? stackalloc Vector<double>[d] : new Vector<double>[d];
            ref double soaRef = ref MemoryMarshal.GetReference(soa);
            ref double accRef = ref MemoryMarshal.GetReference(acc);
            for (int a = 0; a < _anchorPhase.Length; a++)
            {
                ReadOnlySpan<double> mean = _means.AsSpan(a * d, d);
                double[]? w = _whitening[a];
                for (int p = 0; p < padded; p += lanes)
                {
                    for (int j = 0; j < d; j++)
                    {
                        diff[j] = Vector.LoadUnsafe(ref soaRef, (nuint)((j * BlockSize) + p)) - new Vector<double>(mean[j]);
                    }

                    Vector<double> sum = Vector<double>.Zero;
                    if (w is null)
                    {
                        for (int j = 0; j < d; j++)
                        {
                            sum += diff[j] * diff[j];
                        }
                    }
                    else
                    {
                        for (int i = 0; i < d; i++)
                        {
                            Vector<double> y = Vector<double>.Zero;
                            for (int j = 0; j <= i; j++)
                            {
                                y += new Vector<double>(w[(i * d) + j]) * diff[j];
                            }

                            sum += y * y;
                        }
                    }

                    Vector.StoreUnsafe(sum, ref accRef, (nuint)p);
                }

                int phase = _anchorPhase[a];
                for (int p = 0; p < count; p++)
                {
                    ref double slot = ref destination[(p * _phaseCount) + phase];
                    double v = acc[p];
                    if (v < slot)
                    {
                        slot = v;
                    }
                }
            }
        }
        finally
        {
            ArrayPool<double>.Shared.Return(rented);
        }
    }

    /// <summary>Writes count × PhaseCount float64 squared distances (+∞ for phases without anchors).</summary>
    public unsafe void SquaredDistances(ReadOnlySpan<float> points, int count, Span<double> destination, int maxDegreeOfParallelism)
    {
        // Parallel.For cannot capture spans: pin them for the duration of the call.
        fixed (float* pPoints = points)
        fixed (double* pDest = destination)
        {
            float* pp = pPoints;
            double* pd = pDest;
            int pointsLength = points.Length;
            int k = _phaseCount;
            ChunkRunner.Run(count, BlockSize, maxDegreeOfParallelism, (s, n) =>
                SquaredDistancesBlock(new ReadOnlySpan<float>(pp, pointsLength), s, n, new Span<double>(pd + ((long)s * k), n * k)));
        }
    }

    /// <summary>
    /// Writes count × PhaseCount float32 costs: scale · D² + offset, or the distance when
    /// <paramref name="takeSquareRoot"/> is set (+∞ for phases without anchors).
    /// </summary>
    public unsafe void Costs(ReadOnlySpan<float> points, int count, Span<float> destination, bool takeSquareRoot, int maxDegreeOfParallelism)
    {
        fixed (float* pPoints = points)
        fixed (float* pDest = destination)
        {
            float* pp = pPoints;
            float* pd = pDest;
            int pointsLength = points.Length;
            int k = _phaseCount;
            ChunkRunner.Run(count, BlockSize, maxDegreeOfParallelism, (s, n) =>
            {
                double[] costs = ArrayPool<double>.Shared.Rent(BlockSize * k);
                try
                {
                    SquaredDistancesBlock(new ReadOnlySpan<float>(pp, pointsLength), s, n, costs);
                    var dst = new Span<float>(pd + ((long)s * k), n * k);
                    for (int i = 0; i < n * k; i++)
                    {
                        dst[i] = (float)(takeSquareRoot ? Math.Sqrt(costs[i]) : Cost(costs[i], i % k));
                    }
                }
                finally
                {
                    ArrayPool<double>.Shared.Return(costs);
                }
            });
        }
    }

    /// <summary>
    /// Assigns each point the phase of least cost scale · D² + offset (first on ties) and, as the score, the winner's
    /// squared distance, or its distance when <paramref name="takeSquareRoot"/> is set.
    /// </summary>
    public unsafe void Assign(ReadOnlySpan<float> points, int count, Span<int> phase, Span<float> score, bool takeSquareRoot,
        int maxDegreeOfParallelism)
    {
        fixed (float* pPoints = points)
        fixed (int* pPhase = phase)
        fixed (float* pScore = score)
        {
            float* pp = pPoints;
            int* pph = pPhase;
            float* psc = pScore;
            int pointsLength = points.Length;
            int k = _phaseCount;
            ChunkRunner.Run(count, BlockSize, maxDegreeOfParallelism, (s, n) =>
            {
                double[] costs = ArrayPool<double>.Shared.Rent(BlockSize * k);
                try
                {
                    SquaredDistancesBlock(new ReadOnlySpan<float>(pp, pointsLength), s, n, costs);
                    for (int i = 0; i < n; i++)
                    {
                        ReadOnlySpan<double> row = costs.AsSpan(i * k, k);
                        int best = _offsets is null && _scale == 1 ? ArgMin(row) : ArgMinCost(row);
                        pph[s + i] = best;
                        psc[s + i] = best < 0 ? float.NaN : (float)(takeSquareRoot ? Math.Sqrt(row[best]) : row[best]);
                    }
                }
                finally
                {
                    ArrayPool<double>.Shared.Return(costs);
                }
            });
        }
    }

    /// <summary>scale · D² + offset of <paramref name="phase"/>; +∞ stays +∞.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private double Cost(double squaredDistance, int phase) =>
        double.IsPositiveInfinity(squaredDistance) ? squaredDistance : (_scale * squaredDistance) + (_offsets?[phase] ?? 0);

    /// <summary>Index of the smallest cost of a row of squared distances (first on ties); −1 if every cost is +∞.</summary>
    private int ArgMinCost(ReadOnlySpan<double> squaredDistances)
    {
        int best = -1;
        double bestValue = double.PositiveInfinity;
        for (int c = 0; c < squaredDistances.Length; c++)
        {
            double v = Cost(squaredDistances[c], c);
            if (v < bestValue)
            {
                bestValue = v;
                best = c;
            }
        }

        return best;
    }

    /// <summary>Index of the smallest value (first on ties), ignoring NaN; −1 if every value is +∞.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int ArgMin(ReadOnlySpan<double> costs)
    {
        int best = -1;
        double bestValue = double.PositiveInfinity;
        for (int c = 0; c < costs.Length; c++)
        {
            if (costs[c] < bestValue)
            {
                bestValue = costs[c];
                best = c;
            }
        }

        return best;
    }
}
