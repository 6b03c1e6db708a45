using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace StxmPhase.Spectra;

/// <summary>
/// Beer–Lambert optical density, OD = −ln(I / I0) = ln(I0 / I): a span kernel and a stack-level conversion of a
/// transmission <see cref="SpectralStack"/> with I0 given per energy, per pixel, from a sample-free region or estimated
/// automatically.
/// </summary>
/// <example>
/// <code>
/// OpticalDensityResult od = OpticalDensity.FromTransmission(transmissionStack);        // auto I0
/// SpectralStack odStack = od.OpticalDensity;                                         // Quantity = OpticalDensity
/// PixelMask valid = od.ValidMask;                                                    // skip the rest downstream
/// </code>
/// </example>
public static class OpticalDensity
{
    /// <summary>
    /// Computes <c>destination[i] = ln(i0[i] / intensity[i])</c> for each element.
    /// </summary>
    /// <param name="intensity">Transmitted intensity I (counts or count rate).</param>
    /// <param name="i0">Incident intensity I0, same length and units as <paramref name="intensity"/>.</param>
    /// <param name="destination">Receives the optical density; may be the same span as <paramref name="intensity"/> or
    /// <paramref name="i0"/> (in place) but must not partially overlap them.</param>
    /// <returns>The number of invalid elements (I ≤ 0, I0 ≤ 0, a non-finite input, or a non-finite ratio), each written as 0.</returns>
    /// <exception cref="ArgumentException">The input lengths differ, <paramref name="destination"/> is too short, or it partially overlaps an
    /// input.</exception>
    /// <remarks>
    /// <para>Scalar formula: OD = −ln(I / I0) = ln(I0 / I), natural logarithm, dimensionless.</para>
    /// <para>
    /// An element is invalid when I ≤ 0, I0 ≤ 0, either is NaN or ±∞, or I0 / I overflows; its OD is written as 0 (never
    /// NaN) and counted. Small negative OD (I slightly above I0 because of counting noise) is kept as is.
    /// </para>
    /// <para>Vectorised with <see cref="Vector{T}"/> (log, compare and select per lane); the tail is handled by a scalar
    /// loop that applies the same rule, so both paths agree within float rounding of the logarithm.</para>
    /// </remarks>
    public static int FromTransmission(ReadOnlySpan<float> intensity, ReadOnlySpan<float> i0, Span<float> destination)
    {
        if (intensity.Length != i0.Length)
        {
            throw new ArgumentException("Input span arguments must all have the same length.", nameof(i0));
        }

        return Kernel(intensity, i0, 0f, false, destination, default);
    }

    /// <summary>Computes <c>destination[i] = ln(i0 / intensity[i])</c> with one I0 for all elements (one energy plane).</summary>
    /// <param name="intensity">Transmitted intensity I.</param>
    /// <param name="i0">The incident intensity I0 of this plane.</param>
    /// <param name="destination">Receives the optical density; may be the same span as <paramref name="intensity"/>.</param>
    /// <returns>The number of invalid elements, each written as 0.</returns>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is too short or partially overlaps
    /// <paramref name="intensity"/>.</exception>
    /// <remarks>Same rule as <see cref="FromTransmission(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float})"/>;
    /// when <paramref name="i0"/> itself is ≤ 0 or not finite every element is invalid.</remarks>
    public static int FromTransmission(ReadOnlySpan<float> intensity, float i0, Span<float> destination) =>
        Kernel(intensity, default, i0, true, destination, default);

    /// <summary>
    /// Converts a transmission stack to optical density, with I0 taken from <see cref="OpticalDensityOptions.I0"/>
    /// (default: estimated automatically from the brightest, sample-free pixels).
    /// </summary>
    /// <param name="transmission">A stack of transmitted intensities (<see cref="SpectralQuantity.Transmission"/> or
    /// <see cref="SpectralQuantity.Transmittance"/>).</param>
    /// <param name="options">I0 source, normalisation factors and parallelism; <see langword="null"/> for the defaults.</param>
    /// <param name="cancellationToken">Cancels between energy planes.</param>
    /// <returns>The OD stack, the I0 used, the sample-free mask (when one was used) and the valid-pixel mask.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="transmission"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The stack is already optical density; an I0 spectrum, I0 image stack,
    /// sample-free mask or normalisation array does not match the stack (the message names both sizes); a normalisation
    /// factor is not finite and positive (the message names the index and value); or the sample-free mask is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="OpticalDensityOptions.MaxDegreeOfParallelism"/> is 0 or below −1; the
    /// message names the option and the value.</exception>
    /// <exception cref="IncompatibleEnergiesException">An I0 spectrum given on its own energy axis does not cover a stack energy.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <remarks>
    /// <para>Per pixel p and energy e: I'(p,e) = I(p,e) / f(e), where f is <see cref="OpticalDensityOptions.NormalizationFactors"/>
    /// (e.g. dwell time × ring current; f = 1 when absent), then OD(p,e) = ln(I0(p,e) / I'(p,e)).</para>
    /// <para>I0 is a per-energy spectrum (given, estimated from a sample-free region in the normalised stack, or
    /// estimated automatically by <see cref="I0Estimator.Estimate(SpectralStack, I0EstimationOptions?)"/>) or a per-pixel
    /// image stack. Because an estimated I0 comes from the same normalised frames, the normalisation cancels for it; it
    /// matters when I0 is supplied from a separate measurement, which must then already be in the same normalised units.</para>
    /// <para>A pixel is invalid when, at any energy, I' ≤ 0, I0 ≤ 0, or a value is non-finite. Invalid entries get OD 0
    /// (never NaN), the pixel is excluded from <see cref="OpticalDensityResult.ValidMask"/> and counted. Negative OD from
    /// noise is kept. Metadata is carried over. Complexity O(E · W · H).</para>
    /// </remarks>
    public static OpticalDensityResult FromTransmission(SpectralStack transmission, OpticalDensityOptions? options = null,
        CancellationToken cancellationToken = default) =>
        Convert(transmission, options, inPlace: false, cancellationToken);

    /// <summary>
    /// Converts like <see cref="FromTransmission(SpectralStack, OpticalDensityOptions?, CancellationToken)"/>, but writes
    /// the optical density over <paramref name="transmission"/>'s own data instead of allocating a second stack: for a
    /// stack the caller no longer needs as transmission (one stack's worth of memory less, 4 bytes per pixel and energy).
    /// </summary>
    /// <param name="transmission">A transmission or transmittance stack that this call consumes.</param>
    /// <param name="options">I0 source, normalisation factors and parallelism; <see langword="null"/> for the defaults.</param>
    /// <param name="cancellationToken">Cancels between energy planes.</param>
    /// <returns>
    /// As <see cref="FromTransmission(SpectralStack, OpticalDensityOptions?, CancellationToken)"/>; the returned
    /// <see cref="OpticalDensityResult.OpticalDensity"/> shares <paramref name="transmission"/>'s memory.
    /// </returns>
    /// <exception cref="ArgumentNullException"><paramref name="transmission"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">As for <see cref="FromTransmission(SpectralStack, OpticalDensityOptions?, CancellationToken)"/>; thrown
    /// before any value is changed.</exception>
    /// <exception cref="IncompatibleEnergiesException">An I0 spectrum does not cover a stack energy; thrown before any value is changed.</exception>
    /// <exception cref="InvalidStackContentException">No sample-free region can be found to estimate I0.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <remarks>
    /// After the call <paramref name="transmission"/> holds optical density although its
    /// <see cref="SpectralStack.Quantity"/> still says transmission: use only the returned stack. If the call throws
    /// after the conversion began (I0 estimation on a stack with <see cref="OpticalDensityOptions.NormalizationFactors"/>,
    /// or cancellation), the values in <paramref name="transmission"/> are unspecified.
    /// </remarks>
    public static OpticalDensityResult FromTransmissionInPlace(SpectralStack transmission, OpticalDensityOptions? options = null,
        CancellationToken cancellationToken = default) =>
        Convert(transmission, options, inPlace: true, cancellationToken);

    private static OpticalDensityResult Convert(SpectralStack transmission, OpticalDensityOptions? options, bool inPlace,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transmission);
        options ??= OpticalDensityOptions.Default;
        Parallelism.ThrowIfInvalid(options.MaxDegreeOfParallelism, nameof(options), "OpticalDensityOptions.MaxDegreeOfParallelism");
        if (transmission.Quantity == SpectralQuantity.OpticalDensity)
        {
            throw new ArgumentException(
                $"The stack already holds optical density (Quantity = {transmission.Quantity}); pass a transmission stack.",
                nameof(transmission));
        }

        int energies = transmission.EnergyCount;
        int n = transmission.PixelCount;
        I0Source source = options.I0;
        source.Validate(transmission, nameof(options));
        double[]? factors = options.NormalizationFactors is { } f ? ValidateFactors(f, energies, nameof(options)) : null;

        // Work buffer: the normalised transmission, later overwritten in place by the OD (the stack's own data in place).
        Memory<float> od = inPlace ? transmission.Data : new float[(long)energies * n];
        ReadOnlySpan<float> src = transmission.Data.Span;
        if (factors is null)
        {
            if (!inPlace)
            {
                src.CopyTo(od.Span);
            }
        }
        else
        {
            for (int e = 0; e < energies; e++)
            {
                System.Numerics.Tensors.TensorPrimitives.Multiply(src.Slice(e * n, n), (float)(1.0 / factors[e]), od.Span.Slice(e * n, n));
            }
        }

        var normalised = new SpectralStack(transmission.Energies, transmission.Width, transmission.Height, od,
            SpectralQuantity.Transmission, transmission.Metadata);

        double[] i0Spectrum;
        PixelMask? sampleFree = null;
        double threshold = double.NaN;
        ReadOnlyMemory<float> i0Images = default;

        // The conversion's thread limit also bounds the I0 estimate, unless its own options set one.
        I0EstimationOptions? estimation = source.EstimationOptions;
        if (options.MaxDegreeOfParallelism != -1 && (estimation?.MaxDegreeOfParallelism ?? -1) == -1)
        {
            estimation = (estimation ?? I0EstimationOptions.Default).WithMaxDegreeOfParallelism(options.MaxDegreeOfParallelism);
        }

        switch (source.Kind)
        {
            case I0SourceKind.Spectrum:
                i0Spectrum = source.SpectrumOn(transmission.Energies);
                break;
            case I0SourceKind.Images:
                i0Images = source.Images!.Data;
                i0Spectrum = MeanValidPerPlane(source.Images!.Data.Span, energies, n);
                break;
            case I0SourceKind.Region:
                {
                    I0Estimate est = I0Estimator.FromRegion(normalised, source.Region!, estimation);
                    i0Spectrum = [.. est.I0];
                    sampleFree = est.SampleFreeMask;
                    break;
                }

            default:
                {
                    I0Estimate est = I0Estimator.Estimate(normalised, estimation);
                    i0Spectrum = [.. est.I0];
                    sampleFree = est.SampleFreeMask;
                    threshold = est.Threshold;
                    break;
                }
        }

        cancellationToken.ThrowIfCancellationRequested();
        bool[] valid = new bool[n];
        valid.AsSpan().Fill(true);
        int[] invalidPerPlane = new int[energies];
        int dop = options.MaxDegreeOfParallelism;
        Parallel.For(0, energies, new ParallelOptions { MaxDegreeOfParallelism = dop, CancellationToken = cancellationToken }, e =>
        {
            Span<float> plane = od.Span.Slice(e * n, n);
            invalidPerPlane[e] = i0Images.IsEmpty
                ? Kernel(plane, default, (float)i0Spectrum[e], true, plane, valid)
                : Kernel(plane, i0Images.Span.Slice(e * n, n), 0f, false, plane, valid);
        });

        int invalidPixels = 0;
        foreach (bool v in valid)
        {
            if (!v)
            {
                invalidPixels++;
            }
        }

        long invalidValues = 0;
        foreach (int c in invalidPerPlane)
        {
            invalidValues += c;
        }

        var odStack = new SpectralStack(transmission.Energies, transmission.Width, transmission.Height, od,
            SpectralQuantity.OpticalDensity, transmission.Metadata);
        return new OpticalDensityResult(odStack, i0Spectrum, sampleFree, threshold,
            PixelMask.FromArray(transmission.Width, transmission.Height, valid), invalidPixels, invalidValues);
    }

    /// <summary>Shared kernel. When <paramref name="valid"/> is not empty, invalid elements clear their flag (never set it).</summary>
    private static int Kernel(ReadOnlySpan<float> intensity, ReadOnlySpan<float> i0Span, float i0Scalar, bool scalarI0,
        Span<float> destination, Span<bool> valid)
    {
        if (destination.Length < intensity.Length)
        {
            ThrowHelper.DestinationTooShort();
        }

        destination = destination[..intensity.Length];
        if (intensity.Overlaps(destination, out int offset) && offset != 0)
        {
            throw new ArgumentException("The destination span partially overlaps an input span.", nameof(destination));
        }

        if (!scalarI0 && i0Span.Overlaps(destination, out offset) && offset != 0)
        {
            throw new ArgumentException("The destination span partially overlaps an input span.", nameof(destination));
        }

        int length = intensity.Length;
        int invalid = 0;
        int i = 0;

        // Vector path: each lane holds one element. ok = (I > 0) & (I0 > 0) & (I < ∞) & (I0 < ∞) & (|ln| < ∞);
        // NaN fails every comparison, so NaN inputs are invalid without an explicit test. Invalid lanes are selected to 0.
        // Inputs are loaded before the store, so exact aliasing (in place) is safe.
        if (Vector.IsHardwareAccelerated && length >= Vector<float>.Count)
        {
            Vector<float> zero = Vector<float>.Zero;
            var inf = new Vector<float>(float.PositiveInfinity);
            var i0Broadcast = new Vector<float>(i0Scalar);
            ref float iRef = ref MemoryMarshal.GetReference(intensity);
            ref float i0Ref = ref MemoryMarshal.GetReference(i0Span);
            ref float dRef = ref MemoryMarshal.GetReference(destination);
            int last = length - Vector<float>.Count;
            for (; i <= last; i += Vector<float>.Count)
            {
                Vector<float> x = Vector.LoadUnsafe(ref iRef, (nuint)i);
                Vector<float> x0 = scalarI0 ? i0Broadcast : Vector.LoadUnsafe(ref i0Ref, (nuint)i);
                Vector<float> ln = Vector.Log(x0 / x);
                Vector<int> ok = Vector.GreaterThan(x, zero) & Vector.GreaterThan(x0, zero)
                    & Vector.LessThan(x, inf) & Vector.LessThan(x0, inf) & Vector.LessThan(Vector.Abs(ln), inf);
                Vector.ConditionalSelect(ok, ln, zero).StoreUnsafe(ref dRef, (nuint)i);
                if (!Vector.EqualsAll(ok, new Vector<int>(-1)))
                {
                    for (int k = 0; k < Vector<float>.Count; k++)
                    {
                        if (ok[k] == 0)
                        {
                            invalid++;
                            if (!valid.IsEmpty)
                            {
                                valid[i + k] = false;
                            }
                        }
                    }
                }
            }
        }

        for (; i < length; i++)
        {
            float x = intensity[i];
            float x0 = scalarI0 ? i0Scalar : i0Span[i];
            float ln = MathF.Log(x0 / x);
            if (x > 0 && x0 > 0 && x < float.PositiveInfinity && x0 < float.PositiveInfinity && MathF.Abs(ln) < float.PositiveInfinity)
            {
                destination[i] = ln;
            }
            else
            {
                destination[i] = 0f;
                invalid++;
                if (!valid.IsEmpty)
                {
                    valid[i] = false;
                }
            }
        }

        return invalid;
    }

    private static double[] ValidateFactors(IReadOnlyList<double> factors, int energies, string paramName)
    {
        if (factors.Count != energies)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture,
                    $"NormalizationFactors must hold one value per energy ({energies}); got {factors.Count}."),
                paramName);
        }

        double[] result = new double[energies];
        for (int e = 0; e < energies; e++)
        {
            double v = factors[e];
            if (!double.IsFinite(v) || v <= 0)
            {
                throw new ArgumentException(
                    string.Create(CultureInfo.InvariantCulture,
                        $"NormalizationFactors must be finite and positive; value at index {e} is {v}."),
                    paramName);
            }

            result[e] = v;
        }

        return result;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static double[] MeanValidPerPlane(ReadOnlySpan<float> data, int energies, int n)
    {
        double[] mean = new double[energies];
        for (int e = 0; e < energies; e++)
        {
            ReadOnlySpan<float> plane = data.Slice(e * n, n);
            double sum = 0;
            int count = 0;
            foreach (float v in plane)
            {
                if (v > 0 && float.IsFinite(v))
                {
                    sum += v;
                    count++;
                }
            }

            mean[e] = count > 0 ? sum / count : double.NaN;
        }

        return mean;
    }
}
