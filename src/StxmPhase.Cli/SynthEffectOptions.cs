using System.CommandLine;
using StxmPhase.Synthetic;

namespace StxmPhase.Cli;

/// <summary>
/// The measurement-effect flags of <c>stxmphase synth</c> (issue 16), each in physical units and bound to one property of
/// <see cref="SyntheticStackOptions"/>; all default to off. Ranges are those of the library and are checked by the parser.
/// </summary>
internal sealed class SynthEffectOptions
{
    private readonly Option<double> _energyOffset = ValidatedOption.Real(
        "--energy-offset", "Monochromator calibration error in eV (-2 to 2): nominal energy E is measured at E + offset.", 0, -2, 2);
    private readonly Option<double> _energyJitter = ValidatedOption.Real(
        "--energy-jitter", "Standard deviation of a per-energy calibration error in eV (0 to 0.5).", 0, 0, 0.5);
    private readonly Option<double> _broadening = ValidatedOption.Real(
        "--broadening", "FWHM in eV of a Gaussian broadening of the sample spectra relative to the references (0 to 3).", 0, 0, 3);
    private readonly Option<double> _harmonic = ValidatedOption.Real(
        "--harmonic-fraction", "Fraction h of higher-harmonic photons (0 to 0.5): I = I0[(1-h)exp(-OD) + h exp(-k OD)].", 0, 0, 0.5);
    private readonly Option<double> _harmonicRatio = ValidatedOption.Real(
        "--harmonic-absorption", "Absorption ratio k of the harmonic (0 to 1).", 0.1, 0, 1);
    private readonly Option<double> _thickness = ValidatedOption.Real(
        "--max-thickness", "OD of the thickest particle centre at the strongest absorption (0 exclusive to 10).", 1.5, 0, 10, minimumExclusive: true);
    private readonly Option<double> _carbon = ValidatedOption.Real(
        "--carbon-layer", "Largest OD at 532 eV of a carbon/CEI layer on the particles, with a C=O peak (0 to 2).", 0, 0, 2);
    private readonly Option<double> _psf = ValidatedOption.Real("--psf", "FWHM in pixels of a Gaussian point-spread function (0 to 16).", 0, 0, 16);
    private readonly Option<double> _damage = ValidatedOption.Real(
        "--beam-damage", "Fraction of particle mass lost by the last energy, in acquisition order (0 to 0.9).", 0, 0, 0.9);
    private readonly Option<double> _decay = ValidatedOption.Real("--i0-decay", "Linear I0 decay over the scan as a fraction (0 to 0.9).", 0, 0, 0.9);
    private readonly Option<double> _i0Jitter = ValidatedOption.Real(
        "--i0-jitter", "Relative standard deviation of a per-energy I0 fluctuation (0 to 0.2).", 0, 0, 0.2);

    private SynthEffectOptions()
    {
    }

    /// <summary>Creates the flags.</summary>
    public static SynthEffectOptions Create() => new();

    /// <summary>Adds every flag to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        foreach (Option option in new Option[]
        {
            _energyOffset, _energyJitter, _broadening, _harmonic, _harmonicRatio, _thickness, _carbon, _psf, _damage, _decay, _i0Jitter,
        })
        {
            command.Options.Add(option);
        }
    }

    /// <summary>Returns <paramref name="options"/> with the parsed effects set.</summary>
    public SyntheticStackOptions Bind(ParseResult parse, SyntheticStackOptions options) => new()
    {
        Width = options.Width,
        Height = options.Height,
        Seed = options.Seed,
        Dose = options.Dose,
        DriftPixels = options.DriftPixels,
        Energies = options.Energies,
        ParticleCount = options.ParticleCount,
        MinParticleRadiusFraction = options.MinParticleRadiusFraction,
        MaxParticleRadiusFraction = options.MaxParticleRadiusFraction,
        SupportFilmOd = options.SupportFilmOd,
        DomainLayout = options.DomainLayout,
        DomainsPerParticle = options.DomainsPerParticle,
        BoundaryWidthPixels = options.BoundaryWidthPixels,
        MaxDegreeOfParallelism = options.MaxDegreeOfParallelism,
        MaxThicknessOd = parse.GetValue(_thickness),
        BeamDecayFraction = parse.GetValue(_decay),
        I0JitterFraction = parse.GetValue(_i0Jitter),
        EnergyOffsetEv = parse.GetValue(_energyOffset),
        EnergyJitterEv = parse.GetValue(_energyJitter),
        SpectralBroadeningEv = parse.GetValue(_broadening),
        HarmonicFraction = parse.GetValue(_harmonic),
        HarmonicAbsorptionRatio = parse.GetValue(_harmonicRatio),
        CarbonLayerOd = parse.GetValue(_carbon),
        PsfFwhmPixels = parse.GetValue(_psf),
        BeamDamageFraction = parse.GetValue(_damage),
    };
}
