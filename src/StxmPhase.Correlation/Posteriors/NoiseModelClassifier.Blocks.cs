using System.Globalization;
using StxmPhase.Spectra;

namespace StxmPhase.Correlation;

/// <summary>Per-block offsets (<see cref="NoiseModelOptions.OffsetBlocks"/>): the weighted sums are centred block by block.</summary>
public sealed partial class NoiseModelClassifier
{
    /// <summary>The fewest sample-free pixels that measure a noise level or a field baseline.</summary>
    private const int SampleFreeMinimum = 16;

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
    /// when a sample-free field of at least <see cref="SampleFreeMinimum"/> pixels measures the baseline.
    /// </summary>
    private int[] OffsetEnds(int[] blockEnds, bool sampleFreeField) =>
        blockEnds.Length < 2 ? blockEnds : Options.BlockOffset switch
        {
            BlockOffsetModel.Shared => [blockEnds[^1]],
            BlockOffsetModel.FieldBaseline when sampleFreeField => [blockEnds[^1]],
            _ => blockEnds,
        };

    /// <summary>
    /// The degrees of freedom ν of the goodness-of-fit χ² that <see cref="Classify"/> leaves a pixel of a stack with
    /// <paramref name="energyCount"/> energies under these <see cref="Options"/> and <see cref="Background"/>: the energies of
    /// positive weight (<see cref="NoiseModelOptions.EnergyWeights"/>, block weights of
    /// <see cref="NoiseModelOptions.WithBlocks"/>), minus one for the thickness a, minus the nuisance terms: one offset per
    /// <see cref="NoiseModelOptions.OffsetBlocks"/> block with weight (one in all under <see cref="BlockOffsetModel.Shared"/>, and
    /// under <see cref="BlockOffsetModel.FieldBaseline"/> with a sample-free field; one per block with background components),
    /// one slope per block of at least 2 weighted energies with a linear <see cref="Background"/>, one amount per background
    /// spectrum. <see cref="Classify"/> refuses a stack with ν &lt; 1 (so a configuration needs E − ν + 1 energies where this
    /// returns ν for E), and <see cref="PhasePosteriors.DegreesOfFreedom"/> is this ν. The one place the count is made: the
    /// workflow's fail-fast check of a stack's energies asks it too.
    /// </summary>
    /// <param name="energyCount">The stack's energy count (the offset blocks must add up to it, the energy weights and incident
    /// counts must have one value per energy).</param>
    /// <param name="sampleFreeField">Whether <see cref="Classify"/> gets a sample-free field of at least 16 pixels; only
    /// <see cref="BlockOffsetModel.FieldBaseline"/> with several blocks depends on it (without one it keeps one offset per
    /// block, so <see langword="false"/> is the conservative count).</param>
    /// <returns>ν; below 1 the stack has too few energies for this configuration.</returns>
    /// <exception cref="ArgumentException">The options do not fit <paramref name="energyCount"/> (block sizes, weights or
    /// incident counts of another length, or invalid values).</exception>
    public int DegreesOfFreedom(int energyCount, bool sampleFreeField = false) => Terms(energyCount, sampleFreeField).DegreesOfFreedom;

    /// <summary>
    /// What each edge block (<see cref="NoiseModelOptions.OffsetBlocks"/>) keeps after its own nuisance terms: its energies of
    /// positive weight, minus its offset, minus its slope when the <see cref="Background"/> is linear and the block has at least
    /// 2 weighted energies (the terms <see cref="DegreesOfFreedom"/> counts per block), whatever the
    /// <see cref="NoiseModelOptions.BlockOffset"/>: the block Pearson correlation centres every block on its own and the
    /// background projection removes a block's offset and slope from it, so a block with weight whose count is below 1 has
    /// nothing left to tell the phases apart with (its reference spectra are constant there). With one offset per block,
    /// <see cref="DegreesOfFreedom"/> is the sum of these counts minus 1 (the thickness) minus the background spectra.
    /// </summary>
    /// <param name="energyCount">The stack's energy count (as for <see cref="DegreesOfFreedom"/>).</param>
    /// <returns>One count per offset block (one value for a single-block stack); 0 for a block without weighted energies.</returns>
    /// <exception cref="ArgumentException">The options do not fit <paramref name="energyCount"/> (as for
    /// <see cref="DegreesOfFreedom"/>).</exception>
    public IReadOnlyList<int> BlockDegreesOfFreedom(int energyCount)
    {
        FitTerms terms = Terms(energyCount, sampleFreeField: false);
        int[] ends = terms.BlockEnds;
        bool[] linear = LinearBlocks(ends, terms.UserWeight);
        int[] left = new int[ends.Length];
        for (int b = 0, start = 0; b < ends.Length; start = ends[b], b++)
        {
            int weighted = 0;
            for (int e = start; e < ends[b]; e++)
            {
                weighted += terms.UserWeight[e] > 0 ? 1 : 0;
            }

            left[b] = weighted == 0 ? 0 : weighted - 1 - (terms.Model is { IsLinear: true } && linear[b] ? 1 : 0);
        }

        return left;
    }

    /// <summary>The per-energy weights, the offset blocks and the counts behind <see cref="DegreesOfFreedom"/>.</summary>
    private FitTerms Terms(int energies, bool sampleFreeField)
    {
        Options.Validate(energies, nameof(Options));
        double[] userWeight = new double[energies];
        int weighted = 0;
        for (int e = 0; e < energies; e++)
        {
            userWeight[e] = Options.EnergyWeight(e);
            weighted += userWeight[e] > 0 ? 1 : 0;
        }

        int[] blockEnds = BlockEnds(Options.OffsetBlocks, energies);
        SpectralBackground? model = Background is { ComponentCount: > 0 } ? Background : null;
        int[] foldEnds = model is null ? OffsetEnds(blockEnds, sampleFreeField) : blockEnds; // background fits keep one offset per block
        int nuisance = NuisanceParameters(model, foldEnds, userWeight);
        return new FitTerms(userWeight, blockEnds, foldEnds, model, weighted, nuisance - WeightedBlocks(foldEnds, userWeight),
            weighted - 1 - nuisance);
    }

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

    /// <summary>What <see cref="Terms"/> counted: <paramref name="Extra"/> background terms beside the offsets.</summary>
    private readonly record struct FitTerms(
        double[] UserWeight, int[] BlockEnds, int[] FoldEnds, SpectralBackground? Model, int Weighted, int Extra, int DegreesOfFreedom);

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
