using StxmPhase.Spectra;

namespace StxmPhase;

/// <summary>
/// What the workflow did about the energy offset between the stacks and the references (<see cref="PhaseMappingRun.EnergyCalibration"/>).
/// Sign of the offset ΔE: the stack's nominal energy E corresponds to the references' energy E + ΔE; the references were read at
/// E + ΔE (their energy axis moved by −ΔE). A positive ΔE means the stack's energy scale reads low.
/// </summary>
public sealed class EnergyCalibrationReport
{
    internal EnergyCalibrationReport(
        EnergyOffsetMode mode, double appliedOffsetEv, EnergyOffsetEstimate? estimate, ReferenceSpectra references, string message)
    {
        Mode = mode;
        AppliedOffsetEv = appliedOffsetEv;
        Estimate = estimate;
        References = references;
        Message = message;
    }

    /// <summary>Gets the mode the run used.</summary>
    public EnergyOffsetMode Mode { get; }

    /// <summary>Gets the offset ΔE in eV applied to the references (0 when none was applied). In mode
    /// <see cref="EnergyOffsetMode.Auto"/> with noise-model posteriors, an accepted <see cref="Estimate"/> is refined to the offset
    /// that minimises the noise model's χ², and this is the refined value.</summary>
    public double AppliedOffsetEv { get; }

    /// <summary>Gets the estimate (mode <see cref="EnergyOffsetMode.Auto"/> only), or <see langword="null"/>.</summary>
    public EnergyOffsetEstimate? Estimate { get; }

    /// <summary>Gets the references on the stack energies with the offset applied (those the run correlated with).</summary>
    public ReferenceSpectra References { get; }

    /// <summary>Gets the FWHM in eV of the Gaussian broadening applied to the references (0 when none), given or fitted.</summary>
    public double ReferenceBroadeningEv { get; internal init; }

    /// <summary>Gets the offset in eV applied to each edge block of a fused multi-edge input (each edge calibrated on its own
    /// energies), or <see langword="null"/> for a single-edge input (<see cref="AppliedOffsetEv"/> is then the offset).</summary>
    public IReadOnlyList<double>? BlockOffsetsEv { get; internal init; }

    /// <summary>Gets a one-sentence explanation for a log or report.</summary>
    public string Message { get; }
}
