using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace StxmPhase.Cli;

/// <summary>
/// Numeric options that parse and range-check their value in the parser, so that a bad value (<c>--epochs abc</c>,
/// <c>--epochs 99999999999</c>, <c>--dose NaN</c>, <c>--drift -3</c>) is a one-line parse error (exit 2) before any work,
/// never an exception from a validator or the library.
/// </summary>
internal static class ValidatedOption
{
    /// <summary>Creates an integer option accepting values in [<paramref name="minimum"/>, <paramref name="maximum"/>].</summary>
    public static Option<int> Int(
        string name, string description, int defaultValue, int minimum, int maximum = int.MaxValue, params string[] aliases) =>
        new(name, aliases)
        {
            Description = description,
            DefaultValueFactory = _ => defaultValue,
            CustomParser = r => ParseInt(r, name, minimum, maximum) ?? defaultValue,
        };

    /// <summary>
    /// Creates an optional integer option (null when absent) accepting values in [<paramref name="minimum"/>, <paramref name="maximum"/>].
    /// </summary>
    public static Option<int?> OptionalInt(string name, string description, int minimum, int maximum = int.MaxValue) =>
        new(name)
        {
            Description = description,
            CustomParser = r => ParseInt(r, name, minimum, maximum),
        };

    /// <summary>
    /// Creates a real option accepting finite values in [<paramref name="minimum"/>, <paramref name="maximum"/>] (the lower
    /// bound excluded when <paramref name="minimumExclusive"/>).
    /// </summary>
    public static Option<double> Real(
        string name, string description, double defaultValue, double minimum, double maximum, bool minimumExclusive = false) =>
        new(name)
        {
            Description = description,
            DefaultValueFactory = _ => defaultValue,
            CustomParser = r =>
                ParseReal(r, r.Tokens.Count > 0 ? r.Tokens[0].Value : string.Empty, name, minimum, maximum, minimumExclusive) ?? defaultValue,
        };

    /// <summary>Creates an option taking one or more finite reals, each in the range of <see cref="Real"/>.</summary>
    public static Option<double[]> Reals(
        string name, string description, double[] defaultValue, double minimum, double maximum, bool minimumExclusive = false) =>
        new(name)
        {
            Description = description,
            DefaultValueFactory = _ => defaultValue,
            AllowMultipleArgumentsPerToken = true,
            CustomParser = r =>
            {
                double[] values = new double[r.Tokens.Count];
                for (int i = 0; i < values.Length; i++)
                {
                    if (ParseReal(r, r.Tokens[i].Value, name, minimum, maximum, minimumExclusive) is not double v)
                    {
                        return defaultValue;
                    }

                    values[i] = v;
                }

                return values;
            },
        };

    private static int? ParseInt(ArgumentResult r, string name, int minimum, int maximum)
    {
        string text = r.Tokens.Count > 0 ? r.Tokens[0].Value : string.Empty;
        if (!long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out long v))
        {
            r.AddError(string.Create(CultureInfo.InvariantCulture, $"{name} must be a whole number in [{minimum}, {maximum}]; got '{text}'."));
            return null;
        }

        if (v < minimum || v > maximum)
        {
            r.AddError(string.Create(CultureInfo.InvariantCulture, $"{name} must be in [{minimum}, {maximum}]; got {text}."));
            return null;
        }

        return (int)v;
    }

    private static double? ParseReal(ArgumentResult r, string text, string name, double minimum, double maximum, bool minimumExclusive)
    {
        string range = string.Create(CultureInfo.InvariantCulture, $"{(minimumExclusive ? "(" : "[")}{minimum}, {maximum}]");
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) || !double.IsFinite(v))
        {
            r.AddError($"{name} must be a finite number in {range} (decimal point, not comma); got '{text}'.");
            return null;
        }

        if (v > maximum || v < minimum || (minimumExclusive && v == minimum))
        {
            r.AddError($"{name} must be in {range}; got {text}.");
            return null;
        }

        return v;
    }
}
