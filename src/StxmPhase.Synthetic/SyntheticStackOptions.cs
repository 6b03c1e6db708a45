using StxmPhase.Spectra;

namespace StxmPhase.Synthetic;

/// <summary>
/// Options of <see cref="SyntheticStackGenerator.Generate(SyntheticStackOptions, CancellationToken)"/>. Every property has a
/// documented default; an options object is immutable once created.
/// </summary>
/// <example>
/// <code>
/// var data = SyntheticStackGenerator.Generate(new SyntheticStackOptions { Width = 128, Height = 128, Dose = 500, Seed = 7 });
/// SpectralStack od = data.OpticalDensity;   // 13 energies, OD = −ln(I / I0)
/// PhaseMap truth = data.Truth;              // −1 outside particles
/// </code>
/// </example>
public sealed class SyntheticStackOptions
{
    /// <summary>Gets the image width in pixels. Default 256.</summary>
    public int Width { get; init; } = 256;

    /// <summary>Gets the image height in pixels. Default 256.</summary>
    public int Height { get; init; } = 256;

    /// <summary>
    /// Gets the energies of the stack, or <see langword="null"/> (default) for
    /// <see cref="NaVanadiumFluorophosphateReferences.DefaultEnergies"/> (13 characteristic energies). Every energy must lie within
    /// the high-resolution reference range, 500–550 eV.
    /// </summary>
    public EnergyAxis? Energies { get; init; }

    /// <summary>Gets the number of particles, 1–64. Default 6.</summary>
    public int ParticleCount { get; init; } = 6;

    /// <summary>
    /// Gets the smallest particle semi-axis as a fraction of min(Width, Height), in (0, 0.5]. Default 0.07.
    /// </summary>
    public double MinParticleRadiusFraction { get; init; } = 0.07;

    /// <summary>
    /// Gets the largest particle semi-axis as a fraction of min(Width, Height), in [<see cref="MinParticleRadiusFraction"/>, 0.5].
    /// Default 0.16.
    /// </summary>
    public double MaxParticleRadiusFraction { get; init; } = 0.16;

    /// <summary>
    /// Gets the thickness at the centre of the thickest particle, in "OD units": the optical density the particle centre has at
    /// the strongest absorption of the references (each particle draws its own centre thickness uniformly in
    /// [0.6, 1] × this value). Must be positive and at most 10. Default 1.5.
    /// </summary>
    /// <remarks>The profile is a dome, t(ρ) = t<sub>max</sub>·√(1 − ρ²), ρ the normalised radial coordinate of the particle.</remarks>
    public double MaxThicknessOd { get; init; } = 1.5;

    /// <summary>
    /// Gets the optical density of the carbon support film at 525 eV, present under every pixel (0 disables it; at most 1).
    /// Default 0.05.
    /// </summary>
    public double SupportFilmOd { get; init; } = 0.05;

    /// <summary>Gets how phase domains are arranged inside particles. Default <see cref="DomainLayout.CoreShell"/>.</summary>
    public DomainLayout DomainLayout { get; init; } = DomainLayout.CoreShell;

    /// <summary>Gets the number of Voronoi domains per particle for <see cref="DomainLayout.Voronoi"/>, 2–5. Default 3.</summary>
    public int DomainsPerParticle { get; init; } = 3;

    /// <summary>
    /// Gets the width in pixels of the transition zone between two domains, in [0, 64]. Across it the composition goes linearly
    /// from one phase to the other; pixels with both phases present are the boundary (mixed) pixels. 0 gives sharp domain
    /// boundaries and no mixed pixels. Default 3.
    /// </summary>
    public double BoundaryWidthPixels { get; init; } = 3.0;

    /// <summary>
    /// Gets the incident photon count per pixel and energy, I0 (before beam decay and jitter), in (0, 1e9]. Default 2000.
    /// </summary>
    public double Dose { get; init; } = 2000.0;

    /// <summary>
    /// Gets the linear beam decay over the scan, in [0, 0.9]: I0 falls from <see cref="Dose"/> at the first energy to
    /// (1 − BeamDecayFraction) × Dose at the last. Default 0 (no decay).
    /// </summary>
    public double BeamDecayFraction { get; init; }

    /// <summary>
    /// Gets the relative standard deviation of a random per-energy I0 fluctuation, in [0, 0.2] (multiplies I0 by
    /// 1 + jitter·z, z standard normal, clamped to ±3). Default 0.
    /// </summary>
    public double I0JitterFraction { get; init; }

    /// <summary>
    /// Gets the standard deviation in pixels of each per-energy step of a random-walk stage drift, in [0, 16]. The first energy
    /// has no shift; the planted shifts are reported in <see cref="SyntheticDataset.DriftShifts"/>. Images are resampled with
    /// bilinear interpolation (edge pixels repeat). Default 0 (off).
    /// </summary>
    public double DriftPixels { get; init; }

    /// <summary>
    /// Gets the monochromator calibration error in eV, in [−2, 2]: the stack's nominal energy E was really measured at photon
    /// energy E + EnergyOffsetEv (so a positive value means the stack's energy scale reads low compared with the references').
    /// The pipeline's estimated <c>energy_offset_eV</c> has the same sign. Default 0 (off).
    /// </summary>
    public double EnergyOffsetEv { get; init; }

    /// <summary>
    /// Gets the shift in eV per unit oxidation coordinate q of the O K pre-edge peaks (t<sub>2g</sub> 529.4 eV, e<sub>g</sub>
    /// 531.0 eV at q = 0) of the sample and of the dataset's references, in [−2, 2]. Default +0.4, the reference model's
    /// (docs/synthetic-data.md). The O K literature has the pre-edge of a more oxidised transition metal at lower energy
    /// (Roychoudhury et al., Energy Environ. Mater. 2021, 10.1002/eem2.12119): <see cref="MultiEdgeOptions"/> uses −0.8 for its
    /// O K stack. Only the O K pre-edge moves; every other default evaluation keeps +0.4.
    /// </summary>
    public double OxygenPreEdgeShiftEv { get; init; } = NaVanadiumFluorophosphateReferences.DefaultOxygenPreEdgeShiftEv;

    /// <summary>
    /// Gets the standard deviation in eV of an independent per-energy monochromator error, in [0, 0.5] (added to
    /// <see cref="EnergyOffsetEv"/>; normal draws clamped to ±3σ). Default 0 (off).
    /// </summary>
    public double EnergyJitterEv { get; init; }

    /// <summary>
    /// Gets the full width at half maximum in eV of a Gaussian instrument broadening of the sample's spectra, in [0, 3]: the
    /// sample is measured with a coarser energy resolution than the references (which stay unbroadened). Default 0 (off).
    /// </summary>
    public double SpectralBroadeningEv { get; init; }

    /// <summary>
    /// Gets the fraction h of higher-harmonic photons in the beam, in [0, 0.5]: the expected intensity is
    /// I = I0·[(1 − h)·e<sup>−OD</sup> + h·e<sup>−κ·OD</sup>] with κ = <see cref="HarmonicAbsorptionRatio"/>, so the measured OD
    /// saturates in thick regions (combine with a large <see cref="MaxThicknessOd"/>). Default 0 (off).
    /// </summary>
    public double HarmonicFraction { get; init; }

    /// <summary>
    /// Gets κ, the ratio of the higher harmonic's absorption to the fundamental's, in [0, 1]. Used only when
    /// <see cref="HarmonicFraction"/> is positive. Default 0.1.
    /// </summary>
    public double HarmonicAbsorptionRatio { get; init; } = 0.1;

    /// <summary>
    /// Gets the largest optical density at 532 eV of a carbon/CEI contamination layer on the particles, in [0, 2]: its thickness
    /// varies smoothly over the image between 0.2 and 1 times this value inside particles (0 outside), and it absorbs with
    /// <see cref="NaVanadiumFluorophosphateReferences.CarbonLayerAbsorption(double)"/> (a C=O π* peak at 532 eV on a smooth
    /// background). Default 0 (off).
    /// </summary>
    public double CarbonLayerOd { get; init; }

    /// <summary>
    /// Gets the full width at half maximum in pixels of a Gaussian point-spread function (the zone-plate focus) that blurs the
    /// transmitted intensity of every energy, in [0, 16]. Default 0 (off).
    /// </summary>
    public double PsfFwhmPixels { get; init; }

    /// <summary>
    /// Gets the fraction of particle mass lost to beam damage by the last energy, in [0, 0.9]: energies are acquired in axis
    /// order and the absorber amount at energy index e is multiplied by 1 − BeamDamageFraction·e/(E − 1). Default 0 (off).
    /// </summary>
    /// <remarks>The I0 drift over the scan is <see cref="BeamDecayFraction"/> and <see cref="I0JitterFraction"/>.</remarks>
    public double BeamDamageFraction { get; init; }

    /// <summary>
    /// Gets a value indicating whether any measurement effect of issue 16 (energy, broadening, harmonics, carbon, PSF, damage) is on.
    /// </summary>
    internal bool HasMeasurementEffects =>
        EnergyOffsetEv != 0 || EnergyJitterEv > 0 || SpectralBroadeningEv > 0 || HarmonicFraction > 0 || CarbonLayerOd > 0
        || PsfFwhmPixels > 0 || BeamDamageFraction > 0;

    /// <summary>Gets the seed of all random choices; equal options give bit-identical datasets. Default 42.</summary>
    public int Seed { get; init; } = 42;

    /// <summary>Gets the largest number of threads used, or −1 (default) for no limit. The output does not depend on it.</summary>
    public int MaxDegreeOfParallelism { get; init; } = -1;
}
