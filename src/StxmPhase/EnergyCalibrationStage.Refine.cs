using StxmPhase.Spectra;

namespace StxmPhase;

/// <summary>Mode Auto's refinement of an accepted offset on the noise model's χ² (the quantity its test and the posteriors use).</summary>
internal static partial class EnergyCalibrationStage
{
    /// <summary>The least half-width in eV of the refinement's window around the correlation estimate.</summary>
    private const double RefineHalfWidthEv = 0.1;

    /// <summary>The trial offsets on each side of the correlation estimate (the window is cut in 2 × this steps).</summary>
    private const int RefineStepsPerSide = 4;

    /// <summary>
    /// The offset that minimises the noise model's summed per-pixel χ² (<see cref="NoiseProbe.SummedChiSquare"/>: the χ² of the
    /// test, on the better-fitted half of its pixels at the estimate) over ΔE in [estimate − w, estimate + w], w = max(2
    /// uncertainties, 0.1 eV), inside ±<paramref name="searchRangeEv"/>: the best of 2·4 + 1 even trials, refined by the
    /// parabola through it and its neighbours. The correlation estimate of core–shell stacks is biased by −0.02 to −0.05 eV
    /// whatever the true offset; this minimum by about half as much, and on every pixel it would be biased at 48² (−0.03 eV;
    /// docs/accuracy.md).
    /// </summary>
    private static double RefineOnNoiseModel(
        NoiseProbe probe, EnergyOffsetEstimate estimate, double searchRangeEv, CancellationToken cancellationToken)
    {
        double u = double.IsFinite(estimate.UncertaintyEv) ? estimate.UncertaintyEv : 0;
        double halfWidth = Math.Max(2 * u, RefineHalfWidthEv);
        double low = Math.Max(-searchRangeEv, estimate.OffsetEv - halfWidth), high = Math.Min(searchRangeEv, estimate.OffsetEv + halfWidth);
        int count = (2 * RefineStepsPerSide) + 1;
        double step = (high - low) / (count - 1);
        if (!(step > 0))
        {
            return estimate.OffsetEv;
        }

        double[] chi = new double[count];
        int best = 0;
        bool[][] subset = probe.BetterFittedHalf(estimate.OffsetEv, cancellationToken);
        for (int i = 0; i < count; i++)
        {
            chi[i] = probe.SummedChiSquare(low + (i * step), subset, cancellationToken);
            best = chi[i] < chi[best] ? i : best;
        }

        if (!double.IsFinite(chi[best]))
        {
            return estimate.OffsetEv;
        }

        double at = low + (best * step);
        if (best == 0 || best == count - 1 || !double.IsFinite(chi[best - 1]) || !double.IsFinite(chi[best + 1]))
        {
            return at;
        }

        // Vertex of the parabola through (−1, c₋), (0, c₀), (+1, c₊) in steps; c₀ is the least, so the curvature is ≥ 0.
        double curvature = chi[best - 1] - (2 * chi[best]) + chi[best + 1];
        double vertex = curvature > 0 ? 0.5 * (chi[best - 1] - chi[best + 1]) / curvature : 0;
        return at + (Math.Clamp(vertex, -0.5, 0.5) * step);
    }
}
