using System.Globalization;
using System.Numerics.Tensors;
using StxmPhase.Spectra;

namespace StxmPhase.Correlation;

/// <summary>
/// Per-pixel phase posteriors under a counting-noise model: for each phase k, the spectrum x of a pixel is modelled as
/// a·r_k + b + ε (a ≥ 0 a thickness, b an offset, r_k the reference) with independent Gaussian noise of per-energy
/// variance σ²_e(x); the profile likelihood of the best (a, b) gives χ²_k, and P(k | x) ∝ π_k · exp(−χ²_k / (2τ)).
/// </summary>
/// <example>
/// <code>
/// PhasePosteriors post = new NoiseModelClassifier().Classify(od, references, particleMask, particleMask.Not());
/// ReadOnlySpan&lt;float&gt; pPhase0 = post.Posterior(0);
/// </code>
/// </example>
/// <remarks>
/// <para><b>Noise.</b> With an OD stack converted from counts with an I0 averaged over many pixels, Var OD ≈ e^{OD}/N0
/// (Poisson). Given <see cref="NoiseModelOptions.IncidentCounts"/> (transmission counts), σ²_e(x) = (e^x + c)/N0_e
/// directly. Otherwise N0 is estimated per energy from the sample-free field's scatter: with its median m_e and robust variance
/// σ²_e (1.4826 × MAD)², σ²_e(x) = σ²_e · e^{x − m_e} (the exponent clamped to [−1, 10]). Without a sample-free field
/// σ²_e = 1 and m_e = 0 (relative weights only; <see cref="NoiseModelOptions.CalibrateScale"/> sets the level).
/// Weights w_e = u_e / σ²_e(x), u_e the optional <see cref="NoiseModelOptions.EnergyWeights"/>.</para>
/// <para><b>Fit.</b> With weighted sums S_w, S_x, S_xx, S_r, S_rr, S_xr (accumulated plane by plane, vectorised across
/// pixels, energy-major as the stack is stored), C_xx = S_xx − S_x²/S_w, C_rr = S_rr − S_r²/S_w,
/// C_xr = S_xr − S_x S_r/S_w, and χ²_k = C_xx − max(C_xr, 0)²/C_rr: weighted least squares for a·r_k + b with a ≥ 0 (the
/// weighted Pearson coefficient's complement, χ²_k = C_xx (1 − ρ²_w) for ρ_w &gt; 0).</para>
/// <para><b>Scale and prior.</b> τ = median_p(min_k χ²_k) / median of χ²(ν), ν = E − 2 (Wilson–Hilferty), when
/// <see cref="NoiseModelOptions.CalibrateScale"/>; the prior π is uniform or fitted by EM
/// (<see cref="NoiseModelOptions.EstimatePrior"/>). The per-energy weights enter only through w_e, so per-block (edge)
/// weights fit in without changing the model.</para>
/// <para><b>No match.</b> A pixel whose min_k χ²_k/τ exceeds the <see cref="NoiseModelOptions.NoMatchQuantile"/> quantile
/// of χ²(ν) fits no reference (a phase missing from the library, carbon, binder) and is labelled <see cref="NoMatch"/>;
/// its posteriors are still reported.</para>
/// </remarks>
public sealed partial class NoiseModelClassifier
{
    /// <summary>The label of an analysed pixel whose spectrum fits no reference (goodness-of-fit test failed).</summary>
    public const int NoMatch = -2;

    private const int BlockSize = 2048;
    private const int BackgroundSample = 20000;
    private const int PriorIterations = 50;

    /// <summary>Initializes a classifier.</summary>
    /// <param name="options">Options; <see langword="null"/> for the defaults.</param>
    public NoiseModelClassifier(NoiseModelOptions? options = null) => Options = options ?? NoiseModelOptions.Default;

    /// <summary>Gets the options.</summary>
    public NoiseModelOptions Options { get; }

    /// <summary>Computes the posteriors of every pixel of <paramref name="mask"/>.</summary>
    /// <param name="opticalDensity">The OD stack.</param>
    /// <param name="references">References on the stack's energies (resample first).</param>
    /// <param name="mask">Pixels to classify; <see langword="null"/> = all.</param>
    /// <param name="sampleFree">The sample-free field the noise is measured on (e.g. the complement of the particle mask);
    /// <see langword="null"/> = none (relative weights, scale from the data).</param>
    /// <param name="cancellationToken">Cancels between blocks.</param>
    /// <returns>The posteriors, labels and noise estimates.</returns>
    /// <exception cref="ArgumentNullException">A required argument is <see langword="null"/>.</exception>
    /// <exception cref="IncompatibleEnergiesException">The references are not on the stack's energies.</exception>
    /// <exception cref="ArgumentException">A mask has the wrong size, fewer than 3 energies carry weight, or an option is invalid.</exception>
    public PhasePosteriors Classify(
        SpectralStack opticalDensity, ReferenceSpectra references, PixelMask? mask = null, PixelMask? sampleFree = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(opticalDensity);
        ArgumentNullException.ThrowIfNull(references);
        int w = opticalDensity.Width, h = opticalDensity.Height, n = w * h, energies = opticalDensity.EnergyCount, phases = references.PhaseCount;
        if (!references.Energies.Matches(opticalDensity.Energies))
        {
            throw new IncompatibleEnergiesException(string.Create(CultureInfo.InvariantCulture,
                $"The references have {references.Energies.Count} energies that do not match the stack's "
                + $"{energies}; resample them with ReferenceSpectra.ResampleTo first."));
        }

        CheckSize(mask, w, h, nameof(mask));
        CheckSize(sampleFree, w, h, nameof(sampleFree));
        FitTerms terms = Terms(energies, sampleFree is { Count: >= SampleFreeMinimum });
        double[] userWeight = terms.UserWeight;
        int[] blockEnds = terms.BlockEnds, foldEnds = terms.FoldEnds;
        SpectralBackground? model = terms.Model;
        int dof = terms.DegreesOfFreedom;
        if (dof < 1)
        {
            string blocks = blockEnds.Length > 1
                ? string.Create(CultureInfo.InvariantCulture, $" (one offset b per block, {blockEnds.Length} blocks)")
                : string.Empty;
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"The noise model needs at least {terms.Weighted - dof + 1} weighted energies to fit a·r + b{blocks} with {terms.Extra} ")
                + string.Create(CultureInfo.InvariantCulture, $"background component(s); got {terms.Weighted}."),
                nameof(opticalDensity));
        }

        (double[] background, double[] variance) = Options.IncidentCounts is null
            ? EstimateNoise(opticalDensity, sampleFree)
            : Options.CountingNoise(energies);
        float[] chi = new float[phases * n];
        bool[] analysed = new bool[n];
        double share = Options.IncidentCounts is null ? 0 : Options.IncidentVarianceShare;
        if (model is not null)
        {
            BackgroundChiSquares(opticalDensity, references, mask, background, variance, share, userWeight, blockEnds, chi, analysed,
                cancellationToken);
        }
        else
        {
            OffsetLayout layout = Layout(blockEnds, foldEnds, opticalDensity, sampleFree, background);
            ChiSquares(opticalDensity, references, mask, background, variance, share, userWeight, layout, chi, analysed, cancellationToken);
        }

        // Best χ² per pixel and the scale τ.
        float[] best = new float[n];
        var bestList = new List<float>();
        for (int p = 0; p < n; p++)
        {
            if (!analysed[p])
            {
                best[p] = float.NaN;
                continue;
            }

            float m = float.PositiveInfinity;
            for (int k = 0; k < phases; k++)
            {
                m = Math.Min(m, chi[(k * n) + p]);
            }

            best[p] = m;
            bestList.Add(m);
        }

        double tau = 1;
        if (Options.CalibrateScale && bestList.Count > 0)
        {
            float[] sorted = [.. bestList];
            Array.Sort(sorted);
            double median = (sorted.Length & 1) == 1
                ? sorted[sorted.Length / 2]
                : (sorted[(sorted.Length / 2) - 1] + (double)sorted[sorted.Length / 2]) / 2;
            double reference = ChiSquareQuantile(dof, 0.5);
            tau = median > 0 ? median / reference : 1;
        }

        // exp(−(χ²_k − χ²_min) / 2τ) once; the prior's EM then needs only multiply-adds.
        float[] post = chi; // reused in place: likelihood ratios, then posteriors
        for (int p = 0; p < n; p++)
        {
            for (int k = 0; k < phases; k++)
            {
                int i = (k * n) + p;
                post[i] = analysed[p] ? (float)(-(chi[i] - best[p]) / (2 * tau)) : float.NegativeInfinity;
            }
        }

        TensorPrimitives.Exp(post, post);
        double[] prior = Enumerable.Repeat(1.0 / phases, phases).ToArray();
        int analysedCount = bestList.Count;
        if (Options.EstimatePrior && analysedCount > 0)
        {
            prior = PriorEstimation.Estimate(post, analysed, n, phases, analysedCount, PriorIterations);
        }

        double threshold = Options.NoMatchQuantile is { } q ? ChiSquareQuantile(dof, q) : double.PositiveInfinity;
        int[] labels = new int[n];
        int noMatch = 0;
        for (int p = 0; p < n; p++)
        {
            if (!analysed[p])
            {
                labels[p] = PhaseMap.Unassigned;
                for (int k = 0; k < phases; k++)
                {
                    post[(k * n) + p] = float.NaN;
                }

                continue;
            }

            double z = 0;
            for (int k = 0; k < phases; k++)
            {
                z += prior[k] * post[(k * n) + p];
            }

            int arg = 0;
            float top = -1;
            for (int k = 0; k < phases; k++)
            {
                float v = (float)(prior[k] * post[(k * n) + p] / z);
                post[(k * n) + p] = v;
                if (v > top)
                {
                    top = v;
                    arg = k;
                }
            }

            if (best[p] / tau > threshold)
            {
                labels[p] = NoMatch;
                noMatch++;
            }
            else
            {
                labels[p] = arg;
            }
        }

        return new PhasePosteriors(
            w, h, references.PhaseNames, post, best, labels, prior, tau, dof, threshold, variance, background, analysedCount, noMatch);
    }

    private static void CheckSize(PixelMask? mask, int w, int h, string name)
    {
        if (mask is not null && (mask.Width != w || mask.Height != h))
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"{name} is {mask.Width}×{mask.Height} but the stack is {w}×{h}."), name);
        }
    }

    /// <summary>Median and robust variance of OD per energy over (a strided sample of) the sample-free field.</summary>
    internal static (double[] Background, double[] Variance) EstimateNoise(SpectralStack od, PixelMask? sampleFree)
    {
        int energies = od.EnergyCount;
        double[] background = new double[energies];
        double[] variance = Enumerable.Repeat(1.0, energies).ToArray();
        if (sampleFree is null || sampleFree.Count < SampleFreeMinimum)
        {
            return (background, variance);
        }

        int[] idx = sampleFree.IncludedIndices();
        int stride = Math.Max(1, idx.Length / BackgroundSample);
        var values = new List<double>(idx.Length / stride + 1);
        for (int e = 0; e < energies; e++)
        {
            ReadOnlySpan<float> plane = od.Plane(e);
            values.Clear();
            for (int i = 0; i < idx.Length; i += stride)
            {
                float v = plane[idx[i]];
                if (float.IsFinite(v))
                {
                    values.Add(v);
                }
            }

            if (values.Count < 16)
            {
                continue;
            }

            double[] s = [.. values];
            Array.Sort(s);
            double m = Median(s);
            double[] dev = new double[s.Length];
            for (int i = 0; i < s.Length; i++)
            {
                dev[i] = Math.Abs(s[i] - m);
            }

            Array.Sort(dev);
            double sigma = 1.482602218505602 * Median(dev);
            background[e] = m;
            variance[e] = sigma > 0 ? sigma * sigma : 1e-12;
        }

        return (background, variance);
    }

    private static double Median(double[] sorted) =>
        (sorted.Length & 1) == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;

    /// <summary>χ²_k for every pixel of the mask, block by block: one pass over the E planes per block.</summary>
    private static void ChiSquares(
        SpectralStack od, ReferenceSpectra refs, PixelMask? mask, double[] background, double[] variance, double share, double[] userWeight,
        OffsetLayout layout, float[] chi, bool[] analysed, CancellationToken ct)
    {
        int n = od.PixelCount, energies = od.EnergyCount, phases = refs.PhaseCount, width = od.Width;

        // Blocks are independent (each writes only its own pixels): parallel, and blocks without a masked pixel are skipped.
        int blocks = (n + BlockSize - 1) / BlockSize;
        Parallel.For(0, blocks, new ParallelOptions { CancellationToken = ct }, block =>
            ChiSquareBlock(od, refs, mask, background, variance, share, userWeight, layout, chi, analysed, block * BlockSize, n, energies,
                phases, width));
    }

    private static void ChiSquareBlock(
        SpectralStack od, ReferenceSpectra refs, PixelMask? mask, double[] background, double[] variance, double share, double[] userWeight,
        OffsetLayout layout, float[] chi, bool[] analysed, int start, int n, int energies, int phases, int width)
    {
        ReadOnlySpan<float> data = od.Data.Span;
        if (mask is not null && !mask.AsSpan().Slice(start, Math.Min(BlockSize, n - start)).Contains(true))
        {
            return; // analysed stays false
        }

        // Accumulated in double: with weights 1/σ² of 10³–10⁵, S_xx − S_x²/S_w cancels most of its digits.
        double[] sw = new double[BlockSize];
        double[] sx = new double[BlockSize];
        double[] sxx = new double[BlockSize];
        double[] sr = new double[phases * BlockSize];
        double[] srr = new double[phases * BlockSize];
        double[] sxr = new double[phases * BlockSize];
        double[] wt = new double[BlockSize];
        double[] wx = new double[BlockSize];
        double[] xd = new double[BlockSize];
        float[] smooth = new float[BlockSize];
        bool[] finite = new bool[BlockSize];
        int[] missing = new int[BlockSize];
        var centred = new CentredSums(phases, BlockSize);
        {
            int b = Math.Min(BlockSize, n - start);
            #pragma warning disable IDE1006 // Σw, Σx, Σxx, w, wx, x: the sums of the derivation keep its notation
            Span<double> Sw = sw.AsSpan(0, b), Sx = sx.AsSpan(0, b), Sxx = sxx.AsSpan(0, b);
            Span<double> W = wt.AsSpan(0, b), WX = wx.AsSpan(0, b), X = xd.AsSpan(0, b);
            #pragma warning restore IDE1006
            Sw.Clear();
            Sx.Clear();
            Sxx.Clear();
            sr.AsSpan().Clear();
            srr.AsSpan().Clear();
            sxr.AsSpan().Clear();
            finite.AsSpan(0, b).Fill(true);
            centred.Clear();
            int block = 0, planes = 0, edge = 0;
            int[] blockEnds = layout.BlockEnds, foldEnds = layout.FoldEnds;
            missing.AsSpan().Clear();
            for (int e = 0; e < energies; e++)
            {
                if (userWeight[e] == 0)
                {
                    (planes, edge) = EndPartialBlock(e, blockEnds, edge, missing, planes, finite.AsSpan(0, b));
                    block = FoldIfBlockEnds(centred, e, foldEnds, block, b, sw, sx, sxx, sr, srr, sxr);
                    continue;
                }

                PlaneWeights(data, e, n, start, width, background[e], share, userWeight[e] / variance[e], missing.AsSpan(0, b),
                    smooth.AsSpan(0, b), X, W);
                if (layout.Baseline is { } c)
                {
                    TensorPrimitives.Subtract(X, c[e], X); // a missing value has w = 0 and adds nothing
                }

                planes++;
                TensorPrimitives.Add(Sw, W, Sw);
                TensorPrimitives.Multiply(W, X, WX);
                TensorPrimitives.Add(Sx, WX, Sx);
                TensorPrimitives.MultiplyAdd(WX, X, Sxx, Sxx);
                for (int k = 0; k < phases; k++)
                {
                    double r = refs.Values[(k * energies) + e];
                    TensorPrimitives.MultiplyAdd(W, r, sr.AsSpan(k * BlockSize, b), sr.AsSpan(k * BlockSize, b));
                    TensorPrimitives.MultiplyAdd(W, r * r, srr.AsSpan(k * BlockSize, b), srr.AsSpan(k * BlockSize, b));
                    TensorPrimitives.MultiplyAdd(WX, r, sxr.AsSpan(k * BlockSize, b), sxr.AsSpan(k * BlockSize, b));
                }

                (planes, edge) = EndPartialBlock(e, blockEnds, edge, missing, planes, finite.AsSpan(0, b));
                block = FoldIfBlockEnds(centred, e, foldEnds, block, b, sw, sx, sxx, sr, srr, sxr);
            }

            for (int i = 0; i < b; i++)
            {
                int p = start + i;
                bool ok = finite[i] && (mask is null || mask[p]) && centred.Weight[i] > 0;
                analysed[p] = ok;
                if (!ok)
                {
                    continue;
                }

                double cxx = Math.Max(0, centred.Xx[i]);
                for (int k = 0; k < phases; k++)
                {
                    double crr = centred.Rr[(k * BlockSize) + i];
                    double cxr = centred.Xr[(k * BlockSize) + i];
                    double c = crr > 0 && cxr > 0 ? cxx - (cxr * cxr / crr) : cxx;
                    chi[(k * n) + p] = (float)Math.Max(0, c);
                }
            }
        }
    }

    /// <summary>
    /// Energy plane <paramref name="e"/> of pixels [start, start + <paramref name="w"/>.Length): counts in
    /// <paramref name="missing"/> the values that are not finite (their x and w are 0: the plane is skipped for that pixel),
    /// copies the values to <paramref name="x"/> and writes the χ²
    /// weights w = scale / (exp(clamp(x̃ − level, −1, 10)) + share), scale = u_e/σ²_e, share the c of the counting noise
    /// (e^x + c)/N₀, x̃ the 3×3 mean of the plane (the variance follows the expected OD; the observed x would give
    /// noise-low values too much weight). <paramref name="smooth"/> is scratch of the same length.
    /// </summary>
    private static void PlaneWeights(
        ReadOnlySpan<float> data, int e, int n, int start, int width, double level, double share, double scale, Span<int> missing,
        Span<float> smooth, Span<double> x, Span<double> w)
    {
        int b = w.Length;
        ReadOnlySpan<float> xs = data.Slice((e * n) + start, b);
        SmoothedOd(data.Slice(e * n, n), start, b, width, smooth);
        TensorPrimitives.ConvertChecked<float, double>(smooth, w);
        TensorPrimitives.ConvertChecked<float, double>(xs, x);
        TensorPrimitives.Subtract(w, level, w);
        TensorPrimitives.Clamp(w, -1.0, 10.0, w);
        TensorPrimitives.Exp(w, w);
        TensorPrimitives.Add(w, share, w);
        TensorPrimitives.Divide(scale, w, w);
        for (int i = 0; i < b; i++)
        {
            if (!float.IsFinite(xs[i]))
            {
                missing[i]++;
                x[i] = w[i] = 0;
            }
        }
    }

    /// <summary>
    /// The 3×3 mean of <paramref name="plane"/> for pixels [start, start + count) into <paramref name="destination"/>,
    /// as nine shifted vector adds; a pixel whose neighbourhood leaves the image (first/last row, wrapping columns) or
    /// holds a non-finite value keeps its own value.
    /// </summary>
    private static void SmoothedOd(ReadOnlySpan<float> plane, int start, int count, int width, Span<float> destination)
    {
        int n = plane.Length;
        ReadOnlySpan<float> x = plane.Slice(start, count);
        x.CopyTo(destination);
        int lo = Math.Max(start, width + 1), hi = Math.Min(start + count, n - width - 1);
        if (hi > lo)
        {
            Span<float> d = destination.Slice(lo - start, hi - lo);
            d.Clear();
            for (int dy = -1; dy <= 1; dy++)
            {
                for (int dx = -1; dx <= 1; dx++)
                {
                    TensorPrimitives.Add(d, plane.Slice(lo + (dy * width) + dx, hi - lo), d);
                }
            }

            TensorPrimitives.Multiply(d, 1f / 9, d);
        }

        for (int i = 0; i < count; i++)
        {
            int col = (start + i) % width;
            if (col == 0 || col == width - 1 || !float.IsFinite(destination[i]))
            {
                destination[i] = x[i];
            }
        }
    }

    /// <summary>The q-quantile of χ²(ν) by the Wilson–Hilferty approximation ν (1 − 2/(9ν) + z_q √(2/(9ν)))³.</summary>
    internal static double ChiSquareQuantile(int nu, double q)
    {
        double a = 2.0 / (9 * nu);
        double t = 1 - a + (NormalQuantile(q) * Math.Sqrt(a));
        return nu * t * t * t;
    }

    /// <summary>The standard normal quantile (Acklam's rational approximation, relative error below 1.2e-9).</summary>
    internal static double NormalQuantile(double p)
    {
        double[] a = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
            1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00];
        double[] b = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01, -1.328068155288572e+01];
        double[] c = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
            -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00];
        double[] d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00];
        const double Low = 0.02425;
        if (p < Low)
        {
            double q = Math.Sqrt(-2 * Math.Log(p));
            return (((((((c[0] * q) + c[1]) * q) + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
                / ((((((d[0] * q) + d[1]) * q) + d[2]) * q + d[3]) * q + 1);
        }

        if (p > 1 - Low)
        {
            double q = Math.Sqrt(-2 * Math.Log(1 - p));
            return -(((((((c[0] * q) + c[1]) * q) + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
                / ((((((d[0] * q) + d[1]) * q) + d[2]) * q + d[3]) * q + 1);
        }

        double u = p - 0.5, r = u * u;
        return (((((((a[0] * r) + a[1]) * r) + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * u
            / (((((((b[0] * r) + b[1]) * r) + b[2]) * r + b[3]) * r + b[4]) * r + 1);
    }
}
