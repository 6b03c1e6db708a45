using System.Globalization;
using StxmPhase.Spectra;

namespace StxmPhase.Correlation;

/// <summary>Per-block offsets (<see cref="NoiseModelOptions.OffsetBlocks"/>): the weighted sums are centred block by block.</summary>
public sealed partial class NoiseModelClassifier
{
    /// <summary>The exclusive end index of every offset block (one block, [E], by default).</summary>
    private static int[] BlockEnds(IReadOnlyList<int>? sizes, int energies)
    {
        if (sizes is null)
        {
            return [energies];
        }

        int[] ends = new int[sizes.Count];
        int end = 0;
        for (int b = 0; b < sizes.Count; b++)
        {
            if (sizes[b] < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(sizes), sizes[b], string.Create(CultureInfo.InvariantCulture,
                    $"NoiseModelOptions.OffsetBlocks[{b}] must be at least 1; got {sizes[b]}."));
            }

            end += sizes[b];
            ends[b] = end;
        }

        if (end != energies)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"NoiseModelOptions.OffsetBlocks add up to {end} energies but the stack has {energies}."), nameof(sizes));
        }

        return ends;
    }

    /// <summary>The number of offset blocks with at least one energy of positive weight (each costs one degree of freedom).</summary>
    private static int WeightedBlocks(int[] blockEnds, double[] userWeight)
    {
        int count = 0, start = 0;
        foreach (int end in blockEnds)
        {
            count += userWeight.AsSpan(start, end - start).ContainsAnyExcept(0.0) ? 1 : 0;
            start = end;
        }

        return count;
    }

    /// <summary>
    /// The blocks whose sums are centred (each one offset) under <see cref="NoiseModelOptions.BlockOffset"/>: with several
    /// blocks, <see cref="BlockOffsetModel.Shared"/> folds them into one, and so does <see cref="BlockOffsetModel.FieldBaseline"/>
    /// when a sample-free field of at least 16 pixels measures the baseline.
    /// </summary>
    private int[] OffsetEnds(int[] blockEnds, PixelMask? sampleFree) =>
        blockEnds.Length < 2 ? blockEnds : Options.BlockOffset switch
        {
            BlockOffsetModel.Shared => [blockEnds[^1]],
            BlockOffsetModel.FieldBaseline when sampleFree is { Count: >= 16 } => [blockEnds[^1]],
            _ => blockEnds,
        };

    /// <summary>
    /// The offset layout; under <see cref="BlockOffsetModel.FieldBaseline"/> (several edge blocks folded into one offset) with
    /// the per-energy baseline: the sample-free median OD <paramref name="background"/> when the noise was measured there,
    /// otherwise (<see cref="NoiseModelOptions.IncidentCounts"/> given) measured now.
    /// </summary>
    private OffsetLayout Layout(int[] blockEnds, int[] foldEnds, SpectralStack od, PixelMask? sampleFree, double[] background)
    {
        bool baseline = Options.BlockOffset == BlockOffsetModel.FieldBaseline && blockEnds.Length > 1 && foldEnds.Length == 1;
        double[]? c = !baseline ? null : Options.IncidentCounts is null ? background : EstimateNoise(od, sampleFree).Background;
        return new OffsetLayout(blockEnds, foldEnds, c);
    }

    /// <summary>
    /// After the last energy of an edge block: a pixel missing some but not all of the block's <paramref name="planes"/>
    /// weighted planes is not analysed (<paramref name="finite"/> cleared: corrupt data); one missing all of them (an edge that
    /// did not cover it, see EdgeFusion) keeps its other blocks, this one adding nothing. Returns the plane count and the
    /// index of the edge block that energy e + 1 belongs to.
    /// </summary>
    private static (int Planes, int Block) EndPartialBlock(int e, int[] blockEnds, int block, int[] missing, int planes, Span<bool> finite)
    {
        if (e + 1 != blockEnds[block])
        {
            return (planes, block);
        }

        for (int i = 0; i < finite.Length; i++)
        {
            finite[i] &= missing[i] == 0 || missing[i] == planes;
            missing[i] = 0;
        }

        return (0, block + 1);
    }

    /// <summary>
    /// After the last energy of a block: adds the block's centred sums (S_xx − S_x²/S_w, S_rr − S_r²/S_w, S_xr − S_x S_r/S_w)
    /// to the totals and clears the block sums. Returns the index of the block that energy e + 1 belongs to.
    /// </summary>
    private static int FoldIfBlockEnds(CentredSums c, int e, int[] blockEnds, int block, int count,
        double[] sw, double[] sx, double[] sxx, double[] sr, double[] srr, double[] sxr)
    {
        if (e + 1 != blockEnds[block])
        {
            return block;
        }

        int size = sw.Length, phases = sr.Length / size;
        for (int i = 0; i < count; i++)
        {
            double s = sw[i];
            if (!(s > 0))
            {
                continue;
            }

            double mx = sx[i];
            c.Weight[i] += s;
            c.Xx[i] += sxx[i] - (mx * mx / s);
            for (int k = 0; k < phases; k++)
            {
                int j = (k * size) + i;
                c.Rr[j] += srr[j] - (sr[j] * sr[j] / s);
                c.Xr[j] += sxr[j] - (mx * sr[j] / s);
            }
        }

        Array.Clear(sw);
        Array.Clear(sx);
        Array.Clear(sxx);
        Array.Clear(sr);
        Array.Clear(srr);
        Array.Clear(sxr);
        return block + 1;
    }

    /// <summary>The edge blocks (missing data are judged per edge), the blocks that each get one offset, and the per-energy
    /// field baseline subtracted first (<see langword="null"/> = none).</summary>
    private readonly record struct OffsetLayout(int[] BlockEnds, int[] FoldEnds, double[]? Baseline);

    /// <summary>The centred sums of a band of pixels, accumulated over blocks.</summary>
    private sealed class CentredSums(int phases, int size)
    {
        public double[] Weight { get; } = new double[size];

        public double[] Xx { get; } = new double[size];

        public double[] Rr { get; } = new double[phases * size];

        public double[] Xr { get; } = new double[phases * size];

        public void Clear()
        {
            Array.Clear(Weight);
            Array.Clear(Xx);
            Array.Clear(Rr);
            Array.Clear(Xr);
        }
    }
}
