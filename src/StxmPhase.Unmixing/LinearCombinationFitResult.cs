using System.Globalization;
using StxmPhase.Spectra;

namespace StxmPhase.Unmixing;

/// <summary>
/// The immutable result of a per-pixel linear-combination fit (<see cref="LinearCombinationFitter"/>): one weight map
/// per reference phase, the offset map, residual maps and the phase map (largest weight).
/// </summary>
/// <remarks>
/// <para>
/// For a valid pixel with spectrum x (E energies), weights a (one per phase) and offset c, the fitted spectrum is
/// <c>x̂ = c + Σ_p a_p r_p</c>; <see cref="ResidualNorms"/> holds ‖x − x̂‖₂ and <see cref="RFactors"/> the R-factor
/// <c>Σ_e (x_e − x̂_e)² / Σ_e x_e²</c> (0 when x is all zeros). Both are over the E stack energies only (a sum-to-one
/// penalty row is not included).
/// </para>
/// <para>
/// Masked and invalid (NaN/±∞) pixels hold 0 in every map and label <see cref="PhaseMap.Unassigned"/>; valid pixels
/// whose weights are all 0 (e.g. a negative spectrum) are also unassigned and counted in
/// <see cref="ZeroWeightCount"/>. The phase is the index of the largest weight (first index on a tie).
/// </para>
/// </remarks>
public sealed class LinearCombinationFitResult
{
    private readonly double[] _weights;
    private readonly double[] _offsets;
    private readonly double[] _residualNorms;
    private readonly double[] _rFactors;
    private readonly PixelStatus[] _status;

    internal LinearCombinationFitResult(
        int width,
        int height,
        IReadOnlyList<string> phaseNames,
        double[] weights,
        double[] offsets,
        double[] residualNorms,
        double[] rFactors,
        PixelStatus[] status,
        int[] labels,
        int zeroWeightCount,
        int nonConvergedCount,
        double conditionNumber,
        LinearCombinationFitOptions options)
    {
        Width = width;
        Height = height;
        PhaseNames = phaseNames.ToArray();
        _weights = weights;
        _offsets = offsets;
        _residualNorms = residualNorms;
        _rFactors = rFactors;
        _status = status;
        PhaseMap = PhaseMap.FromArray(width, height, PhaseNames, labels);
        ZeroWeightCount = zeroWeightCount;
        NonConvergedCount = nonConvergedCount;
        ConditionNumber = conditionNumber;
        Options = options;
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

    /// <summary>Gets the image width in pixels.</summary>
    public int Width { get; }

    /// <summary>Gets the image height in pixels.</summary>
    public int Height { get; }

    /// <summary>Gets the number of pixels.</summary>
    public int PixelCount => Width * Height;

    /// <summary>Gets the phase names, in reference order.</summary>
    public IReadOnlyList<string> PhaseNames { get; }

    /// <summary>Gets the number of phases.</summary>
    public int PhaseCount => PhaseNames.Count;

    /// <summary>Gets all weight maps, phase-major: <c>[p · PixelCount + pixel]</c>.</summary>
    public ReadOnlySpan<double> Weights => _weights;

    /// <summary>Gets the constant term per pixel (all 0 when <see cref="OffsetMode.None"/>).</summary>
    public ReadOnlySpan<double> Offsets => _offsets;

    /// <summary>Gets ‖x − x̂‖₂ per pixel.</summary>
    public ReadOnlySpan<double> ResidualNorms => _residualNorms;

    /// <summary>Gets the R-factor Σ(x − x̂)²/Σx² per pixel.</summary>
    public ReadOnlySpan<double> RFactors => _rFactors;

    /// <summary>Gets the status of each pixel (valid, masked or invalid).</summary>
    public ReadOnlySpan<PixelStatus> Status => _status;

    /// <summary>Gets the phase of largest weight per pixel (−1 for masked, invalid or all-zero pixels).</summary>
    public PhaseMap PhaseMap { get; }

    /// <summary>Gets the number of masked pixels.</summary>
    public int MaskedCount { get; }

    /// <summary>Gets the number of pixels excluded because their spectrum contains NaN or ±∞.</summary>
    public int InvalidCount { get; }

    /// <summary>Gets the number of valid pixels whose weights are all 0 (unassigned).</summary>
    public int ZeroWeightCount { get; }

    /// <summary>Gets the number of pixels whose NNLS iteration hit its cap (normally 0).</summary>
    public int NonConvergedCount { get; }

    /// <summary>
    /// Gets the 2-norm condition number of the reference matrix (E × P, plus the offset column when fitted). Large values
    /// (≳ 10³) mean nearly collinear references whose individual weights are unstable.
    /// </summary>
    public double ConditionNumber { get; }

    /// <summary>Gets the options the fit used.</summary>
    public LinearCombinationFitOptions Options { get; }

    /// <summary>Returns the weight map of one phase.</summary>
    /// <param name="phase">The phase index.</param>
    /// <returns>PixelCount weights, row-major.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="phase"/> is outside [0, PhaseCount).</exception>
    public ReadOnlySpan<double> WeightMap(int phase)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(phase);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(phase, PhaseCount);
        return _weights.AsSpan(phase * PixelCount, PixelCount);
    }

    /// <summary>Returns the weight of <paramref name="phase"/> at pixel <paramref name="pixel"/>.</summary>
    /// <param name="phase">The phase index.</param>
    /// <param name="pixel">The pixel index <c>y · Width + x</c>.</param>
    /// <returns>The weight.</returns>
    public double Weight(int phase, int pixel) => WeightMap(phase)[pixel];

    /// <summary>Returns a description such as "256×256 LCF, 5 phases, 65000 assigned, 3 invalid".</summary>
    /// <returns>The description.</returns>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture,
            $"{Width}×{Height} LCF, {PhaseCount} phases, {PhaseMap.AssignedCount} assigned, {MaskedCount} masked, {InvalidCount} invalid");
}
