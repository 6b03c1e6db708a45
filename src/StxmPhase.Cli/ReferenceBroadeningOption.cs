using System.CommandLine;
using System.Globalization;

namespace StxmPhase.Cli;

/// <summary><c>--reference-broadening none|fit|VALUE</c>: Gaussian broadening of the references to the stack's resolution.</summary>
internal static class ReferenceBroadeningOption
{
    /// <summary>Creates the option; the parser accepts none, fit or a FWHM in eV in [0, 10].</summary>
    public static Option<string> Create() => new("--reference-broadening")
    {
        Description = "Broaden the references by a Gaussian to the stack's energy resolution: none (default), "
            + "fit (fitted to the data, 0-1.5 eV) or a FWHM in eV in [0, 10].",
        DefaultValueFactory = _ => "none",
        CustomParser = r =>
        {
            string text = r.Tokens.Count > 0 ? r.Tokens[0].Value : string.Empty;
            if (text is "none" or "fit")
            {
                return text;
            }

            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) || !(v >= 0 && v <= 10))
            {
                r.AddError(string.Create(CultureInfo.InvariantCulture,
                    $"--reference-broadening must be none, fit or a FWHM in eV in [0, 10]; got '{text}'."));
                return "none";
            }

            return v.ToString("R", CultureInfo.InvariantCulture);
        },
    };

    /// <summary>The given FWHM in eV of a parsed value (0 for none and fit).</summary>
    public static double Value(string value) =>
        value is "none" or "fit" ? 0.0 : double.Parse(value, CultureInfo.InvariantCulture);
}
