using System.CommandLine;
using System.Globalization;

namespace StxmPhase.Cli;

/// <summary><c>--mrf-strength auto|VALUE</c>: the Potts MRF's interaction strength β, estimated (auto) or fixed.</summary>
internal static class MrfStrengthOption
{
    /// <summary>
    /// The largest accepted fixed β. β = 10 makes a pixel whose four neighbours agree a prior odds of e^40; the estimate is
    /// capped at 4 (<see cref="Assignment.PottsOptions.MaxStrength"/>), so larger values only turn the map into a majority vote.
    /// </summary>
    public const double MaxStrength = 10;

    /// <summary>Creates the option; the parser accepts auto or a finite number in [0, <see cref="MaxStrength"/>].</summary>
    public static Option<string?> Create() => new("--mrf-strength")
    {
        Description = "Interaction strength β of the Potts MRF: auto (default: estimated from the data by the held-out predictive "
            + "likelihood, at most 4) or a fixed value in [0, 10] (larger = smoother; thin domains and transition zones are the risk). "
            + "Refused with --mrf off and with --paper.",
        CustomParser = r =>
        {
            string text = r.Tokens.Count > 0 ? r.Tokens[0].Value : string.Empty;
            if (text == "auto")
            {
                return text;
            }

            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) || !double.IsFinite(v)
                || v < 0 || v > MaxStrength)
            {
                r.AddError(string.Create(CultureInfo.InvariantCulture,
                    $"--mrf-strength must be auto or a number in [0, {MaxStrength}]; got '{text}'."));
                return "auto";
            }

            return v.ToString("R", CultureInfo.InvariantCulture);
        },
    };

    /// <summary>The fixed β of a parsed value, or <see langword="null"/> for auto (or no value).</summary>
    /// <param name="value">The parsed value.</param>
    /// <returns>β, or null to estimate it.</returns>
    public static double? Value(string? value) =>
        value is null or "auto" ? null : double.Parse(value, CultureInfo.InvariantCulture);

    /// <summary>How a strength reads in summaries and reports: auto or the number.</summary>
    /// <param name="strength">The fixed β, or null for the estimate.</param>
    /// <returns>The text.</returns>
    public static string Describe(double? strength) =>
        strength is { } b ? b.ToString("R", CultureInfo.InvariantCulture) : "auto";
}
