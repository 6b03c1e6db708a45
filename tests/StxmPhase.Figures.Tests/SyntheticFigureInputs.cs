using StxmPhase.Spectra;

namespace StxmPhase.Figures.Tests;

/// <summary>
/// Deterministic synthetic inputs that look like the paper's results: an elliptical particle whose sodium content
/// varies smoothly across it, correlation maps that peak at the local phase, ambiguous bands along phase boundaries,
/// a 3-D latent space whose clusters lie on a curve, loss histories and reference spectra.
/// </summary>
internal static class SyntheticFigureInputs
{
    public const int Width = 96;
    public const int Height = 72;

    /// <summary>δ on Q1 − Q2; wider than the paper's 0.005 so that the ambiguous bands are easy to see.</summary>
    public const double AmbiguityThreshold = 0.015;

    public static readonly string[] PhaseNames = ["Na3.0VPF", "Na2.4VPF", "Na2.0VPF", "Na1.0VPF", "Na1-yVPF"];

    /// <summary>Hash noise in [−1, 1], deterministic in (i, salt).</summary>
    public static double Noise(int i, int salt)
    {
        ulong z = ((ulong)(uint)i * 0x9E3779B97F4A7C15ul) ^ ((ulong)(uint)salt * 0xBF58476D1CE4E5B9ul);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ul;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBul;
        z ^= z >> 31;
        return ((z >> 11) * (1.0 / (1ul << 53)) * 2) - 1;
    }

    /// <summary>The continuous "composition" t ∈ [0, 4] of pixel (x, y), or NaN outside the particle.</summary>
    public static double Composition(int x, int y)
    {
        double dx = (x - 48.0) / 42;
        double dy = (y - 36.0) / 30;
        if ((dx * dx) + (dy * dy) > 1)
        {
            return double.NaN;
        }

        double t = (2.0 + (2.2 * dx) + (0.6 * Math.Sin(y / 6.0))) + (0.4 * dy);
        return Math.Clamp(t, 0, 4);
    }

    public static CorrelationResult Correlation()
    {
        int n = Width * Height;
        int phases = PhaseNames.Length;
        float[] correlations = new float[phases * n];
        int[] labels = new int[n];
        int[] second = new int[n];
        float[] q1 = new float[n];
        float[] q2 = new float[n];
        float[] reliability = new float[n];
        bool[] ambiguous = new bool[n];
        var status = new PixelStatus[n];
        for (int y = 0; y < Height; y++)
        {
            for (int x = 0; x < Width; x++)
            {
                int i = (y * Width) + x;
                double t = Composition(x, y);
                if (double.IsNaN(t))
                {
                    status[i] = PixelStatus.Masked;
                    labels[i] = -1;
                    second[i] = -1;
                    continue;
                }

                int best = -1;
                int next = -1;
                for (int p = 0; p < phases; p++)
                {
                    double c = 0.995 - (0.3 * (1 - Math.Exp(-0.35 * (t - p) * (t - p)))) + (0.002 * Noise(i, p));
                    correlations[(p * n) + i] = (float)c;
                    if (best < 0 || c > correlations[(best * n) + i])
                    {
                        next = best;
                        best = p;
                    }
                    else if (next < 0 || c > correlations[(next * n) + i])
                    {
                        next = p;
                    }
                }

                labels[i] = best;
                second[i] = next;
                q1[i] = correlations[(best * n) + i];
                q2[i] = correlations[(next * n) + i];
                reliability[i] = 100 * (q1[i] - q2[i]);
                ambiguous[i] = q1[i] - q2[i] < AmbiguityThreshold;
            }
        }

        return new CorrelationResult(Width, Height, PhaseNames, correlations, labels, second, q1, q2,
            reliability, ambiguous, status, AmbiguityThreshold);
    }

    /// <summary>Latent points (3-D) of the valid pixels, their PCC labels, ambiguity and resolved labels.</summary>
    public static (float[] Points, int[] Labels, bool[] Ambiguous, int[] Resolved) Latent(CorrelationResult correlation, int copies = 1)
    {
        var points = new List<float>();
        var labels = new List<int>();
        var ambiguous = new List<bool>();
        var resolved = new List<int>();
        ReadOnlySpan<int> pcc = correlation.PhaseMap.Labels;
        for (int copy = 0; copy < copies; copy++)
        {
            for (int y = 0; y < Height; y++)
            {
                for (int x = 0; x < Width; x++)
                {
                    int i = (y * Width) + x;
                    double t = Composition(x, y);
                    if (double.IsNaN(t))
                    {
                        continue;
                    }

                    int salt = 100 + (copy * 7);
                    double angle = Math.PI * t / 4.5;
                    points.Add((float)((2 * Math.Cos(angle)) + (0.25 * Noise(i, salt))));
                    points.Add((float)((2 * Math.Sin(angle)) + (0.25 * Noise(i, salt + 1))));
                    points.Add((float)((0.6 * t) - 1.2 + (0.4 * Noise(i, salt + 2))));
                    labels.Add(pcc[i]);
                    bool amb = correlation.Ambiguous[i];
                    ambiguous.Add(amb);
                    resolved.Add(amb ? (int)Math.Round(t) : pcc[i]);
                }
            }
        }

        return (points.ToArray(), labels.ToArray(), ambiguous.ToArray(), resolved.ToArray());
    }

    public static (double[] TrainMse, double[] ValidationMse, double[] TrainKl, double[] ValidationKl) Losses(int epochs = 400)
    {
        double[] trainMse = new double[epochs];
        double[] validationMse = new double[epochs];
        double[] trainKl = new double[epochs];
        double[] validationKl = new double[epochs];
        for (int e = 0; e < epochs; e++)
        {
            trainMse[e] = (0.08 * Math.Exp(-e / 25.0)) + 0.0015 + (0.0002 * Noise(e, 1));
            validationMse[e] = (0.09 * Math.Exp(-e / 25.0)) + 0.0021 + (0.0003 * Noise(e, 2));
            trainKl[e] = (40 * Math.Exp(-e / 60.0)) + 1.5 + (0.1 * Noise(e, 3));
            validationKl[e] = (42 * Math.Exp(-e / 60.0)) + 1.7 + (0.15 * Noise(e, 4));
        }

        return (trainMse, validationMse, trainKl, validationKl);
    }

    /// <summary>V L2,3 + O K-like reference spectra on <paramref name="count"/> energies from 512 to 540 eV.</summary>
    public static ReferenceSpectra References(int count = 57)
    {
        double[] energies = new double[count];
        for (int e = 0; e < count; e++)
        {
            energies[e] = 512 + (28.0 * e / (count - 1));
        }

        int phases = PhaseNames.Length;
        double[] values = new double[phases * count];
        for (int p = 0; p < phases; p++)
        {
            for (int e = 0; e < count; e++)
            {
                double x = energies[e];
                values[(p * count) + e] =
                    Peak(x, 517.2 + (0.35 * p), 1.1, 1.0 + (0.08 * p))
                    + Peak(x, 523.8 + (0.25 * p), 1.4, 0.55)
                    + Peak(x, 530.6 - (0.2 * p), 0.9, 0.35 + (0.1 * p))
                    + (0.15 / (1 + Math.Exp(-(x - 519) / 1.5)));
            }
        }

        return new ReferenceSpectra(new EnergyAxis(energies), PhaseNames, values);
    }

    /// <summary>Reconstructions close to the references (phase-major, same axis).</summary>
    public static float[] Reconstructions(ReferenceSpectra references)
    {
        float[] result = new float[references.Values.Length];
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = (float)((references.Values[i] * 0.96) + (0.03 * Noise(i, 9)));
        }

        return result;
    }

    private static double Peak(double x, double centre, double width, double height) =>
        height * Math.Exp(-0.5 * ((x - centre) / width) * ((x - centre) / width));
}
