using System.Globalization;

namespace StxmPhase.Spectra;

/// <summary>How <see cref="BlockNormalization"/> scales each block of a spectrum before it applies the block weights.</summary>
public enum BlockScaling
{
    /// <summary>Every value of block b is divided by one scalar s<sub>b</sub>, the 99th percentile of |x| over that block's
    /// values of the fitted spectra (1 when that is 0): the per-block form of a latent model's global scale.</summary>
    GlobalScale = 0,

    /// <summary>Every spectrum's block is centred and divided by its own (population) standard deviation over the block's
    /// energies (a constant block maps to 0): the per-block form of per-spectrum standardisation.</summary>
    PerSpectrum = 1,

    /// <summary>No scaling (the values were standardised per energy before, or not at all); only the weights.</summary>
    WeightOnly = 2,
}

/// <summary>
/// The input transform of a latent model for spectra made of <see cref="SpectralBlocks"/> (several edges fused): each block
/// is scaled on its own (<see cref="BlockScaling"/>) and multiplied by f<sub>b</sub> = √(B·w<sub>b</sub>), so that squared
/// (Euclidean) distances between transformed spectra weight the blocks by w<sub>b</sub> (Σw = 1; equal weights give f = 1)
/// and an edge with a larger optical density no longer dominates. Immutable.
/// </summary>
/// <example>
/// <code>
/// BlockNormalization norm = BlockNormalization.Fit(fused.Blocks, BlockScaling.GlobalScale, rows, count, allRows);
/// norm.Apply(rows, transformed, count);
/// </code>
/// </example>
public sealed class BlockNormalization
{
    /// <summary>The percentile of |x| used as a block's global scale.</summary>
    public const double ScalePercentile = 99.0;

    private readonly double[] _scales;
    private readonly double[] _factors;

    /// <summary>Initializes a transform with known scales (e.g. read back from a model file).</summary>
    /// <param name="blocks">The blocks and their weights.</param>
    /// <param name="scaling">How each block is scaled.</param>
    /// <param name="scales">One positive, finite scale per block for <see cref="BlockScaling.GlobalScale"/>; ignored (all 1)
    /// otherwise, and <see langword="null"/> for all 1.</param>
    /// <exception cref="ArgumentNullException"><paramref name="blocks"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The scale count differs from the block count, or a scale is not positive and finite
    /// (the message names the block and value).</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="scaling"/> is not a defined value.</exception>
    public BlockNormalization(SpectralBlocks blocks, BlockScaling scaling, IReadOnlyList<double>? scales = null)
    {
        ArgumentNullException.ThrowIfNull(blocks);
        if (!Enum.IsDefined(scaling))
        {
            throw new ArgumentOutOfRangeException(nameof(scaling), scaling, "Unknown BlockScaling.");
        }

        Blocks = blocks;
        Scaling = scaling;
        _scales = new double[blocks.Count];
        _factors = new double[blocks.Count];
        if (scales is not null && scales.Count != blocks.Count)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"Expected one scale per block ({blocks.Count}); got {scales.Count}."), nameof(scales));
        }

        for (int b = 0; b < blocks.Count; b++)
        {
            double s = scaling == BlockScaling.GlobalScale && scales is not null ? scales[b] : 1.0;
            if (!(s > 0) || !double.IsFinite(s))
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                    $"Scale {b} ({blocks.Names[b]}) is {s}; scales must be positive and finite."), nameof(scales));
            }

            _scales[b] = s;
            _factors[b] = Math.Sqrt(blocks.Count * blocks.Weights[b]);
        }
    }

    /// <summary>Gets the blocks and their weights.</summary>
    public SpectralBlocks Blocks { get; }

    /// <summary>Gets how each block is scaled.</summary>
    public BlockScaling Scaling { get; }

    /// <summary>Gets the scale s<sub>b</sub> of each block (all 1 unless <see cref="BlockScaling.GlobalScale"/>).</summary>
    public IReadOnlyList<double> Scales => _scales;

    /// <summary>Gets the weight factor f<sub>b</sub> = √(B·w<sub>b</sub>) of each block.</summary>
    public IReadOnlyList<double> Factors => _factors;

    /// <summary>Fits the transform: for <see cref="BlockScaling.GlobalScale"/>, each block's scale on the given rows.</summary>
    /// <param name="blocks">The blocks and their weights.</param>
    /// <param name="scaling">How each block is scaled.</param>
    /// <param name="spectra">Pixel-major rows of <see cref="SpectralBlocks.EnergyCount"/> floats.</param>
    /// <param name="rows">The rows to fit on (e.g. a training split); empty for all rows of <paramref name="spectra"/>.</param>
    /// <returns>The fitted transform.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="blocks"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="scaling"/> is not a defined value.</exception>
    /// <exception cref="ArgumentException">A row index lies outside <paramref name="spectra"/>.</exception>
    public static BlockNormalization Fit(SpectralBlocks blocks, BlockScaling scaling, ReadOnlySpan<float> spectra, ReadOnlySpan<int> rows)
    {
        ArgumentNullException.ThrowIfNull(blocks);
        if (scaling != BlockScaling.GlobalScale)
        {
            return new BlockNormalization(blocks, scaling);
        }

        int e = blocks.EnergyCount, count = rows.IsEmpty ? spectra.Length / e : rows.Length;
        double[] scales = new double[blocks.Count];
        for (int b = 0; b < blocks.Count; b++)
        {
            int start = blocks.Starts[b], width = blocks.Counts[b];
            float[] values = new float[count * width];
            for (int r = 0; r < count; r++)
            {
                int row = rows.IsEmpty ? r : rows[r];
                if (row < 0 || (long)(row + 1) * e > spectra.Length)
                {
                    throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                        $"Row {row} lies outside the {spectra.Length / e} spectra."), nameof(rows));
                }

                ReadOnlySpan<float> src = spectra.Slice((row * e) + start, width);
                for (int j = 0; j < width; j++)
                {
                    values[(r * width) + j] = MathF.Abs(src[j]);
                }
            }

            Array.Sort(values);
            double s = Percentile(values, ScalePercentile);
            scales[b] = s > 0 && double.IsFinite(s) ? s : 1;
        }

        return new BlockNormalization(blocks, scaling, scales);
    }

    /// <summary>Writes the transformed rows of <paramref name="source"/> to <paramref name="destination"/> (they may be the
    /// same memory).</summary>
    /// <param name="source"><paramref name="count"/> rows of <see cref="SpectralBlocks.EnergyCount"/> floats.</param>
    /// <param name="destination">As many floats.</param>
    /// <param name="count">The number of rows.</param>
    /// <exception cref="ArgumentException">A span is too short.</exception>
    public void Apply(ReadOnlySpan<float> source, Span<float> destination, int count)
    {
        int e = Blocks.EnergyCount;
        Check(source.Length, destination.Length, count);
        for (int r = 0; r < count; r++)
        {
            for (int b = 0; b < _scales.Length; b++)
            {
                int start = (r * e) + Blocks.Starts[b], width = Blocks.Counts[b];
                ReadOnlySpan<float> src = source.Slice(start, width);
                Span<float> dst = destination.Slice(start, width);
                double shift = 0, factor = _factors[b] / _scales[b];
                if (Scaling == BlockScaling.PerSpectrum)
                {
                    double mean = 0, ss = 0;
                    foreach (float v in src)
                    {
                        mean += v;
                    }

                    mean /= width;
                    foreach (float v in src)
                    {
                        ss += (v - mean) * (v - mean);
                    }

                    double std = Math.Sqrt(ss / width);
                    shift = mean;
                    factor = std > 0 ? _factors[b] / std : 0;
                }

                for (int j = 0; j < width; j++)
                {
                    dst[j] = (float)((src[j] - shift) * factor);
                }
            }
        }
    }

    /// <summary>Maps transformed rows back to input units, in place: divides by f<sub>b</sub> and multiplies by
    /// s<sub>b</sub> (a per-spectrum block stays standardised; a block of weight 0 becomes 0).</summary>
    /// <param name="values"><paramref name="count"/> rows of <see cref="SpectralBlocks.EnergyCount"/> floats.</param>
    /// <param name="count">The number of rows.</param>
    /// <exception cref="ArgumentException"><paramref name="values"/> is too short.</exception>
    public void Invert(Span<float> values, int count)
    {
        int e = Blocks.EnergyCount;
        Check(values.Length, values.Length, count);
        for (int r = 0; r < count; r++)
        {
            for (int b = 0; b < _scales.Length; b++)
            {
                double factor = _factors[b] > 0 ? _scales[b] / _factors[b] : 0;
                Span<float> row = values.Slice((r * e) + Blocks.Starts[b], Blocks.Counts[b]);
                for (int j = 0; j < row.Length; j++)
                {
                    row[j] = (float)(row[j] * factor);
                }
            }
        }
    }

    private void Check(int source, int destination, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        long needed = (long)count * Blocks.EnergyCount;
        if (source < needed || destination < needed)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"Expected {count} rows × {Blocks.EnergyCount} values = {needed}; got {source} and {destination}."), nameof(count));
        }
    }

    /// <summary>NumPy's default (linear) percentile of sorted values.</summary>
    private static double Percentile(ReadOnlySpan<float> sorted, double percent)
    {
        if (sorted.Length == 0)
        {
            return double.NaN;
        }

        double position = percent / 100.0 * (sorted.Length - 1);
        int lo = (int)Math.Floor(position);
        int hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + ((sorted[hi] - sorted[lo]) * (position - lo));
    }
}
