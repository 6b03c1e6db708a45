using System.Numerics;

namespace StxmPhase.Spectra.Tests;

/// <summary>Seeded synthetic images for the preprocessing tests.</summary>
internal static class SyntheticImages
{
    /// <summary>A periodic image of <paramref name="count"/> Gaussian blobs (σ 2–6 px, amplitudes 0.5–1.5) on a 0.2 offset.</summary>
    public static double[] PeriodicBlobs(int w, int h, int count, int seed)
    {
        var rng = new Random(seed);
        double[] img = new double[w * h];
        for (int b = 0; b < count; b++)
        {
            double cx = rng.NextDouble() * w;
            double cy = rng.NextDouble() * h;
            double sigma = 2 + (4 * rng.NextDouble());
            double amp = 0.5 + rng.NextDouble();
            for (int y = 0; y < h; y++)
            {
                double dy = Math.Abs(y - cy);
                dy = Math.Min(dy, h - dy);
                for (int x = 0; x < w; x++)
                {
                    double dx = Math.Abs(x - cx);
                    dx = Math.Min(dx, w - dx);
                    img[(y * w) + x] += amp * Math.Exp(-((dx * dx) + (dy * dy)) / (2 * sigma * sigma));
                }
            }
        }

        for (int i = 0; i < img.Length; i++)
        {
            img[i] += 0.2;
        }

        return img;
    }

    /// <summary>Moves the content of a periodic image by (sx, sy) px with the Fourier shift theorem: g(x) = f(x − s).</summary>
    public static double[] FourierShift(double[] img, int w, int h, double sx, double sy)
    {
        var c = new Complex[img.Length];
        for (int i = 0; i < img.Length; i++)
        {
            c[i] = img[i];
        }

        Fft2D.Forward(c, h, w);
        for (int k = 0; k < h; k++)
        {
            int kk = k < (h + 1) / 2 ? k : k - h;
            for (int l = 0; l < w; l++)
            {
                int ll = l < (w + 1) / 2 ? l : l - w;
                double phase = -2 * Math.PI * ((kk * sy / h) + (ll * sx / w));
                c[(k * w) + l] *= new Complex(Math.Cos(phase), Math.Sin(phase));
            }
        }

        Fft2D.Inverse(c, h, w);
        double[] result = new double[img.Length];
        for (int i = 0; i < img.Length; i++)
        {
            result[i] = c[i].Real / img.Length;
        }

        return result;
    }

    /// <summary>Copies the centred <paramref name="cw"/> × <paramref name="ch"/> window of a w × h image into a float span.</summary>
    public static void CropCentre(double[] img, int w, int h, int cw, int ch, Span<float> destination)
    {
        int x0 = (w - cw) / 2;
        int y0 = (h - ch) / 2;
        for (int y = 0; y < ch; y++)
        {
            for (int x = 0; x < cw; x++)
            {
                destination[(y * cw) + x] = (float)img[((y + y0) * w) + x + x0];
            }
        }
    }

    /// <summary>Standard normal deviate (Box–Muller).</summary>
    public static double Gaussian(Random rng)
    {
        double u1 = 1.0 - rng.NextDouble();
        double u2 = rng.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    /// <summary>Poisson-like counts: N(λ, λ) rounded, clamped at 0 (λ ≥ ~20 here).</summary>
    public static float Counts(Random rng, double lambda) =>
        (float)Math.Max(0, Math.Round(lambda + (Math.Sqrt(lambda) * Gaussian(rng))));
}
