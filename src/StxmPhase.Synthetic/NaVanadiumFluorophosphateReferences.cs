using System.Globalization;
using StxmPhase.Spectra;

namespace StxmPhase.Synthetic;

/// <summary>
/// A parametric model of the V L<sub>2,3</sub>- and O K-edge absorption of the Na<sub>x</sub>V<sub>2</sub>(PO<sub>4</sub>)<sub>2</sub>F<sub>3</sub>
/// (NVPF) desodiation series — phases "Na3.0", "Na2.4", "Na2.0", "Na1.0" and "Na1-y" — used as the ground-truth
/// reference spectra of synthetic stacks.
/// </summary>
/// <remarks>
/// <para>
/// Each phase p has an effective oxidation coordinate q<sub>p</sub> ∈ [0, 1] (0 for Na3.0 ≈ V<sup>3+</sup>,
/// 0.25 Na2.4, 0.5 Na2.0, 0.75 Na1.0 ≈ V<sup>4+</sup>, 1 for Na1-y with V<sup>5+</sup>-like character). The absorption per
/// unit thickness is
/// </para>
/// <para>
/// μ<sub>p</sub>(E) = (1/N) · [ B·(E / 500 eV)<sup>−3</sup>
/// + Σ<sub>j</sub> h<sub>j</sub>·S(E; s<sub>j</sub> + σ<sub>j</sub>q<sub>p</sub>, γ<sub>j</sub>)
/// + Σ<sub>k</sub> (a<sub>k</sub> + α<sub>k</sub>q<sub>p</sub>)·V(E; c<sub>k</sub> + β<sub>k</sub>q<sub>p</sub>, w<sub>k</sub>, η<sub>k</sub>) ]
/// </para>
/// <para>
/// with the arctangent edge step S(E; s, γ) = ½ + atan((E − s)/γ)/π (V L<sub>3</sub>, V L<sub>2</sub> and O K continua), the
/// peak-normalised pseudo-Voigt V(E; c, w, η) = η/(1 + 4u²) + (1 − η)·exp(−4 ln2·u²), u = (E − c)/w, and a smooth
/// pre-edge background B·(E/500)<sup>−3</sup> (tails of lower-energy edges). White lines shift to higher energy by
/// 1.2 eV over the series (0.3 eV per step), the high-energy L<sub>3</sub> shoulder and the O K pre-edge peaks
/// (t<sub>2g</sub> ≈ 529.4 eV, e<sub>g</sub> ≈ 531 eV) grow with oxidation, the low-energy L<sub>3</sub> shoulder shrinks.
/// N normalises the model so that the largest value of any phase on <see cref="HighResolutionEnergies"/> is exactly 1:
/// thickness expressed in "OD units" then equals the optical density at the strongest absorption. The full parameter table
/// is in docs/synthetic-data.md.
/// </para>
/// <para>
/// Neighbouring phases are deliberately similar (Pearson correlation ≈ 0.98 on the high-resolution grid and 0.94–0.97 on
/// <see cref="DefaultEnergies"/>) while the extremes are distinct (≈ 0.72 and ≈ 0.42), so that correlation-based phase
/// assignment becomes ambiguous for noisy or mixed pixels. This is a plausible model, not measured data.
/// </para>
/// </remarks>
public static class NaVanadiumFluorophosphateReferences
{
    /// <summary>The lowest energy of <see cref="HighResolutionEnergies"/> in eV.</summary>
    public const double HighResolutionMinimumEv = 500.0;

    /// <summary>The highest energy of <see cref="HighResolutionEnergies"/> in eV.</summary>
    public const double HighResolutionMaximumEv = 550.0;

    /// <summary>The step of <see cref="HighResolutionEnergies"/> in eV.</summary>
    public const double HighResolutionStepEv = 0.1;

    private const double BackgroundAmplitude = 0.06;

    /// <summary>The model's shift of the O K pre-edge peaks (t<sub>2g</sub>, e<sub>g</sub>) in eV per unit q (the table's β).</summary>
    internal const double DefaultOxygenPreEdgeShiftEv = 0.4;

    private const int FirstOxygenPreEdgePeak = 5, LastOxygenPreEdgePeak = 6;

    private static readonly string[] s_phaseNames = ["Na3.0", "Na2.4", "Na2.0", "Na1.0", "Na1-y"];

    private static readonly double[] s_oxidation = [0.0, 0.25, 0.5, 0.75, 1.0];

    // Edge steps: (onset s_j in eV, shift σ_j in eV per unit q, width γ_j in eV, height h_j).
    private static readonly (double Onset, double Shift, double Width, double Height)[] s_steps =
    [
        (517.2, 1.2, 0.6, 0.10), // V L3 continuum
        (524.2, 1.2, 0.9, 0.05), // V L2 continuum
        (532.5, 0.3, 1.2, 0.16), // O K continuum
    ];

    // Peaks: (centre c_k eV, shift β_k eV per unit q, FWHM w_k eV, Lorentz fraction η_k, amplitude a_k, amplitude slope α_k).
    private static readonly (double Center, double Shift, double Fwhm, double Eta, double Amplitude, double Slope)[] s_peaks =
    [
        (516.0, 0.6, 1.7, 0.3, 0.35, -0.12), // V L3 low-energy shoulder (t2g-like, V3+ signature)
        (517.5, 1.2, 2.0, 0.3, 1.00, -0.10), // V L3 white line
        (519.0, 1.2, 1.9, 0.3, 0.28, 0.16),  // V L3 high-energy shoulder (eg-like, grows with oxidation)
        (523.4, 0.6, 1.6, 0.4, 0.18, -0.06), // V L2 low-energy shoulder
        (524.8, 1.2, 2.6, 0.4, 0.55, 0.00),  // V L2 white line (Coster–Kronig broadened)
        (529.4, 0.4, 1.1, 0.2, 0.14, 0.16),  // O K pre-edge t2g (V 3d–O 2p hybridisation)
        (531.0, 0.4, 1.4, 0.2, 0.12, 0.10),  // O K pre-edge eg
        (535.5, 0.0, 4.5, 0.2, 0.22, 0.00),  // O K main edge (σ*)
    ];

    private static readonly double s_normalisation = ComputeNormalisation();

    private static readonly EnergyAxis s_highResolution = CreateHighResolutionAxis();

    private static readonly EnergyAxis s_default = new(
    [
        505.0,                        // pre-edge (as in the paper, below V L3)
        515.5, 516.5, 517.3, 518.2, 519.2, // across V L3: low shoulder, rising edge, white line, high side, eg shoulder
        523.5, 524.6, 525.8,          // across V L2
        529.4, 530.3, 531.3,          // O K pre-edge: t2g, between, eg
        534.5,                        // O K main edge
    ]);

    /// <summary>Gets the phase names in phase-index order: "Na3.0", "Na2.4", "Na2.0", "Na1.0", "Na1-y" (decreasing Na content).</summary>
    public static IReadOnlyList<string> PhaseNames => s_phaseNames;

    /// <summary>Gets the number of phases (5).</summary>
    public static int PhaseCount => s_phaseNames.Length;

    /// <summary>Gets the effective oxidation coordinate q of each phase, in phase-index order: 0, 0.25, 0.5, 0.75, 1.</summary>
    public static IReadOnlyList<double> OxidationCoordinates => s_oxidation;

    /// <summary>
    /// Gets the high-resolution energy grid: 500.0 to 550.0 eV in 0.1 eV steps (501 energies), covering the pre-edge, the
    /// V L<sub>2,3</sub> edges and the O K edge.
    /// </summary>
    public static EnergyAxis HighResolutionEnergies => s_highResolution;

    /// <summary>
    /// Gets the default sparse set of 13 characteristic energies (eV): 505.0 (pre-edge); 515.5, 516.5, 517.3, 518.2,
    /// 519.2 (V L<sub>3</sub>); 523.5, 524.6, 525.8 (V L<sub>2</sub>); 529.4, 530.3, 531.3 (O K pre-edge); 534.5 (O K edge).
    /// </summary>
    /// <remarks>Like the paper's 13 energies: one below the V L<sub>3</sub> edge, the rest where the phases differ most.</remarks>
    public static EnergyAxis DefaultEnergies => s_default;

    /// <summary>Returns the five reference spectra tabulated on <see cref="HighResolutionEnergies"/>.</summary>
    /// <returns>The references (absorption per unit thickness; the largest value is 1).</returns>
    public static ReferenceSpectra HighResolution() => Evaluate(s_highResolution);

    /// <summary>Evaluates the analytic model of every phase exactly at <paramref name="energies"/> (no interpolation).</summary>
    /// <param name="energies">Any energies in eV.</param>
    /// <returns>The references on <paramref name="energies"/>, phase names as <see cref="PhaseNames"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="energies"/> is <see langword="null"/>.</exception>
    public static ReferenceSpectra Evaluate(EnergyAxis energies) => Evaluate(energies, DefaultOxygenPreEdgeShiftEv);

    /// <summary><see cref="Evaluate(EnergyAxis)"/> with the O K pre-edge peaks shifting by <paramref name="oxygenShiftEv"/> eV per
    /// unit q (<see cref="SyntheticStackOptions.OxygenPreEdgeShiftEv"/>).</summary>
    internal static ReferenceSpectra Evaluate(EnergyAxis energies, double oxygenShiftEv)
    {
        ArgumentNullException.ThrowIfNull(energies);
        double[] values = new double[s_phaseNames.Length * energies.Count];
        for (int p = 0; p < s_phaseNames.Length; p++)
        {
            for (int e = 0; e < energies.Count; e++)
            {
                values[(p * energies.Count) + e] = Unnormalised(s_oxidation[p], energies[e], oxygenShiftEv) / s_normalisation;
            }
        }

        return new ReferenceSpectra(energies, s_phaseNames, values);
    }

    /// <summary>Returns the absorption per unit thickness μ<sub>p</sub>(E) of phase <paramref name="phase"/> at one energy.</summary>
    /// <param name="phase">Phase index in [0, <see cref="PhaseCount"/>).</param>
    /// <param name="energyEv">Photon energy in eV (finite, positive).</param>
    /// <returns>μ<sub>p</sub>(E), dimensionless OD per unit thickness.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="phase"/> is out of range, or <paramref name="energyEv"/> is
    /// not finite and positive.</exception>
    public static double Absorption(int phase, double energyEv)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(phase);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(phase, s_phaseNames.Length);
        ThrowIfBadEnergy(energyEv);
        return Unnormalised(s_oxidation[phase], energyEv) / s_normalisation;
    }

    /// <summary>
    /// Returns the relative absorption of the thin carbon support film, c(E) = (E / 525 eV)<sup>−2.7</sup>: smooth and
    /// featureless above the C K edge (≈ 1.13 at 500 eV, 0.88 at 550 eV).
    /// </summary>
    /// <param name="energyEv">Photon energy in eV (finite, positive).</param>
    /// <returns>The relative absorption (1 at 525 eV).</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="energyEv"/> is not finite and positive.</exception>
    public static double SupportFilmAbsorption(double energyEv)
    {
        ThrowIfBadEnergy(energyEv);
        return Math.Pow(energyEv / 525.0, -2.7);
    }

    /// <summary>
    /// Returns the relative absorption of a carbon/CEI (cathode–electrolyte interphase) contamination layer: a C=O π* peak at
    /// 532.0 eV (pseudo-Voigt, FWHM 1.2 eV) on a smooth carbon background (E / 532 eV)<sup>−2.7</sup> and an O K σ* step at
    /// 538 eV; normalised to 1 at 532 eV.
    /// </summary>
    /// <param name="energyEv">Photon energy in eV (finite, positive).</param>
    /// <returns>The relative absorption (1 at 532 eV).</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="energyEv"/> is not finite and positive.</exception>
    public static double CarbonLayerAbsorption(double energyEv)
    {
        ThrowIfBadEnergy(energyEv);
        return UnnormalisedCarbon(energyEv) / UnnormalisedCarbon(532.0);
    }

    /// <summary>
    /// μ<sub>p</sub>(E) convolved with a Gaussian of full width at half maximum <paramref name="fwhmEv"/> (0 returns the
    /// unbroadened value): 81-point quadrature over ±4σ with normalised Gaussian weights.
    /// </summary>
    internal static double BroadenedAbsorption(int phase, double energyEv, double fwhmEv, double oxygenShiftEv = DefaultOxygenPreEdgeShiftEv) =>
        Broadened(e => Unnormalised(s_oxidation[phase], e, oxygenShiftEv) / s_normalisation, energyEv, fwhmEv);

    /// <summary>The carbon-layer absorption broadened like <see cref="BroadenedAbsorption(int, double, double, double)"/>.</summary>
    internal static double BroadenedCarbonLayerAbsorption(double energyEv, double fwhmEv) =>
        Broadened(e => UnnormalisedCarbon(e) / UnnormalisedCarbon(532.0), energyEv, fwhmEv);

    private static double Broadened(Func<double, double> spectrum, double energyEv, double fwhmEv)
    {
        if (fwhmEv <= 0)
        {
            return spectrum(energyEv);
        }

        const int Half = 40;
        double sigma = fwhmEv / (2.0 * Math.Sqrt(2.0 * Math.Log(2.0)));
        double step = 4.0 * sigma / Half;
        double sum = 0;
        double weights = 0;
        for (int i = -Half; i <= Half; i++)
        {
            double x = i * step;
            double w = Math.Exp(-0.5 * x * x / (sigma * sigma));
            sum += w * spectrum(energyEv + x);
            weights += w;
        }

        return sum / weights;
    }

    private static double UnnormalisedCarbon(double energyEv) =>
        (0.35 * Math.Pow(energyEv / 532.0, -2.7))
        + SpectralLineShapes.PseudoVoigt(energyEv, 532.0, 1.2, 0.3)
        + (0.25 * SpectralLineShapes.ArctanStep(energyEv, 538.0, 2.0));

    /// <summary>μ(E) at an effective oxidation coordinate q between the phases' (the solid-solution model: peaks shift with q).</summary>
    internal static double AbsorptionAtOxidation(double q, double energyEv) => Unnormalised(q, energyEv) / s_normalisation;

    private static void ThrowIfBadEnergy(double energyEv)
    {
        if (!double.IsFinite(energyEv) || energyEv <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(energyEv), energyEv,
                string.Create(CultureInfo.InvariantCulture, $"Energy must be finite and positive; got {energyEv} eV."));
        }
    }

    private static double Unnormalised(double q, double energyEv, double oxygenShiftEv = DefaultOxygenPreEdgeShiftEv)
    {
        double sum = BackgroundAmplitude * Math.Pow(energyEv / 500.0, -3.0);
        foreach (var (onset, shift, width, height) in s_steps)
        {
            sum += height * SpectralLineShapes.ArctanStep(energyEv, onset + (shift * q), width);
        }

        for (int k = 0; k < s_peaks.Length; k++)
        {
            var (center, shift, fwhm, eta, amplitude, slope) = s_peaks[k];
            shift = k is >= FirstOxygenPreEdgePeak and <= LastOxygenPreEdgePeak ? oxygenShiftEv : shift;
            sum += (amplitude + (slope * q)) * SpectralLineShapes.PseudoVoigt(energyEv, center + (shift * q), fwhm, eta);
        }

        return sum;
    }

    private static EnergyAxis CreateHighResolutionAxis()
    {
        int n = (int)Math.Round((HighResolutionMaximumEv - HighResolutionMinimumEv) / HighResolutionStepEv) + 1;
        double[] energies = new double[n];
        for (int i = 0; i < n; i++)
        {
            energies[i] = Math.Round(HighResolutionMinimumEv + (i * HighResolutionStepEv), 6);
        }

        return new EnergyAxis(energies);
    }

    private static double ComputeNormalisation()
    {
        int n = (int)Math.Round((HighResolutionMaximumEv - HighResolutionMinimumEv) / HighResolutionStepEv) + 1;
        double max = 0;
        foreach (double q in s_oxidation)
        {
            for (int i = 0; i < n; i++)
            {
                max = Math.Max(max, Unnormalised(q, Math.Round(HighResolutionMinimumEv + (i * HighResolutionStepEv), 6)));
            }
        }

        return max;
    }
}
