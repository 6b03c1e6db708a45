using StxmPhase.Spectra;

namespace StxmPhase;

/// <summary>The spectra a latent encoder is trained on: every valid pixel of every stack of a workflow run.</summary>
public sealed class LatentTrainingData
{
    private readonly SpectralBlocks? _blocks;

    /// <summary>Initializes the training data.</summary>
    /// <param name="spectra">Pixel-major rows of <c>energies.Count</c> floats (optical density).</param>
    /// <param name="count">The number of spectra.</param>
    /// <param name="energies">The energy axis of every row.</param>
    /// <param name="labels">Optional PCC phase label per spectrum (−1 = none), used for stratified subsampling.</param>
    /// <param name="seed">The seed of the workflow run.</param>
    /// <exception cref="ArgumentException">The lengths do not match.</exception>
    public LatentTrainingData(ReadOnlyMemory<float> spectra, int count, EnergyAxis energies, ReadOnlyMemory<int> labels, int seed)
    {
        ArgumentNullException.ThrowIfNull(energies);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (spectra.Length != (long)count * energies.Count)
        {
            throw new ArgumentException($"Expected {count} × {energies.Count} values but got {spectra.Length}.", nameof(spectra));
        }

        if (!labels.IsEmpty && labels.Length != count)
        {
            throw new ArgumentException($"Expected {count} labels but got {labels.Length}.", nameof(labels));
        }

        Spectra = spectra;
        Count = count;
        Energies = energies;
        Labels = labels;
        Seed = seed;
    }

    /// <summary>Gets the pixel-major spectra.</summary>
    public ReadOnlyMemory<float> Spectra { get; }

    /// <summary>Gets the number of spectra.</summary>
    public int Count { get; }

    /// <summary>Gets the energy axis.</summary>
    public EnergyAxis Energies { get; }

    /// <summary>Gets the PCC label per spectrum (may be empty).</summary>
    public ReadOnlyMemory<int> Labels { get; }

    /// <summary>Gets the seed of the run.</summary>
    public int Seed { get; }

    /// <summary>
    /// Gets the spectral blocks of a fused multi-edge input (<see cref="PhaseMappingInput.Blocks"/>), or <see langword="null"/>
    /// for one block. A trainer should normalise each block on its own and weight it (as <see cref="BlockNormalization"/> does),
    /// inside the encoder it returns, so that every spectrum it encodes later — pixels and references — gets the same transform.
    /// </summary>
    /// <exception cref="IncompatibleEnergiesException">The blocks do not cover the energy axis (when set).</exception>
    public SpectralBlocks? Blocks
    {
        get => _blocks;
        init
        {
            value?.EnsureMatches(Energies.Count, "the training spectra");
            _blocks = value;
        }
    }
}
