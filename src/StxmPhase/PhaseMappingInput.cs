using StxmPhase.Spectra;

namespace StxmPhase;

/// <summary>One stack given to <see cref="PhaseMappingWorkflow"/>.</summary>
public sealed class PhaseMappingInput
{
    /// <summary>Initializes an input.</summary>
    /// <param name="stack">An optical-density stack, or a transmission stack (converted with an automatic I0).</param>
    /// <param name="name">A name for reports and output folders (default: the stack's metadata name, or "stack N").</param>
    /// <param name="mask">An optional caller mask of pixels to analyse (intersected with the automatic mask).</param>
    /// <exception cref="ArgumentNullException"><paramref name="stack"/> is <see langword="null"/>.</exception>
    /// <exception cref="IncompatibleInputException">The mask size differs from the stack size.</exception>
    public PhaseMappingInput(SpectralStack stack, string? name = null, PixelMask? mask = null)
    {
        ArgumentNullException.ThrowIfNull(stack);
        if (mask is not null && (mask.Width != stack.Width || mask.Height != stack.Height))
        {
            throw new IncompatibleInputException(
                $"The mask is {mask.Width}×{mask.Height} pixels but the stack '{name ?? stack.Metadata.Name}' is {stack.Width}×{stack.Height}.");
        }

        Stack = stack;
        Name = name ?? stack.Metadata.Name;
        Mask = mask;
    }

    /// <summary>Gets the stack.</summary>
    public SpectralStack Stack { get; }

    /// <summary>Gets the name, or <see langword="null"/> when none was given.</summary>
    public string? Name { get; }

    /// <summary>Gets the caller mask, if any.</summary>
    public PixelMask? Mask { get; }

    /// <summary>
    /// Gets a value indicating whether the workflow may convert a transmission <see cref="Stack"/> to optical density
    /// in the stack's own memory instead of allocating a second stack (4 bytes per pixel and energy less; see
    /// <see cref="OpticalDensity.FromTransmissionInPlace"/>). Set it when the stack is not needed as transmission
    /// afterwards, e.g. when it was just read from a file. Default <see langword="false"/>: the stack is left unchanged.
    /// </summary>
    /// <remarks>
    /// When set, after the run the stack's values are optical density (its <see cref="SpectralStack.Quantity"/> still
    /// says transmission) and <see cref="PhaseMappingResult.OpticalDensity"/> shares its memory; if the run fails during
    /// the conversion, its values are unspecified. An optical-density stack is never modified.
    /// </remarks>
    public bool ReuseStackMemory { get; init; }

    /// <summary>
    /// Gets the edge blocks of a fused multi-edge stack (<see cref="EdgeFusion.Fuse"/>), or <see langword="null"/> for a
    /// single-edge stack. With blocks and the default correlator, the correlation stage is
    /// <see cref="Correlation.BlockPearsonCorrelator"/> (each edge normalised on its own, combined with the block weights);
    /// the noise-model posteriors use the concatenated spectrum, every energy with its own Poisson variance (one thickness
    /// for all edges of a pixel). The references must cover the fused energies.
    /// </summary>
    public SpectralBlocks? Blocks { get; init; }
}
