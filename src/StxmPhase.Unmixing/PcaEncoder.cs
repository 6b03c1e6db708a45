using System.Globalization;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Factorization;
using StxmPhase.Spectra;

namespace StxmPhase.Unmixing;

/// <summary>
/// A fitted principal component analysis of spectra (made by
/// <see cref="Pca.Fit(SpectralStack, PixelMask?, CancellationToken)"/>), usable as an <see cref="ILatentEncoder"/>:
/// a cheap, deterministic alternative to the GMVAE embedding (latent dimension = number of components).
/// </summary>
/// <remarks>
/// <para>
/// Fit: mean μ (optional), scatter matrix <c>S = Σ_i (x_i − μ)(x_i − μ)ᵀ</c> (E × E, float64, accumulated in fixed
/// chunks), symmetric eigen-decomposition <c>S = V Λ Vᵀ</c>. This is memory-aware (O(E²), never N × N or N × E
/// beyond the input) and equals the thin SVD of the centred data: singular values √λ, explained variance
/// <c>λ / (N − 1)</c>, explained variance ratio <c>λ / trace(S)</c>. Squaring the data's condition number limits
/// the accuracy of the smallest components (relative error ≈ ε·λ_max/λ); the leading ones, which are kept, are
/// accurate to rounding. Component signs follow scikit-learn (<c>svd_flip</c>, u-based: the score of largest
/// magnitude of each component is positive).
/// </para>
/// <para>
/// Encode: <c>z = Vₖᵀ(x − μ)</c>, divided by √(explained variance) when whitening (a component with zero variance
/// gives 0). A spectrum containing NaN gives NaN coordinates.
/// </para>
/// </remarks>
/// <example>
/// <code>
/// PcaEncoder pca = new Pca(new PcaOptions { ComponentCount = 3 }).Fit(odStack, particleMask);
/// var z = new float[count * pca.LatentDimension];
/// pca.Encode(spectra, count, z);
/// </code>
/// </example>
public sealed class PcaEncoder : ILatentEncoder
{
    private const int ChunkRows = 4096;
    private readonly double[] _mean;
    private readonly double[] _components;
    private readonly double[] _explainedVariance;
    private readonly double[] _explainedVarianceRatio;
    private readonly double[] _singularValues;
    private readonly double[] _scale;

    private PcaEncoder(int energyCount, int k, int sampleCount, bool whiten, double[] mean, double[] components,
        double[] explainedVariance, double[] ratio, double[] singular, int invalidCount)
    {
        EnergyCount = energyCount;
        LatentDimension = k;
        SampleCount = sampleCount;
        Whiten = whiten;
        _mean = mean;
        _components = components;
        _explainedVariance = explainedVariance;
        _explainedVarianceRatio = ratio;
        _singularValues = singular;
        InvalidCount = invalidCount;
        _scale = new double[k];
        for (int t = 0; t < k; t++)
        {
            _scale[t] = !whiten ? 1 : explainedVariance[t] > 0 ? 1 / Math.Sqrt(explainedVariance[t]) : 0;
        }
    }

    /// <summary>Gets the latent dimension: the number of components kept.</summary>
    public int LatentDimension { get; }

    /// <summary>Gets the number of energies E of the spectra.</summary>
    public int EnergyCount { get; }

    /// <summary>Gets the number of spectra used for fitting.</summary>
    public int SampleCount { get; }

    /// <summary>Gets the number of pixels excluded from fitting because their spectrum had NaN/±∞ (stack overload).</summary>
    public int InvalidCount { get; }

    /// <summary>Gets whether encodings are whitened.</summary>
    public bool Whiten { get; }

    /// <summary>Gets the mean spectrum μ (all 0 when fitted without centring); estimated during Fit.</summary>
    public ReadOnlySpan<double> Mean => _mean;

    /// <summary>Gets the principal axes, row-major LatentDimension × E (unit rows, by decreasing variance); estimated during Fit.</summary>
    public ReadOnlySpan<double> Components => _components;

    /// <summary>Gets the variance along each kept axis, λ/(N − 1); estimated during Fit.</summary>
    public ReadOnlySpan<double> ExplainedVariance => _explainedVariance;

    /// <summary>Gets the fraction of the total variance along each kept axis; estimated during Fit.</summary>
    public ReadOnlySpan<double> ExplainedVarianceRatio => _explainedVarianceRatio;

    /// <summary>Gets the singular values √λ of the (centred) data matrix for the kept axes.</summary>
    public ReadOnlySpan<double> SingularValues => _singularValues;

    /// <summary>Fits PCA on pixel-major spectra.</summary>
    /// <param name="spectra"><paramref name="count"/> rows of <paramref name="energyCount"/> floats.</param>
    /// <param name="count">Number of spectra, at least 2.</param>
    /// <param name="energyCount">Number of energies E.</param>
    /// <param name="options">Options, validated by <see cref="Pca"/>.</param>
    /// <param name="cancellationToken">Cancels between chunks.</param>
    /// <returns>The fitted encoder.</returns>
    /// <exception cref="ArgumentOutOfRangeException">count &lt; 2, E &lt; 1, or the component count is outside [1, min(count, E)].</exception>
    /// <exception cref="ArgumentException">The span length is wrong or a value is NaN/±∞ (the message names the row).</exception>
    internal static PcaEncoder Fit(ReadOnlySpan<float> spectra, int count, int energyCount, PcaOptions options, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 2);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(energyCount);
        if (spectra.Length != (long)count * energyCount)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"Expected count × energies = {count} × {energyCount} values; got {spectra.Length}."),
                nameof(spectra));
        }

        double[] x = new double[(long)count * energyCount];
        for (int i = 0; i < x.Length; i++)
        {
            float v = spectra[i];
            if (!float.IsFinite(v))
            {
                throw new ArgumentException(
                    string.Create(CultureInfo.InvariantCulture,
                        $"Spectrum {i / energyCount} has a non-finite value ({v}) at energy index {i % energyCount}."), nameof(spectra));
            }

            x[i] = v;
        }

        return FitCore(x, count, energyCount, options, 0, cancellationToken);
    }

    /// <summary>Fits PCA on the spectra of the included, finite pixels of a stack.</summary>
    /// <param name="stack">The stack (energy-major).</param>
    /// <param name="mask">Optional mask of the pixels to use.</param>
    /// <param name="options">Options, validated by <see cref="Pca"/>.</param>
    /// <param name="cancellationToken">Cancels between chunks.</param>
    /// <returns>The fitted encoder; <see cref="InvalidCount"/> counts the skipped NaN/∞ pixels.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="stack"/> is <see langword="null"/>.</exception>
    /// <exception cref="IncompatibleInputException">The mask size differs from the stack size.</exception>
    /// <exception cref="ArgumentException">Fewer than 2 usable pixels.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The component count is outside [1, min(pixels, E)].</exception>
    internal static PcaEncoder Fit(SpectralStack stack, PixelMask? mask, PcaOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stack);
        InputValidation.CheckMask(stack, mask);
        var status = new PixelStatus[stack.PixelCount];
        int[] rows = InputValidation.ExtractValidRows(stack, mask, status, out double[] x);
        int invalid = status.Count(s => s == PixelStatus.Invalid);
        if (rows.Length < 2)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"PCA needs at least 2 valid pixels; the stack has {rows.Length} ({invalid} invalid)."),
                nameof(stack));
        }

        return FitCore(x, rows.Length, stack.EnergyCount, options, invalid, cancellationToken);
    }

    /// <summary>Encodes spectra into principal-component coordinates (see remarks of <see cref="PcaEncoder"/>).</summary>
    /// <param name="spectra"><paramref name="count"/> rows of E floats.</param>
    /// <param name="count">Number of spectra.</param>
    /// <param name="destination"><paramref name="count"/> rows of <see cref="LatentDimension"/> floats.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative.</exception>
    /// <exception cref="ArgumentException">The input length is not count × E, or the destination is too short.</exception>
    public void Encode(ReadOnlySpan<float> spectra, int count, Span<float> destination)
    {
        CheckShapes(spectra, count, destination);
        int e = EnergyCount;
        int k = LatentDimension;

        Span<double> centred = stackalloc double[e];
        for (int i = 0; i < count; i++)
        {
            for (int j = 0; j < e; j++)
            {
                centred[j] = spectra[(i * e) + j] - _mean[j];
            }

            for (int t = 0; t < k; t++)
            {
                double v = 0;
                for (int j = 0; j < e; j++)
                {
                    v += _components[(t * e) + j] * centred[j];
                }

                destination[(i * k) + t] = (float)(v * _scale[t]);
            }
        }
    }

    /// <summary>Encodes float64 spectra (same as <see cref="Encode"/>, in double precision).</summary>
    /// <param name="spectra"><paramref name="count"/> rows of E values.</param>
    /// <param name="count">Number of spectra.</param>
    /// <param name="destination"><paramref name="count"/> rows of <see cref="LatentDimension"/> values.</param>
    /// <exception cref="ArgumentException">A length is wrong.</exception>
    public void Transform(ReadOnlySpan<double> spectra, int count, Span<double> destination)
    {
        CheckShapes(spectra, count, destination);
        int e = EnergyCount;
        int k = LatentDimension;

        for (int i = 0; i < count; i++)
        {
            for (int t = 0; t < k; t++)
            {
                double v = 0;
                for (int j = 0; j < e; j++)
                {
                    v += _components[(t * e) + j] * (spectra[(i * e) + j] - _mean[j]);
                }

                destination[(i * k) + t] = v * _scale[t];
            }
        }
    }

    /// <summary>
    /// The argument checks of <see cref="Encode"/> and <see cref="Transform"/>: count ≥ 0, count × E inputs, room for
    /// count × k outputs.
    /// </summary>
    private void CheckShapes<TIn, TOut>(ReadOnlySpan<TIn> spectra, int count, Span<TOut> destination)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (spectra.Length != (long)count * EnergyCount)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture,
                    $"Expected count × energies = {count} × {EnergyCount} values; got {spectra.Length}."), nameof(spectra));
        }

        if (destination.Length < (long)count * LatentDimension)
        {
            throw new ArgumentException("Destination is too short.", nameof(destination));
        }
    }

    private static PcaEncoder FitCore(double[] x, int n, int e, PcaOptions o, int invalid, CancellationToken ct)
    {
        int k = o.ComponentCount;
        int max = Math.Min(n, e);
        if (k > max)
        {
            throw new ArgumentOutOfRangeException(nameof(o), k,
                string.Create(CultureInfo.InvariantCulture, $"ComponentCount must be in [1, min(samples, energies) = {max}]; got {k}."));
        }

        int chunks = (n + ChunkRows - 1) / ChunkRows;
        double[] mean = new double[e];
        if (o.Center)
        {
            double[][] partialMean = new double[chunks][];
            Kernels.For(chunks, o.MaxDegreeOfParallelism, c =>
            {
                double[] acc = new double[e];
                int end = Math.Min(n, (c + 1) * ChunkRows);
                for (int i = c * ChunkRows; i < end; i++)
                {
                    for (int j = 0; j < e; j++)
                    {
                        acc[j] += x[((long)i * e) + j];
                    }
                }

                partialMean[c] = acc;
            }, ct);
            foreach (double[] acc in partialMean)
            {
                for (int j = 0; j < e; j++)
                {
                    mean[j] += acc[j];
                }
            }

            for (int j = 0; j < e; j++)
            {
                mean[j] /= n;
            }
        }

        double[][] partial = new double[chunks][];
        Kernels.For(chunks, o.MaxDegreeOfParallelism, c =>
        {
            double[] acc = new double[e * e];
            double[] d = new double[e];
            int end = Math.Min(n, (c + 1) * ChunkRows);
            for (int i = c * ChunkRows; i < end; i++)
            {
                for (int j = 0; j < e; j++)
                {
                    d[j] = x[((long)i * e) + j] - mean[j];
                }

                for (int a = 0; a < e; a++)
                {
                    double da = d[a];
                    for (int b = a; b < e; b++)
                    {
                        acc[(a * e) + b] += da * d[b];
                    }
                }
            }

            partial[c] = acc;
        }, ct);
        double[] scatter = new double[e * e];
        foreach (double[] acc in partial)
        {
            for (int i = 0; i < acc.Length; i++)
            {
                scatter[i] += acc[i];
            }
        }

        for (int a = 0; a < e; a++)
        {
            for (int b = a + 1; b < e; b++)
            {
                scatter[(b * e) + a] = scatter[(a * e) + b];
            }
        }

        double trace = 0;
        for (int a = 0; a < e; a++)
        {
            trace += scatter[(a * e) + a];
        }

        Evd<double> evd = Matrix<double>.Build.Dense(e, e, scatter).Evd(Symmetricity.Symmetric);
        double[] eig = evd.EigenValues.Select(z => z.Real).ToArray();
        int[] order = Enumerable.Range(0, e).OrderByDescending(i => eig[i]).ThenBy(i => i).ToArray();
        double[] components = new double[k * e];
        double[] variance = new double[k];
        double[] ratio = new double[k];
        double[] singular = new double[k];
        for (int t = 0; t < k; t++)
        {
            int col = order[t];
            double lambda = Math.Max(eig[col], 0);
            for (int j = 0; j < e; j++)
            {
                components[(t * e) + j] = evd.EigenVectors[j, col];
            }

            variance[t] = lambda / (n - 1);
            ratio[t] = trace > 0 ? lambda / trace : 0;
            singular[t] = Math.Sqrt(lambda);
        }

        // Sign convention of scikit-learn's svd_flip (u-based): the score of largest magnitude is positive.
        double[] bestAbs = new double[k];
        double[] bestVal = new double[k];
        for (int i = 0; i < n; i++)
        {
            for (int t = 0; t < k; t++)
            {
                double v = 0;
                for (int j = 0; j < e; j++)
                {
                    v += components[(t * e) + j] * (x[((long)i * e) + j] - mean[j]);
                }

                if (Math.Abs(v) > bestAbs[t])
                {
                    bestAbs[t] = Math.Abs(v);
                    bestVal[t] = v;
                }
            }
        }

        for (int t = 0; t < k; t++)
        {
            if (bestVal[t] < 0)
            {
                for (int j = 0; j < e; j++)
                {
                    components[(t * e) + j] = -components[(t * e) + j];
                }
            }
        }

        return new PcaEncoder(e, k, n, o.Whiten, mean, components, variance, ratio, singular, invalid);
    }
}
