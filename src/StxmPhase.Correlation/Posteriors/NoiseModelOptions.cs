using System.Globalization;
using StxmPhase.Spectra;

namespace StxmPhase.Correlation;

/// <summary>Options of <see cref="NoiseModelClassifier"/>.</summary>
public sealed class NoiseModelOptions
{
    private IReadOnlyList<int>? _offsetBlocks;
    private IReadOnlyList<double>? _incidentCounts;
    private IReadOnlyList<double>? _energyWeights;
    private double[]? _blockTemperatures;

    internal static NoiseModelOptions Default { get; } = new();

    /// <summary>
    /// Gets optional per-energy weights multiplying the inverse noise variances (e.g. to down-weight an energy block of a
    /// second edge, or to drop an energy with 0), one per stack energy, each finite and ≥ 0; <see langword="null"/> (default)
    /// = all 1.
    /// </summary>
    public IReadOnlyList<double>? EnergyWeights { get => _energyWeights; init => _energyWeights = value; }

    /// <summary>
    /// Gets the sizes of consecutive energy blocks that each get their own offset b (several edge stacks fused with
    /// <see cref="Spectra.EdgeFusion"/>: one thickness a, one background per edge); <see langword="null"/> (default) = one block.
    /// The sizes must add up to the stack's energy count; the χ² then has E − 1 − B degrees of freedom. A block that is NaN at
    /// every energy of a pixel (an edge that did not cover it) adds nothing to that pixel's fit; a block only partly NaN leaves
    /// the pixel not analysed, as any NaN does with one block.
    /// </summary>
    public IReadOnlyList<int>? OffsetBlocks { get => _offsetBlocks; init => _offsetBlocks = value; }

    /// <summary>
    /// Gets how the per-pixel offset b is modelled when there are several <see cref="OffsetBlocks"/> (a fused multi-edge
    /// stack). Default <see cref="BlockOffsetModel.PerBlock"/> (one offset per block). Ignored with one block and with background
    /// components (NoiseModelClassifier.Background), which keep one offset per block.
    /// </summary>
    public BlockOffsetModel BlockOffset { get; init; } = BlockOffsetModel.PerBlock;

    /// <summary>Returns a copy of these options with <see cref="OffsetBlocks"/> set.</summary>
    /// <param name="sizes">The block sizes, or <see langword="null"/> for one block.</param>
    /// <returns>The copy.</returns>
    public NoiseModelOptions WithOffsetBlocks(IReadOnlyList<int>? sizes)
    {
        var copy = (NoiseModelOptions)MemberwiseClone();
        copy._offsetBlocks = sizes;
        copy._blockTemperatures = null;
        return copy;
    }

    /// <summary>
    /// Returns a copy of these options for a fused multi-edge stack: one offset per block (<see cref="OffsetBlocks"/> =
    /// <see cref="SpectralBlocks.Counts"/>) and, when the weights are <see cref="BlockWeightSource.User"/>, per-block χ² terms
    /// tempered by t<sub>b</sub> = B·w<sub>b</sub> (B blocks, Σw = 1, so equal weights give t = 1): the fit minimises
    /// χ² = Σ<sub>b</sub> t<sub>b</sub>·χ²<sub>b</sub> (every energy of block b has its inverse noise variance multiplied by
    /// t<sub>b</sub>, on top of <see cref="EnergyWeights"/>). A block with weight 0 drops out (its data are irrelevant and its
    /// offset is not counted in the degrees of freedom). <see cref="BlockWeightSource.Noise"/> weights are not applied: the
    /// χ² already weights every energy by its noise.
    /// </summary>
    /// <param name="blocks">The blocks, or <see langword="null"/> for one block and no tempering.</param>
    /// <returns>The copy.</returns>
    public NoiseModelOptions WithBlocks(SpectralBlocks? blocks)
    {
        var copy = (NoiseModelOptions)MemberwiseClone();
        copy._offsetBlocks = blocks?.Counts;
        copy._blockTemperatures = blocks is { WeightSource: BlockWeightSource.User }
            ? [.. blocks.Weights.Select(w => w * blocks.Count)]
            : null;
        return copy;
    }

    /// <summary>
    /// Returns a copy of these options, given for a fused multi-edge stack, for one of its edge blocks alone (e.g. to fit an
    /// edge's energy calibration on its own energies): <see cref="EnergyWeights"/> and <see cref="IncidentCounts"/> with one
    /// value per energy of the fused stack are cut to the block's energies, and the block layout (<see cref="OffsetBlocks"/>,
    /// <see cref="WithBlocks"/>' tempering) is dropped.
    /// </summary>
    /// <param name="blocks">The blocks of the fused stack.</param>
    /// <param name="block">The block's index.</param>
    /// <returns>The copy.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="blocks"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="block"/> is not a block index.</exception>
    public NoiseModelOptions ForBlock(SpectralBlocks blocks, int block)
    {
        ArgumentNullException.ThrowIfNull(blocks);
        ArgumentOutOfRangeException.ThrowIfNegative(block);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(block, blocks.Count);
        int start = blocks.Starts[block], count = blocks.Counts[block];
        IReadOnlyList<double>? Cut(IReadOnlyList<double>? perEnergy) =>
            perEnergy is { } v && v.Count == blocks.EnergyCount ? [.. v.Skip(start).Take(count)] : perEnergy;
        var copy = (NoiseModelOptions)MemberwiseClone();
        copy._energyWeights = Cut(EnergyWeights);
        copy._incidentCounts = Cut(IncidentCounts);
        copy._offsetBlocks = null;
        copy._blockTemperatures = null;
        return copy;
    }

    /// <summary>The per-energy factor t_b of <see cref="WithBlocks"/> times <see cref="EnergyWeights"/> (1 where unset).</summary>
    internal double EnergyWeight(int e)
    {
        double u = EnergyWeights?[e] ?? 1.0;
        if (_blockTemperatures is null || _offsetBlocks is null)
        {
            return u;
        }

        int end = 0;
        for (int b = 0; b < _offsetBlocks.Count; b++)
        {
            end += _offsetBlocks[b];
            if (e < end)
            {
                return u * _blockTemperatures[b];
            }
        }

        return u;
    }

    /// <summary>
    /// Gets whether the prior over phases is estimated from the data by expectation–maximisation (π_k = mean posterior of
    /// phase k over the analysed pixels, iterated). Default <see langword="true"/>; <see langword="false"/> = uniform prior.
    /// </summary>
    public bool EstimatePrior { get; init; } = true;

    /// <summary>
    /// Gets whether the χ² scale (temperature τ) is estimated from the data: τ = median over analysed pixels of the best
    /// phase's χ² ÷ the median of a χ² distribution with E − 2 degrees of freedom. Default <see langword="true"/>; absorbs a
    /// noise level that is uniformly off (e.g. detector gain, I0 noise) so that the posteriors stay calibrated.
    /// </summary>
    public bool CalibrateScale { get; init; } = true;

    /// <summary>
    /// Gets the goodness-of-fit quantile q of the "no matching reference" test: an analysed pixel whose best χ²/τ exceeds
    /// the q-quantile of χ²(E − 2) is labelled <see cref="NoiseModelClassifier.NoMatch"/> (−2). Default 0.999; <see langword="null"/>
    /// turns the test off. Must be in (0.5, 1).
    /// </summary>
    public double? NoMatchQuantile { get; init; } = 0.999;

    /// <summary>
    /// Gets the incident photon counts per pixel N₀,e (I0 of a transmission-counts stack), one per energy, each finite and
    /// &gt; 0, or <see langword="null"/> (default) to measure the noise on the sample-free field. When set, the OD variance is
    /// the counting variance σ²_e(x) = (e^x + c) / N₀,e (c = <see cref="IncidentVarianceShare"/>) and the sample-free field
    /// is not needed. The workflow sets it from the estimated I0 when its input is transmission counts.
    /// </summary>
    public IReadOnlyList<double>? IncidentCounts { get => _incidentCounts; init => _incidentCounts = value; }

    /// <summary>Returns a copy of these options with <see cref="IncidentCounts"/> set.</summary>
    /// <param name="counts">N₀,e per energy, or <see langword="null"/> to measure the noise on the sample-free field.</param>
    /// <returns>The copy.</returns>
    public NoiseModelOptions WithIncidentCounts(IReadOnlyList<double>? counts)
    {
        var copy = (NoiseModelOptions)MemberwiseClone();
        copy._incidentCounts = counts;
        return copy;
    }

    /// <summary>
    /// Gets c in σ²(OD) = (e^OD + c)/N₀: the variance of ln I0 in units of 1/N₀. 1 for an I0 measured per pixel with the
    /// same counts as the sample (the (1 + e^OD)/N₀ of counting both beams); 1/M for an I0 averaged over M sample-free pixels.
    /// Default 0 (the automatic I0 averages thousands of pixels). Finite and ≥ 0.
    /// </summary>
    public double IncidentVarianceShare { get; init; }

    /// <summary>The counting noise: background OD 0 and variance scale 1/N₀,e per energy.</summary>
    internal (double[] Background, double[] Variance) CountingNoise(int energies) =>
        (new double[energies], [.. Enumerable.Range(0, energies).Select(e => 1 / IncidentCounts![e])]);

    internal void Validate(int energies, string paramName)
    {
        if (IncidentCounts is { } counts)
        {
            if (counts.Count != energies)
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                    $"IncidentCounts has {counts.Count} values but the stack has {energies} energies."), paramName);
            }

            for (int e = 0; e < counts.Count; e++)
            {
                if (!double.IsFinite(counts[e]) || counts[e] <= 0)
                {
                    throw new ArgumentOutOfRangeException(paramName, counts[e], string.Create(CultureInfo.InvariantCulture,
                        $"IncidentCounts[{e}] must be finite and > 0; got {counts[e]}."));
                }
            }
        }

        if (!double.IsFinite(IncidentVarianceShare) || IncidentVarianceShare < 0)
        {
            throw new ArgumentOutOfRangeException(paramName, IncidentVarianceShare, string.Create(CultureInfo.InvariantCulture,
                $"IncidentVarianceShare must be finite and ≥ 0; got {IncidentVarianceShare}."));
        }

        if (EnergyWeights is { } w)
        {
            if (w.Count != energies)
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                    $"EnergyWeights has {w.Count} values but the stack has {energies} energies."), paramName);
            }

            for (int e = 0; e < w.Count; e++)
            {
                if (!double.IsFinite(w[e]) || w[e] < 0)
                {
                    throw new ArgumentOutOfRangeException(paramName, w[e], string.Create(CultureInfo.InvariantCulture,
                        $"EnergyWeights[{e}] must be finite and ≥ 0; got {w[e]}."));
                }
            }
        }

        if (NoMatchQuantile is { } q && !(q > 0.5 && q < 1))
        {
            throw new ArgumentOutOfRangeException(paramName, q, string.Create(CultureInfo.InvariantCulture,
                $"NoMatchQuantile must be in (0.5, 1); got {q}."));
        }
    }
}
