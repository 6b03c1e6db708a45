using System.Globalization;

namespace StxmPhase.Spectra;

/// <summary>
/// Where the incident intensity I0 for <see cref="OpticalDensity.FromTransmission(SpectralStack, OpticalDensityOptions?, CancellationToken)"/>
/// comes from: estimated automatically, averaged over a caller's sample-free region, a given spectrum (one value per
/// energy), or a per-pixel I0 image stack. Immutable; create it with the static factories.
/// </summary>
public sealed class I0Source
{
    private readonly double[]? _spectrum;
    private readonly ReferenceSpectra? _tabulated;

    private I0Source(I0SourceKind kind, double[]? spectrum, SpectralStack? images, PixelMask? region, I0EstimationOptions? estimation,
        ReferenceSpectra? tabulated = null)
    {
        _tabulated = tabulated;
        Kind = kind;
        _spectrum = spectrum;
        Images = images;
        Region = region;
        EstimationOptions = estimation;
    }

    /// <summary>Gets how I0 is obtained.</summary>
    public I0SourceKind Kind { get; }

    /// <summary>Gets the I0 spectrum for <see cref="I0SourceKind.Spectrum"/>; otherwise <see langword="null"/>.</summary>
    public IReadOnlyList<double>? Spectrum => _spectrum;

    /// <summary>Gets the energies of <see cref="Spectrum"/> when it was given on its own axis; <see langword="null"/> when it
    /// is given per stack energy.</summary>
    public EnergyAxis? SpectrumEnergies => _tabulated?.Energies;

    /// <summary>Gets the I0 image stack for <see cref="I0SourceKind.Images"/>; otherwise <see langword="null"/>.</summary>
    public SpectralStack? Images { get; }

    /// <summary>Gets the sample-free region for <see cref="I0SourceKind.Region"/>; otherwise <see langword="null"/>.</summary>
    public PixelMask? Region { get; }

    /// <summary>Gets the estimation options for <see cref="I0SourceKind.Auto"/> and <see cref="I0SourceKind.Region"/>
    /// (<see langword="null"/> = defaults).</summary>
    public I0EstimationOptions? EstimationOptions { get; }

    /// <summary>I0 estimated automatically from the brightest pixels of the mean image (see <see cref="I0Estimator"/>).</summary>
    /// <param name="options">Estimation options; <see langword="null"/> for the defaults.</param>
    /// <returns>The source.</returns>
    public static I0Source Auto(I0EstimationOptions? options = null) => new(I0SourceKind.Auto, null, null, null, options);

    /// <summary>I0 per energy averaged over the caller's sample-free pixels.</summary>
    /// <param name="sampleFree">The sample-free pixels (same size as the stack, at least one pixel included).</param>
    /// <param name="options">Selects the statistic (<see cref="I0EstimationOptions.Statistic"/>); <see langword="null"/> for the defaults.</param>
    /// <returns>The source.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="sampleFree"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The mask includes no pixel.</exception>
    public static I0Source FromRegion(PixelMask sampleFree, I0EstimationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(sampleFree);
        if (sampleFree.Count == 0)
        {
            throw new ArgumentException("The sample-free mask must include at least one pixel.", nameof(sampleFree));
        }

        return new(I0SourceKind.Region, null, null, sampleFree, options);
    }

    /// <summary>I0 given as one value per energy (e.g. read from an I0 file and interpolated onto the stack energies).</summary>
    /// <param name="i0PerEnergy">One I0 per stack energy, in the same (normalised) units as the transmission.</param>
    /// <returns>The source.</returns>
    /// <exception cref="ArgumentException">The spectrum is empty.</exception>
    /// <remarks>Values ≤ 0 or non-finite are not rejected: every pixel at that energy becomes invalid and is counted.</remarks>
    public static I0Source FromSpectrum(ReadOnlySpan<double> i0PerEnergy)
    {
        if (i0PerEnergy.IsEmpty)
        {
            throw new ArgumentException("The I0 spectrum must contain at least one value.", nameof(i0PerEnergy));
        }

        return new(I0SourceKind.Spectrum, i0PerEnergy.ToArray(), null, null, null);
    }

    /// <summary>
    /// I0 given as a spectrum on its own energy axis (e.g. an I0 scan or SDF .xsp point spectrum), linearly interpolated
    /// onto the stack energies when the OD is computed.
    /// </summary>
    /// <param name="energies">The energies of <paramref name="i0"/>.</param>
    /// <param name="i0">One finite I0 value per energy, in the same (normalised) units as the transmission.</param>
    /// <returns>The source.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="energies"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The lengths differ or a value is not finite.</exception>
    /// <remarks>Interpolation as <see cref="ReferenceSpectra.ResampleTo(EnergyAxis, double)"/> (0.05 eV tolerance at the
    /// ends); a stack energy outside the I0 range makes the conversion throw <see cref="IncompatibleEnergiesException"/>.</remarks>
    public static I0Source FromSpectrum(EnergyAxis energies, ReadOnlySpan<double> i0)
    {
        ArgumentNullException.ThrowIfNull(energies);
        var spectrum = new ReferenceSpectra(energies, ["I0"], i0);
        return new(I0SourceKind.Spectrum, i0.ToArray(), null, null, null, spectrum);
    }

    /// <summary>I0 given per pixel and energy (e.g. reference images of an empty field, full-field / Xradia style).</summary>
    /// <param name="i0Images">A stack of the same energies count and size as the transmission stack.</param>
    /// <returns>The source.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="i0Images"/> is <see langword="null"/>.</exception>
    public static I0Source FromImages(SpectralStack i0Images)
    {
        ArgumentNullException.ThrowIfNull(i0Images);
        return new(I0SourceKind.Images, null, i0Images, null, null);
    }

    /// <summary>I0 per stack energy for <see cref="I0SourceKind.Spectrum"/>, interpolated when given on its own axis.</summary>
    internal double[] SpectrumOn(EnergyAxis stackEnergies) =>
        _tabulated is null ? [.. _spectrum!] : _tabulated.ResampleTo(stackEnergies).Values.ToArray();

    internal void Validate(SpectralStack stack, string paramName)
    {
        switch (Kind)
        {
            case I0SourceKind.Spectrum when _tabulated is null && _spectrum!.Length != stack.EnergyCount:
                throw new ArgumentException(
                    string.Create(CultureInfo.InvariantCulture,
                        $"The I0 spectrum must hold one value per stack energy ({stack.EnergyCount}); got {_spectrum.Length}."),
                    paramName);
            case I0SourceKind.Images when Images!.EnergyCount != stack.EnergyCount || Images.Width != stack.Width || Images.Height != stack.Height:
                throw new ArgumentException(
                    string.Create(CultureInfo.InvariantCulture,
                        $"The I0 image stack ({Images.EnergyCount} energies, {Images.Width}×{Images.Height}) must match the transmission stack " +
                        $"({stack.EnergyCount} energies, {stack.Width}×{stack.Height})."),
                    paramName);
            case I0SourceKind.Region when Region!.Width != stack.Width || Region.Height != stack.Height:
                ThrowHelper.SizeMismatch(paramName, stack.Width, stack.Height, Region.Width, Region.Height);
                break;
            default:
                break;
        }
    }
}
