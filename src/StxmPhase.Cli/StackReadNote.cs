using StxmPhase.Spectra;

namespace StxmPhase.Cli;

/// <summary>Says what a reader assumed about a stack from a format that does not say it (quantity, energies file).</summary>
internal static class StackReadNote
{
    /// <summary>Parses a <c>--quantity</c> value: <c>auto</c> = detect from the values.</summary>
    /// <param name="value">auto, od, transmission or transmittance.</param>
    /// <returns>The quantity, or <see langword="null"/> for auto.</returns>
    public static SpectralQuantity? ParseQuantity(string? value) => value switch
    {
        "od" => SpectralQuantity.OpticalDensity,
        "transmission" => SpectralQuantity.Transmission,
        "transmittance" => SpectralQuantity.Transmittance,
        _ => null,
    };

    /// <summary>Writes one line per assumption the reader reported (none for formats that store both).</summary>
    /// <param name="writer">Where to write.</param>
    /// <param name="path">The stack file.</param>
    /// <param name="stack">The stack read from it.</param>
    public static void Write(TextWriter writer, string path, SpectralStack stack)
    {
        IReadOnlyDictionary<string, string> a = stack.Metadata.Attributes;
        if (a.TryGetValue("quantity", out string? quantity))
        {
            writer.WriteLine($"{path}: read as {quantity}.");
        }

        if (a.TryGetValue("energies.source", out string? energies))
        {
            writer.WriteLine($"{path}: energies from {energies} (found beside the stack, which stores none; --energies names another file).");
        }
    }
}
