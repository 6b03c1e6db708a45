using System.Globalization;
using Microsoft.Extensions.Logging;
using StxmPhase.Spectra;

namespace StxmPhase;

/// <summary>The energy-calibration stage of the workflow: estimate (or take) the offset ΔE and read the references at E + ΔE.</summary>
internal static partial class EnergyCalibrationStage
{
    /// <summary>Smallest estimated |ΔE| that mode Auto applies (below it the references are left alone).</summary>
    private const double MinimumAppliedEv = 0.02;

    /// <summary>The least gain in mean best correlation (against no offset) for an estimate to be applied without noise-model
    /// posteriors (the paper's pipeline; with posteriors <see cref="NoiseModelZ"/> decides): on clean
    /// synthetic stacks of 32²–64² pixels at dose 400 the subset uncertainty alone let offsets of 0.03–0.11 eV through
    /// with gains of 0.0001–0.0008, while a real 0.25 eV offset gains far more.</summary>
    private const double MinimumCorrelationGain = 0.002;

    /// <summary>|ΔE| above which a warning is logged.</summary>
    private const double WarnAboveEv = 0.1;

    /// <summary>The offset from the sample pixels of every stack together; the broadening (when fitted) from the first stack.
    /// <paramref name="noise"/> (optional) is what mode Auto's χ² test needs to model the noise as the posterior stage does.</summary>
    public static EnergyCalibrationReport Calibrate(
        SpectralStack[] stacks, PixelMask?[] samples, ReferenceSpectra references, PhaseMappingOptions options, ILogger logger,
        CancellationToken cancellationToken, NoiseContext? noise = null)
    {
        SpectralStack opticalDensity = stacks[0];
        PixelMask? sample = samples[0];
        double given = options.FitReferenceBroadening ? 0 : options.ReferenceBroadeningEv;
        ReferenceSpectra broadened = ReferenceBroadening.Broaden(references, given);
        EnergyCalibrationReport report = CalibrateOffset(stacks, samples, noise ?? NoiseContext.None, broadened, options, logger, cancellationToken);
        if (!options.FitReferenceBroadening)
        {
            return given == 0 ? report : WithBroadening(report, given, report.References);
        }

        double fitted = ReferenceBroadening.EstimateFwhm(
            opticalDensity, references, sample, report.AppliedOffsetEv, cancellationToken: cancellationToken);
        BroadeningFitted(logger, fitted);
        return WithBroadening(
            report,
            fitted,
            EnergyCalibration.ResampleShifted(ReferenceBroadening.Broaden(references, fitted), opticalDensity.Energies, report.AppliedOffsetEv));
    }

    private static EnergyCalibrationReport WithBroadening(EnergyCalibrationReport report, double fwhm, ReferenceSpectra onStack) =>
        new(report.Mode, report.AppliedOffsetEv, report.Estimate, onStack,
            report.Message + string.Create(CultureInfo.InvariantCulture, $" References broadened by a Gaussian of FWHM {fwhm:0.00} eV."))
        {
            ReferenceBroadeningEv = fwhm,
        };

    private static EnergyCalibrationReport CalibrateOffset(
        SpectralStack[] stacks, PixelMask?[] samples, NoiseContext noise, ReferenceSpectra references, PhaseMappingOptions options,
        ILogger logger, CancellationToken cancellationToken)
    {
        EnergyAxis axis = stacks[0].Energies;
        switch (options.EnergyOffset)
        {
            case EnergyOffsetMode.None:
                return new EnergyCalibrationReport(
                    EnergyOffsetMode.None, 0, null, references.ResampleTo(axis), "No energy offset applied (mode None).");
            case EnergyOffsetMode.Fixed:
            {
                double offset = options.EnergyOffsetEv;
                WarnIfLarge(logger, offset);
                return new EnergyCalibrationReport(EnergyOffsetMode.Fixed, offset, null, EnergyCalibration.ResampleShifted(references, axis, offset),
                    string.Create(CultureInfo.InvariantCulture, $"Energy offset {offset:+0.000;-0.000;+0.000} eV applied as given."));
            }

            default:
            {
                if (axis.Count < MinimumEnergiesForOffset)
                {
                    string few = string.Create(CultureInfo.InvariantCulture,
                        $"{axis.Count} energies are too few to estimate an energy offset (phase and offset trade off; fewer than ")
                        + string.Create(CultureInfo.InvariantCulture, $"{MinimumEnergiesForOffset}): none applied; give it as fixed if known.");
                    EstimateInfo(logger, few);
                    return new EnergyCalibrationReport(EnergyOffsetMode.Auto, 0, null, references.ResampleTo(axis), few);
                }

                EnergyOffsetEstimate estimate = EnergyCalibration.EstimateOffset(stacks, references, samples, null, cancellationToken);
                bool apply = estimate.IsReliable && Math.Abs(estimate.OffsetEv) >= MinimumAppliedEv
                    && Math.Abs(estimate.OffsetEv) >= 3 * estimate.UncertaintyEv;
                string test = string.Empty;
                double offset = estimate.OffsetEv;
                if (apply && options.ComputePosteriors)
                {
                    // The posteriors are far more sensitive to a 0.1 eV misfit than the mean correlation is: test the offset on them.
                    var probe = new NoiseProbe(stacks, samples, noise, references, options);
                    double z = probe.Z(estimate.OffsetEv, cancellationToken);
                    apply = z >= MinimumNoiseModelZ;
                    test = string.Create(CultureInfo.InvariantCulture, $" Noise-model fit with it: z = {z:0.0} (needs {MinimumNoiseModelZ}).");
                    if (apply)
                    {
                        // Accepted: apply the offset the noise model's χ² prefers (the correlation estimate can be biased).
                        offset = RefineOnNoiseModel(probe, estimate, new EnergyCalibrationOptions().SearchRangeEv, cancellationToken);
                        test += string.Create(CultureInfo.InvariantCulture,
                            $" Refined on the noise model's χ²: {offset:+0.000;-0.000;+0.000} eV ")
                            + string.Create(CultureInfo.InvariantCulture, $"(estimate {estimate.OffsetEv:+0.000;-0.000;+0.000} eV).");
                    }
                }
                else if (apply)
                {
                    apply = GainOverNoOffset(estimate) >= MinimumCorrelationGain;
                }

                if (!estimate.IsReliable && estimate.Status != EnergyOffsetStatus.NotEstimable)
                {
                    EstimateNotApplied(logger, estimate.Message);
                }
                else
                {
                    EstimateInfo(logger, estimate.Message);
                }

                offset = apply ? offset : 0;
                if (apply)
                {
                    WarnIfLarge(logger, offset);
                }

                string message = apply
                    ? estimate.Message + test + " Applied."
                    : estimate.IsReliable ? estimate.Message + test + " Not significant: not applied." : estimate.Message;
                return new EnergyCalibrationReport(EnergyOffsetMode.Auto, offset, estimate,
                    offset == 0 ? references.ResampleTo(axis) : EnergyCalibration.ResampleShifted(references, axis, offset), message);
            }
        }
    }

    private static void WarnIfLarge(ILogger logger, double offset)
    {
        if (Math.Abs(offset) > WarnAboveEv)
        {
            LargeOffset(logger, offset);
        }
    }

    [LoggerMessage(EventId = 60, Level = LogLevel.Warning,
        Message = "The stack's energy scale is offset by {Offset:+0.000;-0.000;+0.000} eV from the references' (more than 0.1 eV): "
            + "check the monochromator calibration; the references are read at E + offset.")]
    private static partial void LargeOffset(ILogger logger, double offset);

    [LoggerMessage(EventId = 61, Level = LogLevel.Warning, Message = "{Message}")]
    private static partial void EstimateNotApplied(ILogger logger, string message);

    [LoggerMessage(EventId = 63, Level = LogLevel.Information, Message = "Fitted reference broadening: Gaussian FWHM {Fwhm:0.00} eV.")]
    private static partial void BroadeningFitted(ILogger logger, double fwhm);

    [LoggerMessage(EventId = 62, Level = LogLevel.Information, Message = "{Message}")]
    private static partial void EstimateInfo(ILogger logger, string message);

    /// <summary>The objective's best value minus its value at the trial offset nearest to zero.</summary>
    private static double GainOverNoOffset(EnergyOffsetEstimate estimate)
    {
        IReadOnlyList<double> trials = estimate.TrialOffsetsEv;
        IReadOnlyList<double> objective = estimate.Objective;
        if (trials.Count == 0 || objective.Count != trials.Count)
        {
            return double.PositiveInfinity;
        }

        int zero = 0;
        double best = double.NegativeInfinity;
        for (int i = 0; i < trials.Count; i++)
        {
            if (Math.Abs(trials[i]) < Math.Abs(trials[zero]))
            {
                zero = i;
            }

            best = Math.Max(best, objective[i]);
        }

        return best - objective[zero];
    }
}
