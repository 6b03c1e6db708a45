namespace StxmPhase.Spectra;

/// <summary>Why a pixel did or did not take part in phase mapping.</summary>
public enum PixelStatus : byte
{
    /// <summary>The pixel was analysed and labelled.</summary>
    Valid = 0,

    /// <summary>The pixel was excluded by a caller-supplied or automatic mask (e.g. background).</summary>
    Masked = 1,

    /// <summary>
    /// The pixel's spectrum contains NaN or ±∞, or is numerically constant
    /// (Σ(x − x̄)² ≤ 1e-12 · max(1, Σx²)), so no correlation is defined.
    /// </summary>
    Invalid = 2,
}
