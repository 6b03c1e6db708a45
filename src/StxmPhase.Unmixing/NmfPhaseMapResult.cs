using StxmPhase.Spectra;

namespace StxmPhase.Unmixing;

/// <summary>The immutable result of <see cref="NmfPhaseMapper.Map"/>.</summary>
public sealed class NmfPhaseMapResult
{
    private readonly int[] _componentPhases;
    private readonly double[] _correlations;
    private readonly double[] _abundances;
    private readonly PixelStatus[] _status;

    internal NmfPhaseMapResult(NmfResult nmf, PhaseMap phaseMap, int[] componentPhases, double[] correlations, double[] abundances,
        PixelStatus[] status, int zeroAbundanceCount)
    {
        Nmf = nmf;
        PhaseMap = phaseMap;
        _componentPhases = componentPhases;
        _correlations = correlations;
        _abundances = abundances;
        _status = status;
        ZeroAbundanceCount = zeroAbundanceCount;
        foreach (PixelStatus s in status)
        {
            if (s == PixelStatus.Masked)
            {
                MaskedCount++;
            }
            else if (s == PixelStatus.Invalid)
            {
                InvalidCount++;
            }
        }
    }

    /// <summary>Gets the NMF of the valid pixels (rows in increasing pixel order).</summary>
    public NmfResult Nmf { get; }

    /// <summary>Gets the phase of each pixel: the reference matched to its most abundant component (−1 where excluded or all-zero).</summary>
    public PhaseMap PhaseMap { get; }

    /// <summary>Gets the reference phase matched to each NMF component.</summary>
    public IReadOnlyList<int> ComponentPhases => _componentPhases;

    /// <summary>Gets the Pearson correlation of each component spectrum with each reference, row-major k × P (NaN for a constant
    /// component).</summary>
    public ReadOnlySpan<double> ComponentCorrelations => _correlations;

    /// <summary>
    /// Gets the abundance maps, component-major <c>[t · PixelCount + pixel]</c>: <c>W[i,t] · Σ_e H[t,e]</c>, the
    /// integrated optical density that component t contributes to the pixel (0 for excluded pixels). Scaling by Σ_e H
    /// removes NMF's scale ambiguity between W and H.
    /// </summary>
    public ReadOnlySpan<double> Abundances => _abundances;

    /// <summary>Gets the status of each pixel.</summary>
    public ReadOnlySpan<PixelStatus> Status => _status;

    /// <summary>Gets the number of masked pixels.</summary>
    public int MaskedCount { get; }

    /// <summary>Gets the number of pixels excluded because of NaN/±∞.</summary>
    public int InvalidCount { get; }

    /// <summary>Gets the number of valid pixels whose abundances are all 0 (unassigned).</summary>
    public int ZeroAbundanceCount { get; }
}
