using System.Numerics.Tensors;
using StxmPhase.Spectra;

namespace StxmPhase.Correlation;

/// <summary>The background components of the noise model (issue 16): a·r_k + b + c·(E − E0) + Σ d_j·g_j per pixel and phase.</summary>
public sealed partial class NoiseModelClassifier
{
    /// <summary>
    /// Gets the background components added to every phase's model, or <see langword="null"/> (default) for none (a·r_k + b).
    /// With a background, χ²_k is the weighted least-squares misfit of x = a·r_k + b + c·(E − E<sub>0</sub>) + Σ d_j·g_j
    /// with a ≥ 0 and d_j ≥ 0 (b, c free), solved exactly per pixel (every active set of the non-negative coefficients), and
    /// the degrees of freedom drop by <see cref="SpectralBackground.ComponentCount"/>. Its spectra must cover the stack energies
    /// (apply an energy offset with <see cref="SpectralBackground.OnAxis(EnergyAxis, double)"/> first).
    /// With several <see cref="NoiseModelOptions.OffsetBlocks"/> (a fused multi-edge stack) every block has its own offset
    /// b<sub>i</sub> and, when linear, its own slope c<sub>i</sub>·(E − Ē<sub>i</sub>) over its energies (each edge sits on its
    /// own pre-edge tail), while each spectrum g<sub>j</sub> is given on the whole fused axis with one amount d<sub>j</sub> for
    /// all blocks (one layer, one thickness; <see cref="SpectralBackground.OnAxis(EnergyAxis, SpectralBlocks, IReadOnlyList{double})"/>
    /// reads it per edge); ν = E − 1 − B − B<sub>lin</sub> − J (B blocks with weight, B<sub>lin</sub> of them with a linear term,
    /// i.e. with at least 2 weighted energies; J spectra). User block weights temper each block's χ² term as without a
    /// background. A block missing at a pixel (NaN at every energy) drops its offset and slope from that pixel's fit.
    /// </summary>
    public SpectralBackground? Background { get; init; }

    /// <summary>
    /// χ²_k with the background components: per band of pixels, the weighted normal equations of the design [1_b, lin_b (per
    /// offset block b), g…, r_k] (one block: [1, lin, g…, r_k]). A block missing at a pixel (NaN at every energy, an edge that
    /// did not cover it) has zero weight there and its two columns are left out; a block only partly NaN leaves the pixel not
    /// analysed, as in the phase-only block path.
    /// </summary>
    private void BackgroundChiSquares(
        SpectralStack od, ReferenceSpectra refs, PixelMask? mask, double[] background, double[] variance, double share,
        double[] userWeight, int[] blockEnds, float[] chi, bool[] analysed, CancellationToken ct)
    {
        int n = od.PixelCount, energies = od.EnergyCount, phases = refs.PhaseCount, width = od.Width, blocks = blockEnds.Length;
        SpectralBackground model = Background!;

        // Nuisance columns on the energy axis: per block its constant (and linear term), then the spectra; the free ones first.
        double[] column = model.BlockColumns(od.Energies, blockEnds, out int free);
        int q = free + model.SpectrumCount, perBlock = model.IsLinear ? 2 : 1;
        bool[] linearFits = LinearBlocks(blockEnds, userWeight);
        int[] pairIndex = new int[q * q];
        for (int a = 0, pair = 0; a < q; a++)
        {
            for (int c = a; c < q; c++, pair++)
            {
                pairIndex[(a * q) + c] = pairIndex[(c * q) + a] = pair;
            }
        }

        // Bands of pixels are independent (each writes only its own pixels): parallel, with one set of buffers per worker.
        var design = new BackgroundDesign(column, q, free, perBlock, blocks, linearFits, pairIndex);
        int bands = (n + BlockSize - 1) / BlockSize;
        Parallel.For(0, bands, new ParallelOptions { CancellationToken = ct }, () => new BackgroundBuffers(q, phases),
            (band, _, buffers) =>
            {
                BackgroundBand(od, refs, mask, background, variance, share, userWeight, blockEnds, design, buffers, band * BlockSize, chi,
                    analysed);
                return buffers;
            },
            _ => { });
    }

    /// <summary>One band of pixels [start, start + BlockSize) of <see cref="BackgroundChiSquares"/>.</summary>
    private static void BackgroundBand(
        SpectralStack od, ReferenceSpectra refs, PixelMask? mask, double[] background, double[] variance, double share,
        double[] userWeight, int[] blockEnds, BackgroundDesign design, BackgroundBuffers buffers, int start, float[] chi, bool[] analysed)
    {
        int n = od.PixelCount, energies = od.EnergyCount, phases = refs.PhaseCount, width = od.Width, blocks = design.Blocks;
        int q = design.Q, free = design.Free, perBlock = design.PerBlock;
        double[] column = design.Column;
        int[] pairIndex = design.PairIndex;
        bool[] linearFits = design.LinearFits;
        ReadOnlySpan<float> data = od.Data.Span;
        (double[] gram, double[] hx, double[] sxx, double[] hr, double[] srr, double[] sxr) =
            (buffers.Gram, buffers.Hx, buffers.Sxx, buffers.Hr, buffers.Srr, buffers.Sxr);
        (double[] wt, double[] wx, double[] xd, float[] smooth, int[] missing, bool[] finite) =
            (buffers.Wt, buffers.Wx, buffers.Xd, buffers.Smooth, buffers.Missing, buffers.Finite);
        (int[] active, double[] normal, double[] rhs) = (buffers.Active, buffers.Normal, buffers.Rhs);
        int b = Math.Min(BlockSize, n - start);
        if (mask is not null && !mask.AsSpan().Slice(start, b).Contains(true))
        {
            return; // analysed stays false, as for the unmasked pixels of other bands
        }

        Span<double> w = wt.AsSpan(0, b), wxs = wx.AsSpan(0, b), x = xd.AsSpan(0, b);
        Array.Clear(gram);
        Array.Clear(hx);
        Array.Clear(sxx);
        Array.Clear(hr);
        Array.Clear(srr);
        Array.Clear(sxr);
        missing.AsSpan(0, b).Clear();
        finite.AsSpan(0, b).Fill(true);
        int block = 0, planes = 0;
        for (int e = 0; e < energies; e++)
        {
            if (userWeight[e] == 0)
            {
                (planes, block) = EndPartialBlock(e, blockEnds, block, missing, planes, finite.AsSpan(0, b));
                continue;
            }

            // The weights of ChiSquares.
            PlaneWeights(data, e, n, start, width, background[e], share, userWeight[e] / variance[e], missing.AsSpan(0, b),
                smooth.AsSpan(0, b), x, w);
            planes++;
            TensorPrimitives.Multiply(w, x, wxs);
            TensorPrimitives.MultiplyAdd(wxs, x, sxx.AsSpan(0, b), sxx.AsSpan(0, b));
            int pair = 0;
            for (int i = 0; i < q; i++)
            {
                double ni = column[(i * energies) + e];
                TensorPrimitives.MultiplyAdd(wxs, ni, hx.AsSpan(i * BlockSize, b), hx.AsSpan(i * BlockSize, b));
                for (int j = i; j < q; j++, pair++)
                {
                    Span<double> s = gram.AsSpan(pair * BlockSize, b);
                    TensorPrimitives.MultiplyAdd(w, ni * column[(j * energies) + e], s, s);
                }

                for (int k = 0; k < phases; k++)
                {
                    Span<double> s = hr.AsSpan(((k * q) + i) * BlockSize, b);
                    TensorPrimitives.MultiplyAdd(w, ni * refs.Values[(k * energies) + e], s, s);
                }
            }

            for (int k = 0; k < phases; k++)
            {
                double r = refs.Values[(k * energies) + e];
                TensorPrimitives.MultiplyAdd(w, r * r, srr.AsSpan(k * BlockSize, b), srr.AsSpan(k * BlockSize, b));
                TensorPrimitives.MultiplyAdd(wxs, r, sxr.AsSpan(k * BlockSize, b), sxr.AsSpan(k * BlockSize, b));
            }

            (planes, block) = EndPartialBlock(e, blockEnds, block, missing, planes, finite.AsSpan(0, b));
        }

        for (int i = 0; i < b; i++)
        {
            int p = start + i;

            // The columns this pixel has: the constant (and linear term) of every block with weight here, then the spectra.
            int count = 0;
            for (int c = 0; c < blocks; c++)
            {
                int constant = c * perBlock;
                if (gram[(pairIndex[(constant * q) + constant] * BlockSize) + i] > 0)
                {
                    active[count++] = constant;
                    if (perBlock == 2 && linearFits[c])
                    {
                        active[count++] = constant + 1;
                    }
                }
            }

            int activeFree = count;
            bool ok = finite[i] && (mask is null || mask[p]) && activeFree > 0;
            analysed[p] = ok;
            if (!ok)
            {
                continue;
            }

            for (int c = free; c < q; c++)
            {
                active[count++] = c;
            }

            // The normal matrix of [nuisance…, r_k]; the nuisance block and Σw n x are shared by the phases.
            int t = count + 1;
            for (int a = 0; a < count; a++)
            {
                rhs[a] = hx[(active[a] * BlockSize) + i];
                for (int c = a; c < count; c++)
                {
                    normal[(a * t) + c] = normal[(c * t) + a] = gram[(pairIndex[(active[a] * q) + active[c]] * BlockSize) + i];
                }
            }

            for (int k = 0; k < phases; k++)
            {
                for (int a = 0; a < count; a++)
                {
                    normal[(a * t) + count] = normal[(count * t) + a] = hr[(((k * q) + active[a]) * BlockSize) + i];
                }

                normal[(count * t) + count] = srr[(k * BlockSize) + i];
                rhs[count] = sxr[(k * BlockSize) + i];
                double explained = BestExplained(normal, rhs, t, activeFree);
                chi[(k * n) + p] = (float)Math.Max(0, sxx[i] - explained);
            }
        }
    }

    /// <summary>The design shared by the bands: the nuisance columns, their layout and the pair index of the Gram sums.</summary>
    private sealed record BackgroundDesign(double[] Column, int Q, int Free, int PerBlock, int Blocks, bool[] LinearFits, int[] PairIndex);

    /// <summary>The per-worker sums and scratch of <see cref="BackgroundBand"/>.</summary>
    private sealed class BackgroundBuffers(int q, int phases)
    {
        public double[] Gram { get; } = new double[q * (q + 1) / 2 * BlockSize]; // Σw n_i n_j (i ≤ j)

        public double[] Hx { get; } = new double[q * BlockSize];                   // Σw n_i x

        public double[] Sxx { get; } = new double[BlockSize];

        public double[] Hr { get; } = new double[phases * q * BlockSize];          // Σw n_i r_k

        public double[] Srr { get; } = new double[phases * BlockSize];

        public double[] Sxr { get; } = new double[phases * BlockSize];

        public double[] Wt { get; } = new double[BlockSize];

        public double[] Wx { get; } = new double[BlockSize];

        public double[] Xd { get; } = new double[BlockSize];

        public float[] Smooth { get; } = new float[BlockSize];

        public int[] Missing { get; } = new int[BlockSize];

        public bool[] Finite { get; } = new bool[BlockSize];

        public int[] Active { get; } = new int[q];

        public double[] Normal { get; } = new double[(q + 1) * (q + 1)];

        public double[] Rhs { get; } = new double[q + 1];
    }

    /// <summary>Whether each offset block can carry a linear term: at least 2 energies of positive weight (else it is the constant).</summary>
    private static bool[] LinearBlocks(int[] blockEnds, double[] userWeight)
    {
        bool[] fits = new bool[blockEnds.Length];
        for (int b = 0, start = 0; b < blockEnds.Length; start = blockEnds[b], b++)
        {
            int weighted = 0;
            for (int e = start; e < blockEnds[b]; e++)
            {
                weighted += userWeight[e] > 0 ? 1 : 0;
            }

            fits[b] = weighted >= 2;
        }

        return fits;
    }

    /// <summary>
    /// The fitted parameters beside a·r_k: one offset per block with weight, one linear term per such block with ≥ 2 weighted
    /// energies (when the background is linear), one amount per background spectrum (shared by all blocks).
    /// </summary>
    private static int NuisanceParameters(SpectralBackground? model, int[] blockEnds, double[] userWeight)
    {
        int offsets = WeightedBlocks(blockEnds, userWeight);
        return model is null ? offsets : offsets + (model.IsLinear ? LinearBlocks(blockEnds, userWeight).Count(f => f) : 0) + model.SpectrumCount;
    }

    /// <summary>
    /// The largest hᵀβ over the non-negative least-squares solutions of the normal equations (A β = h, A of size t): columns
    /// below <paramref name="firstConstrained"/> are free, the others (the background spectra and, last, the reference) must
    /// have β ≥ 0. Exact: every subset of the constrained columns is solved and the best feasible one kept (χ² = Sxx − hᵀβ).
    /// </summary>
    internal static double BestExplained(ReadOnlySpan<double> a, ReadOnlySpan<double> h, int t, int firstConstrained)
    {
        int constrained = t - firstConstrained;
        Span<int> cols = stackalloc int[t];
        Span<double> m = stackalloc double[t * t];
        Span<double> beta = stackalloc double[t];
        double best = 0;
        for (int subset = 0; subset < 1 << constrained; subset++)
        {
            int size = 0;
            for (int c = 0; c < firstConstrained; c++)
            {
                cols[size++] = c;
            }

            for (int c = 0; c < constrained; c++)
            {
                if ((subset & (1 << c)) != 0)
                {
                    cols[size++] = firstConstrained + c;
                }
            }

            if (!SolveSpd(a, h, t, cols[..size], m, beta))
            {
                continue;
            }

            bool feasible = true;
            double explained = 0;
            for (int c = 0; c < size; c++)
            {
                feasible &= cols[c] < firstConstrained || beta[c] >= 0;
                explained += beta[c] * h[cols[c]];
            }

            if (feasible && explained > best)
            {
                best = explained;
            }
        }

        return best;
    }

    /// <summary>Solves the sub-system of <paramref name="a"/> on <paramref name="cols"/> by Cholesky; false when not positive definite.</summary>
    private static bool SolveSpd(ReadOnlySpan<double> a, ReadOnlySpan<double> h, int t, ReadOnlySpan<int> cols, Span<double> l, Span<double> beta)
    {
        int s = cols.Length;
        for (int i = 0; i < s; i++)
        {
            for (int j = 0; j <= i; j++)
            {
                double sum = a[(cols[i] * t) + cols[j]];
                for (int k = 0; k < j; k++)
                {
                    sum -= l[(i * s) + k] * l[(j * s) + k];
                }

                if (i == j)
                {
                    double diagonal = a[(cols[i] * t) + cols[i]];
                    if (!(sum > 1e-12 * diagonal))
                    {
                        return false;
                    }

                    l[(i * s) + i] = Math.Sqrt(sum);
                }
                else
                {
                    l[(i * s) + j] = sum / l[(j * s) + j];
                }
            }
        }

        for (int i = 0; i < s; i++)
        {
            double sum = h[cols[i]];
            for (int k = 0; k < i; k++)
            {
                sum -= l[(i * s) + k] * beta[k];
            }

            beta[i] = sum / l[(i * s) + i];
        }

        for (int i = s - 1; i >= 0; i--)
        {
            double sum = beta[i];
            for (int k = i + 1; k < s; k++)
            {
                sum -= l[(k * s) + i] * beta[k];
            }

            beta[i] = sum / l[(i * s) + i];
        }

        return true;
    }
}
