namespace StxmPhase;

/// <summary>The statistics of one particle (one row of <c>particles.csv</c>). Immutable.</summary>
/// <param name="Particle">The particle label, 1 … N (see <see cref="Spectra.ParticleLabels"/>).</param>
/// <param name="Pixels">The number of pixels of the particle.</param>
/// <param name="CentroidX">The mean column of its pixels (pixel units, 0 = first column).</param>
/// <param name="CentroidY">The mean row of its pixels.</param>
/// <param name="AreaSquareMicrometres">Pixels × pixel area, when the stack's pixel size is known; otherwise <see langword="null"/>.</param>
/// <param name="Fractions">Per phase: the fraction of the particle's pixels labelled with it (pixel-weighted).</param>
/// <param name="MassFractions">Per phase: the share of the particle's absorber amount (see
/// <see cref="ParticleAnalysis.AbsorberAmount(Spectra.SpectralStack, Spectra.PixelMask)"/>) carried by pixels labelled with it,
/// over the amount of its assigned pixels; all 0 when that amount is 0.</param>
/// <param name="Unassigned">The fraction of the particle's pixels without a phase; <c>Unassigned + Σ Fractions = 1</c>.</param>
/// <param name="CompositionMean">The mean of the composition coordinate over the particle's pixels where it is defined, when a
/// composition map was given; otherwise <see langword="null"/> (NaN when no pixel of the particle has one).</param>
/// <param name="CompositionSd">The standard deviation (population) of the composition coordinate over those pixels, or
/// <see langword="null"/> as <paramref name="CompositionMean"/>.</param>
public sealed record ParticleStatistics(
    int Particle,
    int Pixels,
    double CentroidX,
    double CentroidY,
    double? AreaSquareMicrometres,
    IReadOnlyList<double> Fractions,
    IReadOnlyList<double> MassFractions,
    double Unassigned,
    double? CompositionMean,
    double? CompositionSd);
