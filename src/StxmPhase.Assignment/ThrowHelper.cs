using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace StxmPhase.Assignment;

/// <summary>Throw helpers and argument guards shared by the assignment strategies.</summary>
internal static class ThrowHelper
{
    [DoesNotReturn]
    public static void DestinationTooShort(string paramName, long required, int actual) =>
        throw new ArgumentException(
            string.Create(CultureInfo.InvariantCulture, $"Destination is too short: {required} elements are required but it has {actual}."),
            paramName);

    /// <summary>Validates the arguments of an <c>Assign</c>-style call and checks every coordinate is finite.</summary>
    public static void ValidateQuery(ReadOnlySpan<float> points, int count, int dimension)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        long expected = (long)count * dimension;
        if (points.Length != expected)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture,
                    $"Expected {count} points × {dimension} dimensions = {expected} values; got {points.Length}."),
                nameof(points));
        }

        for (int i = 0; i < points.Length; i++)
        {
            if (!float.IsFinite(points[i]))
            {
                throw new ArgumentException(
                    string.Create(CultureInfo.InvariantCulture,
                        $"Query point {i / dimension} has a non-finite coordinate {i % dimension} ({points[i]}); latent points must be finite."),
                    nameof(points));
            }
        }
    }

    /// <summary>Checks that a destination span holds at least <paramref name="required"/> elements.</summary>
    public static void ValidateDestination(int length, long required, string paramName)
    {
        if (length < required)
        {
            DestinationTooShort(paramName, required, length);
        }
    }

    /// <summary>Throws when <paramref name="labelled"/> has no points.</summary>
    public static void ValidateLabelled(LatentSet labelled)
    {
        ArgumentNullException.ThrowIfNull(labelled);
        if (labelled.Count == 0)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture,
                    $"The labelled set has no points, so no phase (of {labelled.PhaseCount}) can be predicted; the assignment is unresolved."),
                nameof(labelled));
        }
    }
}
