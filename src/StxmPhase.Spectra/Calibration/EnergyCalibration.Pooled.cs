using System.Globalization;

namespace StxmPhase.Spectra;

/// <summary>The energy-offset estimate pooled over several stacks of one sample (issue 16).</summary>
public static partial class EnergyCalibration
{
    /// <summary>
    /// Estimates one energy offset ΔE from the particle pixels of every stack together (stacks of one beamtime share the
    /// monochromator calibration): the objective is the mean best correlation over the pooled pixels, at most
    /// <see cref="EnergyCalibrationOptions.MaxPixels"/> in all, the same share from each stack (an even stride within it).
    /// </summary>
    /// <param name="opticalDensities">The stacks as optical density, all on the same energies.</param>
    /// <param name="references">The references, tabulated finer than 0.25 eV beyond the stack energies by the search range.</param>
    /// <param name="masks">One mask per stack (the pixels to use; an entry may be <see langword="null"/> for every pixel), or
    /// <see langword="null"/> for every pixel of every stack.</param>
    /// <param name="options">The options, or <see langword="null"/> for the defaults.</param>
    /// <param name="cancellationToken">Cancels the search.</param>
    /// <returns>The estimate; check <see cref="EnergyOffsetEstimate.Status"/> before applying it.</returns>
    /// <exception cref="ArgumentNullException">A stack list, a stack or <paramref name="references"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">No stack is given, <paramref name="masks"/> has another count, or a mask does not have its
    /// stack's size (the message names the index).</exception>
    /// <exception cref="IncompatibleEnergiesException">A stack's energies differ from the first stack's.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is outside its documented range (the message names it and its value).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static EnergyOffsetEstimate EstimateOffset(
        IReadOnlyList<SpectralStack> opticalDensities,
        ReferenceSpectra references,
        IReadOnlyList<PixelMask?>? masks = null,
        EnergyCalibrationOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(opticalDensities);
        ArgumentNullException.ThrowIfNull(references);
        options ??= new EnergyCalibrationOptions();
        Validate(options);
        if (opticalDensities.Count == 0)
        {
            throw new ArgumentException("At least one stack is required.", nameof(opticalDensities));
        }

        if (masks is not null && masks.Count != opticalDensities.Count)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"{masks.Count} masks were given for {opticalDensities.Count} stacks."), nameof(masks));
        }

        SpectralStack[] stacks = new SpectralStack[opticalDensities.Count];
        PixelMask?[] chosen = new PixelMask?[stacks.Length];
        for (int s = 0; s < stacks.Length; s++)
        {
            SpectralStack stack = opticalDensities[s] ?? throw new ArgumentNullException(nameof(opticalDensities),
                string.Create(CultureInfo.InvariantCulture, $"Stack {s} is null."));
            PixelMask? mask = masks?[s];
            if (mask is not null && (mask.Width != stack.Width || mask.Height != stack.Height))
            {
                throw new ArgumentException(
                    string.Create(CultureInfo.InvariantCulture,
                        $"Mask {s} is {mask.Width} × {mask.Height} pixels but stack {s} is {stack.Width} × {stack.Height}."),
                    nameof(masks));
            }

            if (s > 0 && !stack.Energies.Matches(stacks[0].Energies))
            {
                string text = string.Create(CultureInfo.InvariantCulture,
                    $"Stack {s} has {stack.EnergyCount} energies ({stack.Energies.MinimumEv}–{stack.Energies.MaximumEv} eV) that differ");
                throw new IncompatibleEnergiesException(text + " from stack 0's: one energy axis is needed.");
            }

            stacks[s] = stack;
            chosen[s] = mask;
        }

        return EstimateCore(stacks, chosen, references, options, cancellationToken);
    }

    /// <summary>The selected pixels of every stack, concatenated: each stack contributes at most maxPixels / stacks.</summary>
    private static double[] SelectPooledPixels(SpectralStack[] stacks, PixelMask?[] masks, int maxPixels, out int count)
    {
        if (stacks.Length == 1)
        {
            return SelectPixels(stacks[0], masks[0], maxPixels, out count);
        }

        int energies = stacks[0].EnergyCount, share = Math.Max(1, maxPixels / stacks.Length);
        var parts = new List<(double[] Pixels, int Count)>();
        count = 0;
        for (int s = 0; s < stacks.Length; s++)
        {
            double[] part = SelectPixels(stacks[s], masks[s], share, out int c);
            parts.Add((part, c));
            count += c;
        }

        double[] pooled = new double[count * energies];
        int offset = 0;
        foreach ((double[] part, int c) in parts)
        {
            part.AsSpan(0, c * energies).CopyTo(pooled.AsSpan(offset * energies));
            offset += c;
        }

        return pooled;
    }

    /// <summary>Centred, unit-norm spectra of the usable masked pixels (finite, non-constant), an even stride beyond the limit.</summary>
    internal static double[] SelectPixels(SpectralStack stack, PixelMask? mask, int maxPixels, out int count)
    {
        int n = stack.Width * stack.Height;
        var candidates = new List<int>();
        for (int i = 0; i < n; i++)
        {
            if (mask is null || mask[i])
            {
                candidates.Add(i);
            }
        }

        int stride = Math.Max(1, (candidates.Count + maxPixels - 1) / maxPixels);
        int[] chosen = new int[(candidates.Count + stride - 1) / stride];
        for (int j = 0; j < chosen.Length; j++)
        {
            chosen[j] = candidates[j * stride];
        }

        int energies = stack.Energies.Count;
        float[] raw = new float[chosen.Length * energies];
        stack.CopySpectra(chosen, raw);
        double[] result = new double[chosen.Length * energies];
        double[] spectrum = new double[energies];
        count = 0;
        for (int j = 0; j < chosen.Length; j++)
        {
            bool finite = true;
            for (int e = 0; e < energies; e++)
            {
                spectrum[e] = raw[(j * energies) + e];
                finite &= double.IsFinite(spectrum[e]);
            }

            if (finite && CentreAndNormalise(spectrum, result.AsSpan(count * energies, energies)))
            {
                count++;
            }
        }

        return result;
    }
}
