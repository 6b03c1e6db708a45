namespace StxmPhase;

/// <summary>How <see cref="PhaseMappingWorkflow"/> handles an energy offset between the stacks and the references.</summary>
public enum EnergyOffsetMode
{
    /// <summary>
    /// Estimate one offset from the sample pixels of all stacks together (the list overload of
    /// <c>Spectra.EnergyCalibration.EstimateOffset</c>) and apply it
    /// when the estimate is reliable and significant (|ΔE| ≥ 0.02 eV and ≥ 3 standard uncertainties) and improves the fit the
    /// posteriors use: with <see cref="PhaseMappingOptions.ComputePosteriors"/>, the paired test of the noise model's per-pixel χ²
    /// with and without ΔE must reach z ≥ 4.5; without (the paper's pipeline), the mean best correlation must gain ≥ 0.002.
    /// Otherwise apply none and log why. Needs references tabulated finer than 0.25 eV beyond the stack energies; otherwise
    /// nothing is applied. The default.
    /// </summary>
    Auto = 0,

    /// <summary>Apply no offset (the references are read at the stack energies).</summary>
    None = 1,

    /// <summary>Apply <see cref="PhaseMappingOptions.EnergyOffsetEv"/>.</summary>
    Fixed = 2,
}
