using System.Globalization;

namespace StxmPhase.Cli;

/// <summary>Prints the human-readable summary table of a result.</summary>
internal static class Report
{
    public static void PrintSummary(TextWriter o, PhaseMappingRun run, PhaseMappingResult r, WorkflowEvaluation? e)
    {
        CultureInfo c = CultureInfo.InvariantCulture;
        int valid = r.Correlation.ValidCount;
        o.WriteLine();
        o.WriteLine(string.Create(c, $"Stack '{r.Name}': {r.Width}×{r.Height} px, {r.OpticalDensity.EnergyCount} energies"));
        o.WriteLine(string.Create(c,
            $"  pixels: {valid} analysed, {r.MaskedCount} masked (background), {r.InvalidCount} invalid; "
            + $"ambiguous {r.AmbiguousCount} ({Percent(r.AmbiguousCount, valid)}), "
            + $"latent-space false positives {r.FalsePositiveCount} ({Percent(r.FalsePositiveCount, valid)}), "
            + $"no matching reference {r.NoMatchCount} ({Percent(r.NoMatchCount, valid)})")
            + (r.SaturatedCount > 0 ? string.Create(c, $", saturated {r.SaturatedCount} ({Percent(r.SaturatedCount, valid)})") : string.Empty));
        if (run.EnergyCalibration is { } energy)
        {
            o.WriteLine("  energy offset: " + EnergyCalibrationSummary.Describe(energy));
        }

        if (r.AlignmentShifts is { Count: > 0 } shifts)
        {
            double largest = shifts.Max(v => Math.Sqrt((v.X * v.X) + (v.Y * v.Y)));
            o.WriteLine(string.Create(c, $"  aligned: largest shift {largest:F2} px, cropped to {r.Width}×{r.Height}"));
        }

        o.WriteLine(string.Create(c, $"  {"phase",-10} {"PCC %",8} {"final %",8}"));
        for (int p = 0; p < r.PhaseNames.Count; p++)
        {
            o.WriteLine(string.Create(c, $"  {r.PhaseNames[p],-10} {r.FractionsBefore[p] * 100,8:F2} {r.FractionsAfter[p] * 100,8:F2}"));
        }

        o.WriteLine(string.Create(c,
            $"  {"sum",-10} {r.FractionsBefore.Sum() * 100,8:F2} {r.FractionsAfter.Sum() * 100,8:F2}   ({r.ChangedCount} pixels relabelled)"));
        foreach (PhasePriorWarning w in r.PriorWarnings)
        {
            o.WriteLine("  warning: " + w.Message);
        }

        if (e is not null)
        {
            o.WriteLine(string.Create(c,
                $"  sample mask: {e.Coverage * 100:F1} % of true particle pixels analysed, "
                + $"{e.FalseInclusion * 100:F2} % of analysed pixels are background"));
            if (e.Calibration is { } cal)
            {
                o.WriteLine(string.Create(c,
                    $"  posteriors: expected calibration error {cal.ExpectedCalibrationError:F3} (interior particle pixels)"));
            }

            if (e.PccAll is { } pa && e.FinalAll is { } fa)
            {
                o.WriteLine(string.Create(c,
                    $"  accuracy vs truth (every particle pixel, left out = wrong): PCC {Pct(pa.Accuracy)}  →  final {Pct(fa.Accuracy)}"));
            }

            o.WriteLine(string.Create(c,
                $"  accuracy vs truth (interior particle pixels, left out = wrong): PCC {e.Pcc.Accuracy * 100:F2} %  →  "
                + $"final {e.Final.Accuracy * 100:F2} %   (macro-F1 {e.Pcc.MacroF1:F3} → {e.Final.MacroF1:F3})"));
            o.WriteLine(string.Create(c,
                $"  on PCC-ambiguous pixels: PCC {Pct(e.PccAmbiguous.Accuracy)}  →  final {Pct(e.FinalAmbiguous.Accuracy)};  "
                + $"phase-fraction error {e.PccFractionError:F2} → {e.FinalFractionError:F2} points"));
        }

        o.WriteLine(string.Create(c,
            $"  time: preprocessing {r.Timings.Preprocessing.TotalSeconds:F2} s, correlation {r.Timings.Correlation.TotalSeconds:F3} s, "
            + $"training {run.TrainingTime.TotalSeconds:F1} s ({run.TrainingSpectra} spectra), encoding {r.Timings.Encoding.TotalSeconds:F2} s, "
            + $"assignment {r.Timings.Assignment.TotalSeconds:F2} s; run total {run.TotalTime.TotalSeconds:F1} s; "
            + $"peak memory so far {PeakMemoryMegabytes():F0} MB"));
    }

    /// <summary>
    /// Warns when at least half of the analysed pixels are saturated (OD above <c>--max-od</c> at some energy): they are then left
    /// out of training and reassignment, and the usual cause is a stack read as optical density that holds transmission.
    /// </summary>
    /// <param name="stderr">Where warnings go.</param>
    /// <param name="r">The result.</param>
    /// <param name="maxOpticalDensity">The <c>--max-od</c> limit that was applied.</param>
    public static void WarnIfMostlySaturated(TextWriter stderr, PhaseMappingResult r, double maxOpticalDensity)
    {
        int valid = r.Correlation.ValidCount;
        if (valid == 0 || 2L * r.SaturatedCount < valid)
        {
            return;
        }

        stderr.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"stxmphase: warning: '{r.Name}': {r.SaturatedCount} of {valid} analysed pixels ({Percent(r.SaturatedCount, valid)}) exceed "
            + $"--max-od {maxOpticalDensity:0.###} at some energy; they keep their PCC label but are left out of training and "
            + $"reassignment. If the stack holds transmission or counts rather than optical density, say so with --quantity; "
            + $"otherwise map thinner regions, or raise --max-od."));
    }

    private static string Percent(int part, int whole) =>
        whole == 0 ? "–" : string.Create(CultureInfo.InvariantCulture, $"{100.0 * part / whole:F1} %");

    private static string Pct(double v) =>
        double.IsFinite(v) ? string.Create(CultureInfo.InvariantCulture, $"{v * 100:F2} %") : "–";

    /// <summary>Returns the process's peak resident memory so far, in MB (10⁶ bytes): VmHWM on Linux.</summary>
    /// <returns>The peak, or NaN where the platform does not report it.</returns>
    internal static double PeakMemoryMegabytes()
    {
        using var process = System.Diagnostics.Process.GetCurrentProcess();
        long peak = process.PeakWorkingSet64;
        return peak > 0 ? peak / 1e6 : double.NaN;
    }
}
