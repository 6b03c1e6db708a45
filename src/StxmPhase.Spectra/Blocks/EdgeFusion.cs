using System.Globalization;

namespace StxmPhase.Spectra;

/// <summary>
/// Fuses several stacks of one field, one per absorption edge, into one stack on the first stack's pixel grid: each further
/// stack is registered onto the first (sub-pixel phase correlation of the energy-integrated OD images, as in
/// <see cref="StackAligner"/>), resampled bilinearly, and the spectra are concatenated as <see cref="SpectralBlocks"/>.
/// </summary>
/// <example>
/// <code>
/// FusedEdgeStack fused = EdgeFusion.Fuse([vanadiumL, oxygenK], ["V L", "O K"]);
/// var input = new PhaseMappingInput(fused.Stack) { Blocks = fused.Blocks };   // references on fused.Stack.Energies
/// Console.WriteLine(fused.Shifts[1]);                                        // the O K stack's offset
/// </code>
/// </example>
public static class EdgeFusion
{
    /// <summary>Registers, resamples and concatenates the edge stacks.</summary>
    /// <param name="edges">Optical-density stacks of the same size, in increasing, non-overlapping energy order; the first
    /// defines the grid.</param>
    /// <param name="names">One block name per edge, or <see langword="null"/> for "edge 1", "edge 2", ….</param>
    /// <param name="options">Registration and weights; <see langword="null"/> for the defaults.</param>
    /// <param name="cancellationToken">Cancels between stacks.</param>
    /// <returns>The fused stack, its blocks and the shift of every edge.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="edges"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">No edge, a name count that differs, a stack that is not optical density, or
    /// invalid <see cref="EdgeFusionOptions.BlockWeights"/> (the message names the edge and value).</exception>
    /// <exception cref="IncompatibleInputException">A stack's size differs from the first's, or both state a pixel size and
    /// they differ by more than 1 % (the message names the edge and its file when known).</exception>
    /// <exception cref="IncompatibleEnergiesException">The energies of an edge do not all lie above the previous edge's.</exception>
    /// <exception cref="InvalidStackContentException">An edge has a single energy, or its energy-integrated image is the same
    /// at every pixel (an empty or blank scan; the message names the edge and its file).</exception>
    /// <remarks>
    /// <para>Shift: the displacement of the edge's image content relative to the first stack's (the first has (0, 0)),
    /// found by phase correlation of Σ<sub>E</sub> OD(E) images with <see cref="EdgeFusionOptions.Registration"/>; the stack
    /// is then resampled bilinearly at (x + X, y + Y) at every energy. A pixel whose sample point falls more than half a
    /// pixel outside the edge's image was not measured at that edge: its values in that block are NaN (missing, not
    /// invented), counted in <see cref="FusedEdgeStack.UncoveredPixelCounts"/>; the block-aware stages use the blocks a
    /// pixel has (the block correlation renormalises the weights of its covered blocks, the noise model skips the missing
    /// block, the latent stage leaves such pixels with their posterior label). Within 0.2 px on the synthetic multi-edge
    /// data.</para>
    /// <para>Default weights (<see cref="NoiseWeights"/>): each block's signal-to-noise energy, so that a noisy edge with
    /// few energies counts less; <see cref="EdgeFusionOptions.BlockWeights"/> overrides them.</para>
    /// </remarks>
    public static FusedEdgeStack Fuse(IReadOnlyList<SpectralStack> edges, IReadOnlyList<string>? names = null, EdgeFusionOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(edges);
        options ??= EdgeFusionOptions.Default;
        if (edges.Count == 0)
        {
            throw new ArgumentException("EdgeFusion needs at least one edge stack.", nameof(edges));
        }

        if (names is not null && names.Count != edges.Count)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"Expected one name per edge stack ({edges.Count}); got {names.Count}."), nameof(names));
        }

        SpectralStack first = edges[0];
        int w = first.Width, h = first.Height, n = w * h;
        string[] blockNames = new string[edges.Count];
        for (int i = 0; i < edges.Count; i++)
        {
            SpectralStack s = edges[i] ?? throw new ArgumentNullException(nameof(edges), $"Edge stack {i} is null.");
            blockNames[i] = names?[i] ?? string.Create(CultureInfo.InvariantCulture, $"edge {i + 1}");
            if (s.Quantity != SpectralQuantity.OpticalDensity)
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                    $"Edge stack {i} ({blockNames[i]}) holds {s.Quantity}; convert it to optical density first (OpticalDensity.FromTransmission)."),
                    nameof(edges));
            }

            if (s.Width != w || s.Height != h)
            {
                throw new IncompatibleInputException(string.Create(CultureInfo.InvariantCulture,
                    $"Edge stack {i} ({blockNames[i]}) is {s.Width}×{s.Height} pixels but the first stack is {w}×{h}; ")
                    + "edge stacks must share the pixel grid size.")
                {
                    FileName = s.Metadata.SourceFile,
                    Field = "shape",
                };
            }

            if (edges.Count > 1 && s.EnergyCount < 2)
            {
                throw new InvalidStackContentException(string.Create(CultureInfo.InvariantCulture,
                    $"Edge stack {i} ({blockNames[i]}) has {s.EnergyCount} energy ({s.Energies[0]} eV); an edge block needs at least 2 ")
                    + "(the block correlation and the noise model give every edge its own offset, which takes one). Measure more "
                    + "energies on that edge, or leave it out.")
                {
                    FileName = s.Metadata.SourceFile,
                    Field = "energies",
                };
            }

            CheckPixelSize(s, first, i, blockNames[i]);
            if (i > 0 && !(s.Energies[0] > edges[i - 1].Energies[^1]))
            {
                throw new IncompatibleEnergiesException(string.Create(CultureInfo.InvariantCulture,
                    $"Edge stack {i} ({blockNames[i]}) starts at {s.Energies[0]} eV, not above the previous edge's last energy ")
                    + string.Create(CultureInfo.InvariantCulture, $"{edges[i - 1].Energies[^1]} eV (edge stack {i - 1}, ")
                    + string.Create(CultureInfo.InvariantCulture,
                        $"{blockNames[i - 1]}, {edges[i - 1].Energies[0]}–{edges[i - 1].Energies[^1]} eV); ")
                    + "give the edges in increasing, non-overlapping energy order, each stack once.")
                {
                    FileName = s.Metadata.SourceFile,
                    Field = "energies",
                    EnergyEv = s.Energies[0],
                };
            }
        }

        float[] reference = IntegratedImage(first);
        var shifts = new ImageShift[edges.Count];
        var aligned = new SpectralStack[edges.Count];
        int[] uncovered = new int[edges.Count];
        double[] agreement = new double[edges.Count];
        aligned[0] = first;
        agreement[0] = 1;
        for (int i = 0; i < edges.Count && edges.Count > 1; i++)
        {
            CheckContrast(i == 0 ? reference : IntegratedImage(edges[i]), edges[i], i, blockNames[i]);
        }

        for (int i = 1; i < edges.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            shifts[i] = StackAligner.EstimateShift(reference, IntegratedImage(edges[i]), w, h, options.Registration);
            aligned[i] = Resample(edges[i], shifts[i], out uncovered[i]);
            agreement[i] = ImageCorrelation(reference, aligned[i]);
        }

        int total = aligned.Sum(s => s.EnergyCount);
        float[] data = new float[(long)total * n];
        double[] energies = new double[total];
        int offset = 0;
        foreach (SpectralStack s in aligned)
        {
            s.Data.Span.CopyTo(data.AsSpan(offset * n, s.EnergyCount * n));
            s.Energies.AsSpan().CopyTo(energies.AsSpan(offset));
            offset += s.EnergyCount;
        }

        var fused = new SpectralStack(new EnergyAxis(energies), w, h, data, SpectralQuantity.OpticalDensity, first.Metadata);
        var blocks = new SpectralBlocks(blockNames, [.. aligned.Select(s => s.EnergyCount)]);
        blocks = options.BlockWeights is { } user
            ? blocks.WithWeights(user)
            : blocks.WithWeights(NoiseWeights(fused, blocks), BlockWeightSource.Noise);
        return new FusedEdgeStack(fused, blocks, shifts, uncovered, agreement);
    }

    /// <summary>
    /// The default block weights: per block the median, over the quarter of pixels with the largest energy-integrated OD, of
    /// the mean-centred block spectrum's energy over its noise variance, less its expectation from noise alone:
    /// w<sub>b</sub> = median Σ<sub>E∈b</sub>(OD − mean)²/σ<sub>b</sub>² − (n<sub>b</sub> − 1), the inverse variance of a
    /// block's correlation coefficient up to a constant. σ<sub>b</sub>² is the block's mean per-energy noise variance from
    /// differences of horizontally adjacent pixels (1.4826·MAD)²/2. Blocks whose signal does not exceed their noise get a
    /// small floor (10⁻³ of the largest); all equal when none does.
    /// </summary>
    /// <param name="stack">The fused stack.</param>
    /// <param name="blocks">Its blocks.</param>
    /// <returns>One weight per block (not normalised).</returns>
    /// <exception cref="IncompatibleEnergiesException">The blocks do not cover the stack's energies.</exception>
    public static IReadOnlyList<double> NoiseWeights(SpectralStack stack, SpectralBlocks blocks)
    {
        ArgumentNullException.ThrowIfNull(stack);
        ArgumentNullException.ThrowIfNull(blocks);
        blocks.EnsureMatches(stack.EnergyCount, "the stack");
        int w = stack.Width, n = stack.PixelCount;
        ReadOnlySpan<float> data = stack.Data.Span;
        float[] integrated = IntegratedImage(stack);
        float[] sorted = [.. integrated];
        Array.Sort(sorted);
        float threshold = sorted[(int)(0.75 * (n - 1))];
        double[] weights = new double[blocks.Count];
        var diffs = new List<double>(n);
        var scores = new List<double>(n / 4);
        for (int b = 0; b < blocks.Count; b++)
        {
            int start = blocks.Starts[b], count = blocks.Counts[b];
            double noise = 0;
            for (int e = start; e < start + count; e++)
            {
                diffs.Clear();
                ReadOnlySpan<float> plane = data.Slice(e * n, n);
                for (int p = 0; p + 1 < n; p++)
                {
                    if ((p % w) != w - 1 && float.IsFinite(plane[p]) && float.IsFinite(plane[p + 1]))
                    {
                        diffs.Add(plane[p + 1] - (double)plane[p]);
                    }
                }

                double mad = 1.482602218505602 * MedianAbsolute(diffs);
                noise += mad * mad / 2 / count;
            }

            scores.Clear();
            for (int p = 0; p < n; p++)
            {
                if (!(integrated[p] >= threshold))
                {
                    continue;
                }

                double mean = 0;
                for (int e = start; e < start + count; e++)
                {
                    mean += data[(e * n) + p];
                }

                mean /= count;
                double energy = 0;
                for (int e = start; e < start + count; e++)
                {
                    double v = data[(e * n) + p] - mean;
                    energy += v * v;
                }

                if (double.IsFinite(energy))
                {
                    scores.Add(energy);
                }
            }

            double median = scores.Count == 0 ? 0 : Median(scores);
            weights[b] = noise > 0 ? (median / noise) - (count - 1) : 0;
        }

        double max = weights.Max();
        return max > 0 ? [.. weights.Select(v => Math.Max(v, 1e-3 * max))] : [.. weights.Select(_ => 1.0)];
    }

    /// <summary>
    /// An edge whose energy-integrated image has no contrast (all zero, constant, or no finite value) shows no field to register
    /// and no particle: refused naming the edge, its file and the value.
    /// </summary>
    private static void CheckContrast(float[] integrated, SpectralStack edge, int index, string name)
    {
        float lo = float.PositiveInfinity, hi = float.NegativeInfinity;
        foreach (float v in integrated)
        {
            lo = Math.Min(lo, v);
            hi = Math.Max(hi, v);
        }

        if (!(hi - lo > 1e-6f * Math.Max(1f, Math.Max(Math.Abs(lo), Math.Abs(hi)))))
        {
            throw new InvalidStackContentException(string.Create(CultureInfo.InvariantCulture,
                $"Edge stack {index} ({name}) has the same energy-integrated optical density at every pixel ({lo:G6}; non-finite ")
                + "values count as 0): it shows no field to register with the other edges and no particle to map. Check that the "
                + "file holds the measured stack (not an empty or blank scan).")
            {
                FileName = edge.Metadata.SourceFile,
                Field = "data",
            };
        }
    }

    /// <summary>The Pearson correlation of the first stack's Σ<sub>E</sub> OD image with a resampled edge's, over the pixels
    /// the edge covers (finite there); NaN with fewer than 3 such pixels.</summary>
    private static double ImageCorrelation(float[] reference, SpectralStack aligned)
    {
        float[] image = IntegratedImage(aligned);
        ReadOnlySpan<float> plane = aligned.Plane(0);
        double n = 0, sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0;
        for (int p = 0; p < image.Length; p++)
        {
            if (float.IsFinite(plane[p]))
            {
                double a = reference[p], b = image[p];
                n++;
                sa += a;
                sb += b;
                saa += a * a;
                sbb += b * b;
                sab += a * b;
            }
        }

        double va = saa - (sa * sa / n), vb = sbb - (sb * sb / n);
        return n < 3 || !(va > 0) || !(vb > 0) ? double.NaN : (sab - (sa * sb / n)) / Math.Sqrt(va * vb);
    }

    /// <summary>
    /// Registration resamples an edge on the first stack's grid pixel for pixel: where both stacks state a pixel size (x or y)
    /// and they differ by more than 1 %, the grids do not show the same field at the same scale.
    /// </summary>
    private static void CheckPixelSize(SpectralStack edge, SpectralStack first, int index, string name)
    {
        (string Axis, double? Edge, double? First)[] sizes =
            [("x", edge.Metadata.PixelSizeXNm, first.Metadata.PixelSizeXNm), ("y", edge.Metadata.PixelSizeYNm, first.Metadata.PixelSizeYNm)];
        foreach ((string axis, double? a, double? b) in sizes)
        {
            if (a is double e && b is double f && e > 0 && f > 0 && Math.Abs(e - f) > 0.01 * Math.Max(e, f))
            {
                throw new IncompatibleInputException(string.Create(CultureInfo.InvariantCulture,
                    $"Edge stack {index} ({name}) has {axis} pixel size {e:0.###} nm but the first stack has {f:0.###} nm; fusion ")
                    + "registers the edges pixel for pixel on one grid, so they must be scanned at the same pixel size (resample one "
                    + "stack to the other's pixel size first).")
                {
                    FileName = edge.Metadata.SourceFile,
                    Field = "pixel_size_" + axis,
                };
            }
        }
    }

    /// <summary>
    /// Bilinear resampling of every energy image at (x + X, y + Y), coordinates clamped to the image within half a pixel of
    /// it; a pixel whose sample point falls further outside is NaN at every energy (not measured at this edge), and
    /// <paramref name="uncovered"/> counts those pixels.
    /// </summary>
    private static SpectralStack Resample(SpectralStack stack, ImageShift shift, out int uncovered)
    {
        int w = stack.Width, h = stack.Height, n = w * h;
        ReadOnlySpan<float> data = stack.Data.Span;
        float[] result = new float[stack.EnergyCount * n];
        uncovered = 0;
        for (int y = 0; y < h; y++)
        {
            double sy = y + shift.Y;
            double cy = Math.Clamp(sy, 0, h - 1);
            int ya = (int)Math.Floor(cy), yb = Math.Min(ya + 1, h - 1);
            double wy = cy - ya;
            for (int x = 0; x < w; x++)
            {
                double sx = x + shift.X;
                double cx = Math.Clamp(sx, 0, w - 1);
                int xa = (int)Math.Floor(cx), xb = Math.Min(xa + 1, w - 1);
                double wx = cx - xa;
                if (sx < -0.5 || sx > w - 0.5 || sy < -0.5 || sy > h - 0.5)
                {
                    uncovered++;
                    for (int e = 0; e < stack.EnergyCount; e++)
                    {
                        result[(e * n) + (y * w) + x] = float.NaN;
                    }

                    continue;
                }

                for (int e = 0; e < stack.EnergyCount; e++)
                {
                    ReadOnlySpan<float> plane = data.Slice(e * n, n);
                    double top = plane[(ya * w) + xa] + ((plane[(ya * w) + xb] - (double)plane[(ya * w) + xa]) * wx);
                    double bottom = plane[(yb * w) + xa] + ((plane[(yb * w) + xb] - (double)plane[(yb * w) + xa]) * wx);
                    result[(e * n) + (y * w) + x] = (float)(top + ((bottom - top) * wy));
                }
            }
        }

        return new SpectralStack(stack.Energies, w, h, result, SpectralQuantity.OpticalDensity, stack.Metadata);
    }

    /// <summary>Σ<sub>E</sub> OD(E) per pixel (non-finite values count as 0).</summary>
    private static float[] IntegratedImage(SpectralStack stack)
    {
        int n = stack.PixelCount;
        float[] image = new float[n];
        ReadOnlySpan<float> data = stack.Data.Span;
        for (int e = 0; e < stack.EnergyCount; e++)
        {
            ReadOnlySpan<float> plane = data.Slice(e * n, n);
            for (int p = 0; p < n; p++)
            {
                if (float.IsFinite(plane[p]))
                {
                    image[p] += plane[p];
                }
            }
        }

        return image;
    }

    private static double MedianAbsolute(List<double> values)
    {
        for (int i = 0; i < values.Count; i++)
        {
            values[i] = Math.Abs(values[i]);
        }

        return values.Count == 0 ? 0 : Median(values);
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        int c = values.Count;
        return c % 2 == 1 ? values[c / 2] : (values[(c / 2) - 1] + values[c / 2]) / 2;
    }
}

/// <summary>Options of <see cref="EdgeFusion.Fuse"/>.</summary>
public sealed record EdgeFusionOptions
{
    /// <summary>Gets the default options.</summary>
    public static EdgeFusionOptions Default { get; } = new();

    /// <summary>Gets the registration options (filter, window, maximum shift, upsampling); <see langword="null"/> for
    /// <see cref="StackAlignmentOptions.Default"/>.</summary>
    public StackAlignmentOptions? Registration { get; init; }

    /// <summary>Gets one weight per edge, overriding <see cref="EdgeFusion.NoiseWeights"/>; <see langword="null"/> for those.</summary>
    public IReadOnlyList<double>? BlockWeights { get; init; }
}

/// <summary>Edge stacks fused on one grid. Immutable.</summary>
public sealed class FusedEdgeStack
{
    private readonly ImageShift[] _shifts;

    private readonly int[] _uncovered;

    private readonly double[] _agreement;

    internal FusedEdgeStack(SpectralStack stack, SpectralBlocks blocks, ImageShift[] shifts, int[] uncoveredPixelCounts, double[] agreement)
    {
        _uncovered = uncoveredPixelCounts;
        _agreement = agreement;
        Stack = stack;
        Blocks = blocks;
        _shifts = shifts;
    }

    /// <summary>Gets the fused optical-density stack (energies concatenated in edge order).</summary>
    public SpectralStack Stack { get; }

    /// <summary>Gets the blocks (one per edge, with the weights used).</summary>
    public SpectralBlocks Blocks { get; }

    /// <summary>Gets the shift found for each edge (the first is (0, 0)): its content's displacement relative to the first
    /// stack, in pixels.</summary>
    public IReadOnlyList<ImageShift> Shifts => _shifts;

    /// <summary>Gets, per edge (block), the number of pixels of the first stack's grid that edge did not cover: their sample
    /// point fell more than half a pixel outside its image, and the block holds NaN there (0 for the first edge).</summary>
    public IReadOnlyList<int> UncoveredPixelCounts => _uncovered;

    /// <summary>Gets, per edge, the Pearson correlation of the first stack's energy-integrated OD image with the registered
    /// edge's over the pixels the edge covers (1 for the first edge; NaN when fewer than 3 pixels are covered). The same
    /// particles seen at two edges give a high value; a low one means the registration found no common field (the overlap
    /// is too small, or the edge shows another field). Computed, not acted on: callers decide (the CLI warns).</summary>
    public IReadOnlyList<double> RegistrationCorrelations => _agreement;
}
