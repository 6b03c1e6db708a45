using StxmPhase.Spectra;

namespace StxmPhase.IO;

/// <summary>
/// Decides what a stack from a format that does not say (NumPy, TIFF) holds, from its values: detector counts
/// (transmission), transmittance I/I0 (0…1, sample-free pixels near 1) or optical density (sample-free pixels near 0,
/// noise below 0, thick regions above 1.5).
/// </summary>
internal static class QuantityDetection
{
    /// <summary>The metadata attribute that reports what quantity a reader assumed, and why.</summary>
    public const string QuantityAttribute = "quantity";

    /// <summary>The metadata attribute that names the sidecar file the energies came from.</summary>
    public const string EnergiesAttribute = "energies.source";

    private const int MaxSamples = 1 << 16;

    /// <summary>Detects the quantity; null when the values fit none of the rules.</summary>
    /// <param name="data">The stack values.</param>
    /// <returns>The quantity (or null) and the reason, with the percentiles it used.</returns>
    public static (SpectralQuantity? Quantity, string Reason) Detect(ReadOnlySpan<float> data)
    {
        long stride = Math.Max(1, data.Length / MaxSamples);
        var sample = new List<float>(MaxSamples + 1);
        for (long i = 0; i < data.Length; i += stride)
        {
            float v = data[(int)i];
            if (float.IsFinite(v))
            {
                sample.Add(v);
            }
        }

        if (sample.Count == 0)
        {
            return (null, "no finite value");
        }

        sample.Sort();
        double P(double q) => sample[(int)Math.Min(sample.Count - 1, Math.Floor(q * (sample.Count - 1)))];
        double p01 = P(0.01), p10 = P(0.10), p50 = P(0.50), p90 = P(0.90), p99 = P(0.99);
        string stats = IoError.Inv($"percentiles 1/10/50/90/99 % = {p01:G3}/{p10:G3}/{p50:G3}/{p90:G3}/{p99:G3}");
        if (p50 > 5)
        {
            return (SpectralQuantity.Transmission, "median above 5, detector counts: " + stats);
        }

        if (p01 < -0.02 || p99 > 1.5)
        {
            return (SpectralQuantity.OpticalDensity, "values below 0 or above 1.5, which transmission cannot have: " + stats);
        }

        if (p10 < 0.05 && p90 < 0.7)
        {
            return (SpectralQuantity.OpticalDensity, "sample-free pixels near 0: " + stats);
        }

        if (p90 >= 0.7 && p10 >= 0.05)
        {
            return (SpectralQuantity.Transmittance, "values in 0…1 with sample-free pixels near 1: " + stats);
        }

        return (null, stats);
    }

    /// <summary>The quantity of a stack read from a format that does not store it: the caller's, or detected.</summary>
    /// <exception cref="InvalidStackContentException">No quantity was given and the values fit no rule.</exception>
    public static SpectralQuantity Resolve(string? file, SpectralQuantity? given, ReadOnlySpan<float> data, Dictionary<string, string> attributes)
    {
        if (given is { } q)
        {
            attributes[QuantityAttribute] = Describe(q) + " (given by the caller)";
            return q;
        }

        (SpectralQuantity? detected, string reason) = Detect(data);
        if (detected is not { } d)
        {
            throw IoError.Invalid(file, "quantity", null,
                "the file does not say whether it holds transmission counts, transmittance or optical density, " +
                "and its values do not tell (" + reason +
                "); set StackReadOptions.Quantity (stxmphase: --quantity od|transmission|transmittance).");
        }

        attributes[QuantityAttribute] = Describe(d) + " (detected: " + reason + ")";
        return d;
    }

    private static string Describe(SpectralQuantity q) => q switch
    {
        SpectralQuantity.OpticalDensity => "optical density",
        SpectralQuantity.Transmittance => "transmittance",
        _ => "transmission",
    };
}
