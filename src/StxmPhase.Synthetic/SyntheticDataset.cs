using StxmPhase.Spectra;

namespace StxmPhase.Synthetic;

/// <summary>
/// A synthetic STXM stack with its ground truth, produced by
/// <see cref="SyntheticStackGenerator.Generate(SyntheticStackOptions, CancellationToken)"/>. Immutable.
/// </summary>
/// <remarks>
/// All maps (<see cref="Truth"/>, masks, <see cref="Thickness"/>, <see cref="MixingFractions"/>) are in the ground-truth frame;
/// with drift on, the image recorded at energy e shows that frame displaced by <see cref="DriftShifts"/>[e].
/// </remarks>
public sealed class SyntheticDataset
{
    private readonly double[] _i0;
    private readonly PixelShift[] _driftShifts;
    private readonly float[] _thickness;
    private readonly float[] _fractions;
    private readonly double[] _supportOd;
    private readonly double[] _absorptionOnStack;

    internal SyntheticDataset(
        SyntheticStackOptions options,
        SpectralStack transmission,
        SpectralStack opticalDensity,
        ReferenceSpectra references,
        ReferenceSpectra referencesOnStack,
        PhaseMap truth,
        PixelMask boundaryMask,
        PixelMask particleMask,
        double[] i0,
        PixelShift[] driftShifts,
        float[] thickness,
        float[] fractions,
        double[] supportOd,
        int particleCount)
    {
        Options = options;
        Transmission = transmission;
        OpticalDensity = opticalDensity;
        References = references;
        ReferencesOnStack = referencesOnStack;
        Truth = truth;
        BoundaryMask = boundaryMask;
        ParticleMask = particleMask;
        _i0 = i0;
        _driftShifts = driftShifts;
        _thickness = thickness;
        _fractions = fractions;
        _supportOd = supportOd;
        _absorptionOnStack = referencesOnStack.Values.ToArray();
        ParticleCount = particleCount;
    }

    /// <summary>This dataset with <paramref name="deltaOd"/> added to every value of <see cref="OpticalDensity"/> (an I0
    /// normalisation error; counts, truth and <see cref="I0"/> unchanged).</summary>
    internal SyntheticDataset WithBaselineError(double deltaOd)
    {
        float[] od = OpticalDensity.Data.ToArray();
        System.Numerics.Tensors.TensorPrimitives.Add(od, (float)deltaOd, od);
        var shifted = new SpectralStack(OpticalDensity.Energies, OpticalDensity.Width, OpticalDensity.Height, od, OpticalDensity.Quantity,
            OpticalDensity.Metadata);
        return new SyntheticDataset(Options, Transmission, shifted, References, ReferencesOnStack, Truth, BoundaryMask, ParticleMask, _i0,
            _driftShifts, _thickness, _fractions, _supportOd, ParticleCount) { ParticleIdArray = ParticleIdArray };
    }

    /// <summary>Gets the options the dataset was generated with.</summary>
    public SyntheticStackOptions Options { get; }

    /// <summary>Gets the noisy transmitted counts I (Poisson), <see cref="SpectralQuantity.Transmission"/>.</summary>
    public SpectralStack Transmission { get; }

    /// <summary>
    /// Gets the optical density computed from the noisy counts with the known per-energy <see cref="I0"/>:
    /// OD = −ln(max(I, ½) / I0) (<see cref="SpectralQuantity.OpticalDensity"/>). The half-count floor keeps OD finite where a
    /// pixel received no photon (only at very low dose).
    /// </summary>
    public SpectralStack OpticalDensity { get; }

    /// <summary>Gets the five reference spectra on the high-resolution grid (500–550 eV, 0.1 eV).</summary>
    public ReferenceSpectra References { get; }

    /// <summary>Gets the references evaluated exactly at the stack energies (the μ used to build the stack).</summary>
    public ReferenceSpectra ReferencesOnStack { get; }

    /// <summary>
    /// Gets the true phase of every pixel: the majority phase inside particles, <see cref="PhaseMap.Unassigned"/> (−1) on
    /// the bare support film. Phase names are those of the references.
    /// </summary>
    public PhaseMap Truth { get; }

    /// <summary>Gets the mixed (boundary) pixels: particle pixels whose composition contains two phases.</summary>
    public PixelMask BoundaryMask { get; }

    /// <summary>Gets the pixels covered by a particle (thickness &gt; 0).</summary>
    public PixelMask ParticleMask { get; }

    /// <summary>Gets the incident photon count per pixel at each stack energy (after beam decay and jitter).</summary>
    public IReadOnlyList<double> I0 => _i0;

    /// <summary>Gets the planted drift of each energy's image (all zero when drift is off; the first is always zero).</summary>
    public IReadOnlyList<PixelShift> DriftShifts => _driftShifts;

    /// <summary>
    /// Gets the particle of every pixel, row-major: 0 off particles, 1 … <see cref="ParticleCount"/> in placement order
    /// (per-particle truth: see <see cref="SyntheticParticleTruth.Compute(SyntheticDataset)"/>).
    /// </summary>
    public ReadOnlySpan<int> ParticleIds => ParticleIdArray;

    /// <summary>Gets the particle of every pixel (set by the generator).</summary>
    internal int[] ParticleIdArray { get; init; } = [];

    /// <summary>Gets the number of particles placed.</summary>
    public int ParticleCount { get; }

    /// <summary>Gets the particle thickness of each pixel in OD units (0 off particles), row-major.</summary>
    public ReadOnlyMemory<float> Thickness => _thickness;

    /// <summary>
    /// Gets the true volume fraction of each phase in each pixel, phase-major: element <c>p · PixelCount + i</c> is the fraction
    /// of phase p in pixel i. Fractions of a particle pixel sum to 1; all are 0 off particles.
    /// </summary>
    public ReadOnlyMemory<float> MixingFractions => _fractions;

    /// <summary>Returns the true fractions of phase <paramref name="phase"/>, one per pixel, row-major.</summary>
    /// <param name="phase">Phase index.</param>
    /// <returns>The fractions.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="phase"/> is outside [0, phase count).</exception>
    public ReadOnlySpan<float> FractionsOf(int phase)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(phase);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(phase, Truth.PhaseCount);
        return _fractions.AsSpan(phase * Truth.PixelCount, Truth.PixelCount);
    }

    /// <summary>
    /// Returns the noiseless optical density of a pixel of the ground-truth frame at a stack energy (no drift applied):
    /// OD = c<sub>film</sub>(E) + t · Σ<sub>p</sub> f<sub>p</sub> μ<sub>p</sub>(E).
    /// </summary>
    /// <param name="pixelIndex">Pixel index y · Width + x.</param>
    /// <param name="energyIndex">Index into the stack energies.</param>
    /// <returns>The expected optical density.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An index is out of range.</exception>
    public double NoiselessOpticalDensity(int pixelIndex, int energyIndex)
    {
        int n = Truth.PixelCount;
        int energies = _supportOd.Length;
        ArgumentOutOfRangeException.ThrowIfNegative(pixelIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(pixelIndex, n);
        ArgumentOutOfRangeException.ThrowIfNegative(energyIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(energyIndex, energies);
        double mix = 0;
        for (int p = 0; p < Truth.PhaseCount; p++)
        {
            mix += _fractions[(p * n) + pixelIndex] * _absorptionOnStack[(p * energies) + energyIndex];
        }

        return _supportOd[energyIndex] + (_thickness[pixelIndex] * mix);
    }
}
