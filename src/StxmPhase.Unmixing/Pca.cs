using System.Globalization;
using StxmPhase.Spectra;

namespace StxmPhase.Unmixing;

/// <summary>
/// Principal component analysis of spectra: the estimator (options, validated once here) whose <c>Fit</c> returns an
/// immutable <see cref="PcaEncoder"/>, the fitted projection (see its remarks for the method). scikit-learn's
/// <c>PCA(n_components, whiten)</c>.
/// </summary>
/// <example>
/// <code>
/// var pca = new Pca(new PcaOptions { ComponentCount = 3 });
/// PcaEncoder encoder = pca.Fit(odStack, particleMask);
/// var z = new float[count * encoder.LatentDimension];
/// encoder.Encode(spectra, count, z);
/// </code>
/// </example>
public sealed class Pca
{
    /// <summary>Initializes the estimator and validates its options (the bound k ≤ min(samples, energies) is checked when fitting).</summary>
    /// <param name="options">Options; <see langword="null"/> = <see cref="PcaOptions.Default"/> (3 centred components, not whitened).</param>
    /// <exception cref="ArgumentOutOfRangeException">ComponentCount is below 1, or MaxDegreeOfParallelism is 0 or below −1;
    /// the message names the option and the value.</exception>
    public Pca(PcaOptions? options = null)
    {
        Options = options ?? PcaOptions.Default;
        if (Options.ComponentCount < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), Options.ComponentCount,
                string.Create(CultureInfo.InvariantCulture, $"PcaOptions.ComponentCount must be at least 1; got {Options.ComponentCount}."));
        }

        Parallelism.ThrowIfInvalid(Options.MaxDegreeOfParallelism, nameof(options), "PcaOptions.MaxDegreeOfParallelism");
    }

    /// <summary>Gets the options (validated).</summary>
    public PcaOptions Options { get; }

    /// <summary>Fits PCA on pixel-major spectra.</summary>
    /// <param name="spectra"><paramref name="count"/> rows of <paramref name="energyCount"/> floats.</param>
    /// <param name="count">Number of spectra, at least 2.</param>
    /// <param name="energyCount">Number of energies E.</param>
    /// <param name="cancellationToken">Cancels between chunks.</param>
    /// <returns>The fitted encoder.</returns>
    /// <exception cref="ArgumentOutOfRangeException">count &lt; 2, E &lt; 1, or the component count exceeds min(count, E).</exception>
    /// <exception cref="ArgumentException">The span length is wrong or a value is NaN/±∞ (the message names the row).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public PcaEncoder Fit(ReadOnlySpan<float> spectra, int count, int energyCount, CancellationToken cancellationToken = default) =>
        PcaEncoder.Fit(spectra, count, energyCount, Options, cancellationToken);

    /// <summary>Fits PCA on the spectra of the included, finite pixels of a stack.</summary>
    /// <param name="stack">The stack (energy-major).</param>
    /// <param name="mask">Optional mask of the pixels to use.</param>
    /// <param name="cancellationToken">Cancels between chunks.</param>
    /// <returns>The fitted encoder; <see cref="PcaEncoder.InvalidCount"/> counts the skipped NaN/∞ pixels.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="stack"/> is <see langword="null"/>.</exception>
    /// <exception cref="IncompatibleInputException">The mask size differs from the stack size.</exception>
    /// <exception cref="ArgumentException">Fewer than 2 usable pixels.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The component count exceeds min(pixels, E).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public PcaEncoder Fit(SpectralStack stack, PixelMask? mask = null, CancellationToken cancellationToken = default) =>
        PcaEncoder.Fit(stack, mask, Options, cancellationToken);
}
