namespace StxmPhase.Synthetic;

/// <summary>
/// Draws Poisson counts from one <see cref="Xoshiro256StarStar"/> stream (one sampler per row band, so parallel generation
/// stays deterministic).
/// </summary>
/// <remarks>
/// λ &lt; <see cref="NormalThreshold"/>: exact, Knuth's multiplication method (count uniforms until their product falls below
/// e<sup>−λ</sup>; about λ + 1 uniforms). λ ≥ <see cref="NormalThreshold"/>: normal approximation with continuity correction,
/// k = max(0, ⌊λ + √λ·z + ½⌋), z standard normal from the Marsaglia polar method. At λ = 64 the Poisson skewness is
/// 1/√λ = 0.125; mean and variance are exact to O(1/λ), which is far below the counting noise studied here.
/// </remarks>
internal sealed class PoissonSampler(Xoshiro256StarStar random)
{
    /// <summary>Mean above which the normal approximation is used.</summary>
    public const double NormalThreshold = 64.0;

    private readonly Xoshiro256StarStar _random = random;
    private double _spare;
    private bool _hasSpare;

    /// <summary>Draws one count with mean <paramref name="lambda"/> (0 for λ ≤ 0 or NaN).</summary>
    public double Next(double lambda)
    {
        if (!(lambda > 0))
        {
            return 0;
        }

        if (lambda < NormalThreshold)
        {
            double limit = Math.Exp(-lambda);
            double product = _random.NextDouble();
            int k = 0;
            while (product > limit)
            {
                k++;
                product *= _random.NextDouble();
            }

            return k;
        }

        double z = NextStandardNormal();
        return Math.Max(0.0, Math.Floor(lambda + (Math.Sqrt(lambda) * z) + 0.5));
    }

    /// <summary>Draws a standard normal deviate (Marsaglia polar method; the second deviate of each pair is kept).</summary>
    public double NextStandardNormal()
    {
        if (_hasSpare)
        {
            _hasSpare = false;
            return _spare;
        }

        double u;
        double v;
        double s;
        do
        {
            u = (2.0 * _random.NextDouble()) - 1.0;
            v = (2.0 * _random.NextDouble()) - 1.0;
            s = (u * u) + (v * v);
        }
        while (s >= 1.0 || s == 0.0);

        double factor = Math.Sqrt(-2.0 * Math.Log(s) / s);
        _spare = v * factor;
        _hasSpare = true;
        return u * factor;
    }
}
