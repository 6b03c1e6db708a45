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
    /// <exception cref="ArgumentException">The list is empty, or a value is not finite, not positive, or not greater than the previous one. The message names the index and the value.</exception>
    public EnergyAxis(ReadOnlySpan<double> energiesEv)
    {
        _energiesEv = energiesEv.ToArray();
        Validate(_energiesEv);
    }

    /// <summary>Initializes a new axis from a copy of <paramref name="energiesEv"/>.</summary>
    /// <param name="energiesEv">The energies in eV, strictly increasing.</param>
    /// <exception cref="ArgumentNullException"><paramref name="energiesEv"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The list is empty, or a value is not finite, not positive, or not greater than the previous one.</exception>
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
                    string.Create(CultureInfo.InvariantCulture, $"Energies must be finite and positive; value at index {i} is {e[i]} eV."), nameof(energiesEv));
            }

            if (i > 0 && e[i] <= e[i - 1])
            {
                throw new ArgumentException(
                    string.Create(CultureInfo.InvariantCulture,
                        $"Energy axis must be strictly increasing; value at index {i} ({e[i]} eV) is not greater than the previous value ({e[i - 1]} eV)."),
                    nameof(energiesEv));
            }
        }
    }
}
