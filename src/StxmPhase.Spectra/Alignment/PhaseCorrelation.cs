using System.Numerics;

namespace StxmPhase.Spectra;

/// <summary>
/// The registration of <see cref="StackAligner"/>: FFT phase correlation of two cleaned images and sub-pixel refinement
/// of the peak by upsampled matrix-multiply DFTs (Guizar-Sicairos et al., Opt. Lett. 33, 156 (2008)). One instance holds
/// the geometry of one image size: image size, FFT size (next powers of two; the centred, windowed image is
/// zero-padded) and window.
/// </summary>
internal sealed class PhaseCorrelation
{
    public PhaseCorrelation(int w, int h, bool window)
    {
        W = w;
        H = h;
        Wp = Fft2D.NextPowerOfTwo(w);
        Hp = Fft2D.NextPowerOfTwo(h);
        Window = window ? HannWindow(w, h) : [];
    }

    public int W { get; }

    public int H { get; }

    public int Wp { get; }

    public int Hp { get; }

    public double[] Window { get; }

    /// <summary>Centres, windows, zero-pads to the FFT size and transforms one cleaned image.</summary>
    public Complex[] Spectrum(double[] v)
    {
        double mean = 0;
        foreach (double d in v)
        {
            mean += d;
        }

        mean /= v.Length;
        var c = new Complex[Wp * Hp];
        for (int y = 0; y < H; y++)
        {
            for (int x = 0; x < W; x++)
            {
                int i = (y * W) + x;
                double d = v[i] - mean;
                c[(y * Wp) + x] = Window.Length > 0 ? d * Window[i] : d;
            }
        }

        Fft2D.Forward(c, Hp, Wp);
        return c;
    }

    /// <summary>
    /// Shift of image b relative to image a. Pass 1 registers the spectra; each further pass resamples b by the running
    /// estimate and registers the residual (searched within ±2 px), which removes the pull of the (static) window towards
    /// zero shift. The total is clamped to ±MaximumShift.
    /// </summary>
    public ImageShift Register(Complex[] fa, Complex[] fb, double[] b, StackAlignmentOptions options)
    {
        double max = options.MaximumShift ?? double.PositiveInfinity;
        ImageShift total = RegisterOnce(fa, fb, options, max);
        for (int pass = 1; pass < options.RegistrationPasses; pass++)
        {
            Complex[] fr = Spectrum(Resample(b, W, H, total.X, total.Y));
            ImageShift residual = RegisterOnce(fa, fr, options, 2);
            total = new ImageShift(Math.Clamp(total.X + residual.X, -max, max), Math.Clamp(total.Y + residual.Y, -max, max));
        }

        return total;
    }

    private ImageShift RegisterOnce(Complex[] fa, Complex[] fb, StackAlignmentOptions options, double maxShift)
    {
        int w = Wp;
        int h = Hp;
        int n = w * h;
        var r = new Complex[n];
        for (int i = 0; i < n; i++)
        {
            Complex p = fa[i] * Complex.Conjugate(fb[i]);
            if (options.PhaseCorrelation)
            {
                double mag = p.Magnitude;
                p = mag > 1e-300 ? p / mag : Complex.Zero;
            }

            r[i] = p;
        }

        // Coarse peak of the cross-correlation within ±maxShift (and within the image, not the padding).
        var corr = (Complex[])r.Clone();
        Fft2D.Inverse(corr, h, w);
        int bestX = 0;
        int bestY = 0;
        double best = double.NegativeInfinity;
        for (int y = 0; y < h; y++)
        {
            int sy = y <= h / 2 ? y : y - h;
            if (Math.Abs(sy) > maxShift || Math.Abs(sy) >= H)
            {
                continue;
            }

            for (int x = 0; x < w; x++)
            {
                int sx = x <= w / 2 ? x : x - w;
                if (Math.Abs(sx) > maxShift || Math.Abs(sx) >= W)
                {
                    continue;
                }

                double value = corr[(y * w) + x].Real;
                if (value > best)
                {
                    best = value;
                    bestX = sx;
                    bestY = sy;
                }
            }
        }

        int u = options.UpsampleFactor;
        if (u <= 1)
        {
            return new ImageShift(-bestX, -bestY);
        }

        (double dx, double dy) = Refine(r, w, h, bestX, bestY, u);
        return new ImageShift(-dx, -dy);
    }

    private static double[] HannWindow(int w, int h)
    {
        double[] wx = new double[w];
        double[] wy = new double[h];
        for (int x = 0; x < w; x++)
        {
            wx[x] = 0.5 - (0.5 * Math.Cos(2 * Math.PI * (x + 0.5) / w));
        }

        for (int y = 0; y < h; y++)
        {
            wy[y] = 0.5 - (0.5 * Math.Cos(2 * Math.PI * (y + 0.5) / h));
        }

        double[] window = new double[w * h];
        for (int y = 0; y < h; y++)
        {
            for (int x = 0; x < w; x++)
            {
                window[(y * w) + x] = wy[y] * wx[x];
            }
        }

        return window;
    }

    /// <summary>Bilinear resampling of a cleaned image at (x + sx, y + sy), edge pixels replicated outside.</summary>
    private static double[] Resample(double[] v, int w, int h, double sx, double sy)
    {
        double[] r = new double[v.Length];
        for (int y = 0; y < h; y++)
        {
            double py = Math.Clamp(y + sy, 0, h - 1);
            int iy = Math.Min((int)py, Math.Max(h - 2, 0));
            int iy1 = Math.Min(iy + 1, h - 1);
            double fy = py - iy;
            for (int x = 0; x < w; x++)
            {
                double px = Math.Clamp(x + sx, 0, w - 1);
                int ix = Math.Min((int)px, Math.Max(w - 2, 0));
                int ix1 = Math.Min(ix + 1, w - 1);
                double fx = px - ix;
                double top = v[(iy * w) + ix] + (fx * (v[(iy * w) + ix1] - v[(iy * w) + ix]));
                double bottom = v[(iy1 * w) + ix] + (fx * (v[(iy1 * w) + ix1] - v[(iy1 * w) + ix]));
                r[(y * w) + x] = top + (fy * (bottom - top));
            }
        }

        return r;
    }

    /// <summary>
    /// Locates the sub-pixel maximum of c(y, x) = Σ_k Σ_l R[k, l] · exp(+2πi (k̃ y / H + l̃ x / W)) (k̃, l̃ signed
    /// frequencies) near the coarse peak: first on a grid of step 1/min(U, 10) spanning ±0.75 px, then, when U &gt; 10, on a
    /// grid of step 1/U spanning ±1 coarse step around the best point (two matrix-multiply DFTs instead of one 1.5U-point
    /// grid, same precision).
    /// </summary>
    private static (double X, double Y) Refine(Complex[] r, int w, int h, int peakX, int peakY, int u)
    {
        int u1 = Math.Min(u, 10);
        int half1 = (int)Math.Ceiling(0.75 * u1);
        (double x, double y) = RefineGrid(r, w, h, peakX, peakY, 1.0 / u1, half1);
        if (u > u1)
        {
            int half2 = (int)Math.Ceiling((double)u / u1);
            (x, y) = RefineGrid(r, w, h, x, y, 1.0 / u, half2);
        }

        return (x, y);
    }

    /// <summary>Evaluates Re c on the (2·half + 1)² grid centre ± i·step and returns the location of the largest value.</summary>
    private static (double X, double Y) RefineGrid(Complex[] r, int w, int h, double centreX, double centreY, double step, int half)
    {
        int size = (2 * half) + 1;
        double[] ys = new double[size];
        double[] xs = new double[size];
        for (int i = 0; i < size; i++)
        {
            ys[i] = centreY + ((i - half) * step);
            xs[i] = centreX + ((i - half) * step);
        }

        // Row kernel: A[i, l] = Σ_k exp(2πi k̃ ys[i] / H) R[k, l].
        var a = new Complex[size * w];
        var rowKernel = new Complex[h];
        for (int i = 0; i < size; i++)
        {
            for (int k = 0; k < h; k++)
            {
                int kk = k < (h + 1) / 2 ? k : k - h;
                double phase = 2 * Math.PI * kk * ys[i] / h;
                rowKernel[k] = new Complex(Math.Cos(phase), Math.Sin(phase));
            }

            Span<Complex> row = a.AsSpan(i * w, w);
            for (int k = 0; k < h; k++)
            {
                Complex kernel = rowKernel[k];
                ReadOnlySpan<Complex> src = r.AsSpan(k * w, w);
                for (int l = 0; l < w; l++)
                {
                    row[l] += kernel * src[l];
                }
            }
        }

        // Column kernel: out[i, j] = Σ_l A[i, l] exp(2πi l̃ xs[j] / W); keep the largest real part.
        var colKernel = new Complex[size * w];
        for (int j = 0; j < size; j++)
        {
            for (int l = 0; l < w; l++)
            {
                int ll = l < (w + 1) / 2 ? l : l - w;
                double phase = 2 * Math.PI * ll * xs[j] / w;
                colKernel[(j * w) + l] = new Complex(Math.Cos(phase), Math.Sin(phase));
            }
        }

        double best = double.NegativeInfinity;
        double bx = centreX;
        double by = centreY;
        for (int i = 0; i < size; i++)
        {
            ReadOnlySpan<Complex> row = a.AsSpan(i * w, w);
            for (int j = 0; j < size; j++)
            {
                ReadOnlySpan<Complex> kernel = colKernel.AsSpan(j * w, w);
                double re = 0;
                for (int l = 0; l < w; l++)
                {
                    re += (row[l].Real * kernel[l].Real) - (row[l].Imaginary * kernel[l].Imaginary);
                }

                if (re > best)
                {
                    best = re;
                    bx = xs[j];
                    by = ys[i];
                }
            }
        }

        return (bx, by);
    }
}
