using System.Globalization;
using System.Numerics;

namespace StxmPhase.Spectra;

/// <summary>
/// Stack registration: corrects the drift between the energy images of a stack by FFT phase correlation with
/// upsampled-DFT sub-pixel refinement (Guizar-Sicairos et al., Opt. Lett. 33, 156 (2008)), bilinear resampling and a
/// crop to the region valid at every energy.
/// </summary>
/// <example>
/// <code>
/// StackAlignmentResult aligned = StackAligner.Align(transmission, new StackAlignmentOptions { MaximumShift = 20 },
///     new Progress&lt;int&gt;(done =&gt; energiesDone = done), cancellationToken);
/// OpticalDensityResult od = OpticalDensity.FromTransmission(aligned.Aligned);
/// </code>
/// </example>
public static class StackAligner
{
    /// <summary>Registers every energy image to its reference, resamples the stack and crops it.</summary>
    /// <param name="stack">The stack to align (transmission or OD).</param>
    /// <param name="options">Registration options; <see langword="null"/> for the defaults.</param>
    /// <param name="progress">Receives the number of energies whose shift has been estimated (1…EnergyCount).</param>
    /// <param name="cancellationToken">Cancels between images.</param>
    /// <returns>The aligned stack, the shift per energy and the crop offset.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="stack"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range (reference index, upsampling factor,
    /// maximum shift); the message names the value.</exception>
    /// <exception cref="InvalidStackContentException">The shifts leave no pixel valid at every energy.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <remarks>
    /// <para>Per pair (reference a, moving b): non-finite pixels are replaced by the image mean, the optional edge filter
    /// is applied, the mean is subtracted, a Hann window applied and the image zero-padded to powers of two; R = F_a · conj(F_b)
    /// (divided by |R| only for phase correlation). The integer peak of IFFT(R) within ±MaximumShift is refined by
    /// evaluating the inverse DFT of R around it by matrix-multiply DFTs (±0.75 px at step 1/10, then ±0.1 px at step 1/U). The shift of b
    /// relative to a is minus the peak. Further passes (<see cref="StackAlignmentOptions.RegistrationPasses"/>) resample b
    /// by the estimate (bilinear) and add the registered residual.</para>
    /// <para>Neighbour mode registers e to e − 1 above the reference index and to e + 1 below it, then sums the pair
    /// shifts outward from the reference. Image e is resampled bilinearly at (x + X_e, y + Y_e).</para>
    /// <para>Memory: one complex double FFT per energy (16 · W' · H' bytes each, W', H' the next powers of two). Time per
    /// pass: O(E · W' · H' · (log(W' · H') + r)), r ≈ 38 refinement DFT rows for U = 100.</para>
    /// </remarks>
    public static StackAlignmentResult Align(SpectralStack stack, StackAlignmentOptions? options = null, IProgress<int>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stack);
        options ??= StackAlignmentOptions.Default;
        ValidateOptions(options, stack.Width, stack.Height);
        int energies = stack.EnergyCount;
        int reference = options.ReferenceIndex ?? (energies / 2);
        if (reference < 0 || reference >= energies)
        {
            throw new ArgumentOutOfRangeException(nameof(options), reference,
                string.Create(CultureInfo.InvariantCulture, $"ReferenceIndex must be in [0, {energies}); got {reference}."));
        }

        int w = stack.Width;
        int h = stack.Height;
        int n = w * h;
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.MaxDegreeOfParallelism, CancellationToken = cancellationToken };
        var geometry = new Geometry(w, h, options.ApplyWindow);
        var cleaned = new double[energies][];
        var spectra = new Complex[energies][];
        Parallel.For(0, energies, parallel, e =>
        {
            cleaned[e] = Clean(stack.Data.Span.Slice(e * n, n), w, h, options.EdgeFilter);
            spectra[e] = Spectrum(cleaned[e], geometry);
        });

        var pairShift = new ImageShift[energies];
        int done = 0;
        Parallel.For(0, energies, parallel, e =>
        {
            if (e != reference)
            {
                int a = options.Reference == AlignmentReference.Fixed ? reference : (e > reference ? e - 1 : e + 1);
                pairShift[e] = Register(spectra[a], spectra[e], cleaned[e], geometry, options);
            }

            progress?.Report(Interlocked.Increment(ref done));
        });

        var shifts = new ImageShift[energies];
        if (options.Reference == AlignmentReference.Fixed)
        {
            Array.Copy(pairShift, shifts, energies);
        }
        else
        {
            for (int e = reference + 1; e < energies; e++)
            {
                shifts[e] = new ImageShift(shifts[e - 1].X + pairShift[e].X, shifts[e - 1].Y + pairShift[e].Y);
            }

            for (int e = reference - 1; e >= 0; e--)
            {
                shifts[e] = new ImageShift(shifts[e + 1].X + pairShift[e].X, shifts[e + 1].Y + pairShift[e].Y);
            }
        }

        return ApplyShifts(stack, shifts, options.CropToCommonRegion, options.FillValue, options.MaxDegreeOfParallelism, cancellationToken);
    }

    /// <summary>Estimates the shift of <paramref name="moving"/> relative to <paramref name="reference"/>.</summary>
    /// <param name="reference">The reference image, row-major, <paramref name="width"/> × <paramref name="height"/>.</param>
    /// <param name="moving">The image to register, same size.</param>
    /// <param name="width">Image width in pixels.</param>
    /// <param name="height">Image height in pixels.</param>
    /// <param name="options">Filter, window, normalisation, maximum shift and upsampling; <see langword="null"/> for the defaults.</param>
    /// <returns>The displacement of the content of <paramref name="moving"/> relative to <paramref name="reference"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A dimension is not positive or an option is out of range.</exception>
    /// <exception cref="ArgumentException">An image does not hold width × height values.</exception>
    /// <remarks>See <see cref="Align(SpectralStack, StackAlignmentOptions?, IProgress{int}?, CancellationToken)"/> for the method.</remarks>
    public static ImageShift EstimateShift(ReadOnlySpan<float> reference, ReadOnlySpan<float> moving, int width, int height,
        StackAlignmentOptions? options = null)
    {
        ThrowHelper.ThrowIfNotPositive(width, nameof(width));
        ThrowHelper.ThrowIfNotPositive(height, nameof(height));
        options ??= StackAlignmentOptions.Default;
        ValidateOptions(options, width, height);
        long n = (long)width * height;
        if (reference.Length != n)
        {
            ThrowHelper.LengthMismatch(nameof(reference), n, reference.Length);
        }

        if (moving.Length != n)
        {
            ThrowHelper.LengthMismatch(nameof(moving), n, moving.Length);
        }

        var geometry = new Geometry(width, height, options.ApplyWindow);
        Complex[] fa = Spectrum(Clean(reference, width, height, options.EdgeFilter), geometry);
        double[] b = Clean(moving, width, height, options.EdgeFilter);
        return Register(fa, Spectrum(b, geometry), b, geometry, options);
    }

    /// <summary>Resamples each energy image at (x + X_e, y + Y_e) (bilinear) and optionally crops to the common valid region.</summary>
    /// <param name="stack">The stack.</param>
    /// <param name="shifts">One shift per energy (e.g. from an earlier <see cref="Align(SpectralStack, StackAlignmentOptions?, IProgress{int}?, CancellationToken)"/>
    /// on another detector channel).</param>
    /// <param name="cropToCommonRegion">Whether to crop to the pixels valid at every energy (default true).</param>
    /// <param name="fillValue">Value for pixels without data when not cropping (default NaN).</param>
    /// <param name="maxDegreeOfParallelism">Largest number of images resampled in parallel; −1 = no limit.</param>
    /// <param name="cancellationToken">Cancels between images.</param>
    /// <returns>The shifted stack, the shifts and the crop offset.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The number of shifts differs from the number of energies, or a shift is not finite.</exception>
    /// <exception cref="InvalidStackContentException">The shifts leave no pixel valid at every energy.</exception>
    /// <remarks>A pixel is valid at energy e when its sample position lies inside [0, W − 1] × [0, H − 1] (within 1e−6 px).</remarks>
    public static StackAlignmentResult ApplyShifts(SpectralStack stack, IReadOnlyList<ImageShift> shifts, bool cropToCommonRegion = true,
        float fillValue = float.NaN, int maxDegreeOfParallelism = -1, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stack);
        ArgumentNullException.ThrowIfNull(shifts);
        int energies = stack.EnergyCount;
        if (shifts.Count != energies)
        {
            ThrowHelper.LengthMismatch(nameof(shifts), energies, shifts.Count);
        }

        ImageShift[] s = [.. shifts];
        for (int e = 0; e < energies; e++)
        {
            if (!double.IsFinite(s[e].X) || !double.IsFinite(s[e].Y))
            {
                throw new ArgumentException(
                    string.Create(CultureInfo.InvariantCulture, $"Shift at index {e} is not finite: {s[e]}."), nameof(shifts));
            }
        }

        int w = stack.Width;
        int h = stack.Height;
        const double Tol = 1e-6;
        int x0 = 0;
        int y0 = 0;
        int x1 = w - 1;
        int y1 = h - 1;
        if (cropToCommonRegion)
        {
            foreach (ImageShift sh in s)
            {
                x0 = Math.Max(x0, (int)Math.Ceiling(-sh.X - Tol));
                y0 = Math.Max(y0, (int)Math.Ceiling(-sh.Y - Tol));
                x1 = Math.Min(x1, (int)Math.Floor(w - 1 - sh.X + Tol));
                y1 = Math.Min(y1, (int)Math.Floor(h - 1 - sh.Y + Tol));
            }

            if (x1 < x0 || y1 < y0)
            {
                throw new InvalidStackContentException(
                    string.Create(CultureInfo.InvariantCulture,
                        $"The alignment shifts of stack '{stack.Metadata.Name}' ({w}×{h} px) leave no pixel valid at every energy (x range {x0}…{x1}, y range {y0}…{y1})."));
            }
        }

        int ow = x1 - x0 + 1;
        int oh = y1 - y0 + 1;
        int n = w * h;
        int on = ow * oh;
        var output = new float[(long)energies * on];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism, CancellationToken = cancellationToken };
        Parallel.For(0, energies, parallel, e =>
        {
            ReadOnlySpan<float> src = stack.Data.Span.Slice(e * n, n);
            Span<float> dst = output.AsSpan(e * on, on);
            double sx = s[e].X;
            double sy = s[e].Y;
            for (int y = 0; y < oh; y++)
            {
                double py = y + y0 + sy;
                if (py < -Tol || py > h - 1 + Tol)
                {
                    dst.Slice(y * ow, ow).Fill(fillValue);
                    continue;
                }

                py = Math.Clamp(py, 0, h - 1);
                int iy = Math.Min((int)py, h - 2 < 0 ? 0 : h - 2);
                double fy = py - iy;
                int iy1 = Math.Min(iy + 1, h - 1);
                for (int x = 0; x < ow; x++)
                {
                    double px = x + x0 + sx;
                    if (px < -Tol || px > w - 1 + Tol)
                    {
                        dst[(y * ow) + x] = fillValue;
                        continue;
                    }

                    px = Math.Clamp(px, 0, w - 1);
                    int ix = Math.Min((int)px, w - 2 < 0 ? 0 : w - 2);
                    double fx = px - ix;
                    int ix1 = Math.Min(ix + 1, w - 1);
                    double top = src[(iy * w) + ix] + (fx * (src[(iy * w) + ix1] - src[(iy * w) + ix]));
                    double bottom = src[(iy1 * w) + ix] + (fx * (src[(iy1 * w) + ix1] - src[(iy1 * w) + ix]));
                    dst[(y * ow) + x] = (float)(top + (fy * (bottom - top)));
                }
            }
        });

        var aligned = new SpectralStack(stack.Energies, ow, oh, output, stack.Quantity, stack.Metadata);
        return new StackAlignmentResult(aligned, s, x0, y0);
    }

    private static void ValidateOptions(StackAlignmentOptions options, int width, int height)
    {
        if (options.UpsampleFactor < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.UpsampleFactor,
                string.Create(CultureInfo.InvariantCulture, $"UpsampleFactor must be at least 1; got {options.UpsampleFactor}."));
        }

        if (options.RegistrationPasses < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.RegistrationPasses,
                string.Create(CultureInfo.InvariantCulture, $"RegistrationPasses must be at least 1; got {options.RegistrationPasses}."));
        }

        if (options.MaximumShift is { } max && !(max >= 0))
        {
            throw new ArgumentOutOfRangeException(nameof(options), max,
                string.Create(CultureInfo.InvariantCulture, $"MaximumShift must be ≥ 0; got {max}."));
        }

        if (width < 2 || height < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(width), $"{width}×{height}",
                string.Create(CultureInfo.InvariantCulture, $"Alignment needs images of at least 2×2 pixels; got {width}×{height}."));
        }
    }

    /// <summary>Image size, FFT size (next powers of two; the centred, windowed image is zero-padded) and window.</summary>
    private sealed class Geometry
    {
        public Geometry(int w, int h, bool window)
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
    }

    private static double[] HannWindow(int w, int h)
    {
        var wx = new double[w];
        var wy = new double[h];
        for (int x = 0; x < w; x++)
        {
            wx[x] = 0.5 - (0.5 * Math.Cos(2 * Math.PI * (x + 0.5) / w));
        }

        for (int y = 0; y < h; y++)
        {
            wy[y] = 0.5 - (0.5 * Math.Cos(2 * Math.PI * (y + 0.5) / h));
        }

        var window = new double[w * h];
        for (int y = 0; y < h; y++)
        {
            for (int x = 0; x < w; x++)
            {
                window[(y * w) + x] = wy[y] * wx[x];
            }
        }

        return window;
    }

    /// <summary>Replaces non-finite pixels by the mean of the finite ones and applies the edge filter.</summary>
    private static double[] Clean(ReadOnlySpan<float> image, int w, int h, AlignmentEdgeFilter filter)
    {
        int n = w * h;
        var v = new double[n];
        double sum = 0;
        int count = 0;
        foreach (float f in image)
        {
            if (float.IsFinite(f))
            {
                sum += f;
                count++;
            }
        }

        double fill = count > 0 ? sum / count : 0;
        for (int i = 0; i < n; i++)
        {
            v[i] = float.IsFinite(image[i]) ? image[i] : fill;
        }

        return filter == AlignmentEdgeFilter.Sobel ? Sobel(v, w, h) : v;
    }

    /// <summary>Centres, windows, zero-pads to the FFT size and transforms one cleaned image.</summary>
    private static Complex[] Spectrum(double[] v, Geometry g)
    {
        double mean = 0;
        foreach (double d in v)
        {
            mean += d;
        }

        mean /= v.Length;
        var c = new Complex[g.Wp * g.Hp];
        for (int y = 0; y < g.H; y++)
        {
            for (int x = 0; x < g.W; x++)
            {
                int i = (y * g.W) + x;
                double d = v[i] - mean;
                c[(y * g.Wp) + x] = g.Window.Length > 0 ? d * g.Window[i] : d;
            }
        }

        Fft2D.Forward(c, g.Hp, g.Wp);
        return c;
    }

    /// <summary>Bilinear resampling of a cleaned image at (x + sx, y + sy), edge pixels replicated outside.</summary>
    private static double[] Resample(double[] v, int w, int h, double sx, double sy)
    {
        var r = new double[v.Length];
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
    /// Shift of image b relative to image a. Pass 1 registers the spectra; each further pass resamples b by the running
    /// estimate and registers the residual (searched within ±2 px), which removes the pull of the (static) window towards
    /// zero shift. The total is clamped to ±MaximumShift.
    /// </summary>
    private static ImageShift Register(Complex[] fa, Complex[] fb, double[] b, Geometry g, StackAlignmentOptions options)
    {
        double max = options.MaximumShift ?? double.PositiveInfinity;
        ImageShift total = RegisterOnce(fa, fb, g, options, max);
        for (int pass = 1; pass < options.RegistrationPasses; pass++)
        {
            Complex[] fr = Spectrum(Resample(b, g.W, g.H, total.X, total.Y), g);
            ImageShift residual = RegisterOnce(fa, fr, g, options, 2);
            total = new ImageShift(Math.Clamp(total.X + residual.X, -max, max), Math.Clamp(total.Y + residual.Y, -max, max));
        }

        return total;
    }

    private static ImageShift RegisterOnce(Complex[] fa, Complex[] fb, Geometry g, StackAlignmentOptions options, double maxShift)
    {
        int w = g.Wp;
        int h = g.Hp;
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
            if (Math.Abs(sy) > maxShift || Math.Abs(sy) >= g.H)
            {
                continue;
            }

            for (int x = 0; x < w; x++)
            {
                int sx = x <= w / 2 ? x : x - w;
                if (Math.Abs(sx) > maxShift || Math.Abs(sx) >= g.W)
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

    private static double[] Sobel(double[] v, int w, int h)
    {
        var g = new double[v.Length];
        for (int y = 0; y < h; y++)
        {
            int ym = Math.Max(y - 1, 0);
            int yp = Math.Min(y + 1, h - 1);
            for (int x = 0; x < w; x++)
            {
                int xm = Math.Max(x - 1, 0);
                int xp = Math.Min(x + 1, w - 1);
                double gx = (v[(ym * w) + xp] + (2 * v[(y * w) + xp]) + v[(yp * w) + xp]) - (v[(ym * w) + xm] + (2 * v[(y * w) + xm]) + v[(yp * w) + xm]);
                double gy = (v[(yp * w) + xm] + (2 * v[(yp * w) + x]) + v[(yp * w) + xp]) - (v[(ym * w) + xm] + (2 * v[(ym * w) + x]) + v[(ym * w) + xp]);
                g[(y * w) + x] = Math.Sqrt((gx * gx) + (gy * gy));
            }
        }

        return g;
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
        var ys = new double[size];
        var xs = new double[size];
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
