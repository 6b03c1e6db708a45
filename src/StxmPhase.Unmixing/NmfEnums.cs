namespace StxmPhase.Unmixing;

/// <summary>How the NMF factors are initialised (scikit-learn <c>_initialize_nmf</c>).</summary>
public enum NmfInitialization
{
    /// <summary>NNDSVD (Boutsidis &amp; Gallopoulos 2008): zeros are kept, so sparse factors. Best with HALS.</summary>
    Nndsvd = 0,

    /// <summary>NNDSVD with zeros replaced by mean(X) (scikit-learn's default since 1.1). Default.</summary>
    NndsvdA = 1,

    /// <summary>NNDSVD with zeros replaced by |mean(X)·N(0,1)|/100 (seeded; not NumPy's stream).</summary>
    NndsvdAr = 2,

    /// <summary>Random: sqrt(mean(X)/k)·|N(0,1)| entries (seeded; not NumPy's stream).</summary>
    Random = 3,
}

/// <summary>Which factor a HALS iteration updates first.</summary>
public enum NmfUpdateOrder
{
    /// <summary>W (abundances) first, then H (scikit-learn <c>solver='cd'</c>). Default.</summary>
    WFirst = 0,

    /// <summary>H (component spectra) first, then W (ristretto's randomized HALS order).</summary>
    HFirst = 1,
}

/// <summary>What NMF does with negative input values (NMF needs X ≥ 0; OD spectra have small negative noise).</summary>
public enum NegativeValueHandling
{
    /// <summary>Replace negative values by 0 and count them (default).</summary>
    ClipToZero = 0,

    /// <summary>Subtract the global minimum from every value when it is negative (the shift is reported).</summary>
    SubtractMinimum = 1,

    /// <summary>Throw an <see cref="ArgumentException"/> naming the first negative value.</summary>
    Throw = 2,
}

/// <summary>When the NMF iteration stops (besides <see cref="NmfOptions.MaxIterations"/>).</summary>
public enum NmfStoppingRule
{
    /// <summary>
    /// scikit-learn / ristretto rule: the sum of |projected gradient| over all coordinates of an iteration, divided by
    /// that of the first iteration, is ≤ tolerance. Default.
    /// </summary>
    ProjectedGradient = 0,

    /// <summary>Relative objective change: (f_prev − f) ≤ tolerance · f_prev, checked from the second iteration on.</summary>
    RelativeObjectiveChange = 1,
}
