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
    /// <summary>Gets the default V L<sub>2,3</sub> energies (eV): the pre-edge and the eight V L energies of the default set.</summary>
    public static EnergyAxis VanadiumLEnergies { get; } = new([505.0, 515.5, 516.5, 517.3, 518.2, 519.2, 523.5, 524.6, 525.8]);

    /// <summary>Gets the default O K energies (eV): the three pre-edge energies and the edge energy of the default set.</summary>
    public static EnergyAxis OxygenKEnergies { get; } = new([529.4, 530.3, 531.3, 534.5]);

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
        if (count == 0 || options.Offsets.Count != count)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"MultiEdgeOptions needs one entry per edge in Edges ({count}) and Offsets ({options.Offsets.Count})."), nameof(options));
        }

        SyntheticStackOptions first = options.Edges[0];
        var edges = new SyntheticDataset[count];
        for (int i = 0; i < count; i++)
        {
            SyntheticStackOptions o = options.Edges[i];
            if (o.Width != first.Width || o.Height != first.Height || o.Seed != first.Seed)
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                    $"MultiEdgeOptions.Edges[{i}] is {o.Width}×{o.Height}, seed {o.Seed}; every edge must share the first's ")
                    + string.Create(CultureInfo.InvariantCulture, $"{first.Width}×{first.Height}, seed {first.Seed}."),
                    nameof(options));
            }

            edges[i] = SyntheticStackGenerator.Generate(o, options.Offsets[i], i * 0x6A09E667F3BCC909L, cancellationToken);
        }

        return new MultiEdgeDataset(edges, [.. options.Offsets]);
    }
}

/// <summary>Options of <see cref="MultiEdgeGenerator.Generate(MultiEdgeOptions, CancellationToken)"/>.</summary>
public sealed record MultiEdgeOptions
{
    /// <summary>
    /// Gets the options of each edge's stack: its energies and dose; width, height, seed (hence the scene) and the other
    /// sample options must agree. Default: 96², seed 42, <see cref="MultiEdgeGenerator.VanadiumLEnergies"/> at dose 1500
    /// and <see cref="MultiEdgeGenerator.OxygenKEnergies"/> at dose 400.
    /// </summary>
    public IReadOnlyList<SyntheticStackOptions> Edges { get; init; } =
    [
        new() { Width = 96, Height = 96, Energies = MultiEdgeGenerator.VanadiumLEnergies, Dose = 1500 },
        new() { Width = 96, Height = 96, Energies = MultiEdgeGenerator.OxygenKEnergies, Dose = 400 },
    ];

    /// <summary>Gets the displacement of each edge's image relative to the truth frame (see <see cref="PixelShift"/>).
    /// Default (0, 0) and (3.3, −1.6) px.</summary>
    public IReadOnlyList<PixelShift> Offsets { get; init; } = [new(0, 0), new(3.3, -1.6)];
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
