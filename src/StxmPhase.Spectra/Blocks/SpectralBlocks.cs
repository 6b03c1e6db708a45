using System.Globalization;

namespace StxmPhase.Spectra;

/// <summary>
/// The partition of a concatenated energy axis into blocks, one per absorption edge (e.g. V L<sub>2,3</sub> then O K), each
/// with a name and a weight. Stages that compare spectra normalise each block on its own and combine the blocks with the
/// weights (e.g. the block Pearson correlator: Σ<sub>b</sub> w<sub>b</sub>·r<sub>b</sub>). Immutable.
/// </summary>
/// <remarks>
/// <see cref="WeightSource"/> says where the weights come from. The correlation stage and the latent model use them either
/// way; the noise model's χ² already weights every energy by its noise, so it tempers its per-block χ² terms only with
/// <see cref="BlockWeightSource.User"/> weights (see <c>NoiseModelOptions.WithBlocks</c>).
/// </remarks>
public sealed class SpectralBlocks
{
    private readonly string[] _names;
    private readonly int[] _starts;
    private readonly int[] _counts;
    private readonly double[] _weights;

    /// <summary>Initializes the blocks.</summary>
    /// <param name="names">One name per block.</param>
    /// <param name="counts">The number of energies of each block, in axis order (each at least 2).</param>
    /// <param name="weights">One weight per block (finite, not negative, not all 0); normalised to sum 1. <see langword="null"/>
    /// for equal weights.</param>
    /// <exception cref="ArgumentNullException"><paramref name="names"/> or <paramref name="counts"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The lists differ in length or are empty, a count is below 2 or a weight is invalid
    /// (the message names the block, index and value).</exception>
    public SpectralBlocks(IReadOnlyList<string> names, IReadOnlyList<int> counts, IReadOnlyList<double>? weights = null)
    {
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(counts);
        if (names.Count == 0 || names.Count != counts.Count)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"SpectralBlocks needs one name per block count; got {names.Count} names and {counts.Count} counts."), nameof(counts));
        }

        _names = [.. names];
        _counts = [.. counts];
        _starts = new int[_counts.Length];
        for (int b = 0; b < _counts.Length; b++)
        {
            if (_counts[b] < 2)
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                    $"Block {b} ({_names[b]}) has {_counts[b]} energies; every block needs at least 2."), nameof(counts));
            }

            _starts[b] = b == 0 ? 0 : _starts[b - 1] + _counts[b - 1];
        }

        EnergyCount = _starts[^1] + _counts[^1];
        _weights = Normalise(weights ?? Enumerable.Repeat(1.0, _counts.Length).ToArray(), _names);
    }

    private SpectralBlocks(SpectralBlocks blocks, IReadOnlyList<double> weights, BlockWeightSource source)
        : this(blocks._names, blocks._counts, weights)
    {
        if (!Enum.IsDefined(source))
        {
            throw new ArgumentOutOfRangeException(nameof(source), source, "Unknown BlockWeightSource.");
        }

        WeightSource = source;
    }

    /// <summary>Gets the number of blocks.</summary>
    public int Count => _counts.Length;

    /// <summary>Gets the total number of energies.</summary>
    public int EnergyCount { get; }

    /// <summary>Gets the block names.</summary>
    public IReadOnlyList<string> Names => _names;

    /// <summary>Gets the index of the first energy of each block.</summary>
    public IReadOnlyList<int> Starts => _starts;

    /// <summary>Gets the number of energies of each block.</summary>
    public IReadOnlyList<int> Counts => _counts;

    /// <summary>Gets the weight of each block (sum 1).</summary>
    public IReadOnlyList<double> Weights => _weights;

    /// <summary>Gets where <see cref="Weights"/> come from: <see cref="BlockWeightSource.User"/> (the default, also for the
    /// equal weights of a <see langword="null"/> list) or <see cref="BlockWeightSource.Noise"/> (<c>EdgeFusion.NoiseWeights</c>).</summary>
    public BlockWeightSource WeightSource { get; } = BlockWeightSource.User;

    /// <summary>Returns the same blocks with other, user-given weights (<see cref="BlockWeightSource.User"/>).</summary>
    /// <param name="weights">One weight per block (finite, not negative, not all 0); normalised to sum 1.</param>
    /// <returns>The reweighted blocks.</returns>
    /// <exception cref="ArgumentException">The count differs from <see cref="Count"/>, or a weight is invalid.</exception>
    public SpectralBlocks WithWeights(IReadOnlyList<double> weights) => new(this, weights, BlockWeightSource.User);

    /// <summary>Returns the same blocks with other weights from <paramref name="source"/>.</summary>
    /// <param name="weights">One weight per block (finite, not negative, not all 0); normalised to sum 1.</param>
    /// <param name="source">Where the weights come from.</param>
    /// <returns>The reweighted blocks.</returns>
    /// <exception cref="ArgumentException">The count differs from <see cref="Count"/>, or a weight is invalid.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="source"/> is not a defined value.</exception>
    public SpectralBlocks WithWeights(IReadOnlyList<double> weights, BlockWeightSource source) => new(this, weights, source);

    /// <summary>Returns the energies of block <paramref name="block"/> from an axis of <see cref="EnergyCount"/> energies.</summary>
    /// <param name="energies">The concatenated axis.</param>
    /// <param name="block">The block index.</param>
    /// <returns>The block's energies.</returns>
    /// <exception cref="IncompatibleEnergiesException">The axis does not have <see cref="EnergyCount"/> energies.</exception>
    public EnergyAxis BlockEnergies(EnergyAxis energies, int block)
    {
        ArgumentNullException.ThrowIfNull(energies);
        EnsureMatches(energies.Count, "the energy axis");
        return new EnergyAxis(energies.AsSpan().Slice(_starts[block], _counts[block]));
    }

    /// <summary>Throws when <paramref name="energyCount"/> differs from <see cref="EnergyCount"/>.</summary>
    /// <param name="energyCount">The number of energies of a stack or reference table.</param>
    /// <param name="what">What has them, for the message.</param>
    /// <exception cref="IncompatibleEnergiesException">The counts differ.</exception>
    public void EnsureMatches(int energyCount, string what)
    {
        if (energyCount != EnergyCount)
        {
            throw new IncompatibleEnergiesException(string.Create(CultureInfo.InvariantCulture,
                $"The blocks ({string.Join(", ", _names)}) cover {EnergyCount} energies but {what} has {energyCount}."));
        }
    }

    private static double[] Normalise(IReadOnlyList<double> weights, string[] names)
    {
        if (weights.Count != names.Length)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"Expected one block weight per block ({names.Length}: {string.Join(", ", names)}); got {weights.Count}."), nameof(weights));
        }

        double sum = 0;
        for (int b = 0; b < weights.Count; b++)
        {
            if (!double.IsFinite(weights[b]) || weights[b] < 0)
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                    $"Block weight {b} ({names[b]}) is {weights[b]}; weights must be finite and not negative."), nameof(weights));
            }

            sum += weights[b];
        }

        if (!(sum > 0))
        {
            throw new ArgumentException("Block weights are all 0; at least one must be positive.", nameof(weights));
        }

        return [.. weights.Select(v => v / sum)];
    }
}

/// <summary>Where the weights of <see cref="SpectralBlocks"/> come from.</summary>
public enum BlockWeightSource
{
    /// <summary>Given by the user (or the library caller): every stage that compares spectra applies them, the noise model
    /// included (it tempers each block's χ² term by B·w<sub>b</sub>).</summary>
    User = 0,

    /// <summary>Derived from each block's noise (<c>EdgeFusion.NoiseWeights</c>): the correlation stage and the latent model
    /// apply them; the noise model does not, because its χ² already weights every energy by 1/σ².</summary>
    Noise = 1,
}
