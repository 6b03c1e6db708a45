using System.Globalization;
using StxmPhase.Spectra;

namespace StxmPhase.Correlation;

/// <summary>
/// Pearson correlation over a concatenated multi-edge stack (<see cref="SpectralBlocks"/>): each block is correlated on its
/// own (its own mean and norm, so an edge's offset and scale do not leak into another's) and the coefficients are combined
/// with the block weights, r = Σ<sub>b</sub> w<sub>b</sub>·r<sub>b</sub> (Σ w<sub>b</sub> = 1, so r stays in [−1, 1]). A block
/// that is NaN at every energy of a pixel (an edge that did not cover it) is missing: that pixel's r combines the other
/// blocks with their weights renormalised to sum to 1. A block of weight 0 is not correlated (it neither adds to r nor makes a
/// pixel invalid). With a <see cref="Background"/>, its components are projected out of the pixel and reference spectra
/// first, and a pixel missing a block is compared with the references projected on the blocks it has (as its own spectrum
/// is), not on every block.
/// Labels, Q1, Q2, reliability and ambiguity are then derived from r as in <see cref="PearsonPhaseCorrelator"/>.
/// </summary>
/// <example>
/// <code>
/// CorrelationResult r = new BlockPearsonCorrelator(fused.Blocks).Correlate(fused.Stack, references, mask);
/// </code>
/// </example>
public sealed class BlockPearsonCorrelator : IPhaseCorrelator
{
    private readonly PearsonPhaseCorrelator _inner;

    /// <summary>Initializes the correlator.</summary>
    /// <param name="blocks">The blocks of the stacks it will see.</param>
    /// <param name="options">Ambiguity threshold and parallelism; <see langword="null"/> for <see cref="PearsonOptions.Default"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="blocks"/> is <see langword="null"/>.</exception>
    public BlockPearsonCorrelator(SpectralBlocks blocks, PearsonOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(blocks);
        Blocks = blocks;
        Options = options ?? PearsonOptions.Default;
        _inner = new PearsonPhaseCorrelator(Options);
    }

    /// <summary>Gets the blocks.</summary>
    public SpectralBlocks Blocks { get; }

    /// <summary>Gets the options.</summary>
    public PearsonOptions Options { get; }

    /// <summary>
    /// Gets background components (e.g. a carbon layer's spectrum, per-edge linear terms) projected out of every pixel and
    /// reference spectrum before correlating (<see cref="SpectralBackground.ProjectOut(SpectralStack, SpectralBlocks)"/>), or
    /// <see langword="null"/> (default) for none. A pixel missing an edge block is projected on the blocks it has, and so are
    /// the references it is correlated with.
    /// </summary>
    public SpectralBackground? Background { get; init; }

    /// <summary>Correlates every block and combines the coefficients with the block weights.</summary>
    /// <param name="opticalDensity">The fused stack (<see cref="SpectralBlocks.EnergyCount"/> energies).</param>
    /// <param name="references">References on the fused stack's energies.</param>
    /// <param name="mask">Optional mask; excluded pixels get <see cref="PixelStatus.Masked"/>.</param>
    /// <param name="cancellationToken">Cancels between and within blocks.</param>
    /// <returns>The combined result. A pixel is invalid when it is invalid in any block of positive weight it has (a block
    /// missing at that pixel does not count) or when every such block is missing.</returns>
    /// <exception cref="ArgumentNullException">A required argument is <see langword="null"/>.</exception>
    /// <exception cref="IncompatibleEnergiesException">The stack or the references do not have the blocks' energy count, or
    /// the reference energies differ from the stack's.</exception>
    /// <exception cref="ArgumentException">A reference is constant within a block of positive weight (the message names the
    /// phase; a block of 1 energy, or of 2 after a linear background is projected out, always is), or the mask size differs
    /// from the stack.</exception>
    public CorrelationResult Correlate(SpectralStack opticalDensity, ReferenceSpectra references, PixelMask? mask = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(opticalDensity);
        ArgumentNullException.ThrowIfNull(references);
        Blocks.EnsureMatches(opticalDensity.EnergyCount, "the stack");
        Blocks.EnsureMatches(references.Energies.Count, "the references");
        int n = opticalDensity.PixelCount, k = references.PhaseCount;
        SpectralBackground? background = Background is { ComponentCount: > 0 } bg ? bg : null;
        SpectralStack data = background?.ProjectOut(opticalDensity, Blocks) ?? opticalDensity;
        ReferenceSpectra refs = background?.ProjectOut(references, Blocks) ?? references;
        int[] pattern = MissingPatterns(data);
        float[] combined = new float[k * n];
        float[] weightSum = new float[n];
        var status = new PixelStatus[n];
        bool[] covered = new bool[n], partial = new bool[n];
        for (int b = 0; b < Blocks.Count; b++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!(Blocks.Weights[b] > 0))
            {
                continue; // a block of weight 0 adds nothing to r (and may be too short for a coefficient): not correlated at all
            }

            SpectralStack block = Slice(data, b);
            CorrelationResult part = _inner.Correlate(block, Slice(refs, b), mask, cancellationToken);
            Dictionary<int, CorrelationResult> restricted = background is null
                ? []
                : RestrictedParts(block, b, background, references, pattern, mask, cancellationToken);
            float weight = (float)Blocks.Weights[b];
            for (int p = 0; p < n; p++)
            {
                if ((pattern[p] & (1 << b)) != 0)
                {
                    partial[p] = true;
                    continue; // this edge did not cover the pixel: the other blocks decide
                }

                ReadOnlySpan<float> r = part.Correlations;
                ReadOnlySpan<PixelStatus> s = part.Status;
                if (pattern[p] != 0 && restricted.TryGetValue(pattern[p], out CorrelationResult? own))
                {
                    r = own.Correlations; // a pixel missing another block: the references projected on the blocks it has
                    s = own.Status;
                }

                if (!covered[p] || (status[p] == PixelStatus.Valid && s[p] != PixelStatus.Valid))
                {
                    status[p] = s[p];
                }

                covered[p] = true;
                if (s[p] != PixelStatus.Valid)
                {
                    continue;
                }

                weightSum[p] += weight;
                for (int j = 0; j < k; j++)
                {
                    combined[(j * n) + p] += weight * r[(j * n) + p];
                }
            }
        }

        for (int p = 0; p < n; p++)
        {
            if (!covered[p])
            {
                status[p] = mask is null || mask[p] ? PixelStatus.Invalid : PixelStatus.Masked;
            }
            else if (partial[p] && status[p] == PixelStatus.Valid && weightSum[p] > 0)
            {
                for (int j = 0; j < k; j++)
                {
                    combined[(j * n) + p] /= weightSum[p];
                }
            }
        }

        return Finish(opticalDensity.Width, opticalDensity.Height, references.PhaseNames, combined, status);
    }

    private CorrelationResult Finish(int w, int h, IReadOnlyList<string> names, float[] r, PixelStatus[] status)
    {
        int n = w * h, k = names.Count;
        int[] labels = new int[n], second = new int[n];
        float[] q1 = new float[n], q2 = new float[n], reliability = new float[n];
        bool[] ambiguous = new bool[n];
        for (int p = 0; p < n; p++)
        {
            labels[p] = second[p] = -1;
            q1[p] = q2[p] = reliability[p] = float.NaN;
            if (status[p] != PixelStatus.Valid)
            {
                for (int j = 0; j < k; j++)
                {
                    r[(j * n) + p] = float.NaN;
                }

                continue;
            }

            int best = -1, next = -1;
            for (int j = 0; j < k; j++)
            {
                float v = r[(j * n) + p];
                if (best < 0 || v > r[(best * n) + p])
                {
                    next = best;
                    best = j;
                }
                else if (next < 0 || v > r[(next * n) + p])
                {
                    next = j;
                }
            }

            labels[p] = best;
            second[p] = next;
            q1[p] = r[(best * n) + p];
            q2[p] = next < 0 ? float.NaN : r[(next * n) + p];
            reliability[p] = next < 0 ? float.NaN : 100 * (q1[p] - q2[p]);
            ambiguous[p] = next >= 0 && q1[p] - q2[p] < Options.AmbiguityThreshold;
        }

        return new CorrelationResult(w, h, names, r, labels, second, q1, q2, reliability, ambiguous, status, Options.AmbiguityThreshold);
    }

    /// <summary>
    /// Per pixel, the blocks whose every value is NaN or ±∞ (bit b for block b): not measured at that edge (see
    /// <see cref="EdgeFusion"/>).
    /// </summary>
    private int[] MissingPatterns(SpectralStack stack)
    {
        int n = stack.PixelCount;
        int[] pattern = new int[n];
        bool[] missing = new bool[n];
        ReadOnlySpan<float> data = stack.Data.Span;
        for (int b = 0; b < Blocks.Count; b++)
        {
            Array.Fill(missing, true);
            for (int e = Blocks.Starts[b]; e < Blocks.Starts[b] + Blocks.Counts[b]; e++)
            {
                ReadOnlySpan<float> plane = data.Slice(e * n, n);
                for (int p = 0; p < n; p++)
                {
                    missing[p] &= !float.IsFinite(plane[p]);
                }
            }

            for (int p = 0; p < n; p++)
            {
                pattern[p] |= missing[p] ? 1 << b : 0;
            }
        }

        return pattern;
    }

    /// <summary>
    /// For each pattern of missing blocks other than none and all that some pixel of <paramref name="mask"/> has without
    /// block <paramref name="b"/>: block b of those pixels correlated with the references projected on the blocks they have.
    /// </summary>
    private Dictionary<int, CorrelationResult> RestrictedParts(SpectralStack block, int b, SpectralBackground background,
        ReferenceSpectra references, int[] pattern, PixelMask? mask, CancellationToken cancellationToken)
    {
        int n = pattern.Length, all = (1 << Blocks.Count) - 1;
        var parts = new Dictionary<int, CorrelationResult>();
        foreach (int missing in pattern.Where((m, p) => m != 0 && m != all && (m & (1 << b)) == 0 && (mask is null || mask[p])).Distinct())
        {
            bool[] pixels = new bool[n];
            for (int p = 0; p < n; p++)
            {
                pixels[p] = pattern[p] == missing && (mask is null || mask[p]);
            }

            ReferenceSpectra refs = background.ProjectOut(references, Blocks, missing);
            parts[missing] = _inner.Correlate(block, Slice(refs, b), PixelMask.FromArray(block.Width, block.Height, pixels), cancellationToken);
        }

        return parts;
    }

    private SpectralStack Slice(SpectralStack stack, int block)
    {
        int n = stack.PixelCount, start = Blocks.Starts[block], count = Blocks.Counts[block];
        return new SpectralStack(Blocks.BlockEnergies(stack.Energies, block), stack.Width, stack.Height,
            stack.Data.Slice(start * n, count * n), stack.Quantity, stack.Metadata);
    }

    private ReferenceSpectra Slice(ReferenceSpectra references, int block)
    {
        int start = Blocks.Starts[block], count = Blocks.Counts[block];
        double[] values = new double[references.PhaseCount * count];
        for (int j = 0; j < references.PhaseCount; j++)
        {
            references.Spectrum(j).Slice(start, count).CopyTo(values.AsSpan(j * count, count));
        }

        return new ReferenceSpectra(Blocks.BlockEnergies(references.Energies, block), references.PhaseNames, values);
    }

    /// <summary>Returns a description of the blocks and weights.</summary>
    /// <returns>For example "Pearson by block: V L 0.83, O K 0.17".</returns>
    public override string ToString() => "Pearson by block: " + string.Join(", ",
        Blocks.Names.Select((name, b) => string.Create(CultureInfo.InvariantCulture, $"{name} {Blocks.Weights[b]:0.###}")));
}
