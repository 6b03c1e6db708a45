using System.Globalization;

namespace StxmPhase.Unmixing;

/// <summary>How <see cref="CompositionEstimator"/> relates a pixel spectrum to the composition coordinate.</summary>
public enum CompositionModel
{
    /// <summary>
    /// The default. One continuous curve through the references sorted by value: per energy a natural cubic spline of the
    /// reference spectra over their rank t = 0 … K − 1, the coordinate piecewise linear in t between the reference values.
    /// A pixel is amplitude·μ(E; t) (+ an offset when no background spectrum is available); t is found on a grid of 0.01
    /// by weighted least squares with the Poisson noise model. The spline follows a peak that shifts between neighbouring
    /// references (a solid solution) more closely than a linear mixture does: noiseless synthetic solid solutions give an
    /// RMSE of 0.004 in x against 0.011 for <see cref="AdjacentPairs"/>.
    /// </summary>
    ReferenceCurve = 0,

    /// <summary>
    /// Per pixel, the best non-negative mixture a·μ<sub>j</sub> + b·μ<sub>j+1</sub> + c of two references adjacent in value;
    /// x = x<sub>j</sub> + f·(x<sub>j+1</sub> − x<sub>j</sub>) with f = b/(a + b), sd by the delta method with the noise scale
    /// taken from the residuals. No neighbourhood (<see cref="CompositionOptions.NeighbourhoodRadius"/> is ignored).
    /// </summary>
    AdjacentPairs = 1,
}

/// <summary>Options of <see cref="CompositionEstimator"/>.</summary>
/// <remarks>
/// <para>Neighbourhood (<see cref="CompositionModel.ReferenceCurve"/>): the coordinate of a pixel is the one that fits the
/// (2r + 1)² pixels of its neighbourhood inside the mask jointly, each with its own amplitude (thickness): the weighted
/// residual profiles of the pixels are summed over the neighbourhood and minimised over t. This trades spatial resolution
/// (r pixels) for precision: on synthetic solid solutions at dose 2000 the RMSE in x drops from 0.154 (r = 0) to 0.059
/// (r = 1).</para>
/// <para>Uncertainty: the noise model gives var OD(E) = exp(OD(E))/I0; I0 is estimated from the pixels outside the mask
/// (per energy exp(median)/MAD², the median over energies), so the summed residual is a χ². The 90 % profile-likelihood
/// interval {t : χ²(t) ≤ χ²<sub>min</sub> + 2.706} gives sd = (x<sub>hi</sub> − x<sub>lo</sub>)/(2·1.645). Without a background (no
/// mask, or fewer than 16 outside pixels) the threshold is 2.706·s², s² = χ²<sub>min</sub>/dof, with weights exp(−OD). With r &gt; 0 the
/// estimate is an average over the neighbourhood, so a resolution term is added in quadrature: |∇x|·r/√3 (the spread of a
/// position uniform in ±r), with |∇x|² from central differences of the estimated map less their noise variance.</para>
/// </remarks>
public sealed record CompositionOptions
{
    /// <summary>Gets the default options (reference curve, radius 1).</summary>
    public static CompositionOptions Default { get; } = new();

    /// <summary>Gets the model. Default <see cref="CompositionModel.ReferenceCurve"/>.</summary>
    public CompositionModel Model { get; init; } = CompositionModel.ReferenceCurve;

    /// <summary>Gets the neighbourhood radius r in pixels, in [0, 5]; 0 fits every pixel alone. Default 1 (3 × 3).</summary>
    public int NeighbourhoodRadius { get; init; } = 1;

    internal void Validate()
    {
        if (NeighbourhoodRadius is < 0 or > 5)
        {
            throw new ArgumentOutOfRangeException(nameof(NeighbourhoodRadius), NeighbourhoodRadius,
                string.Create(CultureInfo.InvariantCulture,
                    $"CompositionOptions.NeighbourhoodRadius must lie in [0, 5]; got {NeighbourhoodRadius}."));
        }

        if (!Enum.IsDefined(Model))
        {
            throw new ArgumentOutOfRangeException(nameof(Model), Model,
                string.Create(CultureInfo.InvariantCulture, $"CompositionOptions.Model {(int)Model} is not defined."));
        }
    }
}
