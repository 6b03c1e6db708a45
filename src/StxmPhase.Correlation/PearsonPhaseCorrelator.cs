using System.Globalization;
using StxmPhase.Spectra;

namespace StxmPhase.Correlation;

/// <summary>
/// Stage 1 of phase mapping: the Pearson correlation coefficient (PCC) of every pixel spectrum with every reference
/// spectrum, the best phase per pixel, the reliability R = 100·(Q1 − Q2) and the ambiguity mask Q1 − Q2 &lt; δ
/// (arXiv 2603.07666; algorithms.md §0). Vectorised across pixels, multi-threaded, single pass over the stack.
/// </summary>
/// <remarks>
/// <para>
/// For a pixel spectrum x and reference r_j over the E energies:
/// ρ_j = Σ_e (x_e − x̄)(r_je − r̄_j) / √(Σ_e (x_e − x̄)² · Σ_e (r_je − r̄_j)²), clamped to [−1, 1]; this equals
/// <c>numpy.corrcoef(x, r_j)[0, 1]</c>. The coefficients are sorted in descending order with a stable sort (on equal
/// values the lower phase index comes first): Q1 is the first, Q2 the second, the label is the phase of Q1.
/// R = 100·(Q1 − Q2) ∈ [0, 200]. A pixel is ambiguous iff Q1 − Q2 &lt; <see cref="PearsonOptions.AmbiguityThreshold"/>
/// (equality is not ambiguous, an exact tie is). With a single reference, Q2 is −1 and the second label −1.
/// </para>
/// <para>
/// A pixel is <see cref="PixelStatus.Invalid"/> if any value is NaN or ±∞, or its spectrum is numerically constant,
/// Σ(x − x̄)² ≤ 1e-12 · max(1, Σx²). A pixel excluded by the mask is <see cref="PixelStatus.Masked"/>. Both carry
/// label −1, 0 in every map and are never ambiguous; they are counted on the result, never thrown.
/// </para>
/// <para>
/// Precision: accumulation is float32 with an x₀-shifted single pass (see the performance notes in
/// docs/performance/correlation.md); coefficients agree with a float64 evaluation to ≈ 1e-6 and, on a given machine,
/// are bit-identical for every <see cref="PearsonOptions.MaxDegreeOfParallelism"/>. Results may differ in the last
/// bits between vector widths (AVX-512, AVX2, 128-bit). The ranking, R and the ambiguity decision are derived from
/// the float32 coefficients as stored, so the outputs are mutually consistent.
/// </para>
/// <para>Complexity O(N · E · P) time; the outputs take N · (4P + 22) bytes; no per-pixel allocation.</para>
/// </remarks>
/// <example>
/// <code>
/// var correlator = new PearsonPhaseCorrelator();
/// CorrelationResult pcc = correlator.Correlate(stack, references.ResampleTo(stack.Energies), particleMask);
/// double ambiguousFraction = (double)pcc.AmbiguousCount / pcc.ValidCount;
/// </code>
/// </example>
public sealed class PearsonPhaseCorrelator : IPhaseCorrelator
{
    /// <summary>Initializes a correlator with the paper's defaults (<see cref="PearsonOptions.Default"/>).</summary>
    public PearsonPhaseCorrelator()
        : this(PearsonOptions.Default)
    {
    }

    /// <summary>Initializes a correlator with the given options.</summary>
    /// <param name="options">The options.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    public PearsonPhaseCorrelator(PearsonOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
    }

    /// <summary>Gets the options.</summary>
    public PearsonOptions Options { get; }

    /// <summary>Correlates each pixel spectrum of <paramref name="opticalDensity"/> with each reference.</summary>
    /// <param name="opticalDensity">
    /// The stack (usually optical density; PCC is invariant to a·x + b with a &gt; 0 per spectrum, so any such
    /// pre-processing gives the same labels).
    /// </param>
    /// <param name="references">
    /// Reference spectra on the stack's energies (within 1 meV, <see cref="EnergyAxis.Matches"/>); resample first with
    /// <c>references.ResampleTo(stack.Energies)</c>.
    /// </param>
    /// <param name="mask">Optional mask of the same size; excluded pixels get <see cref="PixelStatus.Masked"/>.</param>
    /// <param name="cancellationToken">Cancels the operation; checked once per band of 16,384 pixels.</param>
    /// <returns>Correlation maps (phase-major), phase map, Q1, Q2, reliability, ambiguity and pixel status.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="opticalDensity"/> or <paramref name="references"/> is
    /// <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A reference is constant (the message names the phase), or the mask size differs from the
    /// stack.</exception>
    /// <exception cref="IncompatibleEnergiesException">The reference energies differ from the stack energies; the message names the first offending
    /// energy.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public CorrelationResult Correlate(SpectralStack opticalDensity, ReferenceSpectra references, PixelMask? mask = null,
        CancellationToken cancellationToken = default)
    {
        PreparedReferences prepared = Validate(opticalDensity, references, mask);
        cancellationToken.ThrowIfCancellationRequested();

        var buffers = new PearsonBuffers(opticalDensity.PixelCount, prepared.PhaseCount);
        PixelCounts counts = RunKernel(opticalDensity, prepared, mask, buffers, cancellationToken);
        return buffers.ToResult(opticalDensity.Width, opticalDensity.Height, references.PhaseNames, Options.AmbiguityThreshold, counts);
    }

    /// <summary>
    /// Correlates like <see cref="Correlate"/> but writes into caller-owned, reusable <paramref name="destination"/>
    /// buffers instead of allocating a new result: the fast path for many stacks of one size.
    /// </summary>
    /// <param name="opticalDensity">The stack (see <see cref="Correlate"/>).</param>
    /// <param name="references">Reference spectra on the stack's energies.</param>
    /// <param name="mask">Optional mask of the same size; excluded pixels get <see cref="PixelStatus.Masked"/>.</param>
    /// <param name="destination">
    /// Buffers of the stack's width and height and the references' phase count; overwritten. After a failed or
    /// cancelled call its <see cref="CorrelationBuffers.HasResult"/> is <see langword="false"/> and its contents undefined.
    /// </param>
    /// <param name="cancellationToken">Cancels the operation; checked once per band of 16,384 pixels.</param>
    /// <exception cref="ArgumentNullException">An argument other than <paramref name="mask"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">
    /// A reference is constant, the mask size differs from the stack, or <paramref name="destination"/> was made for
    /// another size or phase count (the message gives both).
    /// </exception>
    /// <exception cref="IncompatibleEnergiesException">The reference energies differ from the stack energies.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public void CorrelateInto(SpectralStack opticalDensity, ReferenceSpectra references, PixelMask? mask,
        CorrelationBuffers destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        PreparedReferences prepared = Validate(opticalDensity, references, mask);
        if (destination.Width != opticalDensity.Width || destination.Height != opticalDensity.Height || destination.PhaseCount != prepared.PhaseCount)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture,
                    $"The buffers were made for {destination.Width}×{destination.Height} pixels and {destination.PhaseCount} phases, but the " +
                    $"stack is {opticalDensity.Width}×{opticalDensity.Height} and there are {prepared.PhaseCount} references."),
                nameof(destination));
        }

        destination.Invalidate();
        cancellationToken.ThrowIfCancellationRequested();
        PixelCounts counts = RunKernel(opticalDensity, prepared, mask, destination.Arrays, cancellationToken);
        destination.Complete(references.PhaseNames, Options.AmbiguityThreshold, counts);
    }

    /// <summary>
    /// Runs the vector kernel into internal buffers (validated by the caller; no result object) and counts the masked,
    /// invalid and ambiguous pixels of each band right after writing it, while its outputs are still in cache.
    /// </summary>
    /// <param name="opticalDensity">The stack (validated by the caller).</param>
    /// <param name="prepared">Prepared references on the stack's energies.</param>
    /// <param name="mask">Optional mask of the stack's size.</param>
    /// <param name="buffers">Outputs for the stack's pixel count and the references' phase count.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The counts over all pixels.</returns>
    internal PixelCounts RunKernel(SpectralStack opticalDensity, PreparedReferences prepared, PixelMask? mask,
        PearsonBuffers buffers, CancellationToken cancellationToken)
    {
        int n = opticalDensity.PixelCount;
        float threshold = PearsonMath.AmbiguityThresholdSingle(Options.AmbiguityThreshold);
        int vectorBits = PearsonKernel.ResolveVectorBits(Options.VectorBits);

        // Band b covers [head + b·B, head + (b + 1)·B), band 0 also the head pixels before the first pixel whose vector
        // loads are aligned (split cache-line loads measured 9 % slower on AVX2); a pixel's result does not depend on
        // its band, and the bands do not depend on the thread count.
        int head = Math.Min(PearsonKernel.AlignmentHead(vectorBits, opticalDensity.Data.Span), n);
        int bands = Math.Max(1, (int)(((long)n - head + PearsonKernel.BandPixels - 1) / PearsonKernel.BandPixels));
        int threads = Math.Min(Options.EffectiveDegreeOfParallelism, bands);

        var bandCounts = new PixelCounts[bands];

        void RunBand(int band)
        {
            int aligned = head + (band * PearsonKernel.BandPixels);
            int start = band == 0 ? 0 : aligned;
            int end = (int)Math.Min(head + ((band + 1L) * PearsonKernel.BandPixels), n);
            ReadOnlySpan<bool> maskValues = mask is null ? default : mask.AsSpan();
            ReadOnlySpan<float> data = opticalDensity.Data.Span;
            OutputSpans output = buffers.AsSpans();
            if (start < aligned)
            {
                PearsonKernel.Band(vectorBits, data, n, prepared, maskValues, threshold, output, start, aligned); // band 0's head
            }

            PearsonKernel.Band(vectorBits, data, n, prepared, maskValues, threshold, output, aligned, end);

            bandCounts[band] = buffers.Count(start, end);
        }

        if (threads <= 1)
        {
            for (int band = 0; band < bands; band++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                RunBand(band);
            }
        }
        else
        {
            var parallelOptions = new ParallelOptions { MaxDegreeOfParallelism = threads, CancellationToken = cancellationToken };
            Parallel.For(0, bands, parallelOptions, (band, state) =>
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    state.Stop();
                    return;
                }

                RunBand(band);
            });
        }

        cancellationToken.ThrowIfCancellationRequested();
        PixelCounts total = default;
        foreach (PixelCounts c in bandCounts)
        {
            total += c;
        }

        return total;
    }

    /// <summary>
    /// The scalar float64 reference implementation (one pixel at a time, single thread): the benchmark baseline and
    /// a sibling of the test oracle. Same validation and semantics as <see cref="Correlate"/>.
    /// </summary>
    /// <param name="opticalDensity">The stack.</param>
    /// <param name="references">References on the stack's energies.</param>
    /// <param name="mask">Optional mask.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The result.</returns>
    internal CorrelationResult CorrelateScalar(SpectralStack opticalDensity, ReferenceSpectra references, PixelMask? mask = null,
        CancellationToken cancellationToken = default)
    {
        PreparedReferences prepared = Validate(opticalDensity, references, mask);
        var buffers = new PearsonBuffers(opticalDensity.PixelCount, prepared.PhaseCount);
        ScalarPearson.Correlate(opticalDensity.Data.Span, opticalDensity.PixelCount, prepared, mask,
            PearsonMath.AmbiguityThresholdSingle(Options.AmbiguityThreshold), buffers.AsSpans(), cancellationToken);
        return buffers.ToResult(opticalDensity.Width, opticalDensity.Height, references.PhaseNames, Options.AmbiguityThreshold,
            buffers.Count(0, opticalDensity.PixelCount));
    }

    /// <summary>Checks the arguments and prepares the references.</summary>
    /// <param name="opticalDensity">The stack.</param>
    /// <param name="references">The references.</param>
    /// <param name="mask">Optional mask.</param>
    /// <returns>The prepared references.</returns>
    internal static PreparedReferences Validate(SpectralStack opticalDensity, ReferenceSpectra references, PixelMask? mask)
    {
        ArgumentNullException.ThrowIfNull(opticalDensity);
        ArgumentNullException.ThrowIfNull(references);
        opticalDensity.Energies.EnsureMatches(references.Energies, "the stack", "the references",
            remedy: "Resample the references first with references.ResampleTo(stack.Energies).");

        if (mask is not null && (mask.Width != opticalDensity.Width || mask.Height != opticalDensity.Height))
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture,
                    $"The mask is {mask.Width}×{mask.Height} pixels but the stack is {opticalDensity.Width}×{opticalDensity.Height}."),
                nameof(mask));
        }

        return PreparedReferences.Create(references);
    }
}
