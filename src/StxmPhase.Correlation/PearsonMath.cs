namespace StxmPhase.Correlation;

/// <summary>Small numeric helpers shared by the scalar and vector kernels.</summary>
internal static class PearsonMath
{
    /// <summary>The relative variance floor of the constant-spectrum test: Σ(x − x̄)² ≤ 1e-12 · max(1, Σx²).</summary>
    public const double ConstantTolerance = 1e-12;

    /// <summary>
    /// Returns the smallest float32 t ≥ δ. For a float32 difference d, <c>d &lt; t</c> holds exactly when
    /// <c>d &lt; δ</c> as real numbers, so the kernels compare in float32 without changing the rule.
    /// </summary>
    /// <param name="threshold">δ.</param>
    /// <returns>t.</returns>
    public static float AmbiguityThresholdSingle(double threshold)
    {
        float t = (float)threshold;
        if (t < threshold)
        {
            t = MathF.BitIncrement(t);
        }

        return t;
    }
}
