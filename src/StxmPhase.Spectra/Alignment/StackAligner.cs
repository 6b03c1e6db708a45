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
    /// maximum shift, degree of parallelism); the message names the value.</exception>
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
        var registration = new PhaseCorrelation(w, h, options.ApplyWindow);
        double[][] cleaned = new double[energies][];
        var spectra = new Complex[energies][];
        Parallel.For(0, energies, parallel, e =>
        {
            cleaned[e] = Clean(stack.Data.Span.Slice(e * n, n), w, h, options.EdgeFilter);
            spectra[e] = registration.Spectrum(cleaned[e]);
        });

        var pairShift = new ImageShift[energies];
        int done = 0;
        Parallel.For(0, energies, parallel, e =>
        {
            if (e != reference)
            {
                int a = options.Reference == AlignmentReference.Fixed ? reference : (e > reference ? e - 1 : e + 1);
                pairShift[e] = registration.Register(spectra[a], spectra[e], cleaned[e], options);
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

        var registration = new PhaseCorrelation(width, height, options.ApplyWindow);
        Complex[] fa = registration.Spectrum(Clean(reference, width, height, options.EdgeFilter));
        double[] b = Clean(moving, width, height, options.EdgeFilter);
        return registration.Register(fa, registration.Spectrum(b), b, options);
    }

    /// <summary>Resamples each energy image at (x + X_e, y + Y_e) (bilinear) and optionally crops to the common valid region.</summary>
    /// <param name="stack">The stack.</param>
    /// <param name="shifts">One shift per energy (e.g. from an earlier
    /// <see cref="Align(SpectralStack, StackAlignmentOptions?, IProgress{int}?, CancellationToken)"/>
    /// on another detector channel).</param>
    /// <param name="cropToCommonRegion">Whether to crop to the pixels valid at every energy (default true).</param>
    /// <param name="fillValue">Value for pixels without data when not cropping (default NaN).</param>
    /// <param name="maxDegreeOfParallelism">Largest number of images resampled in parallel; −1 = no limit.</param>
    /// <param name="cancellationToken">Cancels between images.</param>
    /// <returns>The shifted stack, the shifts and the crop offset.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The number of shifts differs from the number of energies, or a shift is not finite.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxDegreeOfParallelism"/> is 0 or below −1.</exception>
    /// <exception cref="InvalidStackContentException">The shifts leave no pixel valid at every energy.</exception>
    /// <remarks>A pixel is valid at energy e when its sample position lies inside [0, W − 1] × [0, H − 1] (within 1e−6 px).</remarks>
    public static StackAlignmentResult ApplyShifts(SpectralStack stack, IReadOnlyList<ImageShift> shifts, bool cropToCommonRegion = true,
        float fillValue = float.NaN, int maxDegreeOfParallelism = -1, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stack);
        ArgumentNullException.ThrowIfNull(shifts);
        Parallelism.ThrowIfInvalid(maxDegreeOfParallelism, nameof(maxDegreeOfParallelism));
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
                        $"The alignment shifts of stack '{stack.Metadata.Name}' ({w}×{h} px) leave no pixel valid at every energy (x range " +
                        $"{x0}…{x1}, y range {y0}…{y1})."));
            }
        }

        int ow = x1 - x0 + 1;
        int oh = y1 - y0 + 1;
        int n = w * h;
        int on = ow * oh;
        float[] output = new float[(long)energies * on];
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

        Parallelism.ThrowIfInvalid(options.MaxDegreeOfParallelism, nameof(options), "StackAlignmentOptions.MaxDegreeOfParallelism");
        if (width < 2 || height < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(width), $"{width}×{height}",
                string.Create(CultureInfo.InvariantCulture, $"Alignment needs images of at least 2×2 pixels; got {width}×{height}."));
        }
    }

    /// <summary>Replaces non-finite pixels by the mean of the finite ones and applies the edge filter.</summary>
    private static double[] Clean(ReadOnlySpan<float> image, int w, int h, AlignmentEdgeFilter filter)
    {
        int n = w * h;
        double[] v = new double[n];
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

    private static double[] Sobel(double[] v, int w, int h)
    {
        double[] g = new double[v.Length];
        for (int y = 0; y < h; y++)
        {
            int ym = Math.Max(y - 1, 0);
            int yp = Math.Min(y + 1, h - 1);
            for (int x = 0; x < w; x++)
            {
                int xm = Math.Max(x - 1, 0);
                int xp = Math.Min(x + 1, w - 1);
                double gx = (v[(ym * w) + xp] + (2 * v[(y * w) + xp]) + v[(yp * w) + xp])
                    - (v[(ym * w) + xm] + (2 * v[(y * w) + xm]) + v[(yp * w) + xm]);
                double gy = (v[(yp * w) + xm] + (2 * v[(yp * w) + x]) + v[(yp * w) + xp])
                    - (v[(ym * w) + xm] + (2 * v[(ym * w) + x]) + v[(ym * w) + xp]);
                g[(y * w) + x] = Math.Sqrt((gx * gx) + (gy * gy));
            }
        }

        return g;
    }

}
