using System.Globalization;

namespace StxmPhase.Spectra;

/// <summary>
/// Broadens reference spectra to a coarser energy resolution (references measured on another instrument, or with a narrower
/// exit slit, than the stack), given or fitted.
/// </summary>
public static class ReferenceBroadening
{
    /// <summary>
    /// Convolves every reference with a normalised Gaussian of full width at half maximum <paramref name="fwhmEv"/> on its own
    /// energy grid: r'(E<sub>i</sub>) = Σ<sub>j</sub> w<sub>j</sub> g(E<sub>j</sub> − E<sub>i</sub>) r(E<sub>j</sub>)
    /// / Σ<sub>j</sub> w<sub>j</sub> g(E<sub>j</sub> − E<sub>i</sub>),
    /// with trapezoid weights w<sub>j</sub> (any grid spacing). Near the ends of the grid the kernel is truncated and renormalised.
    /// </summary>
    /// <param name="references">The references; tabulate them finer than the FWHM for a faithful result.</param>
    /// <param name="fwhmEv">The FWHM in eV; 0 returns <paramref name="references"/> unchanged.</param>
    /// <returns>The broadened references on the same grid.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="references"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="fwhmEv"/> is negative, above 10 eV or not finite.</exception>
    public static ReferenceSpectra Broaden(ReferenceSpectra references, double fwhmEv)
    {
        ArgumentNullException.ThrowIfNull(references);
        if (!(fwhmEv >= 0 && fwhmEv <= 10))
        {
            throw new ArgumentOutOfRangeException(nameof(fwhmEv), fwhmEv,
                string.Create(CultureInfo.InvariantCulture, $"The broadening FWHM must lie in [0, 10] eV; got {fwhmEv}."));
        }

        if (fwhmEv == 0)
        {
            return references;
        }

        ReadOnlySpan<double> e = references.Energies.AsSpan();
        int m = e.Length;
        double[] w = new double[m];
        for (int j = 0; j < m; j++)
        {
            double left = j > 0 ? e[j] - e[j - 1] : 0;
            double right = j < m - 1 ? e[j + 1] - e[j] : 0;
            w[j] = m == 1 ? 1 : 0.5 * (left + right);
        }

        double sigma = fwhmEv / (2.0 * Math.Sqrt(2.0 * Math.Log(2.0)));
        double reach = 5 * sigma;
        int phases = references.PhaseCount;
        double[] result = new double[phases * m];
        ReadOnlySpan<double> values = references.Values;
        for (int i = 0; i < m; i++)
        {
            double norm = 0;
            double[] sums = new double[phases];
            for (int j = 0; j < m; j++)
            {
                double d = e[j] - e[i];
                if (Math.Abs(d) > reach)
                {
                    continue;
                }

                double g = w[j] * Math.Exp(-0.5 * d * d / (sigma * sigma));
                norm += g;
                for (int p = 0; p < phases; p++)
                {
                    sums[p] += g * values[(p * m) + j];
                }
            }

            for (int p = 0; p < phases; p++)
            {
                result[(p * m) + i] = norm > 0 ? sums[p] / norm : values[(p * m) + i];
            }
        }

        return new ReferenceSpectra(references.Energies, references.PhaseNames, result);
    }

    /// <summary>
    /// Fits the Gaussian FWHM that, applied to the references, maximises the mean best Pearson correlation of the masked pixels
    /// (references read at stack energy + <paramref name="offsetEv"/>): a grid from 0 to <paramref name="maxFwhmEv"/> in
    /// <paramref name="stepEv"/> steps.
    /// </summary>
    /// <param name="opticalDensity">The stack as optical density.</param>
    /// <param name="references">Finely tabulated references.</param>
    /// <param name="mask">The pixels to use, or <see langword="null"/> for all.</param>
    /// <param name="offsetEv">The energy offset to apply (see <see cref="EnergyCalibration"/>).</param>
    /// <param name="maxFwhmEv">The largest FWHM tried, in (0, 5]. Default 1.5 eV.</param>
    /// <param name="stepEv">The grid step, in [0.01, 1]. Default 0.05 eV.</param>
    /// <param name="cancellationToken">Cancels the search.</param>
    /// <returns>The best FWHM in eV (0 when no usable pixel).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="opticalDensity"/> or <paramref name="references"/> is
    /// <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxFwhmEv"/> or <paramref name="stepEv"/> is out of range.</exception>
    /// <exception cref="IncompatibleEnergiesException">The shifted stack energies lie outside the references.</exception>
    public static double EstimateFwhm(
        SpectralStack opticalDensity,
        ReferenceSpectra references,
        PixelMask? mask = null,
        double offsetEv = 0,
        double maxFwhmEv = 1.5,
        double stepEv = 0.05,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(opticalDensity);
        ArgumentNullException.ThrowIfNull(references);
        if (!(maxFwhmEv > 0 && maxFwhmEv <= 5))
        {
            throw new ArgumentOutOfRangeException(nameof(maxFwhmEv), maxFwhmEv,
                string.Create(CultureInfo.InvariantCulture, $"The largest FWHM must lie in (0, 5] eV; got {maxFwhmEv}."));
        }

        if (!(stepEv >= 0.01 && stepEv <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(stepEv), stepEv,
                string.Create(CultureInfo.InvariantCulture, $"The FWHM step must lie in [0.01, 1] eV; got {stepEv}."));
        }

        double[] pixels = EnergyCalibration.SelectPixels(opticalDensity, mask, 20000, out int count);
        if (count == 0)
        {
            return 0;
        }

        double best = 0;
        double bestValue = double.NegativeInfinity;
        int steps = (int)Math.Floor((maxFwhmEv / stepEv) + 1e-9);
        for (int k = 0; k <= steps; k++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            double fwhm = k * stepEv;
            ReferenceSpectra onStack = EnergyCalibration.ResampleShifted(Broaden(references, fwhm), opticalDensity.Energies, offsetEv);
            double value = EnergyCalibration.MeanBestCorrelation(pixels, count, onStack);
            if (value > bestValue)
            {
                bestValue = value;
                best = fwhm;
            }
        }

        return best;
    }
}
