using System.Globalization;
using System.Text.Json;
using StxmPhase.Spectra;

namespace StxmPhase.Cli;

/// <summary>The energy-calibration fields of <c>summary.json</c>.</summary>
internal static class EnergyCalibrationSummary
{
    /// <summary>
    /// Writes a warning line to <paramref name="stderr"/> when the applied offset exceeds 0.1 eV, or when an automatic estimate
    /// was not applied because the objective was ambiguous, flat or on the edge of the search range.
    /// </summary>
    public static void WarnIfNeeded(TextWriter stderr, EnergyCalibrationReport? report)
    {
        if (report is null)
        {
            return;
        }

        if (Math.Abs(report.AppliedOffsetEv) > 0.1)
        {
            stderr.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"stxmphase: warning: the stack's energy scale is offset by {report.AppliedOffsetEv:+0.000;-0.000;+0.000} eV from the references' "
                + $"(more than 0.1 eV); the references were read at stack energy + offset. Check the monochromator calibration."));
        }

        if (report.Estimate is { IsReliable: false, Status: not EnergyOffsetStatus.NotEstimable } e)
        {
            stderr.WriteLine("stxmphase: warning: " + e.Message);
        }
    }

    /// <summary>One line for the console summary: the offset applied with its uncertainty (auto), or why none was applied.</summary>
    public static string Describe(EnergyCalibrationReport report)
    {
        CultureInfo c = CultureInfo.InvariantCulture;
        return report switch
        {
            { Mode: EnergyOffsetMode.Fixed } => string.Create(c, $"{report.AppliedOffsetEv:+0.000;-0.000;+0.000} eV applied as given"),
            { Mode: EnergyOffsetMode.None } => "none (--energy-offset none)",
            { Estimate: { } e } when report.AppliedOffsetEv != 0 => string.Create(c,
                $"{report.AppliedOffsetEv:+0.000;-0.000;+0.000} ± {e.UncertaintyEv:0.000} eV applied "
                + $"(estimated from {e.PixelCount} sample pixels of all stacks)"),
            { Estimate: { } e } when double.IsFinite(e.UncertaintyEv) => string.Create(c,
                $"none applied (estimate {e.OffsetEv:+0.000;-0.000;+0.000} ± {e.UncertaintyEv:0.000} eV: {Reason(e.Status)})"),
            // Not estimated (too few energies): the library says to give the offset as a fixed value; say with which option.
            { Mode: EnergyOffsetMode.Auto, Estimate: null, Message.Length: > 0 } => report.Message.TrimEnd('.') + " (--energy-offset VALUE).",
            { Message.Length: > 0 } => report.Message,
            _ => "none applied (not estimable)",
        };
    }

    /// <summary>Why an estimate of this status was not applied, in words.</summary>
    private static string Reason(EnergyOffsetStatus status) => status switch
    {
        EnergyOffsetStatus.Estimated => "not significant",
        EnergyOffsetStatus.Ambiguous => "ambiguous, several optima of similar height (a sample of one phase?)",
        EnergyOffsetStatus.Flat => "the correlation barely changes with the offset",
        EnergyOffsetStatus.AtSearchBound => "the best offset lies on the edge of the search range",
        _ => "not estimable",
    };

    /// <summary>
    /// Writes <c>energy_offset_eV</c> (the offset ΔE applied: references read at stack energy + ΔE; 0 when none),
    /// <c>energy_offset_mode</c>, and for auto <c>energy_offset_estimate_eV</c>, <c>energy_offset_uncertainty_eV</c>,
    /// <c>energy_offset_status</c> and <c>energy_offset_message</c>; for fused edge stacks <c>energy_offset_blocks_eV</c>, the offset
    /// applied to each edge block (the others then describe the first edge).
    /// </summary>
    public static void Write(Utf8JsonWriter j, EnergyCalibrationReport? report)
    {
        if (report is null)
        {
            return;
        }

        j.WriteNumber("energy_offset_eV", Math.Round(report.AppliedOffsetEv, 4));
        j.WriteString("energy_offset_mode", report.Mode.ToString().ToLowerInvariant());
        if (report.BlockOffsetsEv is { } blocks)
        {
            j.WriteStartArray("energy_offset_blocks_eV");
            foreach (double b in blocks)
            {
                j.WriteNumberValue(Math.Round(b, 4));
            }

            j.WriteEndArray();
        }
        if (report.Estimate is { } e)
        {
            j.WriteNumber("energy_offset_estimate_eV", Math.Round(e.OffsetEv, 4));
            if (double.IsFinite(e.UncertaintyEv))
            {
                j.WriteNumber("energy_offset_uncertainty_eV", Math.Round(e.UncertaintyEv, 4));
            }
            else
            {
                j.WriteNull("energy_offset_uncertainty_eV");
            }

            j.WriteString("energy_offset_status", e.Status.ToString());
        }

        j.WriteNumber("reference_broadening_eV", Math.Round(report.ReferenceBroadeningEv, 4));
        j.WriteString("energy_offset_message", report.Message);
    }
}
