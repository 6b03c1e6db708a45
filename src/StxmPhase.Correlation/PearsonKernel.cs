using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace StxmPhase.Correlation;

/// <summary>
/// The vectorised Pearson kernel: vectors of W pixels (W = 4, 8 or 16 float lanes) run across the energy-major
/// planes; each lane is one pixel and follows exactly the same float32 operations, so a pixel's result does not
/// depend on which lane or band it falls in.
/// </summary>
/// <remarks>
/// <para>
/// <b>Single pass, shifted sums.</b> For one vector of pixels the kernel loads x₀ (energy 0) once, then streams
/// energies e = 1 … E−1 (one load per energy, stride N floats) and accumulates, in registers,
/// the shifted values y_e = x_e − x₀: S = Σ y_e, SS = Σ y_e² and D_j = Σ y_e r̃_je for up to eight references at
/// once, 4 + P vector operations per energy (with more than eight references the energies are streamed again per
/// group of eight, from L1). The reference count is a JIT-time constant (<see cref="IPhaseCount"/>), so the loop holds
/// exactly the live accumulators and the references are broadcast straight from memory. Because each
/// centred reference sums to zero, D_j = Σ_e (x_e − x̄) r̃_je: the shift does not change the dot product. Then
/// var = SS − S²/E = Σ(x − x̄)², ρ_j = clamp(D_j / √var, −1, 1).
/// </para>
/// <para>
/// <b>Why float32 is accurate here.</b> The textbook one-pass formula Σx² − (Σx)²/E loses about log₁₀(x̄²/var)
/// digits, which is fatal in float32 for OD spectra with a large offset. Shifting by x₀ removes the offset: x_e − x₀
/// is exact (Sterbenz) for the typical positive spectra, and the cancellation in SS − S²/E is bounded by
/// SS / var = 1 + E (x̄ − x₀)² / var ≤ E, i.e. at most about one decimal digit. The coefficients therefore carry
/// a relative error of a few 1e-7 (tests: ≤ 1e-5 against a float64 oracle on random and adversarial data). The only
/// residual of rounding r̃ to float32 is Σ r̃ ≠ 0 by ~1e-7, which contributes (x̄ − x₀)·Σr̃ / √var ≲ 4e-7 to ρ.
/// </para>
/// <para>
/// <b>Special values.</b> Nothing is tested per energy: a NaN or ±∞ value makes SS NaN or +∞, and finite data
/// whose float32 sums overflow (|x| ≳ 1e19) makes SS, S² or Σx² +∞, so one finiteness test of SS + S² + Σx² after
/// the loop finds every special lane. Special lanes are written as invalid; then (off the hot path) a probe
/// F = Σ x_e · 0, which is 0 iff every x_e is finite, separates the real invalid pixels from the overflowing ones,
/// which are recomputed by the float64 <see cref="ScalarPearson"/>. Physical data never takes this path.
/// </para>
/// <para>
/// <b>Top two.</b> Branch-free per lane: for j = 1 … P−1, gt1 = ρ_j &gt; Q1, gt2 = ρ_j &gt; Q2; strict comparisons
/// keep the lower index first on ties, as the stable descending sort of algorithms.md §0. Labels are carried as
/// whole float values and converted at the store.
/// </para>
/// <para>
/// <b>Flags.</b> Masks are turned into bit masks (one bit per lane) and spread to bytes with three shift-or-mask steps, so
/// the bool and <see cref="Spectra.PixelStatus"/> outputs are written 8 pixels at a time.
/// </para>
/// <para>
/// <b>JIT.</b> The generic kernel methods are marked <see cref="MethodImplOptions.AggressiveOptimization"/>: a
/// typical caller correlates one stack once, and tier-0 code (operator calls not inlined) would otherwise run for the
/// first ~100 ms of that call, several times slower than the optimised kernel.
/// </para>
/// <para>
/// <b>Remainders.</b> Bands are multiples of 64 pixels, so only the last band of a stack can end in a partial
/// vector. Its pixels are copied into a zero-padded W-lane scratch block, processed by the same vector code (padding
/// lanes are constant, hence invalid, and discarded) and copied back: every pixel takes the same path.
/// </para>
/// </remarks>
internal static class PearsonKernel
{
    /// <summary>Pixels per band (the unit of parallel work and of cancellation checks); a multiple of 64.</summary>
    public const int BandPixels = 16384;

    private const ulong BytesToBitsMagic = 0x0102040810204080UL;

    /// <summary>
    /// How far ahead in each energy plane the kernel prefetches: 2 KiB = 32 cache lines = 32 vectors of 16 pixels.
    /// With 13 planes read and 12 outputs written per thread, the hardware prefetchers alone left the kernel at
    /// a clearly lower throughput, and shorter distances did not reach it (measurements in docs/performance.md).
    /// Plane 0 (x₀) is not prefetched: adding it measured the same.
    /// </summary>
    private const int PrefetchBytes = 2048;

    /// <summary>Returns the vector width to use: the requested one, or the widest accelerated one.</summary>
    /// <param name="requested">0, 128, 256 or 512.</param>
    /// <returns>128, 256 or 512.</returns>
    public static int ResolveVectorBits(int requested)
    {
        if (requested != 0)
        {
            return requested;
        }

        if (Vector512.IsHardwareAccelerated)
        {
            return 512;
        }

        return Vector256.IsHardwareAccelerated ? 256 : 128;
    }

    /// <summary>
    /// Returns how many pixels precede the first one whose plane-0 vector load is aligned to the vector width (0 … W−1;
    /// 0 when the data is not even float-aligned). A hint only: the data may move, which costs speed, never results.
    /// </summary>
    /// <param name="vectorBits">Vector width in bits (128, 256 or 512).</param>
    /// <param name="data">The stack's data.</param>
    public static unsafe int AlignmentHead(int vectorBits, ReadOnlySpan<float> data)
    {
        int bytes = vectorBits / 8;
        int misalignment = (int)((nuint)Unsafe.AsPointer(ref MemoryMarshal.GetReference(data)) % (nuint)bytes);
        return misalignment % sizeof(float) != 0 ? 0 : (bytes - misalignment) % bytes / sizeof(float);
    }

    /// <summary>Processes pixels [start, end) of the stack.</summary>
    /// <param name="vectorBits">128, 256 or 512.</param>
    /// <param name="data">The energy-major stack.</param>
    /// <param name="pixelCount">N, the plane stride.</param>
    /// <param name="references">Prepared references.</param>
    /// <param name="mask">The mask values (<see langword="true"/> = included), or empty for none.</param>
    /// <param name="ambiguityThreshold">The float32 threshold.</param>
    /// <param name="output">Destination (whole arrays).</param>
    /// <param name="start">First pixel.</param>
    /// <param name="end">One past the last pixel.</param>
    public static void Band(int vectorBits, ReadOnlySpan<float> data, int pixelCount, PreparedReferences references,
        ReadOnlySpan<bool> mask, float ambiguityThreshold, OutputSpans output, int start, int end)
    {
        switch (vectorBits)
        {
            case 512:
                BandForWidth<Simd512, Vector512<float>>(data, pixelCount, references, mask, ambiguityThreshold, output, start, end);
                break;
            case 256:
                BandForWidth<Simd256, Vector256<float>>(data, pixelCount, references, mask, ambiguityThreshold, output, start, end);
                break;
            default:
                BandForWidth<Simd128, Vector128<float>>(data, pixelCount, references, mask, ambiguityThreshold, output, start, end);
                break;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void BandForWidth<TOps, TVec>(ReadOnlySpan<float> data, int pixelCount, PreparedReferences references,
        ReadOnlySpan<bool> mask, float ambiguityThreshold, OutputSpans output, int start, int end)
        where TOps : struct, ISimdOps<TVec>
        where TVec : unmanaged
    {
        // One specialisation per reference count up to a register group; more references take the grouped path.
        switch (references.PhaseCount)
        {
            case 1:
                Band<TOps, TVec, PhaseCount1>(data, pixelCount, references, mask, ambiguityThreshold, output, start, end);
                break;
            case 2:
                Band<TOps, TVec, PhaseCount2>(data, pixelCount, references, mask, ambiguityThreshold, output, start, end);
                break;
            case 3:
                Band<TOps, TVec, PhaseCount3>(data, pixelCount, references, mask, ambiguityThreshold, output, start, end);
                break;
            case 4:
                Band<TOps, TVec, PhaseCount4>(data, pixelCount, references, mask, ambiguityThreshold, output, start, end);
                break;
            case 5:
                Band<TOps, TVec, PhaseCount5>(data, pixelCount, references, mask, ambiguityThreshold, output, start, end);
                break;
            case 6:
                Band<TOps, TVec, PhaseCount6>(data, pixelCount, references, mask, ambiguityThreshold, output, start, end);
                break;
            case 7:
                Band<TOps, TVec, PhaseCount7>(data, pixelCount, references, mask, ambiguityThreshold, output, start, end);
                break;
            case 8:
                Band<TOps, TVec, PhaseCount8>(data, pixelCount, references, mask, ambiguityThreshold, output, start, end);
                break;
            default:
                Band<TOps, TVec, PhaseCountMany>(data, pixelCount, references, mask, ambiguityThreshold, output, start, end);
                break;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Band<TOps, TVec, TCount>(ReadOnlySpan<float> data, int pixelCount, PreparedReferences references,
        ReadOnlySpan<bool> mask, float ambiguityThreshold, OutputSpans output, int start, int end)
        where TOps : struct, ISimdOps<TVec>
        where TVec : unmanaged
        where TCount : struct, IPhaseCount
    {
        int w = TOps.Count;
        int whole = (end - start) / w * w;
        Span<TVec> dots = stackalloc TVec[references.GroupCount * PreparedReferences.GroupSize];
        if (whole > 0)
        {
            Vectors<TOps, TVec, TCount>(data, start, pixelCount, whole, references, dots, mask, ambiguityThreshold, output, start);
        }

        if (start + whole < end)
        {
            Tail<TOps, TVec, TCount>(data, pixelCount, references, mask, ambiguityThreshold, output, start + whole, end - start - whole, dots);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tail<TOps, TVec, TCount>(ReadOnlySpan<float> data, int pixelCount, PreparedReferences references,
        ReadOnlySpan<bool> mask, float ambiguityThreshold, OutputSpans output, int index, int count, Span<TVec> dots)
        where TOps : struct, ISimdOps<TVec>
        where TVec : unmanaged
        where TCount : struct, IPhaseCount
    {
        int w = TOps.Count;
        int energies = references.EnergyCount;
        int phases = references.PhaseCount;

        // Zero padding: padding lanes are constant, hence invalid, and never copied back.
        float[] x = new float[energies * w];
        for (int e = 0; e < energies; e++)
        {
            data.Slice((e * pixelCount) + index, count).CopyTo(x.AsSpan(e * w));
        }

        // Padding lanes count as included (they are constant, hence invalid, and never copied back).
        bool[]? included = null;
        if (!mask.IsEmpty)
        {
            included = new bool[w];
            included.AsSpan().Fill(true);
            mask.Slice(index, count).CopyTo(included);
        }

        float[] corr = new float[phases * w];
        int[] labels = new int[w];
        int[] second = new int[w];
        float[] best = new float[w];
        float[] secondBest = new float[w];
        float[] reliability = new float[w];
        byte[] ambiguous = new byte[w];
        byte[] status = new byte[w];
        var scratch = new OutputSpans(corr, w, labels, second, best, secondBest, reliability, ambiguous, status);
        Vectors<TOps, TVec, TCount>(x, 0, w, w, references, dots, included, ambiguityThreshold, scratch, 0);

        for (int j = 0; j < phases; j++)
        {
            corr.AsSpan(j * w, count).CopyTo(output.Correlations.Slice((j * output.CorrelationStride) + index));
        }

        labels.AsSpan(0, count).CopyTo(output.Labels.Slice(index));
        second.AsSpan(0, count).CopyTo(output.SecondLabels.Slice(index));
        best.AsSpan(0, count).CopyTo(output.Best.Slice(index));
        secondBest.AsSpan(0, count).CopyTo(output.Second.Slice(index));
        reliability.AsSpan(0, count).CopyTo(output.Reliability.Slice(index));
        ambiguous.AsSpan(0, count).CopyTo(output.Ambiguous.Slice(index));
        status.AsSpan(0, count).CopyTo(output.Status.Slice(index));
    }

    /// <summary>
    /// Accumulates, for one vector of pixels whose plane-0 lanes start at <paramref name="pixel"/> (planes
    /// <paramref name="planeBytes"/> apart), S = Σ y_e,
    /// SS = Σ y_e² and the dot products D_k = Σ y_e r̃_(g,k),e of the <typeparamref name="TCount"/> references of one
    /// group (y_e = x_e − x₀, e = 1 … E−1). <typeparamref name="TCount"/> is a JIT-time constant, so only the live
    /// accumulators exist (the others stay zero and are dropped) and the loop body holds 4 + count vector operations
    /// per energy; the input and reference addresses advance by one add each per energy.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Accumulate<TOps, TVec, TCount>(ref float pixel, nuint planeBytes, int energies, TVec x0, ref float group,
        out TVec sum, out TVec sumSquares, out TVec d0, out TVec d1, out TVec d2, out TVec d3, out TVec d4, out TVec d5,
        out TVec d6, out TVec d7)
        where TOps : struct, ISimdOps<TVec>
        where TVec : unmanaged
        where TCount : struct, IPhaseCount
    {
        int c = TCount.Value;
        TVec zero = TOps.Zero;
        TVec s = zero;
        TVec ss = zero;
        d0 = zero;
        d1 = zero;
        d2 = zero;
        d3 = zero;
        d4 = zero;
        d5 = zero;
        d6 = zero;
        d7 = zero;
        ref float p = ref pixel;
        ref float re = ref group;
        for (int e = energies - 1; e > 0; e--)
        {
            p = ref Unsafe.AddByteOffset(ref p, planeBytes);
            re = ref Unsafe.Add(ref re, PreparedReferences.GroupSize);
            if (Sse.IsSupported)
            {
                // A prefetch never faults, so running past the end of the stack is harmless.
                unsafe
                {
                    Sse.Prefetch0((byte*)Unsafe.AsPointer(ref p) + PrefetchBytes);
                }
            }

            TVec y = TOps.Subtract(TOps.Load(ref p, 0), x0);
            s = TOps.Add(s, y);
            ss = TOps.FusedMultiplyAdd(y, y, ss);
            d0 = TOps.FusedMultiplyAdd(y, TOps.Create(re), d0);
            if (c > 1)
            {
                d1 = TOps.FusedMultiplyAdd(y, TOps.Create(Unsafe.Add(ref re, 1)), d1);
            }

            if (c > 2)
            {
                d2 = TOps.FusedMultiplyAdd(y, TOps.Create(Unsafe.Add(ref re, 2)), d2);
            }

            if (c > 3)
            {
                d3 = TOps.FusedMultiplyAdd(y, TOps.Create(Unsafe.Add(ref re, 3)), d3);
            }

            if (c > 4)
            {
                d4 = TOps.FusedMultiplyAdd(y, TOps.Create(Unsafe.Add(ref re, 4)), d4);
            }

            if (c > 5)
            {
                d5 = TOps.FusedMultiplyAdd(y, TOps.Create(Unsafe.Add(ref re, 5)), d5);
            }

            if (c > 6)
            {
                d6 = TOps.FusedMultiplyAdd(y, TOps.Create(Unsafe.Add(ref re, 6)), d6);
            }

            if (c > 7)
            {
                d7 = TOps.FusedMultiplyAdd(y, TOps.Create(Unsafe.Add(ref re, 7)), d7);
            }
        }

        sum = s;
        sumSquares = ss;
    }

    /// <summary>
    /// Takes reference j's dot product into the result of one vector: stores ρ_j = clamp(D_j · scale, −1, 1) (0 where
    /// not valid) at <paramref name="correlation"/> and updates the running best (q1, l1) and second best (q2, l2);
    /// on ties the earlier reference keeps its rank.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Rank<TOps, TVec>(TVec dot, TVec scale, TVec index, TVec valid, ref float correlation,
        ref TVec q1, ref TVec l1, ref TVec q2, ref TVec l2)
        where TOps : struct, ISimdOps<TVec>
        where TVec : unmanaged
    {
        TVec rho = TOps.Min(TOps.Max(TOps.Multiply(dot, scale), TOps.Create(-1f)), TOps.Create(1f));
        TOps.Store(TOps.And(rho, valid), ref correlation, 0);
        TVec gt1 = TOps.CompareGreaterThan(rho, q1);
        TVec gt2 = TOps.CompareGreaterThan(rho, q2);
        q2 = TOps.Select(gt1, q1, TOps.Select(gt2, rho, q2));
        l2 = TOps.Select(gt1, l1, TOps.Select(gt2, index, l2));
        q1 = TOps.Select(gt1, rho, q1);
        l1 = TOps.Select(gt1, index, l1);
    }

    /// <summary>
    /// Computes and writes <paramref name="count"/> pixels (a multiple of W), W at a time: pixel k's source lanes at
    /// <c>offset + k + e · stride</c>, its mask value at <c>mask[offset + k]</c> (or none), its outputs at
    /// <c>outIndex + k</c>. One loop in one method, so the output and reference addresses stay in registers; for up
    /// to eight references the dot products stay in registers too and the ranking is unrolled (JIT-time constant
    /// count), while more references go through <paramref name="dots"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Vectors<TOps, TVec, TCount>(ReadOnlySpan<float> source, int offset, int stride, int count,
        PreparedReferences references, Span<TVec> dots, ReadOnlySpan<bool> mask, float ambiguityThreshold, OutputSpans output,
        int outIndex)
        where TOps : struct, ISimdOps<TVec>
        where TVec : unmanaged
        where TCount : struct, IPhaseCount
    {
        int w = TOps.Count;
        int c = TCount.Value;
        int energies = references.EnergyCount;
        int phases = c == 0 ? references.PhaseCount : c;
        ref float x = ref MemoryMarshal.GetReference(source);
        ref float refs = ref MemoryMarshal.GetArrayDataReference(references.Grouped);
        nuint planeBytes = (nuint)stride * sizeof(float);
        ref float corr = ref MemoryMarshal.GetReference(output.Correlations);
        nuint corrStride = (nuint)output.CorrelationStride;
        ref float bestOut = ref MemoryMarshal.GetReference(output.Best);
        ref float secondOut = ref MemoryMarshal.GetReference(output.Second);
        ref float reliabilityOut = ref MemoryMarshal.GetReference(output.Reliability);
        ref int labelsOut = ref MemoryMarshal.GetReference(output.Labels);
        ref int secondLabelsOut = ref MemoryMarshal.GetReference(output.SecondLabels);
        ref byte ambiguousOut = ref MemoryMarshal.GetReference(output.Ambiguous);
        ref byte statusOut = ref MemoryMarshal.GetReference(output.Status);
        TVec inverseEnergies = TOps.Create(1f / energies);
        TVec energyCount = TOps.Create(energies);
        TVec threshold = TOps.Create(ambiguityThreshold);
        ulong lanes = (1UL << w) - 1;
        for (int k = 0; k < count; k += w)
        {
            nuint start = (nuint)(offset + k);
            nuint o = (nuint)(outIndex + k);
            ulong maskedBits = MaskedBits(mask, offset + k, w);
            ref float pixel = ref Unsafe.Add(ref x, start);
            TVec x0 = TOps.Load(ref pixel, 0);
            TVec s;
            TVec ss;
            TVec d0;
            TVec d1;
            TVec d2;
            TVec d3;
            TVec d4;
            TVec d5;
            TVec d6;
            TVec d7;
            if (c != 0)
            {
                // Up to one register group of references: a single pass over the energies.
                Accumulate<TOps, TVec, TCount>(ref pixel, planeBytes, energies, x0, ref refs,
                    out s, out ss, out d0, out d1, out d2, out d3, out d4, out d5, out d6, out d7);
            }
            else
            {
                // More references: full groups of eight, each streaming the energies again (from L1).
                int groups = references.GroupCount;
                Accumulate<TOps, TVec, PhaseCount8>(ref pixel, planeBytes, energies, x0, ref refs,
                    out s, out ss, out d0, out d1, out d2, out d3, out d4, out d5, out d6, out d7);
                for (int g = 0; g < groups; g++)
                {
                    if (g > 0)
                    {
                        ref float rg = ref Unsafe.Add(ref refs, g * energies * PreparedReferences.GroupSize);
                        Accumulate<TOps, TVec, PhaseCount8>(ref pixel, planeBytes, energies, x0, ref rg,
                            out _, out _, out d0, out d1, out d2, out d3, out d4, out d5, out d6, out d7);
                    }

                    Span<TVec> group = dots.Slice(g * PreparedReferences.GroupSize, PreparedReferences.GroupSize);
                    group[0] = d0;
                    group[1] = d1;
                    group[2] = d2;
                    group[3] = d3;
                    group[4] = d4;
                    group[5] = d5;
                    group[6] = d6;
                    group[7] = d7;
                }
            }

            // var = SS − S²/E (clamped at 0); Σx² = SS + x₀(2S + E x₀) for the constant-spectrum floor.
            TVec zero = TOps.Zero;
            TVec one = TOps.Create(1f);
            TVec minusOne = TOps.Create(-1f);
            TVec s2 = TOps.Multiply(s, s);
            TVec variance = TOps.Max(TOps.Subtract(ss, TOps.Multiply(s2, inverseEnergies)), zero);
            TVec sumSquares = TOps.FusedMultiplyAdd(x0, TOps.FusedMultiplyAdd(energyCount, x0, TOps.Add(s, s)), ss);

            // NaN or ±∞ in the spectrum makes SS NaN or +∞; finite data whose float32 sums overflow makes one of SS, S²
            // or Σx² +∞. Both are "special" lanes, sorted out after the stores (rare: never for physical data).
            TVec probe = TOps.Add(TOps.Add(ss, s2), sumSquares);
            TVec ordinary = TOps.CompareEqual(TOps.Subtract(probe, probe), zero);
            TVec constant = TOps.CompareLessThanOrEqual(variance,
                TOps.Multiply(TOps.Create((float)PearsonMath.ConstantTolerance), TOps.Max(one, sumSquares)));
            TVec valid = TOps.AndNot(ordinary, constant);
            if (maskedBits != 0)
            {
                valid = TOps.AndNot(valid, TOps.MaskFromBits(maskedBits));
            }

            TVec scale = TOps.Divide(one, TOps.Sqrt(variance));

            ref float corrOut = ref Unsafe.Add(ref corr, o);
            TVec q1 = TOps.Min(TOps.Max(TOps.Multiply(c != 0 ? d0 : dots[0], scale), minusOne), one);
            TOps.Store(TOps.And(q1, valid), ref corrOut, 0);
            TVec l1 = zero;
            TVec q2 = TOps.Create(float.NegativeInfinity);
            TVec l2 = minusOne;
            if (c != 0)
            {
                // Unrolled: the reference indices are constants and the addresses one add apart.
                if (c > 1)
                {
                    Rank<TOps, TVec>(d1, scale, TOps.Create(1f), valid, ref Unsafe.Add(ref corrOut, corrStride), ref q1, ref l1, ref q2, ref l2);
                }

                if (c > 2)
                {
                    Rank<TOps, TVec>(d2, scale, TOps.Create(2f), valid, ref Unsafe.Add(ref corrOut, 2 * corrStride), ref q1, ref l1, ref q2, ref l2);
                }

                if (c > 3)
                {
                    Rank<TOps, TVec>(d3, scale, TOps.Create(3f), valid, ref Unsafe.Add(ref corrOut, 3 * corrStride), ref q1, ref l1, ref q2, ref l2);
                }

                if (c > 4)
                {
                    Rank<TOps, TVec>(d4, scale, TOps.Create(4f), valid, ref Unsafe.Add(ref corrOut, 4 * corrStride), ref q1, ref l1, ref q2, ref l2);
                }

                if (c > 5)
                {
                    Rank<TOps, TVec>(d5, scale, TOps.Create(5f), valid, ref Unsafe.Add(ref corrOut, 5 * corrStride), ref q1, ref l1, ref q2, ref l2);
                }

                if (c > 6)
                {
                    Rank<TOps, TVec>(d6, scale, TOps.Create(6f), valid, ref Unsafe.Add(ref corrOut, 6 * corrStride), ref q1, ref l1, ref q2, ref l2);
                }

                if (c > 7)
                {
                    Rank<TOps, TVec>(d7, scale, TOps.Create(7f), valid, ref Unsafe.Add(ref corrOut, 7 * corrStride), ref q1, ref l1, ref q2, ref l2);
                }
            }
            else
            {
                for (int j = 1; j < phases; j++)
                {
                    Rank<TOps, TVec>(dots[j], scale, TOps.Create(j), valid, ref Unsafe.Add(ref corrOut, (nuint)j * corrStride),
                        ref q1, ref l1, ref q2, ref l2);
                }
            }

            if (phases == 1)
            {
                q2 = minusOne;
            }

            TVec diff = TOps.Subtract(q1, q2);
            TVec ambiguous = TOps.And(TOps.CompareLessThan(diff, threshold), valid);
            TOps.Store(TOps.And(q1, valid), ref bestOut, o);
            TOps.Store(TOps.And(q2, valid), ref secondOut, o);
            TOps.Store(TOps.And(TOps.Multiply(TOps.Create(100f), diff), valid), ref reliabilityOut, o);
            TOps.StoreInt32(TOps.Select(valid, l1, minusOne), ref labelsOut, o);
            TOps.StoreInt32(TOps.Select(valid, l2, minusOne), ref secondLabelsOut, o);

            ulong invalidBits = ~TOps.ExtractMask(valid) & ~maskedBits & lanes;
            WriteFlags(ref Unsafe.Add(ref ambiguousOut, o), TOps.ExtractMask(ambiguous), 0, w);
            WriteFlags(ref Unsafe.Add(ref statusOut, o), maskedBits, invalidBits, w);

            ulong specialBits = ~TOps.ExtractMask(ordinary) & ~maskedBits & lanes;
            if (specialBits != 0)
            {
                Special<TOps, TVec>(source, (int)start, stride, references, ambiguityThreshold, output, (int)o, specialBits);
            }
        }
    }

    /// <summary>
    /// Handles the special lanes of one vector, already written as invalid: lanes whose spectrum holds NaN or ±∞
    /// stay invalid; lanes whose finite values overflowed the float32 sums are recomputed in float64.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Special<TOps, TVec>(ReadOnlySpan<float> source, int offset, int stride, PreparedReferences references,
        float ambiguityThreshold, OutputSpans output, int outIndex, ulong specialBits)
        where TOps : struct, ISimdOps<TVec>
        where TVec : unmanaged
    {
        // F = Σ x_e · 0 is 0 iff every x_e is finite.
        ref float x = ref MemoryMarshal.GetReference(source);
        TVec zero = TOps.Zero;
        TVec finite = zero;
        nuint p = (nuint)offset;
        for (int e = 0; e < references.EnergyCount; e++)
        {
            finite = TOps.FusedMultiplyAdd(TOps.Load(ref x, p), zero, finite);
            p += (nuint)stride;
        }

        ulong overflowBits = specialBits & TOps.ExtractMask(TOps.CompareEqual(finite, zero));
        if (overflowBits != 0)
        {
            RecomputeInDouble(source, offset, stride, references, ambiguityThreshold, output, outIndex, overflowBits);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void RecomputeInDouble(ReadOnlySpan<float> source, int offset, int stride, PreparedReferences references,
        float ambiguityThreshold, OutputSpans output, int outIndex, ulong lanes)
    {
        double[] x = new double[references.EnergyCount];
        float[] rho = new float[references.PhaseCount];
        while (lanes != 0)
        {
            int k = BitOperations.TrailingZeroCount(lanes);
            lanes &= lanes - 1;
            ScalarPearson.Pixel(source, offset + k, stride, references, x, rho, output, outIndex + k, ambiguityThreshold);
        }
    }

    /// <summary>
    /// Writes <paramref name="count"/> bytes (4 or a multiple of 8) at <paramref name="destination"/>: byte k = bit k of
    /// <paramref name="ones"/> + 2 · bit k of <paramref name="twos"/> (0/1 for bools; Valid/Masked/Invalid for
    /// <see cref="Spectra.PixelStatus"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void WriteFlags(ref byte destination, ulong ones, ulong twos, int count)
    {
        // count is the vector width (4, 8 or 16), a JIT-time constant: no loop for 4 and 8.
        if (count <= 8)
        {
            ulong v = SpreadBits(ones) + (SpreadBits(twos) << 1);
            if (count == 8)
            {
                Unsafe.WriteUnaligned(ref destination, v);
            }
            else
            {
                Unsafe.WriteUnaligned(ref destination, (uint)v);
            }

            return;
        }

        for (int c = 0; c < count; c += 8)
        {
            Unsafe.WriteUnaligned(ref Unsafe.Add(ref destination, c), SpreadBits((ones >> c) & 0xFF) + (SpreadBits((twos >> c) & 0xFF) << 1));
        }
    }

    /// <summary>Moves bit k of an 8-bit value to bit 0 of byte k (no table, no BMI2: PDEP is microcoded on AMD Zen 1/2).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong SpreadBits(ulong bits)
    {
        ulong v = (bits | (bits << 28)) & 0x0000_000F_0000_000FUL;
        v = (v | (v << 14)) & 0x0003_0003_0003_0003UL;
        return (v | (v << 7)) & 0x0101_0101_0101_0101UL;
    }

    /// <summary>Returns bit k set iff pixel index + k is excluded by the mask (mask value <see langword="false"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong MaskedBits(ReadOnlySpan<bool> mask, int index, int count)
    {
        if (mask.IsEmpty)
        {
            return 0;
        }

        // bool is one byte holding 0 or 1; (u · 0x0102040810204080) >> 56 gathers bit 0 of each of the 8 bytes of u.
        ref byte m = ref Unsafe.Add(ref Unsafe.As<bool, byte>(ref MemoryMarshal.GetReference(mask)), index);
        ulong included = 0;
        if (count <= 8)
        {
            // count is the vector width, a JIT-time constant: no loop for 4 and 8.
            ulong u = count == 8 ? Unsafe.ReadUnaligned<ulong>(ref m) : Unsafe.ReadUnaligned<uint>(ref m);
            included = (u * BytesToBitsMagic) >> 56;
        }
        else
        {
            for (int c = 0; c < count; c += 8)
            {
                included |= ((Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref m, c)) * BytesToBitsMagic) >> 56) << c;
            }
        }

        return ~included & ((1UL << count) - 1);
    }
}
