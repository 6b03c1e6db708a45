using System.Globalization;

namespace StxmPhase.Spectra;

/// <summary>
/// Named reference spectra (one per phase) tabulated on a common <see cref="EnergyAxis"/>, stored phase-major in
/// double precision. Immutable.
/// </summary>
/// <example>
/// <code>
/// var refs = new ReferenceSpectra(highResAxis, new[] { "Na3.0", "Na1.0" }, values);
/// ReferenceSpectra onStack = refs.ResampleTo(stack.Energies);
/// </code>
/// </example>
public sealed class ReferenceSpectra
{
    private readonly double[] _values;
    private readonly string[] _names;

    /// <summary>Initializes reference spectra from a copy of <paramref name="values"/>.</summary>
    /// <param name="energies">The energies at which the spectra are tabulated.</param>
    /// <param name="phaseNames">One unique, non-empty name per phase.</param>
    /// <param name="values">Phase-major values: <c>values[p · energies.Count + e]</c>.</param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">No phase, a duplicate or empty name, a length mismatch, or a non-finite value (the message names the phase
    /// and energy).</exception>
    public ReferenceSpectra(EnergyAxis energies, IReadOnlyList<string> phaseNames, ReadOnlySpan<double> values)
    {
        ArgumentNullException.ThrowIfNull(energies);
        ArgumentNullException.ThrowIfNull(phaseNames);
        if (phaseNames.Count == 0)
        {
            throw new ArgumentException("At least one reference phase is required.", nameof(phaseNames));
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int p = 0; p < phaseNames.Count; p++)
        {
            string name = phaseNames[p];
            if (string.IsNullOrWhiteSpace(name))
            {
                throw new ArgumentException(
                    string.Create(CultureInfo.InvariantCulture, $"Phase name at index {p} is empty."), nameof(phaseNames));
            }

            if (!seen.Add(name))
            {
                throw new ArgumentException($"Phase name '{name}' appears more than once.", nameof(phaseNames));
            }
        }

        long expected = (long)phaseNames.Count * energies.Count;
        if (values.Length != expected)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture,
                    $"Reference values must hold phases × energies = {phaseNames.Count} × {energies.Count} = {expected} values; got " +
                    $"{values.Length}."),
                nameof(values));
        }

        for (int i = 0; i < values.Length; i++)
        {
            if (!double.IsFinite(values[i]))
            {
                int p = i / energies.Count;
                int e = i % energies.Count;
                throw new ArgumentException(
                    string.Create(CultureInfo.InvariantCulture,
                        $"Reference '{phaseNames[p]}' has a non-finite value ({values[i]}) at {energies[e]} eV (index {e})."),
                    nameof(values));
            }
        }

        Energies = energies;
        _names = phaseNames.ToArray();
        _values = values.ToArray();
    }

    /// <summary>Gets the energies at which the spectra are tabulated.</summary>
    public EnergyAxis Energies { get; }

    /// <summary>Gets the phase names, in phase-index order.</summary>
    public IReadOnlyList<string> PhaseNames => _names;

    /// <summary>Gets the number of phases.</summary>
    public int PhaseCount => _names.Length;

    /// <summary>Gets all values, phase-major (<c>[p · Energies.Count + e]</c>).</summary>
    public ReadOnlySpan<double> Values => _values;

    /// <summary>Returns the spectrum of phase <paramref name="phase"/>.</summary>
    /// <param name="phase">Phase index.</param>
    /// <returns>The values at each energy of <see cref="Energies"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="phase"/> is outside [0, PhaseCount).</exception>
    public ReadOnlySpan<double> Spectrum(int phase)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(phase);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(phase, PhaseCount);
        return _values.AsSpan(phase * Energies.Count, Energies.Count);
    }

    /// <summary>Returns the index of the phase called <paramref name="name"/> (ordinal comparison), or −1.</summary>
    /// <param name="name">A phase name.</param>
    /// <returns>The phase index, or −1 when absent.</returns>
    public int IndexOf(string name) => Array.IndexOf(_names, name);

    /// <summary>
    /// Linearly interpolates every reference onto <paramref name="target"/> (typically the sparse energies of a stack).
    /// </summary>
    /// <param name="target">The energies to interpolate at.</param>
    /// <param name="toleranceEv">
    /// How far (eV) a target energy may lie outside the tabulated range and still be accepted, taking the end value
    /// (default 0.05 eV, to absorb monochromator rounding).
    /// </param>
    /// <returns>The references on <paramref name="target"/>. Returns this instance when the axes are identical.</returns>
    /// <exception cref="IncompatibleEnergiesException">A target energy lies outside the tabulated range by more than the tolerance; the message names
    /// the energy.</exception>
    /// <remarks>For a target energy between tabulated energies e_i ≤ E ≤ e_(i+1):
    /// r(E) = r_i + (r_(i+1) − r_i)(E − e_i)/(e_(i+1) − e_i).</remarks>
    public ReferenceSpectra ResampleTo(EnergyAxis target, double toleranceEv = 0.05)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (target.Equals(Energies))
        {
            return this;
        }

        ReadOnlySpan<double> src = Energies.AsSpan();
        int m = src.Length;
        double[] result = new double[PhaseCount * target.Count];
        for (int t = 0; t < target.Count; t++)
        {
            double energy = target[t];
            if (energy < src[0] - toleranceEv || energy > src[m - 1] + toleranceEv)
            {
                throw new IncompatibleEnergiesException(
                    string.Create(CultureInfo.InvariantCulture,
                        $"Stack energy {energy} eV (index {t}) lies outside the range of the reference spectra ({src[0]}–{src[m - 1]} eV)."))
                {
                    EnergyEv = energy,
                };
            }

            int hi = src.BinarySearch(energy);
            int lo;
            double w;
            if (hi >= 0)
            {
                lo = hi;
                w = 0;
            }
            else
            {
                hi = ~hi;
                if (hi == 0)
                {
                    lo = 0;
                    hi = 0;
                    w = 0;
                }
                else if (hi >= m)
                {
                    lo = m - 1;
                    hi = m - 1;
                    w = 0;
                }
                else
                {
                    lo = hi - 1;
                    w = (energy - src[lo]) / (src[hi] - src[lo]);
                }
            }

            for (int p = 0; p < PhaseCount; p++)
            {
                double a = _values[(p * m) + lo];
                double b = _values[(p * m) + hi];
                result[(p * target.Count) + t] = a + ((b - a) * w);
            }
        }

        return new ReferenceSpectra(target, _names, result);
    }
}
