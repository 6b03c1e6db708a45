using System.Globalization;
using System.Numerics.Tensors;

namespace StxmPhase.Spectra;

/// <summary>The background on a fused multi-edge axis (<see cref="SpectralBlocks"/>): per-block constants and linear terms, shared spectra.</summary>
public sealed partial class SpectralBackground
{
    /// <summary>
    /// Returns this background on a fused multi-edge axis: the spectra are read, block by block, at the block's energies +
    /// its energy offset (the references of a fused stack are calibrated per edge), and labelled with <paramref name="axis"/>.
    /// A spectrum is one layer with one thickness, so it must cover every edge's energies.
    /// </summary>
    /// <param name="axis">The concatenated stack energies.</param>
    /// <param name="blocks">The edge blocks of <paramref name="axis"/>.</param>
    /// <param name="blockOffsetsEv">One energy offset per block (see <see cref="EnergyCalibration"/>), or <see langword="null"/> for none.</param>
    /// <returns>The background on <paramref name="axis"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="axis"/> or <paramref name="blocks"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="blockOffsetsEv"/> does not hold one finite value per block.</exception>
    /// <exception cref="IncompatibleEnergiesException">The axis does not have the blocks' energy count, or the spectra do not
    /// cover a block's (shifted) energies; the message names the block and the energy
    /// (<see cref="IncompatibleEnergiesException.EnergyEv"/>).</exception>
    public SpectralBackground OnAxis(EnergyAxis axis, SpectralBlocks blocks, IReadOnlyList<double>? blockOffsetsEv)
    {
        ArgumentNullException.ThrowIfNull(axis);
        ArgumentNullException.ThrowIfNull(blocks);
        blocks.EnsureMatches(axis.Count, "the energy axis");
        if (blockOffsetsEv is not null && (blockOffsetsEv.Count != blocks.Count || blockOffsetsEv.Any(o => !double.IsFinite(o))))
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"Expected one finite energy offset per block ({blocks.Count}); got [{string.Join(", ", blockOffsetsEv)}]."),
                nameof(blockOffsetsEv));
        }

        if (Spectra is not { } spectra)
        {
            return this;
        }

        int m = axis.Count, count = spectra.PhaseCount;
        double[] values = new double[count * m];
        for (int b = 0; b < blocks.Count; b++)
        {
            EnergyAxis part = blocks.BlockEnergies(axis, b);
            double offset = blockOffsetsEv?[b] ?? 0;
            CheckCovers(spectra, part, offset, blocks.Names[b]);
            ReferenceSpectra on = EnergyCalibration.ResampleShifted(spectra, part, offset);
            for (int j = 0; j < count; j++)
            {
                on.Spectrum(j).CopyTo(values.AsSpan((j * m) + blocks.Starts[b], blocks.Counts[b]));
            }
        }

        return new SpectralBackground(IsLinear, new ReferenceSpectra(axis, spectra.PhaseNames, values));
    }

    /// <summary>Throws, naming the edge and the energy, when <paramref name="spectra"/> do not cover <paramref name="part"/> + offset.</summary>
    private static void CheckCovers(ReferenceSpectra spectra, EnergyAxis part, double offsetEv, string edge)
    {
        const double Tolerance = 0.05; // ReferenceSpectra.ResampleTo's default
        double lo = spectra.Energies.MinimumEv, hi = spectra.Energies.MaximumEv;
        for (int e = 0; e < part.Count; e++)
        {
            double energy = part[e] + offsetEv;
            if (energy < lo - Tolerance || energy > hi + Tolerance)
            {
                string shifted = offsetEv == 0 ? string.Empty : string.Create(CultureInfo.InvariantCulture,
                    $" ({part[e]} eV shifted by the edge's energy offset {offsetEv:+0.###;-0.###} eV)");
                throw new IncompatibleEnergiesException(string.Create(CultureInfo.InvariantCulture,
                    $"The background spectra ({string.Join(", ", spectra.PhaseNames)}) cover {lo}–{hi} eV but edge '{edge}' has energy ")
                    + string.Create(CultureInfo.InvariantCulture,
                        $"{energy} eV{shifted}; a background spectrum is one layer on every edge and must cover every edge's energies."))
                {
                    EnergyEv = energy,
                };
            }
        }
    }

    /// <summary>
    /// Pixels with a non-finite value: restored from the input, then, when every block is either all finite or all non-finite
    /// (and one is finite), projected on the span restricted to the finite blocks (one basis per pattern of missing blocks).
    /// </summary>
    private void ProjectIncompletePixels(SpectralStack od, int[] ends, float[] result)
    {
        int m = od.EnergyCount, n = od.PixelCount;
        ReadOnlySpan<float> data = od.Data.Span;
        var bases = new Dictionary<int, (double[] Q, int Rank)>();
        double[] x = new double[m];

        // Non-finite values per pixel and block, plane by plane (contiguous); only the pixels with one are revisited.
        int[] bad = new int[ends.Length * n];
        for (int b = 0, start = 0; b < ends.Length; start = ends[b], b++)
        {
            Span<int> count = bad.AsSpan(b * n, n);
            for (int e = start; e < ends[b]; e++)
            {
                ReadOnlySpan<float> plane = data.Slice(e * n, n);
                for (int p = 0; p < n; p++)
                {
                    count[p] += float.IsFinite(plane[p]) ? 0 : 1;
                }
            }
        }

        for (int p = 0; p < n; p++)
        {
            int missing = 0;
            bool partial = false;
            for (int b = 0, start = 0; b < ends.Length; start = ends[b], b++)
            {
                int count = bad[(b * n) + p];
                missing |= count == ends[b] - start ? 1 << b : 0;
                partial |= count > 0 && count < ends[b] - start;
            }

            if (missing == 0 && !partial)
            {
                continue;
            }

            for (int e = 0; e < m; e++)
            {
                x[e] = data[(e * n) + p];
                result[(e * n) + p] = data[(e * n) + p];
            }

            if (partial || missing == (1 << ends.Length) - 1)
            {
                continue;
            }

            if (!bases.TryGetValue(missing, out (double[] Q, int Rank) basis))
            {
                basis = RestrictedOrthonormal(od.Energies, ends, missing);
                bases[missing] = basis;
            }

            for (int e = 0; e < m; e++)
            {
                x[e] = float.IsFinite(data[(e * n) + p]) ? x[e] : 0;
            }

            for (int j = 0; j < basis.Rank; j++)
            {
                ReadOnlySpan<double> qj = basis.Q.AsSpan(j * m, m);
                double c = TensorPrimitives.Dot<double>(qj, x);
                for (int e = 0; e < m; e++)
                {
                    x[e] -= c * qj[e];
                }
            }

            for (int e = 0; e < m; e++)
            {
                if (float.IsFinite(data[(e * n) + p]))
                {
                    result[(e * n) + p] = (float)x[e];
                }
            }
        }
    }

    /// <summary>
    /// The references as a pixel that lacks the blocks in <paramref name="missing"/> (a bit per block) sees them: projected on
    /// the span restricted to the blocks it has, as <see cref="ProjectOut(SpectralStack, SpectralBlocks)"/> projects such a
    /// pixel. The values of the missing blocks are returned unchanged (such a pixel has no data there to compare them with).
    /// </summary>
    /// <param name="references">The references on the stack energies.</param>
    /// <param name="blocks">The edge blocks.</param>
    /// <param name="missing">The missing blocks, bit b for block b; 0 gives <see cref="ProjectOut(ReferenceSpectra, SpectralBlocks)"/>.</param>
    /// <returns>The projected references (same names and energies).</returns>
    internal ReferenceSpectra ProjectOut(ReferenceSpectra references, SpectralBlocks blocks, int missing)
    {
        ArgumentNullException.ThrowIfNull(references);
        ArgumentNullException.ThrowIfNull(blocks);
        if (missing == 0)
        {
            return ProjectOut(references, blocks);
        }

        int m = references.Energies.Count;
        (double[] q, int rank) = RestrictedOrthonormal(references.Energies, BlockEnds(blocks, m, "the references"), missing);
        return Project(references, q, rank);
    }

    /// <summary>The orthonormal basis of <see cref="BlockColumns"/> with the energies of the blocks in <paramref name="missing"/>
    /// (a bit per block) set to 0.</summary>
    private (double[] Q, int Rank) RestrictedOrthonormal(EnergyAxis axis, int[] ends, int missing)
    {
        int m = axis.Count;
        double[] rows = BlockColumns(axis, ends, out int free);
        int count = free + SpectrumCount;
        for (int b = 0, start = 0; b < ends.Length; start = ends[b], b++)
        {
            if ((missing & (1 << b)) != 0)
            {
                for (int r = 0; r < count; r++)
                {
                    rows.AsSpan((r * m) + start, ends[b] - start).Clear();
                }
            }
        }

        return (GramSchmidt(rows, count, m, out int rank), rank);
    }

    /// <summary>The exclusive block ends of <paramref name="blocks"/> (one block when <see langword="null"/>).</summary>
    private static int[] BlockEnds(SpectralBlocks? blocks, int energies, string what)
    {
        if (blocks is null)
        {
            return [energies];
        }

        blocks.EnsureMatches(energies, what);
        return [.. Enumerable.Range(0, blocks.Count).Select(b => blocks.Starts[b] + blocks.Counts[b])];
    }
}
