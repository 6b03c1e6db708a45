using System.Globalization;

namespace StxmPhase.Spectra;

/// <summary>
/// An immutable set of labelled points in a latent space (rows of <see cref="Dimension"/> floats), e.g. the latent
/// means of the confidently PCC-labelled pixels, or the encoded reference spectra.
/// </summary>
public sealed class LatentSet
{
    private readonly float[] _points;
    private readonly int[] _labels;
    private readonly string[] _names;

    /// <summary>Initializes a set from copies of <paramref name="points"/> and <paramref name="labels"/>.</summary>
    /// <param name="points">Row-major points: <c>points[i · dimension + j]</c>.</param>
    /// <param name="dimension">The latent dimension (≥ 1).</param>
    /// <param name="labels">One phase label per point, in [0, phaseNames.Count).</param>
    /// <param name="phaseNames">Phase names, by label.</param>
    /// <exception cref="ArgumentException">Lengths do not match, a label is out of range, or a coordinate is NaN or ±∞ (the message names the
    /// point and coordinate).</exception>
    public LatentSet(ReadOnlySpan<float> points, int dimension, ReadOnlySpan<int> labels, IReadOnlyList<string> phaseNames)
    {
        ArgumentNullException.ThrowIfNull(phaseNames);
        ThrowHelper.ThrowIfNotPositive(dimension, nameof(dimension));
        if (points.Length != (long)labels.Length * dimension)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture,
                    $"Expected {labels.Length} points × {dimension} dimensions = {(long)labels.Length * dimension} values; got {points.Length}."),
                nameof(points));
        }

        for (int i = 0; i < points.Length; i++)
        {
            if (!float.IsFinite(points[i]))
            {
                throw new ArgumentException(
                    string.Create(CultureInfo.InvariantCulture,
                        $"Latent point {i / dimension} has a non-finite coordinate {i % dimension} ({points[i]})."),
                    nameof(points));
            }
        }

        for (int i = 0; i < labels.Length; i++)
        {
            if (labels[i] < 0 || labels[i] >= phaseNames.Count)
            {
                throw new ArgumentException(
                    string.Create(CultureInfo.InvariantCulture, $"Label of latent point {i} is {labels[i]}; it must be in [0, {phaseNames.Count})."),
                    nameof(labels));
            }
        }

        Dimension = dimension;
        _points = points.ToArray();
        _labels = labels.ToArray();
        _names = phaseNames.ToArray();
    }

    /// <summary>Gets the number of points.</summary>
    public int Count => _labels.Length;

    /// <summary>Gets the latent dimension.</summary>
    public int Dimension { get; }

    /// <summary>Gets the points, row-major.</summary>
    public ReadOnlySpan<float> Points => _points;

    /// <summary>Gets the label of each point.</summary>
    public ReadOnlySpan<int> Labels => _labels;

    /// <summary>Gets the phase names, by label.</summary>
    public IReadOnlyList<string> PhaseNames => _names;

    /// <summary>Gets the number of phases (labels range over [0, PhaseCount)).</summary>
    public int PhaseCount => _names.Length;

    /// <summary>Returns point <paramref name="index"/>.</summary>
    /// <param name="index">Point index.</param>
    /// <returns>Its <see cref="Dimension"/> coordinates.</returns>
    public ReadOnlySpan<float> Point(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        return _points.AsSpan(index * Dimension, Dimension);
    }
}
