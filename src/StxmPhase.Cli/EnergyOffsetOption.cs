using System.CommandLine;
using System.Globalization;

namespace StxmPhase.Cli;

/// <summary><c>--energy-offset auto|none|VALUE</c>: how the energy offset between the stack and the references is handled.</summary>
internal static class EnergyOffsetOption
{
    /// <summary>The largest accepted |VALUE| in eV.</summary>
    public const double MaxAbsEv = 2.0;

    /// <summary>Creates the option; the parser accepts auto, none or a finite number of eV in [−2, 2].</summary>
    public static Option<string> Create() => new("--energy-offset")
    {
        Description = "Energy offset between stack and references: auto (estimate from the data, apply when reliable; default), none, "
            + "or a value in eV in [-2, 2] (the references are read at stack energy + value).",
        DefaultValueFactory = _ => "auto",
        CustomParser = r =>
        {
            string text = r.Tokens.Count > 0 ? r.Tokens[0].Value : string.Empty;
            if (text is "auto" or "none")
            {
                return text;
            }

            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) || !double.IsFinite(v)
                || Math.Abs(v) > MaxAbsEv)
            {
                r.AddError(string.Create(CultureInfo.InvariantCulture,
                    $"--energy-offset must be auto, none or a number of eV in [-{MaxAbsEv}, {MaxAbsEv}]; got '{text}'."));
                return "auto";
            }

            return v.ToString("R", CultureInfo.InvariantCulture);
        },
    };

    /// <summary>The mode of a parsed value.</summary>
    public static EnergyOffsetMode Mode(string value) => value switch
    {
        "auto" => EnergyOffsetMode.Auto,
        "none" => EnergyOffsetMode.None,
        _ => EnergyOffsetMode.Fixed,
    };

    /// <summary>The offset in eV of a parsed value (0 for auto and none).</summary>
    public static double Value(string value) =>
        Mode(value) == EnergyOffsetMode.Fixed ? double.Parse(value, CultureInfo.InvariantCulture) : 0.0;
}
