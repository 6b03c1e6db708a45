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
public sealed class SpectralBackground
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
    public SpectralStack ProjectOut(SpectralStack opticalDensity)
    {
        ArgumentNullException.ThrowIfNull(opticalDensity);
        int m = opticalDensity.EnergyCount, n = opticalDensity.PixelCount;
        double[] q = Orthonormal(opticalDensity.Energies, out int rank);
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

        return new SpectralStack(opticalDensity.Energies, opticalDensity.Width, opticalDensity.Height, result, opticalDensity.Quantity,
            opticalDensity.Metadata);
    }

    /// <summary>Removes the constant and the background components from each reference spectrum
    /// (see <see cref="ProjectOut(SpectralStack)"/>).</summary>
    /// <param name="references">The references on the stack energies.</param>
    /// <returns>The projected references (same names and energies).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="references"/> is <see langword="null"/>.</exception>
    /// <exception cref="IncompatibleEnergiesException">The background spectra do not cover the references' energies.</exception>
    public ReferenceSpectra ProjectOut(ReferenceSpectra references)
    {
        ArgumentNullException.ThrowIfNull(references);
        int m = references.Energies.Count;
        double[] q = Orthonormal(references.Energies, out int rank);
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
    /// An orthonormal basis (Gram–Schmidt, twice) of the constant and the components on <paramref name="axis"/>; a component
    /// already (numerically) in the span of the previous ones is dropped.
    /// </summary>
    internal double[] Orthonormal(EnergyAxis axis, out int rank)
    {
        int m = axis.Count;
        double[] basis = Basis(axis);
        double[] q = new double[(ComponentCount + 1) * m];
        rank = 0;
        for (int j = -1; j < ComponentCount; j++)
        {
            Span<double> v = q.AsSpan(rank * m, m);
            if (j < 0)
            {
                v.Fill(1);
            }
            else
            {
                basis.AsSpan(j * m, m).CopyTo(v);
            }

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
