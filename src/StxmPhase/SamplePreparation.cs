using Microsoft.Extensions.Logging;
using StxmPhase.Spectra;

namespace StxmPhase;

/// <summary>
/// The first stage of the workflow on its own: optical density and sample mask for one input, for callers that run a
/// different method (e.g. linear-combination fitting or NMF) on the same prepared data.
/// </summary>
public static class SamplePreparation
{
    /// <summary>
    /// The references as the workflow would use them on prepared stacks: the energy offset of
    /// <see cref="PhaseMappingOptions.EnergyOffset"/> (estimated from the sample pixels of all stacks together in mode Auto) and
    /// the reference broadening applied, resampled to the stacks' energies. For methods outside the workflow (LCF, NMF).
    /// </summary>
    /// <param name="prepared">The prepared stacks (<see cref="Prepare"/>), all on the same energies.</param>
    /// <param name="references">The references.</param>
    /// <param name="options">Workflow options (the energy offset and reference broadening are used).</param>
    /// <param name="logger">Optional logger (warnings about large or unreliable offsets).</param>
    /// <param name="cancellationToken">Cancels the estimate.</param>
    /// <returns>What was applied, with the references on the stack energies.</returns>
    /// <exception cref="ArgumentException">No stack is given.</exception>
    /// <exception cref="IncompatibleEnergiesException">The stacks differ in energies, or the references do not cover them.</exception>
    public static EnergyCalibrationReport CalibrateReferences(
        IReadOnlyList<PreparedInput> prepared, ReferenceSpectra references, PhaseMappingOptions options, ILogger? logger = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prepared);
        ArgumentNullException.ThrowIfNull(references);
        ArgumentNullException.ThrowIfNull(options);
        if (prepared.Count == 0)
        {
            throw new ArgumentException("At least one prepared stack is required.", nameof(prepared));
        }

        return EnergyCalibrationStage.Calibrate([.. prepared.Select(p => p.OpticalDensity)], [.. prepared.Select(p => (PixelMask?)p.SampleMask)],
            references, options, logger ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, cancellationToken,
            NoiseContext.Of(prepared));
    }

    /// <summary>
    /// Converts a transmission stack to optical density (automatic I0 from the sample-free region; a transmittance stack
    /// uses I0 = 1; in the stack's own memory when <see cref="PhaseMappingInput.ReuseStackMemory"/> is set or the stack was
    /// aligned into a new buffer) and builds the sample mask: the automatic particle mask with
    /// <see cref="PhaseMappingOptions.ParticleMask"/> (when <paramref name="options"/> says <see cref="MaskMode.Auto"/>) ∧ the
    /// caller mask ∧ the pixels where OD is defined. With the automatic mask, pixels whose OD spectrum holds NaN or ±∞ stay
    /// in the mask so that correlation counts them as invalid, not as background. For a fused multi-edge input
    /// (<see cref="PhaseMappingInput.Blocks"/>) the automatic mask comes from the first edge's block alone.
    /// </summary>
    /// <param name="input">The input stack and optional caller mask.</param>
    /// <param name="options">Workflow options (<see cref="PhaseMappingOptions.Mask"/>, <see cref="PhaseMappingOptions.ParticleMask"/>,
    /// <see cref="PhaseMappingOptions.Alignment"/> and <see cref="PhaseMappingOptions.Threads"/> are used).</param>
    /// <param name="logger">Optional logger.</param>
    /// <param name="cancellationToken">Cancels the conversion.</param>
    /// <returns>The optical density, the sample mask and the count of pixels whose OD is undefined.</returns>
    /// <exception cref="InvalidStackContentException">No sample-free region can be found to estimate I0.</exception>
    public static PreparedInput Prepare(
        PhaseMappingInput input, PhaseMappingOptions options, ILogger? logger = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(options);
        logger ??= Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
        SpectralStack stack = input.Stack;
        PixelMask? callerMask = input.Mask;
        IReadOnlyList<ImageShift>? shifts = null;
        bool ownsStack = input.ReuseStackMemory;
        if (options.Alignment is not null)
        {
            StackAlignmentResult aligned = StackAligner.Align(stack, options.Alignment, null, cancellationToken);
            stack = aligned.Aligned;
            ownsStack = true; // the aligned stack is a new buffer of our own
            shifts = aligned.Shifts;
            if (callerMask is not null)
            {
                callerMask = Crop(callerMask, aligned.CropX, aligned.CropY, stack.Width, stack.Height);
            }
        }

        SpectralStack od;
        PixelMask? defined = null;
        int undefined = 0;
        IReadOnlyList<double>? counts = null;
        if (stack.Quantity == SpectralQuantity.OpticalDensity)
        {
            od = stack;
        }
        else
        {
            int threads = ProcessorBudget.Resolve(options.Threads);
            OpticalDensityOptions odOptions = stack.Quantity == SpectralQuantity.Transmittance
                ? new OpticalDensityOptions
                {
                    I0 = I0Source.FromSpectrum(Enumerable.Repeat(1.0, stack.EnergyCount).ToArray()), MaxDegreeOfParallelism = threads,
                }
                : new OpticalDensityOptions { MaxDegreeOfParallelism = threads };
            OpticalDensityResult r = ownsStack
                ? OpticalDensity.FromTransmissionInPlace(stack, odOptions, cancellationToken)
                : OpticalDensity.FromTransmission(stack, odOptions, cancellationToken);
            od = r.OpticalDensity;
            defined = r.ValidMask;
            counts = stack.Quantity == SpectralQuantity.Transmission ? r.I0 : null;
            undefined = r.InvalidPixelCount;
            string quantity = stack.Quantity.ToString();
            double i0Min = r.I0.Min(), i0Max = r.I0.Max();
            Log.OpticalDensityDone(logger, input.Name, quantity, i0Min, i0Max, undefined);
        }

        PixelMask? sample = callerMask;
        if (defined is not null)
        {
            sample = sample is null ? defined : sample.And(defined);
        }

        ParticleMaskResult? particles = null;
        if (options.Mask == MaskMode.Auto)
        {
            // A fused multi-edge stack: the mask from the first edge, which defines the grid and covers every pixel (a further
            // edge's block is NaN where its shifted image did not reach, and would drop those pixels from an all-energy sum).
            SpectralStack maskData = input.Blocks is { Count: > 1 } blocks
                ? new SpectralStack(blocks.BlockEnergies(od.Energies, 0), od.Width, od.Height,
                    od.Data[..(blocks.Counts[0] * od.PixelCount)], od.Quantity, od.Metadata)
                : od;
            particles = ParticleMask.Compute(maskData, options.ParticleMask, sample);
            Log.ParticleMaskDone(logger, input.Name, particles.Threshold, particles.Mask.Count, od.PixelCount);
            sample = WithNonFinitePixels(particles.Mask, maskData, sample);
        }

        return new PreparedInput(od, sample ?? PixelMask.Uniform(od.Width, od.Height), undefined, shifts)
        {
            Particles = particles, IncidentCounts = counts,
        };
    }

    /// <summary>
    /// Adds to the particle mask the included pixels whose spectrum holds NaN or ±∞: the Otsu mask cannot classify them,
    /// and leaving them out would count them as background; kept in, correlation counts them as invalid.
    /// </summary>
    private static PixelMask WithNonFinitePixels(PixelMask particles, SpectralStack od, PixelMask? include)
    {
        int n = od.PixelCount;
        bool[]? values = null;
        ReadOnlySpan<bool> inc = include is null ? default : include.AsSpan();
        for (int e = 0; e < od.EnergyCount; e++)
        {
            ReadOnlySpan<float> plane = od.Plane(e);
            for (int p = 0; p < n; p++)
            {
                if (!float.IsFinite(plane[p]) && (include is null || inc[p]))
                {
                    values ??= particles.AsSpan().ToArray();
                    values[p] = true;
                }
            }
        }

        return values is null ? particles : PixelMask.FromArray(od.Width, od.Height, values);
    }

    private static PixelMask Crop(PixelMask mask, int x0, int y0, int width, int height)
    {
        bool[] values = new bool[width * height];
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                values[(y * width) + x] = mask[x + x0, y + y0];
            }
        }

        return PixelMask.FromArray(width, height, values);
    }
}

/// <summary>The optical density, sample mask and count of pixels with undefined OD of one input.</summary>
/// <param name="OpticalDensity">The optical-density stack (the input itself when it already was OD).</param>
/// <param name="SampleMask">The pixels to analyse.</param>
/// <param name="UndefinedCount">Pixels whose OD is undefined (I ≤ 0, I0 ≤ 0 or non-finite at some energy); excluded.</param>
/// <param name="AlignmentShifts">The shift of each energy image when alignment was requested, else <see langword="null"/>.</param>
public readonly record struct PreparedInput(
    SpectralStack OpticalDensity, PixelMask SampleMask, int UndefinedCount, IReadOnlyList<ImageShift>? AlignmentShifts)
{
    /// <summary>Gets the automatic particle mask with its thresholds and noise estimate, or <see langword="null"/> when
    /// <see cref="MaskMode.None"/> was requested.</summary>
    public ParticleMaskResult? Particles { get; init; }

    /// <summary>Gets the incident counts per pixel and energy (the I0 used) when the input was transmission counts, else
    /// <see langword="null"/>: the noise model's N₀ (<see cref="StxmPhase.Correlation.NoiseModelOptions.IncidentCounts"/>).</summary>
    public IReadOnlyList<double>? IncidentCounts { get; init; }
}
