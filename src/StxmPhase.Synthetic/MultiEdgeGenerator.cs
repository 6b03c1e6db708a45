using System.Globalization;
using StxmPhase.Spectra;

namespace StxmPhase.Synthetic;

/// <summary>
/// One field of separated particles recorded as several stacks, one per absorption edge, each with its own energies, dose,
/// noise and a known spatial offset (the scene of <see cref="SyntheticStackGenerator"/> for the shared geometry and seed).
/// </summary>
/// <example>
/// <code>
/// MultiEdgeDataset field = MultiEdgeGenerator.Generate(new MultiEdgeOptions());
/// SpectralStack vl = field.Edges[0].OpticalDensity, ok = field.Edges[1].OpticalDensity; // ok is displaced by field.Offsets[1]
/// </code>
/// </example>
public static class MultiEdgeGenerator
{
    /// <summary>
    /// The O K pre-edge shift of the multi-edge scene in eV per unit oxidation coordinate q
    /// (<see cref="SyntheticStackOptions.OxygenPreEdgeShiftEv"/>): a more oxidised V has its O K pre-edge at lower energy
    /// (Roychoudhury et al. 2021), where the single-stack model moves it up by 0.4 eV.
    /// </summary>
    public const double OxygenPreEdgeShiftEv = -0.8;

    /// <summary>Gets the default V L<sub>2,3</sub> energies (eV), 10 as in issue 17's measurement: the pre-edge, the eight
    /// V L energies of the default set and 520.3 eV on the L<sub>3</sub> high-energy tail.</summary>
    public static EnergyAxis VanadiumLEnergies { get; } = new([505.0, 515.5, 516.5, 517.3, 518.2, 519.2, 520.3, 523.5, 524.6, 525.8]);

    /// <summary>Gets the default O K energies (eV), 3 as in issue 17's measurement: the t<sub>2g</sub> and e<sub>g</sub>
    /// pre-edge peaks and the main edge (the thickness reference).</summary>
    public static EnergyAxis OxygenKEnergies { get; } = new([529.4, 531.3, 534.5]);

    /// <summary>
    /// The edges of issue 17's measurement on a <paramref name="size"/>² field: V L<sub>2,3</sub> (<see cref="VanadiumLEnergies"/>,
    /// dose <paramref name="vanadiumDose"/>, film OD 0.05) and O K (<see cref="OxygenKEnergies"/>, dose <paramref name="oxygenDose"/>,
    /// film OD 0.08),
    /// the sample's O K pre-edge shift <see cref="OxygenPreEdgeShiftEv"/>, and with <paramref name="calibrationOffsets"/> each
    /// edge's own monochromator calibration error (+0.10 and −0.25 eV).
    /// </summary>
    /// <param name="size">Width and height in pixels.</param>
    /// <param name="seed">The scene's seed.</param>
    /// <param name="vanadiumDose">The V L stack's dose (incident counts per pixel and energy).</param>
    /// <param name="calibrationOffsets">Whether each edge carries its own energy-calibration error.</param>
    /// <param name="oxygenDose">The O K stack's dose (issue 17: 400).</param>
    /// <returns>Two edge options for <see cref="MultiEdgeOptions.Edges"/>.</returns>
    public static IReadOnlyList<SyntheticStackOptions> IssueEdges(
        int size, int seed, double vanadiumDose, bool calibrationOffsets, double oxygenDose = 400) =>
    [
        new()
        {
            Width = size, Height = size, Seed = seed, Energies = VanadiumLEnergies, Dose = vanadiumDose, SupportFilmOd = 0.05,
            EnergyOffsetEv = calibrationOffsets ? 0.10 : 0, OxygenPreEdgeShiftEv = OxygenPreEdgeShiftEv,
        },
        new()
        {
            Width = size, Height = size, Seed = seed, Energies = OxygenKEnergies, Dose = oxygenDose, SupportFilmOd = 0.08,
            EnergyOffsetEv = calibrationOffsets ? -0.25 : 0, OxygenPreEdgeShiftEv = OxygenPreEdgeShiftEv,
        },
    ];

    /// <summary>Generates one stack per edge.</summary>
    /// <param name="options">The options.</param>
    /// <param name="cancellationToken">Cancels generation.</param>
    /// <returns>The stacks, their planted offsets and the truth (in the frame of the first stack, which has no offset).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The lists differ in length or are empty, or the edges' sizes or seeds differ.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range (see <see cref="SyntheticStackGenerator"/>).</exception>
    public static MultiEdgeDataset Generate(MultiEdgeOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        int count = options.Edges.Count;
        if (count == 0 || options.Offsets.Count != count || (options.BaselineErrorsOd is { } b && b.Count != count))
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"MultiEdgeOptions needs one entry per edge in Edges ({count}), Offsets ({options.Offsets.Count}) and BaselineErrorsOd "
                + $"({options.BaselineErrorsOd?.Count.ToString(CultureInfo.InvariantCulture) ?? "not set"})."), nameof(options));
        }

        if (options.BaselineErrorsOd?.FirstOrDefault(v => !double.IsFinite(v) || Math.Abs(v) > 1) is { } bad && bad != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), bad, string.Create(CultureInfo.InvariantCulture,
                $"MultiEdgeOptions.BaselineErrorsOd must be finite and within ±1 OD; got {bad}."));
        }

        SyntheticStackOptions first = options.Edges[0];
        var edges = new SyntheticDataset[count];
        for (int i = 0; i < count; i++)
        {
            SyntheticStackOptions o = options.Edges[i];
            if (o.Width != first.Width || o.Height != first.Height || o.Seed != first.Seed
                || o.OxygenPreEdgeShiftEv != first.OxygenPreEdgeShiftEv)
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                    $"MultiEdgeOptions.Edges[{i}] is {o.Width}×{o.Height}, seed {o.Seed}, O K pre-edge shift {o.OxygenPreEdgeShiftEv} eV; ")
                    + string.Create(CultureInfo.InvariantCulture,
                        $"every edge must share the first's {first.Width}×{first.Height}, seed {first.Seed}, {first.OxygenPreEdgeShiftEv} eV")
                    + " (one sample).",
                    nameof(options));
            }

            edges[i] = SyntheticStackGenerator.Generate(o, options.Offsets[i], i * 0x6A09E667F3BCC909L, cancellationToken);
            if (options.BaselineErrorsOd is { } errors && errors[i] != 0)
            {
                edges[i] = edges[i].WithBaselineError(errors[i]);
            }
        }

        return new MultiEdgeDataset(edges, [.. options.Offsets]);
    }
}

/// <summary>Options of <see cref="MultiEdgeGenerator.Generate(MultiEdgeOptions, CancellationToken)"/>.</summary>
public sealed record MultiEdgeOptions
{
    /// <summary>
    /// Gets the options of each edge's stack: its energies, dose, film and energy-calibration offset; width, height, seed
    /// (hence the scene) and the sample's <see cref="SyntheticStackOptions.OxygenPreEdgeShiftEv"/> must agree. Default, as
    /// in issue 17's measurement: 96², seed 42, O K pre-edge shift <see cref="MultiEdgeGenerator.OxygenPreEdgeShiftEv"/>;
    /// <see cref="MultiEdgeGenerator.VanadiumLEnergies"/> (10) at dose 1500, film OD 0.05, calibration offset +0.10 eV; and
    /// <see cref="MultiEdgeGenerator.OxygenKEnergies"/> (3) at dose 400, film OD 0.08, calibration offset −0.25 eV (each edge
    /// calibrated on its own, so their errors differ).
    /// </summary>
    public IReadOnlyList<SyntheticStackOptions> Edges { get; init; } = MultiEdgeGenerator.IssueEdges(96, 42, 1500, calibrationOffsets: true);

    /// <summary>Gets the displacement of each edge's image relative to the truth frame (see <see cref="PixelShift"/>).
    /// Default (0, 0) and (3.3, −1.6) px.</summary>
    public IReadOnlyList<PixelShift> Offsets { get; init; } = [new(0, 0), new(3.3, -1.6)];

    /// <summary>
    /// Gets an optional baseline error per edge in OD (finite, within ±1), added to every pixel and energy of that edge's OD
    /// stack: the stack's OD computed with an incident intensity off by the factor e<sup>δ</sup> (an I0 normalisation that
    /// differs between separately recorded stacks, e.g. a different sample-free region or detector gain). The counts
    /// (<see cref="SyntheticDataset.Transmission"/>) are unchanged. <see langword="null"/> (default) = none.
    /// </summary>
    public IReadOnlyList<double>? BaselineErrorsOd { get; init; }
}

/// <summary>Several edge stacks of one field. Immutable.</summary>
public sealed class MultiEdgeDataset
{
    internal MultiEdgeDataset(SyntheticDataset[] edges, PixelShift[] offsets)
    {
        Edges = edges;
        Offsets = offsets;
    }

    /// <summary>Gets one dataset per edge; each holds its stack and the same truth (phase labels, fractions, particle ids)
    /// in the truth frame.</summary>
    public IReadOnlyList<SyntheticDataset> Edges { get; }

    /// <summary>Gets the planted displacement of each edge's image relative to the truth frame, in pixels.</summary>
    public IReadOnlyList<PixelShift> Offsets { get; }
}
