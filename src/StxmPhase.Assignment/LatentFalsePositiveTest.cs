using System.Globalization;
using StxmPhase.Spectra;

namespace StxmPhase.Assignment;

/// <summary>
/// The latent-space test for PCC false positives (the paper's Fig. S6), with a margin and statistics fitted without the
/// pixel under test: each phase is a Gaussian in the latent space (mean and covariance of its confidently labelled
/// points, prior ∝ their count); a confidently labelled pixel is flagged when the posterior of its PCC phase, computed with
/// that phase's statistics <b>refitted without the pixel</b> (exact leave-one-out), is at most 1 − <see cref="Threshold"/>.
/// </summary>
/// <remarks>
/// Equivalently, the other phases together are at least τ / (1 − τ) times more likely than the PCC phase (19 : 1 for the
/// default τ = 0.95). Leave-one-out matters because a pixel pulls its own phase's mean and inflates its covariance towards
/// itself; without it, outliers are under-flagged. The optional spatial-coherence requirement
/// (<see cref="MinimumFlaggedNeighbours"/>) keeps a flag only where at least that many of the pixel's 8 neighbours are
/// flagged too: a real mislabelled domain is spatially coherent, a noisy pixel is not.
/// </remarks>
public sealed class LatentFalsePositiveTest
{
    /// <summary>Initializes the test.</summary>
    /// <param name="threshold">τ in (0, 1): flag when P(PCC phase | z) ≤ 1 − τ. Default 0.95.</param>
    /// <param name="minimumFlaggedNeighbours">0 (off) to 8: a flag is kept only when at least this many of the 8 neighbours are flagged.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="threshold"/> is not in (0, 1), or
    /// <paramref name="minimumFlaggedNeighbours"/> is not in 0 … 8.</exception>
    public LatentFalsePositiveTest(double threshold = 0.95, int minimumFlaggedNeighbours = 0)
    {
        if (!(threshold > 0 && threshold < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(threshold), threshold, "The false-positive threshold must be in (0, 1).");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(minimumFlaggedNeighbours);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(minimumFlaggedNeighbours, 8);
        Threshold = threshold;
        MinimumFlaggedNeighbours = minimumFlaggedNeighbours;
    }

    /// <summary>Gets τ: a pixel is flagged when the leave-one-out posterior of its PCC phase is at most 1 − τ.</summary>
    public double Threshold { get; }

    /// <summary>Gets the spatial-coherence requirement: 0 = off, else the number of the 8 neighbours that must be flagged too.</summary>
    public int MinimumFlaggedNeighbours { get; }

    /// <summary>
    /// Computes, for each point of <paramref name="confident"/>, the posterior of its own label with that label's statistics
    /// refitted without the point (exact leave-one-out), and whether it is flagged (before the spatial requirement).
    /// </summary>
    /// <param name="confident">The confidently labelled points (label = PCC phase); every point is tested.</param>
    /// <param name="posterior">One leave-one-out posterior of the point's own label per point.</param>
    /// <param name="flagged">One flag per point: posterior ≤ 1 − τ.</param>
    /// <exception cref="ArgumentNullException"><paramref name="confident"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A destination is shorter than the point count.</exception>
    public void Test(LatentSet confident, Span<double> posterior, Span<bool> flagged)
    {
        ArgumentNullException.ThrowIfNull(confident);
        int n = confident.Count;
        if (posterior.Length < n || flagged.Length < n)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"The destinations must hold {n} values."), nameof(posterior));
        }

        int d = confident.Dimension;
        int k = confident.PhaseCount;
        ReadOnlySpan<float> points = confident.Points;
        ReadOnlySpan<int> labels = confident.Labels;

        // Per-phase count, mean and scatter matrix (Σ (x − μ)(x − μ)ᵀ), in double.
        long[] count = new long[k];
        double[] mean = new double[k * d];
        double[] scatter = new double[k * d * d];
        for (int i = 0; i < n; i++)
        {
            int c = labels[i];
            count[c]++;
            for (int a = 0; a < d; a++)
            {
                mean[(c * d) + a] += points[(i * d) + a];
            }
        }

        for (int c = 0; c < k; c++)
        {
            for (int a = 0; a < d && count[c] > 0; a++)
            {
                mean[(c * d) + a] /= count[c];
            }
        }

        for (int i = 0; i < n; i++)
        {
            int c = labels[i];
            for (int a = 0; a < d; a++)
            {
                double da = points[(i * d) + a] - mean[(c * d) + a];
                for (int b = 0; b < d; b++)
                {
                    scatter[(((c * d) + a) * d) + b] += da * (points[(i * d) + b] - mean[(c * d) + b]);
                }
            }
        }

        // The full-data log densities of every phase, for the phases other than the point's own.
        double[][] fullChol = new double[k][];
        double[] fullLogDet = new double[k];
        for (int c = 0; c < k; c++)
        {
            fullChol[c] = count[c] > d ? Factor(Covariance(scatter.AsSpan(c * d * d, d * d), count[c], d), d, out fullLogDet[c]) : [];
        }

        double[] x = new double[d];
        double[] mu = new double[d];
        double[] cov = new double[d * d];
        double[] logTerms = new double[k];
        for (int i = 0; i < n; i++)
        {
            int own = labels[i];
            for (int a = 0; a < d; a++)
            {
                x[a] = points[(i * d) + a];
            }

            for (int c = 0; c < k; c++)
            {
                long nc = count[c];
                if (c == own)
                {
                    // Leave-one-out: μ' = (n μ − x)/(n − 1); S' = S − n/(n − 1) (x − μ)(x − μ)ᵀ.
                    if (nc - 1 <= d)
                    {
                        logTerms[c] = double.NegativeInfinity;
                        continue;
                    }

                    double f = nc / (double)(nc - 1);
                    for (int a = 0; a < d; a++)
                    {
                        mu[a] = ((nc * mean[(c * d) + a]) - x[a]) / (nc - 1);
                    }

                    for (int a = 0; a < d; a++)
                    {
                        for (int b = 0; b < d; b++)
                        {
                            cov[(a * d) + b] = scatter[(((c * d) + a) * d) + b] - (f * (x[a] - mean[(c * d) + a]) * (x[b] - mean[(c * d) + b]));
                        }
                    }

                    double[] chol = Factor(Covariance(cov, nc - 1, d), d, out double logDet);
                    logTerms[c] = Math.Log(nc - 1) + LogGaussian(x, mu, chol, logDet, d);
                }
                else
                {
                    logTerms[c] = nc > d
                        ? Math.Log(nc) + LogGaussian(x, mean.AsSpan(c * d, d), fullChol[c], fullLogDet[c], d)
                        : double.NegativeInfinity;
                }
            }

            double max = double.NegativeInfinity;
            foreach (double t in logTerms)
            {
                max = Math.Max(max, t);
            }

            double p;
            if (double.IsNegativeInfinity(logTerms[own]))
            {
                p = double.IsNegativeInfinity(max) ? 1 : 0;
            }
            else
            {
                double sum = 0;
                foreach (double t in logTerms)
                {
                    sum += Math.Exp(t - max);
                }

                p = Math.Exp(logTerms[own] - max) / sum;
            }

            posterior[i] = p;
            flagged[i] = p <= 1 - Threshold;
        }
    }

    /// <summary>
    /// Applies the spatial-coherence requirement in place: clears each flag that has fewer than
    /// <see cref="MinimumFlaggedNeighbours"/> flagged 8-neighbours (judged on the flags before any is cleared). No-op when it is 0.
    /// </summary>
    /// <param name="flags">Row-major flags of a width × height image.</param>
    /// <param name="width">Image width.</param>
    /// <param name="height">Image height.</param>
    /// <exception cref="ArgumentException"><paramref name="flags"/> is not width × height long.</exception>
    public void ApplySpatialCoherence(Span<bool> flags, int width, int height)
    {
        if (flags.Length != (long)width * height)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"Expected {width} × {height} flags; got {flags.Length}."), nameof(flags));
        }

        if (MinimumFlaggedNeighbours == 0)
        {
            return;
        }

        bool[] before = flags.ToArray();
        for (int y = 0; y < height; y++)
        {
            for (int xx = 0; xx < width; xx++)
            {
                int i = (y * width) + xx;
                if (!before[i])
                {
                    continue;
                }

                int neighbours = 0;
                for (int dy = -1; dy <= 1; dy++)
                {
                    for (int dx = -1; dx <= 1; dx++)
                    {
                        int ny = y + dy, nx = xx + dx;
                        if ((dx != 0 || dy != 0) && ny >= 0 && ny < height && nx >= 0 && nx < width && before[(ny * width) + nx])
                        {
                            neighbours++;
                        }
                    }
                }

                flags[i] = neighbours >= MinimumFlaggedNeighbours;
            }
        }
    }

    /// <summary>The unbiased covariance S / (n − 1) plus a ridge of 1e-9 · (trace / d + 1e-12) on the diagonal.</summary>
    private static double[] Covariance(ReadOnlySpan<double> scatter, long n, int d)
    {
        double[] cov = new double[d * d];
        double trace = 0;
        for (int a = 0; a < d * d; a++)
        {
            cov[a] = scatter[a] / (n - 1);
        }

        for (int a = 0; a < d; a++)
        {
            trace += cov[(a * d) + a];
        }

        double ridge = 1e-9 * ((trace / d) + 1e-12);
        for (int a = 0; a < d; a++)
        {
            cov[(a * d) + a] += ridge;
        }

        return cov;
    }

    /// <summary>Cholesky factor L (lower, row-major) of a symmetric positive-definite matrix, and log det.</summary>
    private static double[] Factor(double[] a, int d, out double logDet)
    {
        double[] l = new double[d * d];
        logDet = 0;
        for (int i = 0; i < d; i++)
        {
            for (int j = 0; j <= i; j++)
            {
                double s = a[(i * d) + j];
                for (int m = 0; m < j; m++)
                {
                    s -= l[(i * d) + m] * l[(j * d) + m];
                }

                if (i == j)
                {
                    double v = Math.Sqrt(Math.Max(s, 1e-300));
                    l[(i * d) + i] = v;
                    logDet += 2 * Math.Log(v);
                }
                else
                {
                    l[(i * d) + j] = s / l[(j * d) + j];
                }
            }
        }

        return l;
    }

    /// <summary>log N(x | μ, LLᵀ).</summary>
    private static double LogGaussian(ReadOnlySpan<double> x, ReadOnlySpan<double> mu, double[] l, double logDet, int d)
    {
        Span<double> y = stackalloc double[d];
        double q = 0;
        for (int i = 0; i < d; i++)
        {
            double s = x[i] - mu[i];
            for (int m = 0; m < i; m++)
            {
                s -= l[(i * d) + m] * y[m];
            }

            y[i] = s / l[(i * d) + i];
            q += y[i] * y[i];
        }

        return -0.5 * (q + logDet + (d * Math.Log(2 * Math.PI)));
    }
}
