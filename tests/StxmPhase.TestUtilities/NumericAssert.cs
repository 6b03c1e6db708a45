namespace StxmPhase.TestUtilities;

/// <summary>
/// Tolerance checks against reference numbers (NumPy/SciPy/scikit-learn or a double-precision oracle), in the sense of
/// NumPy's <c>isclose</c> without the sum: <c>|expected − actual| ≤ max(absolute, relative · |expected|)</c>.
/// A NaN passes only against a NaN; infinities only against the same infinity.
/// </summary>
public static class NumericAssert
{
    /// <summary>Asserts that <paramref name="actual"/> is within tolerance of <paramref name="expected"/>.</summary>
    /// <param name="expected">The reference value.</param>
    /// <param name="actual">The computed value.</param>
    /// <param name="relative">Relative tolerance (a fraction of |expected|).</param>
    /// <param name="absolute">Absolute tolerance (the floor of the allowed difference).</param>
    /// <param name="what">What is compared, for the failure message.</param>
    public static void Close(double expected, double actual, double relative, double absolute = 0, string? what = null)
    {
        if (double.IsNaN(expected) || double.IsInfinity(expected))
        {
            Assert.True(expected.Equals(actual), $"{what}: expected {expected:R}, got {actual:R}");
            return;
        }

        double tolerance = Math.Max(absolute, relative * Math.Abs(expected));
        double difference = Math.Abs(expected - actual);
        Assert.True(difference <= tolerance,
            $"{what}: expected {expected:R}, got {actual:R} (|diff| {difference:E2} > {tolerance:E2})");
    }

    /// <summary>Asserts equal lengths and <see cref="Close"/> element by element (the message names the index).</summary>
    /// <param name="expected">The reference values.</param>
    /// <param name="actual">The computed values.</param>
    /// <param name="relative">Relative tolerance (a fraction of |expected|).</param>
    /// <param name="absolute">Absolute tolerance (the floor of the allowed difference).</param>
    /// <param name="what">What is compared, for the failure message.</param>
    public static void AllClose(ReadOnlySpan<double> expected, ReadOnlySpan<double> actual, double relative, double absolute = 0, string? what = null)
    {
        Assert.True(expected.Length == actual.Length, $"{what}: expected {expected.Length} values, got {actual.Length}");
        for (int i = 0; i < expected.Length; i++)
        {
            Close(expected[i], actual[i], relative, absolute, $"{what}[{i}]");
        }
    }
}
