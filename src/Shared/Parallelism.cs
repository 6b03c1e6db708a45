using System.Globalization;

namespace StxmPhase.Shared;

/// <summary>
/// The one check of a <c>MaxDegreeOfParallelism</c> setting (−1 = all cores, otherwise at least 1), compiled into
/// each assembly that needs it (linked source, see src/Shared/README.md) so that every option reports the same
/// message.
/// </summary>
internal static class Parallelism
{
    /// <summary>Throws unless <paramref name="maxDegreeOfParallelism"/> is −1 or at least 1.</summary>
    /// <param name="maxDegreeOfParallelism">The value to check.</param>
    /// <param name="paramName">The parameter or property that holds it.</param>
    /// <param name="setting">The setting as the message names it, e.g. "KMeansOptions.MaxDegreeOfParallelism".</param>
    /// <exception cref="ArgumentOutOfRangeException">The value is 0 or below −1; the message names the setting and the value.</exception>
    public static void ThrowIfInvalid(int maxDegreeOfParallelism, string paramName, string setting = "MaxDegreeOfParallelism")
    {
        if (maxDegreeOfParallelism == 0 || maxDegreeOfParallelism < -1)
        {
            throw new ArgumentOutOfRangeException(paramName, maxDegreeOfParallelism,
                string.Create(CultureInfo.InvariantCulture,
                    $"{setting} must be -1 (all cores) or at least 1; got {maxDegreeOfParallelism}."));
        }
    }
}
