using StxmPhase.Spectra;

namespace StxmPhase.Gmvae;

/// <summary>
/// The fitted input transform (see <see cref="GmvaeNormalization"/>), applied row by row. With spectral blocks (several edges
/// fused) the mode is applied per block and the blocks are weighted (<see cref="Blocks"/>): GlobalScale → one scale per block,
/// PerSpectrum → per-spectrum standardisation per block, PerEnergy → per-energy standardisation then the weights, None → the
/// weights only.
/// </summary>
internal sealed class GmvaeNormalizer
{
    /// <summary>The percentile of |x| used as the global scale.</summary>
    public const double GlobalScalePercentile = 99.0;

    public GmvaeNormalizer(GmvaeNormalization mode, int energies, double scale, float[] mean, float[] std, BlockNormalization? blocks = null)
    {
        Blocks = blocks;
        Mode = mode;
        Energies = energies;
        Scale = scale;
        Mean = mean;
        Std = std;
    }

    public GmvaeNormalization Mode { get; }

    public int Energies { get; }

    /// <summary>The global scale (GlobalScale mode), else 1.</summary>
    public double Scale { get; }

    /// <summary>Per-energy means (PerEnergy mode), else empty.</summary>
    public float[] Mean { get; }

    /// <summary>Per-energy standard deviations (PerEnergy mode), else empty.</summary>
    public float[] Std { get; }

    /// <summary>The per-block transform of a fused multi-edge input, or <see langword="null"/> (one block: the mode alone).</summary>
    public BlockNormalization? Blocks { get; }

    /// <summary>Fits the transform, per block when <paramref name="blocks"/> is given.</summary>
    public static GmvaeNormalizer Fit(
        GmvaeNormalization mode, ReadOnlySpan<float> spectra, int energies, ReadOnlySpan<int> rows, SpectralBlocks? blocks)
    {
        if (blocks is null)
        {
            return Fit(mode, spectra, energies, rows);
        }

        blocks.EnsureMatches(energies, "the spectra");
        GmvaeNormalizer perEnergy = Fit(mode == GmvaeNormalization.PerEnergy ? mode : GmvaeNormalization.None, spectra, energies, rows);
        BlockScaling scaling = mode switch
        {
            GmvaeNormalization.GlobalScale => BlockScaling.GlobalScale,
            GmvaeNormalization.PerSpectrum => BlockScaling.PerSpectrum,
            _ => BlockScaling.WeightOnly,
        };
        return new GmvaeNormalizer(mode, energies, 1, perEnergy.Mean, perEnergy.Std, BlockNormalization.Fit(blocks, scaling, spectra, rows));
    }

    /// <summary>Fits the transform on the rows <paramref name="rows"/> of <paramref name="spectra"/>.</summary>
    public static GmvaeNormalizer Fit(GmvaeNormalization mode, ReadOnlySpan<float> spectra, int energies, ReadOnlySpan<int> rows)
    {
        switch (mode)
        {
            case GmvaeNormalization.GlobalScale:
            {
                    float[] values = new float[rows.Length * energies];
                for (int r = 0; r < rows.Length; r++)
                {
                    var src = spectra.Slice(rows[r] * energies, energies);
                    for (int e = 0; e < energies; e++)
                    {
                        values[(r * energies) + e] = MathF.Abs(src[e]);
                    }
                }

                Array.Sort(values);
                double scale = Percentile(values, GlobalScalePercentile);
                if (!(scale > 0) || !double.IsFinite(scale))
                {
                    scale = 1;
                }

                return new GmvaeNormalizer(mode, energies, scale, [], []);
            }

            case GmvaeNormalization.PerEnergy:
            {
                    double[] sum = new double[energies];
                    double[] sumSq = new double[energies];
                foreach (int row in rows)
                {
                    var src = spectra.Slice(row * energies, energies);
                    for (int e = 0; e < energies; e++)
                    {
                        sum[e] += src[e];
                    }
                }

                    float[] mean = new float[energies];
                for (int e = 0; e < energies; e++)
                {
                    sum[e] /= Math.Max(rows.Length, 1);
                    mean[e] = (float)sum[e];
                }

                foreach (int row in rows)
                {
                    var src = spectra.Slice(row * energies, energies);
                    for (int e = 0; e < energies; e++)
                    {
                        double d = src[e] - sum[e];
                        sumSq[e] += d * d;
                    }
                }

                    float[] std = new float[energies];
                for (int e = 0; e < energies; e++)
                {
                    double s = Math.Sqrt(sumSq[e] / Math.Max(rows.Length, 1));
                    std[e] = s > 0 && double.IsFinite(s) ? (float)s : 1f;
                }

                return new GmvaeNormalizer(mode, energies, 1, mean, std);
            }

            default:
                return new GmvaeNormalizer(mode, energies, 1, [], []);
        }
    }

    /// <summary>Writes the transformed rows of <paramref name="source"/> to <paramref name="destination"/>.</summary>
    public void Apply(ReadOnlySpan<float> source, Span<float> destination, int count)
    {
        if (Blocks is { } blocks)
        {
            if (Mode == GmvaeNormalization.PerEnergy)
            {
                ApplyMode(source, destination, count);
                blocks.Apply(destination, destination, count);
            }
            else
            {
                blocks.Apply(source, destination, count);
            }

            return;
        }

        ApplyMode(source, destination, count);
    }

    private void ApplyMode(ReadOnlySpan<float> source, Span<float> destination, int count)
    {
        int e = Energies;
        switch (Mode)
        {
            case GmvaeNormalization.GlobalScale:
            {
                float inv = (float)(1.0 / Scale);
                for (int i = 0; i < count * e; i++)
                {
                    destination[i] = source[i] * inv;
                }

                break;
            }

            case GmvaeNormalization.PerEnergy:
                for (int r = 0; r < count; r++)
                {
                    for (int j = 0; j < e; j++)
                    {
                        destination[(r * e) + j] = (source[(r * e) + j] - Mean[j]) / Std[j];
                    }
                }

                break;

            case GmvaeNormalization.PerSpectrum:
                for (int r = 0; r < count; r++)
                {
                    var src = source.Slice(r * e, e);
                    var dst = destination.Slice(r * e, e);
                    double mean = 0;
                    foreach (float v in src)
                    {
                        mean += v;
                    }

                    mean /= e;
                    double ss = 0;
                    foreach (float v in src)
                    {
                        ss += (v - mean) * (v - mean);
                    }

                    double std = Math.Sqrt(ss / e);
                    double inv = std > 0 ? 1.0 / std : 0.0;
                    for (int j = 0; j < e; j++)
                    {
                        dst[j] = (float)((src[j] - mean) * inv);
                    }
                }

                break;

            default:
                source[..(count * e)].CopyTo(destination);
                break;
        }
    }

    /// <summary>Maps network outputs back to input units, in place (identity for PerSpectrum and None).</summary>
    public void Invert(Span<float> values, int count)
    {
        if (Blocks is { } blocks)
        {
            blocks.Invert(values, count);
            if (Mode != GmvaeNormalization.PerEnergy)
            {
                return;
            }
        }

        int e = Energies;
        switch (Mode)
        {
            case GmvaeNormalization.GlobalScale:
            {
                float scale = (float)Scale;
                for (int i = 0; i < count * e; i++)
                {
                    values[i] *= scale;
                }

                break;
            }

            case GmvaeNormalization.PerEnergy:
                for (int r = 0; r < count; r++)
                {
                    for (int j = 0; j < e; j++)
                    {
                        values[(r * e) + j] = (values[(r * e) + j] * Std[j]) + Mean[j];
                    }
                }

                break;

            default:
                break;
        }
    }

    /// <summary>NumPy's default (linear) percentile of sorted values.</summary>
    internal static double Percentile(ReadOnlySpan<float> sorted, double percent)
    {
        if (sorted.Length == 0)
        {
            return double.NaN;
        }

        double position = percent / 100.0 * (sorted.Length - 1);
        int lo = (int)Math.Floor(position);
        int hi = Math.Min(lo + 1, sorted.Length - 1);
        double frac = position - lo;
        return sorted[lo] + ((sorted[hi] - sorted[lo]) * frac);
    }
}
