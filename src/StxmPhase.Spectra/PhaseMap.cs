using System.Globalization;

namespace StxmPhase.Spectra;

/// <summary>
/// An immutable Width × Height image of phase labels: <c>0 … PhaseCount − 1</c>, <see cref="Unassigned"/> (−1) for
/// background, masked or invalid pixels, or <see cref="NoMatch"/> (−2) for a sample pixel whose spectrum fits none of the
/// references.
/// </summary>
public sealed class PhaseMap
{
    /// <summary>The label of a pixel that carries no phase (background, masked or invalid).</summary>
    public const int Unassigned = -1;

    /// <summary>
    /// The label of a sample pixel whose spectrum fits none of the references (a goodness-of-fit test failed: a phase
    /// missing from the library, carbon, binder), rather than being forced into one. It carries no phase.
    /// </summary>
    public const int NoMatch = -2;

    private readonly int[] _labels;
    private readonly string[] _names;

    /// <summary>Initializes a phase map from a copy of <paramref name="labels"/>.</summary>
    /// <param name="width">Width in pixels.</param>
    /// <param name="height">Height in pixels.</param>
    /// <param name="phaseNames">Names of the phases, by label.</param>
    /// <param name="labels">Width × Height labels, row-major, each −2, −1 or in [0, phaseNames.Count).</param>
    /// <exception cref="ArgumentException">A length mismatch, or a label out of range (the message names the pixel and value).</exception>
    public PhaseMap(int width, int height, IReadOnlyList<string> phaseNames, ReadOnlySpan<int> labels)
        : this(width, height, phaseNames, labels.ToArray(), validate: true)
    {
    }

    private PhaseMap(int width, int height, IReadOnlyList<string> phaseNames, int[] labels, bool validate)
    {
        ArgumentNullException.ThrowIfNull(phaseNames);
        ThrowHelper.ThrowIfNotPositive(width, nameof(width));
        ThrowHelper.ThrowIfNotPositive(height, nameof(height));
        if (labels.Length != (long)width * height)
        {
            ThrowHelper.LengthMismatch(nameof(labels), (long)width * height, labels.Length);
        }

        if (validate)
        {
            // Vectorized range check: any label outside [−2, PhaseCount − 1].
            int i = labels.AsSpan().IndexOfAnyExceptInRange(NoMatch, phaseNames.Count - 1);
            if (i >= 0)
            {
                throw new ArgumentException(
                    string.Create(CultureInfo.InvariantCulture,
                        $"Label of pixel {i} (x = {i % width}, y = {i / width}) is {labels[i]}; " +
                        $"labels must be −2, −1 or in [0, {phaseNames.Count})."),
                    nameof(labels));
            }
        }

        Width = width;
        Height = height;
        _names = phaseNames.ToArray();
        _labels = labels;
    }

    /// <summary>Gets the width in pixels.</summary>
    public int Width { get; }

    /// <summary>Gets the height in pixels.</summary>
    public int Height { get; }

    /// <summary>Gets the number of pixels.</summary>
    public int PixelCount => _labels.Length;

    /// <summary>Gets the phase names, by label.</summary>
    public IReadOnlyList<string> PhaseNames => _names;

    /// <summary>Gets the number of phases.</summary>
    public int PhaseCount => _names.Length;

    /// <summary>Gets all labels, row-major.</summary>
    public ReadOnlySpan<int> Labels => _labels;

    /// <summary>Gets the label of pixel (<paramref name="x"/>, <paramref name="y"/>).</summary>
    /// <param name="x">Column.</param>
    /// <param name="y">Row.</param>
    public int this[int x, int y] => _labels[(y * Width) + x];

    /// <summary>
    /// Creates a phase map that takes ownership of <paramref name="labels"/> without copying (the caller must not modify
    /// it afterwards). Labels are validated.
    /// </summary>
    /// <param name="width">Width in pixels.</param>
    /// <param name="height">Height in pixels.</param>
    /// <param name="phaseNames">Names of the phases.</param>
    /// <param name="labels">The labels.</param>
    /// <returns>The map.</returns>
    /// <exception cref="ArgumentException">A length mismatch or a label out of range.</exception>
    public static PhaseMap FromArray(int width, int height, IReadOnlyList<string> phaseNames, int[] labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        return new PhaseMap(width, height, phaseNames, labels, validate: true);
    }

    /// <summary>
    /// Wraps a kernel's labels without the range check (the producer guarantees −1 or [0, phaseNames.Count)); the
    /// length is still checked.
    /// </summary>
    /// <param name="width">Width in pixels.</param>
    /// <param name="height">Height in pixels.</param>
    /// <param name="phaseNames">Names of the phases, by label.</param>
    /// <param name="labels">Width × Height labels, owned from now on.</param>
    /// <returns>The map.</returns>
    internal static PhaseMap WrapTrusted(int width, int height, IReadOnlyList<string> phaseNames, int[] labels) =>
        new(width, height, phaseNames, labels, validate: false);

    /// <summary>Returns the number of pixels labelled <paramref name="phase"/>.</summary>
    /// <param name="phase">A label (−1 counts unassigned pixels, −2 pixels that match no reference).</param>
    /// <returns>The count.</returns>
    public int CountOf(int phase) => _labels.AsSpan().Count(phase);

    /// <summary>Gets the number of pixels that carry a phase (labels ≥ 0).</summary>
    public int AssignedCount => PixelCount - CountOf(Unassigned) - CountOf(NoMatch);

    /// <summary>
    /// Returns the fraction of each phase among the assigned pixels (optionally only those inside <paramref name="within"/>).
    /// The fractions sum to 1 when any pixel is assigned, and are all 0 otherwise.
    /// </summary>
    /// <param name="within">An optional mask of the same size restricting the pixels counted.</param>
    /// <returns>One fraction per phase.</returns>
    /// <exception cref="ArgumentException">The mask size differs.</exception>
    public double[] Fractions(PixelMask? within = null)
    {
        if (within is not null && (within.Width != Width || within.Height != Height))
        {
            ThrowHelper.SizeMismatch(nameof(within), Width, Height, within.Width, within.Height);
        }

        long[] counts = new long[PhaseCount];
        long total = 0;
        for (int i = 0; i < _labels.Length; i++)
        {
            int l = _labels[i];
            if (l >= 0 && (within is null || within[i]))
            {
                counts[l]++;
                total++;
            }
        }

        double[] result = new double[PhaseCount];
        if (total > 0)
        {
            for (int p = 0; p < result.Length; p++)
            {
                result[p] = (double)counts[p] / total;
            }
        }

        return result;
    }

    /// <summary>Returns a description such as "256×256 phase map, 5 phases, 40000 assigned".</summary>
    /// <returns>The description.</returns>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Width}×{Height} phase map, {PhaseCount} phases, {AssignedCount} assigned");
}
