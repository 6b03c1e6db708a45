namespace StxmPhase.Unmixing;

/// <summary>Whether and how a constant (energy-independent) term is fitted beside the reference spectra.</summary>
public enum OffsetMode
{
    /// <summary>No constant term: <c>x ≈ Σ_p a_p r_p</c>.</summary>
    None = 0,

    /// <summary>
    /// A constant term of either sign: <c>x ≈ c + Σ_p a_p r_p</c> with c unconstrained (aXis2000 "stack fit" style,
    /// absorbs a flat background or an I0 offset). Solved exactly by eliminating c: the references and the pixel
    /// spectrum are centred over energy, the centred problem is solved (with a_p ≥ 0 when non-negative), and
    /// <c>c = mean(x) − Σ_p a_p mean(r_p)</c>.
    /// </summary>
    Free = 1,

    /// <summary>A constant term constrained like the weights, <c>c ≥ 0</c>: a column of ones is appended to the references.</summary>
    NonNegative = 2,
}
