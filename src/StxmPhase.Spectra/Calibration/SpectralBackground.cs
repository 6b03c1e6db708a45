using System.Globalization;
using System.Numerics.Tensors;

namespace StxmPhase.Spectra;

/// <summary>
/// Background components of the per-pixel spectral model (issue 16): spectra that add to a pixel's phase spectrum without
/// telling the phases apart, such as a linear pre-edge slope (the tail of a lower edge, a sloped support film) or a
/// carbon/CEI contamination layer of varying thickness with its own spectrum.
/// </summary>
/// <remarks>
/// <para>The noise model then fits x = a·r<sub>k</sub> + b + c·(E − E<sub>0</sub>) + Σ<sub>j</sub> d<sub>j</sub>·g<sub>j</sub>(E)
/// per pixel and phase (a ≥ 0, d<sub>j</sub> ≥ 0: a thickness each; b and c free), and Pearson correlation compares the
/// parts of the pixel and reference spectra that are orthogonal to the constant and to every background component
/// (<see cref="ProjectOut(SpectralStack)"/>). The linear term is (E − Ē) / (E<sub>max</sub> − E<sub>min</sub>) over the
/// stack energies, Ē their mean.</para>
/// <para>A component costs one degree of freedom per pixel: with 13 energies and a background that looks like a phase
/// difference, it can also absorb part of the signal that separates phases. Use it when a contamination layer is known.</para>
/// </remarks>
/// <example>
/// <code>
/// var carbon = new ReferenceSpectra(grid, ["carbon"], carbonValues);  // the layer's spectrum on a fine grid
/// var background = new SpectralBackground(linear: true, carbon);
/// var options = new PhaseMappingOptions { Background = background };
/// </code>
/// </example>
public sealed partial class SpectralBackground
{
    /// <summary>The most background spectra a model may hold (each is a non-negative coefficient the fit enumerates).</summary>
    public const int MaxSpectra = 3;

    /// <summary>Initializes a background model.</summary>
    /// <param name="linear">Whether a linear term c·(E − E<sub>0</sub>) (c of either sign) is included.</param>
    /// <param name="spectra">Background spectra (one "phase" each, e.g. carbon), or <see langword="null"/> for none; at most
    /// <see cref="MaxSpectra"/>. Tabulate them on a grid that covers the stack energies (shifted by any energy offset).</param>
    /// <exception cref="ArgumentException"><paramref name="spectra"/> holds more than <see cref="MaxSpectra"/> spectra.</exception>
    public SpectralBackground(bool linear, ReferenceSpectra? spectra = null)
    {
        if (spectra is not null && spectra.PhaseCount > MaxSpectra)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"A background holds at most {MaxSpectra} spectra; got {spectra.PhaseCount}."), nameof(spectra));
        }

        IsLinear = linear;
        Spectra = spectra;
    }

    /// <summary>Gets whether the linear term c·(E − E<sub>0</sub>) is included.</summary>
    public bool IsLinear { get; }

    /// <summary>Gets the background spectra, or <see langword="null"/>.</summary>
    public ReferenceSpectra? Spectra { get; }

    /// <summary>Gets the number of components beyond the constant offset: 1 for the linear term plus one per spectrum.</summary>
    public int ComponentCount => (IsLinear ? 1 : 0) + (Spectra?.PhaseCount ?? 0);

    /// <summary>Gets the number of <see cref="Spectra"/> (the components whose coefficient is constrained to be ≥ 0).</summary>
    public int SpectrumCount => Spectra?.PhaseCount ?? 0;

    /// <summary>Returns this background with its spectra read at <paramref name="axis"/> + <paramref name="offsetEv"/> and labelled
    /// with <paramref name="axis"/>, as the references are after an energy calibration.</summary>
    /// <param name="axis">The stack energies.</param>
    /// <param name="offsetEv">The energy offset ΔE (see <see cref="EnergyCalibration"/>); 0 = none.</param>
    /// <returns>The background on <paramref name="axis"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="axis"/> is <see langword="null"/>.</exception>
    /// <exception cref="IncompatibleEnergiesException">The spectra do not cover the (shifted) stack energies.</exception>
    public SpectralBackground OnAxis(EnergyAxis axis, double offsetEv = 0)
    {
        ArgumentNullException.ThrowIfNull(axis);
        return Spectra is null ? this : new SpectralBackground(IsLinear, EnergyCalibration.ResampleShifted(Spectra, axis, offsetEv));
    }

    /// <summary>
    /// The components on <paramref name="axis"/>, component-major (<see cref="ComponentCount"/> rows of axis.Count values): the
    /// linear term first (when included), then each spectrum (resampled to <paramref name="axis"/> when needed).
    /// </summary>
    /// <param name="axis">The stack energies.</param>
    /// <returns>The basis values.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="axis"/> is <see langword="null"/>.</exception>
    /// <exception cref="IncompatibleEnergiesException">The spectra do not cover <paramref name="axis"/>.</exception>
    public double[] Basis(EnergyAxis axis)
    {
        ArgumentNullException.ThrowIfNull(axis);
        int m = axis.Count;
        double[] basis = new double[ComponentCount * m];
        int row = 0;
        if (IsLinear)
        {
            double mean = 0;
            for (int e = 0; e < m; e++)
            {
                mean += axis[e] / m;
            }

            double span = axis.MaximumEv - axis.MinimumEv;
            for (int e = 0; e < m; e++)
            {
                basis[e] = span > 0 ? (axis[e] - mean) / span : 0;
            }

            row++;
        }

        if (Spectra is { } spectra)
        {
            ReferenceSpectra on = spectra.Energies.Matches(axis) ? spectra : spectra.ResampleTo(axis);
            for (int j = 0; j < on.PhaseCount; j++, row++)
            {
                on.Spectrum(j).CopyTo(basis.AsSpan(row * m, m));
            }
        }

        return basis;
    }

    /// <summary>
    /// Removes from every pixel spectrum its least-squares fit by a constant and the background components (x − Px, P the
    /// orthogonal projection onto their span), so that Pearson correlation of the result with <see cref="ProjectOut(ReferenceSpectra)"/>
    /// of the references ignores any amount of background.
    /// </summary>
    /// <param name="opticalDensity">The stack (not modified).</param>
    /// <returns>A new stack; non-finite pixels stay non-finite.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="opticalDensity"/> is <see langword="null"/>.</exception>
    /// <exception cref="IncompatibleEnergiesException">The spectra do not cover the stack energies.</exception>
    public SpectralStack ProjectOut(SpectralStack opticalDensity) => ProjectOut(opticalDensity, null);

    /// <summary>
    /// <see cref="ProjectOut(SpectralStack)"/> for a fused multi-edge stack: the span projected out holds, per edge block, a
    /// constant and (when <see cref="IsLinear"/>) a linear term over the block's energies, and each background spectrum over
    /// the whole axis (one layer, one amount on every edge), as in the noise model.
    /// </summary>
    /// <param name="opticalDensity">The stack (not modified).</param>
    /// <param name="blocks">The edge blocks, or <see langword="null"/> for one block (<see cref="ProjectOut(SpectralStack)"/>).</param>
    /// <returns>A new stack. A pixel with a block that is non-finite at every energy (an edge that did not cover it, see
    /// <see cref="EdgeFusion"/>) is projected on the blocks it has, the missing block staying NaN; a pixel with any other
    /// non-finite value is left as it is (the correlators count it invalid).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="opticalDensity"/> is <see langword="null"/>.</exception>
    /// <exception cref="IncompatibleEnergiesException">The stack does not have the blocks' energy count, or the spectra do not
    /// cover the stack energies.</exception>
    public SpectralStack ProjectOut(SpectralStack opticalDensity, SpectralBlocks? blocks)
    {
        ArgumentNullException.ThrowIfNull(opticalDensity);
        int m = opticalDensity.EnergyCount, n = opticalDensity.PixelCount;
        int[] ends = BlockEnds(blocks, m, "the stack");
        double[] q = Orthonormal(opticalDensity.Energies, ends, out int rank);
        ReadOnlySpan<float> data = opticalDensity.Data.Span;
        float[] result = data.ToArray();
        float[] coefficient = new float[n];
        for (int j = 0; j < rank; j++)
        {
            coefficient.AsSpan().Clear();
            for (int e = 0; e < m; e++)
            {
                TensorPrimitives.MultiplyAdd(data.Slice(e * n, n), (float)q[(j * m) + e], coefficient, coefficient);
            }

            for (int e = 0; e < m; e++)
            {
                Span<float> plane = result.AsSpan(e * n, n);
                TensorPrimitives.MultiplyAdd(coefficient, (float)-q[(j * m) + e], plane, plane);
            }
        }

        if (ends.Length > 1)
        {
            ProjectIncompletePixels(opticalDensity, ends, result);
        }

        return new SpectralStack(opticalDensity.Energies, opticalDensity.Width, opticalDensity.Height, result, opticalDensity.Quantity,
            opticalDensity.Metadata);
    }

    /// <summary>Removes the constant and the background components from each reference spectrum
    /// (see <see cref="ProjectOut(SpectralStack)"/>).</summary>
    /// <param name="references">The references on the stack energies.</param>
    /// <returns>The projected references (same names and energies).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="references"/> is <see langword="null"/>.</exception>
    /// <exception cref="IncompatibleEnergiesException">The background spectra do not cover the references' energies.</exception>
    public ReferenceSpectra ProjectOut(ReferenceSpectra references) => ProjectOut(references, null);

    /// <summary>Removes the per-block constants and linear terms and the background spectra from each reference spectrum
    /// (see <see cref="ProjectOut(SpectralStack, SpectralBlocks)"/>).</summary>
    /// <param name="references">The references on the stack energies.</param>
    /// <param name="blocks">The edge blocks, or <see langword="null"/> for one block.</param>
    /// <returns>The projected references (same names and energies).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="references"/> is <see langword="null"/>.</exception>
    /// <exception cref="IncompatibleEnergiesException">The references do not have the blocks' energy count, or the background
    /// spectra do not cover the references' energies.</exception>
    public ReferenceSpectra ProjectOut(ReferenceSpectra references, SpectralBlocks? blocks)
    {
        ArgumentNullException.ThrowIfNull(references);
        int m = references.Energies.Count;
        double[] q = Orthonormal(references.Energies, BlockEnds(blocks, m, "the references"), out int rank);
        return Project(references, q, rank);
    }

    /// <summary>Removes from every reference its components along the <paramref name="rank"/> orthonormal rows of
    /// <paramref name="q"/> (each of the references' energy count).</summary>
    private static ReferenceSpectra Project(ReferenceSpectra references, double[] q, int rank)
    {
        int m = references.Energies.Count;
        double[] values = [.. references.Values];
        for (int k = 0; k < references.PhaseCount; k++)
        {
            Span<double> r = values.AsSpan(k * m, m);
            for (int j = 0; j < rank; j++)
            {
                ReadOnlySpan<double> qj = q.AsSpan(j * m, m);
                double dot = TensorPrimitives.Dot<double>(qj, r);
                for (int e = 0; e < m; e++)
                {
                    r[e] -= dot * qj[e];
                }
            }
        }

        return new ReferenceSpectra(references.Energies, references.PhaseNames, values);
    }

    /// <summary>
    /// The nuisance columns of the per-pixel model on <paramref name="axis"/> split into offset blocks (the exclusive ends
    /// <paramref name="blockEnds"/>; one block = [axis.Count]), row-major: per block its constant 1<sub>b</sub> (1 on the block's
    /// energies, 0 elsewhere) and, when <see cref="IsLinear"/>, its linear term (E − Ē<sub>b</sub>) / (E<sub>max,b</sub> −
    /// E<sub>min,b</sub>) over the block's energies (0 elsewhere; 0 for a one-energy block); then each spectrum over the whole
    /// axis. With one block the rows are the constant and then <see cref="Basis(EnergyAxis)"/>'s rows, value for value.
    /// </summary>
    /// <param name="axis">The (concatenated) energies.</param>
    /// <param name="blockEnds">The exclusive end index of every block, increasing, the last = axis.Count.</param>
    /// <param name="freeCount">The number of leading free rows: blocks × (1 + linear).</param>
    /// <returns>(blocks × (1 + linear) + <see cref="SpectrumCount"/>) rows of axis.Count values.</returns>
    internal double[] BlockColumns(EnergyAxis axis, ReadOnlySpan<int> blockEnds, out int freeCount)
    {
        int m = axis.Count, perBlock = IsLinear ? 2 : 1;
        freeCount = blockEnds.Length * perBlock;
        double[] rows = new double[(freeCount + SpectrumCount) * m];
        int start = 0;
        for (int b = 0; b < blockEnds.Length; b++)
        {
            int end = blockEnds[b], count = end - start;
            rows.AsSpan((b * perBlock * m) + start, count).Fill(1);
            if (IsLinear)
            {
                // The arithmetic of Basis (mean of E/m, span max − min), so that one block reproduces it exactly.
                Span<double> row = rows.AsSpan((((b * perBlock) + 1) * m) + start, count);
                double mean = 0, lo = double.PositiveInfinity, hi = double.NegativeInfinity;
                for (int e = start; e < end; e++)
                {
                    mean += axis[e] / count;
                    lo = Math.Min(lo, axis[e]);
                    hi = Math.Max(hi, axis[e]);
                }

                double span = hi - lo;
                for (int e = start; e < end; e++)
                {
                    row[e - start] = span > 0 ? (axis[e] - mean) / span : 0;
                }
            }

            start = end;
        }

        if (SpectrumCount > 0)
        {
            double[] basis = Basis(axis);
            int first = IsLinear ? 1 : 0;
            basis.AsSpan(first * m, SpectrumCount * m).CopyTo(rows.AsSpan(freeCount * m));
        }

        return rows;
    }

    /// <summary>
    /// An orthonormal basis (Gram–Schmidt, twice) of the constant and the components on <paramref name="axis"/>; a component
    /// already (numerically) in the span of the previous ones is dropped.
    /// </summary>
    internal double[] Orthonormal(EnergyAxis axis, out int rank) => Orthonormal(axis, [axis.Count], out rank);

    /// <summary>
    /// An orthonormal basis (Gram–Schmidt, twice) of the rows of <see cref="BlockColumns"/> (per block its constant and linear
    /// term, then the spectra); a row already (numerically) in the span of the previous ones, or zero, is dropped.
    /// </summary>
    internal double[] Orthonormal(EnergyAxis axis, ReadOnlySpan<int> blockEnds, out int rank)
    {
        double[] basis = BlockColumns(axis, blockEnds, out int free);
        return GramSchmidt(basis, free + SpectrumCount, axis.Count, out rank);
    }

    /// <summary>Gram–Schmidt (twice) of <paramref name="count"/> rows of length <paramref name="m"/>; a row numerically in the
    /// span of the previous ones (or zero) is dropped. Returns the rank rows first.</summary>
    private static double[] GramSchmidt(double[] basis, int count, int m, out int rank)
    {
        double[] q = new double[count * m];
        rank = 0;
        for (int j = 0; j < count; j++)
        {
            Span<double> v = q.AsSpan(rank * m, m);
            basis.AsSpan(j * m, m).CopyTo(v);
            double before = Math.Sqrt(TensorPrimitives.Dot<double>(v, v));
            for (int pass = 0; pass < 2; pass++)
            {
                for (int i = 0; i < rank; i++)
                {
                    ReadOnlySpan<double> qi = q.AsSpan(i * m, m);
                    double dot = TensorPrimitives.Dot<double>(qi, v);
                    for (int e = 0; e < m; e++)
                    {
                        v[e] -= dot * qi[e];
                    }
                }
            }

            double norm = Math.Sqrt(TensorPrimitives.Dot<double>(v, v));
            if (norm > 1e-9 * Math.Max(before, 1e-300))
            {
                TensorPrimitives.Divide(v, norm, v);
                rank++;
            }
            else
            {
                v.Clear();
            }
        }

        return q;
    }
}
