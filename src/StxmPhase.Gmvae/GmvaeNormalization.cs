namespace StxmPhase.Gmvae;

/// <summary>How spectra are transformed before they enter the network. The transform is fitted on the training
/// split only, stored in the model and its checkpoint, and applied by every <c>Encode</c>/<c>Decode</c> call.</summary>
public enum GmvaeNormalization
{
    /// <summary>Paper-faithful default: every value is divided by one scalar, the 99th percentile of |x| over the
    /// training split (1 when that is 0). Keeps intensity (thickness) information, which the paper's Fig. S10 shows
    /// one latent axis tracking.</summary>
    GlobalScale = 0,

    /// <summary>Per-energy standardisation: x'ₑ = (xₑ − meanₑ) / stdₑ with mean and (population) standard deviation
    /// of energy e over the training split (std 0 is replaced by 1).</summary>
    PerEnergy = 1,

    /// <summary>Per-spectrum standardisation: x' = (x − mean(x)) / std(x) over the energies of each spectrum, which
    /// removes thickness and makes Euclidean geometry consistent with Pearson correlation. A constant spectrum maps
    /// to the zero vector. <c>Decode</c> returns standardised spectra in this mode (the scale cannot be recovered).</summary>
    PerSpectrum = 2,

    /// <summary>No transform.</summary>
    None = 3,
}
