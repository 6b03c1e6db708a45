using System.Globalization;

namespace StxmPhase;

/// <summary>
/// The mean of paired differences (e.g. one method's accuracy minus another's on the same seeds) with a two-sided
/// Student-t confidence interval, mean ± t<sub>(1+c)/2, n−1</sub> · sd / √n. Immutable.
/// </summary>
/// <example>
/// <code>
/// PairedDifference d = PairedDifference.Of([0.01, 0.03, -0.01, 0.05]); // mean 0.02, 95 % interval −0.021 … 0.061
/// bool significant = d.Lower &gt; 0 || d.Upper &lt; 0;
/// </code>
/// </example>
public sealed class PairedDifference
{
    private PairedDifference(double mean, double sd, int count, double lower, double upper, double confidence)
    {
        Mean = mean;
        StandardDeviation = sd;
        Count = count;
        Lower = lower;
        Upper = upper;
        Confidence = confidence;
    }

    /// <summary>Gets the mean difference.</summary>
    public double Mean { get; }

    /// <summary>Gets the sample standard deviation of the differences (n − 1 in the denominator; NaN for one pair).</summary>
    public double StandardDeviation { get; }

    /// <summary>Gets the number of pairs.</summary>
    public int Count { get; }

    /// <summary>Gets the lower end of the interval (NaN for one pair).</summary>
    public double Lower { get; }

    /// <summary>Gets the upper end of the interval (NaN for one pair).</summary>
    public double Upper { get; }

    /// <summary>Gets the confidence level of the interval, e.g. 0.95.</summary>
    public double Confidence { get; }

    /// <summary>Gets whether the interval excludes zero (the difference is significant at <see cref="Confidence"/>).</summary>
    public bool ExcludesZero => Lower > 0 || Upper < 0;

    /// <summary>Computes the mean and the t-interval of <paramref name="differences"/>.</summary>
    /// <param name="differences">One difference per pair (finite).</param>
    /// <param name="confidence">The two-sided confidence level, in (0, 1); default 0.95.</param>
    /// <returns>The mean and interval.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="differences"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="differences"/> is empty or holds a value that is not finite.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="confidence"/> is not in (0, 1).</exception>
    public static PairedDifference Of(IReadOnlyList<double> differences, double confidence = 0.95)
    {
        ArgumentNullException.ThrowIfNull(differences);
        if (!(confidence > 0 && confidence < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(confidence), confidence, "The confidence level must be in (0, 1).");
        }

        if (differences.Count == 0)
        {
            throw new ArgumentException("PairedDifference needs at least one difference.", nameof(differences));
        }

        for (int i = 0; i < differences.Count; i++)
        {
            if (!double.IsFinite(differences[i]))
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                    $"Difference {i} is {differences[i]}; every difference must be finite."), nameof(differences));
            }
        }

        int n = differences.Count;
        double mean = differences.Average();
        if (n == 1)
        {
            return new PairedDifference(mean, double.NaN, 1, double.NaN, double.NaN, confidence);
        }

        double sd = Math.Sqrt(differences.Sum(d => (d - mean) * (d - mean)) / (n - 1));
        double half = StudentTQuantile((1 + confidence) / 2, n - 1) * sd / Math.Sqrt(n);
        return new PairedDifference(mean, sd, n, mean - half, mean + half, confidence);
    }

    /// <summary>
    /// Returns the quantile of Student's t distribution with <paramref name="degreesOfFreedom"/> degrees of freedom: the t
    /// with P(T ≤ t) = <paramref name="probability"/>. Exact for integer degrees of freedom (the finite series of Abramowitz
    /// and Stegun 26.7.3–4 for P(|T| &lt; t), inverted by bisection to double precision).
    /// </summary>
    /// <param name="probability">The probability, in (0, 1).</param>
    /// <param name="degreesOfFreedom">The degrees of freedom, at least 1.</param>
    /// <returns>The quantile (e.g. 4.3027 for 0.975 and 2 degrees of freedom).</returns>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range.</exception>
    public static double StudentTQuantile(double probability, int degreesOfFreedom)
    {
        if (!(probability > 0 && probability < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(probability), probability, "The probability must be in (0, 1).");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(degreesOfFreedom, 1);
        if (probability < 0.5)
        {
            return -StudentTQuantile(1 - probability, degreesOfFreedom);
        }

        double target = (2 * probability) - 1; // P(|T| < t)
        if (target == 0)
        {
            return 0;
        }

        double lo = 0, hi = 1;
        while (CentralProbability(hi, degreesOfFreedom) < target && hi < 1e300)
        {
            lo = hi;
            hi *= 2;
        }

        for (int i = 0; i < 2000 && hi - lo > 1e-15 * hi; i++)
        {
            double mid = 0.5 * (lo + hi);
            if (CentralProbability(mid, degreesOfFreedom) < target)
            {
                lo = mid;
            }
            else
            {
                hi = mid;
            }
        }

        return 0.5 * (lo + hi);
    }

    /// <summary>P(|T| &lt; t) for ν degrees of freedom (Abramowitz and Stegun 26.7.3 for odd ν, 26.7.4 for even ν).</summary>
    internal static double CentralProbability(double t, int nu)
    {
        double theta = Math.Atan(t / Math.Sqrt(nu));
        double c = Math.Cos(theta) * Math.Cos(theta), s = Math.Sin(theta);
        double sum = 1, term = 1;
        if (nu % 2 == 1)
        {
            if (nu == 1)
            {
                return 2 * theta / Math.PI;
            }

            for (int k = 1; k <= (nu - 3) / 2; k++)
            {
                term *= 2.0 * k / ((2.0 * k) + 1) * c;
                sum += term;
            }

            return 2 / Math.PI * (theta + (s * Math.Cos(theta) * sum));
        }

        for (int k = 1; k <= (nu - 2) / 2; k++)
        {
            term *= ((2.0 * k) - 1) / (2.0 * k) * c;
            sum += term;
        }

        return s * sum;
    }

    /// <summary>Returns e.g. "+0.40 (95 % interval +0.12 … +0.68, n = 20)", in the units given.</summary>
    /// <param name="scale">Multiplies every value (e.g. 100 for percentage points).</param>
    /// <returns>The text, in invariant culture.</returns>
    public string Format(double scale = 1)
    {
        string mean = Signed(scale * Mean);
        return Count < 2
            ? string.Create(CultureInfo.InvariantCulture, $"{mean} (n = 1, no interval)")
            : string.Create(CultureInfo.InvariantCulture,
                $"{mean} ({100 * Confidence:0.#} % interval {Signed(scale * Lower)} … {Signed(scale * Upper)}, n = {Count})");
    }

    /// <inheritdoc/>
    public override string ToString() => Format();

    /// <summary>A signed value with two decimals, −0.00 printed as 0.00.</summary>
    internal static string Signed(double v) => v.ToString("+0.00;−0.00;0.00", CultureInfo.InvariantCulture);
}
