using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace StxmPhase.Spectra;

/// <summary>Throw helpers shared by the kernels and types of this assembly.</summary>
internal static class ThrowHelper
{
    [DoesNotReturn]
    public static void DestinationTooShort(string paramName = "destination") =>
        throw new ArgumentException("Destination is too short.", paramName);

    [DoesNotReturn]
    public static void Invalid(string paramName, string message) => throw new ArgumentException(message, paramName);

    [DoesNotReturn]
    public static void LengthMismatch(string paramName, long expected, long actual) =>
        throw new ArgumentException(
            string.Create(CultureInfo.InvariantCulture, $"Expected {expected} elements but got {actual}."), paramName);

    [DoesNotReturn]
    public static void SizeMismatch(string paramName, int expectedWidth, int expectedHeight, int actualWidth, int actualHeight) =>
        throw new ArgumentException(
            string.Create(CultureInfo.InvariantCulture,
                $"Expected a {expectedWidth}×{expectedHeight} image but got {actualWidth}×{actualHeight}."), paramName);

    public static void ThrowIfNotPositive(int value, string paramName)
    {
        if (value <= 0)
        {
            throw new ArgumentOutOfRangeException(paramName, value,
                string.Create(CultureInfo.InvariantCulture, $"{paramName} must be greater than 0; got {value}."));
        }
    }
}
