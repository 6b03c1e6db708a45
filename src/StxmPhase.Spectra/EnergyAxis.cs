using System.Collections;
using System.Globalization;

namespace StxmPhase.Spectra;

/// <summary>
/// An immutable, strictly increasing list of finite, positive photon energies in electronvolts (eV): the energies
/// at which the images of a stack were recorded, or at which reference spectra are tabulated.
/// </summary>
/// <example>
/// <code>
/// var axis = new EnergyAxis(new[] { 512.0, 516.4, 518.2, 530.1 });
/// int i = axis.IndexOfNearest(518.0); // 2
/// </code>
/// </example>
public sealed class EnergyAxis : IReadOnlyList<double>, IEquatable<EnergyAxis>
{
    private readonly double[] _energiesEv;

    /// <summary>Initializes a new axis from a copy of <paramref name="energiesEv"/>.</summary>
    /// <param name="energiesEv">The energies in eV, strictly increasing.</param>
    /// <exception cref="ArgumentException">The list is empty, or a value is not finite, not positive, or not greater than the previous one. The
    /// message names the index and the value.</exception>
    public EnergyAxis(ReadOnlySpan<double> energiesEv)
    {
        _energiesEv = energiesEv.ToArray();
        Validate(_energiesEv);
    }

    /// <summary>Initializes a new axis from a copy of <paramref name="energiesEv"/>.</summary>
    /// <param name="energiesEv">The energies in eV, strictly increasing.</param>
    /// <exception cref="ArgumentNullException"><paramref name="energiesEv"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The list is empty, or a value is not finite, not positive, or not greater than the previous
    /// one.</exception>
    public EnergyAxis(IEnumerable<double> energiesEv)
    {
        ArgumentNullException.ThrowIfNull(energiesEv);
        _energiesEv = energiesEv.ToArray();
        Validate(_energiesEv);
    }

    /// <summary>Gets the number of energies.</summary>
    public int Count => _energiesEv.Length;

    /// <summary>Gets the lowest energy in eV.</summary>
    public double MinimumEv => _energiesEv[0];

    /// <summary>Gets the highest energy in eV.</summary>
    public double MaximumEv => _energiesEv[^1];

    /// <summary>Gets the energy in eV at <paramref name="index"/>.</summary>
    /// <param name="index">Zero-based index.</param>
    /// <exception cref="IndexOutOfRangeException"><paramref name="index"/> is outside [0, <see cref="Count"/>).</exception>
    public double this[int index] => _energiesEv[index];

    /// <summary>Returns the energies as a read-only span.</summary>
    /// <returns>The energies in eV.</returns>
    public ReadOnlySpan<double> AsSpan() => _energiesEv;

    /// <summary>Returns the index of the energy closest to <paramref name="energyEv"/> (the lower index on a tie).</summary>
    /// <param name="energyEv">An energy in eV.</param>
    /// <returns>The index of the nearest energy.</returns>
    public int IndexOfNearest(double energyEv)
    {
        int best = 0;
        double bestDistance = double.PositiveInfinity;
        for (int i = 0; i < _energiesEv.Length; i++)
        {
            double d = Math.Abs(_energiesEv[i] - energyEv);
            if (d < bestDistance)
            {
                bestDistance = d;
                best = i;
            }
        }

        return best;
    }

    /// <summary>Returns whether two axes have the same count and every energy agrees within <paramref name="toleranceEv"/>.</summary>
    /// <param name="other">The other axis.</param>
    /// <param name="toleranceEv">The largest allowed absolute difference in eV (default 1 meV).</param>
    /// <returns><see langword="true"/> when the axes match.</returns>
    public bool Matches(EnergyAxis? other, double toleranceEv = 1e-3)
    {
        if (other is null || other.Count != Count)
        {
            return false;
        }

        for (int i = 0; i < Count; i++)
        {
            if (Math.Abs(other._energiesEv[i] - _energiesEv[i]) > toleranceEv)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Throws unless <paramref name="expected"/> has the same count and every energy agrees within
    /// <paramref name="toleranceEv"/>: the one check that two sides (a stack and its references, data and a trained
    /// model, two stacks of one latent space) share an energy axis.
    /// </summary>
    /// <param name="expected">The axis this one must match.</param>
    /// <param name="name">What this axis belongs to, as it reads in a sentence (e.g. "the stack", "stack 'a'").</param>
    /// <param name="expectedName">What <paramref name="expected"/> belongs to (e.g. "the references").</param>
    /// <param name="toleranceEv">The largest allowed absolute difference per energy in eV (default 1 meV).</param>
    /// <param name="remedy">An optional sentence appended to the message, saying how to fix the input.</param>
    /// <exception cref="ArgumentNullException">An argument other than <paramref name="remedy"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="toleranceEv"/> is negative or not finite.</exception>
    /// <exception cref="IncompatibleEnergiesException">
    /// The counts differ (the message names both sides, their counts and ranges) or an energy differs by more than
    /// the tolerance (the message names both sides, the zero-based index and both values;
    /// <see cref="IncompatibleEnergiesException.EnergyEv"/> is this axis's value there).
    /// </exception>
    /// <example>
    /// <code>
    /// stack.Energies.EnsureMatches(references.Energies, "the stack", "the references",
    ///     remedy: "Resample the references first with references.ResampleTo(stack.Energies).");
    /// </code>
    /// </example>
    public void EnsureMatches(EnergyAxis expected, string name, string expectedName, double toleranceEv = 1e-3, string? remedy = null)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(expectedName);
        if (!(toleranceEv >= 0) || double.IsInfinity(toleranceEv))
        {
            throw new ArgumentOutOfRangeException(nameof(toleranceEv), toleranceEv,
                string.Create(CultureInfo.InvariantCulture, $"The energy tolerance must be finite and not negative; got {toleranceEv} eV."));
        }

        string suffix = string.IsNullOrEmpty(remedy) ? string.Empty : " " + remedy;
        if (expected.Count != Count)
        {
            throw new IncompatibleEnergiesException(string.Create(CultureInfo.InvariantCulture,
                $"{Capitalized(name)} has {Count} energies ({MinimumEv}–{MaximumEv} eV) but {expectedName} has " +
                $"{expected.Count} ({expected.MinimumEv}–{expected.MaximumEv} eV).{suffix}"));
        }

        for (int i = 0; i < Count; i++)
        {
            if (!(Math.Abs(_energiesEv[i] - expected._energiesEv[i]) <= toleranceEv))
            {
                throw new IncompatibleEnergiesException(string.Create(CultureInfo.InvariantCulture,
                    $"{Capitalized(name)} differs from {expectedName} at energy {i} (zero-based index): " +
                    $"{_energiesEv[i]} eV against {expected._energiesEv[i]} eV (tolerance {toleranceEv} eV).{suffix}"))
                {
                    EnergyEv = _energiesEv[i],
                };
            }
        }
    }

    /// <inheritdoc/>
    public bool Equals(EnergyAxis? other) => other is not null && _energiesEv.AsSpan().SequenceEqual(other._energiesEv);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as EnergyAxis);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = default(HashCode);
        foreach (double e in _energiesEv)
        {
            hash.Add(e);
        }

        return hash.ToHashCode();
    }

    /// <inheritdoc/>
    public IEnumerator<double> GetEnumerator() => ((IEnumerable<double>)_energiesEv).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Returns a short description such as "13 energies, 510.00–545.00 eV".</summary>
    /// <returns>The description.</returns>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Count} energies, {MinimumEv:F2}–{MaximumEv:F2} eV");

    private static string Capitalized(string text) =>
        text.Length == 0 || char.IsUpper(text[0]) ? text : char.ToUpperInvariant(text[0]) + text[1..];

    private static void Validate(double[] energiesEv)
    {
        double[] e = energiesEv;
        if (e.Length == 0)
        {
            throw new ArgumentException("An energy axis must contain at least one energy.", nameof(energiesEv));
        }

        for (int i = 0; i < e.Length; i++)
        {
            if (!double.IsFinite(e[i]) || e[i] <= 0)
            {
                throw new ArgumentException(
                    string.Create(CultureInfo.InvariantCulture, $"Energies must be finite and positive; value at index {i} is {e[i]} eV."),
                    nameof(energiesEv));
            }

            if (i > 0 && e[i] <= e[i - 1])
            {
                throw new ArgumentException(
                    string.Create(CultureInfo.InvariantCulture,
                        $"Energy axis must be strictly increasing; value at index {i} ({e[i]} eV) is not greater than the previous value " +
                        $"({e[i - 1]} eV)."),
                    nameof(energiesEv));
            }
        }
    }
}
