using System.Globalization;
using StxmPhase.Spectra;

namespace StxmPhase;

/// <summary>
/// How well the latent-space false-positive flags (<see cref="PhaseMappingResult.FalsePositives"/>) find the pixels PCC
/// actually got wrong, on synthetic truth: a flag is correct when the pixel is confidently PCC-labelled (valid, not
/// ambiguous), carries a true phase, and its PCC label differs from it.
/// </summary>
/// <param name="Threshold">τ of the test that made the flags.</param>
/// <param name="Flagged">Flagged pixels with a true phase.</param>
/// <param name="PccWrong">Confidently labelled pixels with a true phase whose PCC label is wrong.</param>
/// <param name="TruePositives">Flagged pixels whose PCC label is wrong.</param>
public sealed record FalsePositiveEvaluation(double Threshold, int Flagged, int PccWrong, int TruePositives)
{
    /// <summary>Gets the fraction of flags that are PCC errors (NaN when nothing was flagged).</summary>
    public double Precision => Flagged == 0 ? double.NaN : TruePositives / (double)Flagged;

    /// <summary>Gets the fraction of confident PCC errors that were flagged (NaN when PCC made none).</summary>
    public double Recall => PccWrong == 0 ? double.NaN : TruePositives / (double)PccWrong;

    /// <summary>Scores the flags of <paramref name="result"/> against <paramref name="truth"/>.</summary>
    /// <param name="result">A workflow result.</param>
    /// <param name="truth">The true map (−1 = background, not evaluated), same size.</param>
    /// <param name="threshold">τ of the test that made the flags (<see cref="PhaseMappingOptions.FalsePositiveThreshold"/>), for the report.</param>
    /// <returns>The counts, precision and recall.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The truth differs in size from the result.</exception>
    public static FalsePositiveEvaluation Evaluate(PhaseMappingResult result, PhaseMap truth, double threshold)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(truth);
        if (truth.Width != result.Width || truth.Height != result.Height)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture,
                    $"The truth is {truth.Width}×{truth.Height} but the result '{result.Name}' is {result.Width}×{result.Height}."),
                nameof(truth));
        }

        ReadOnlySpan<int> t = truth.Labels, pcc = result.PccMap.Labels;
        int flagged = 0, wrong = 0, hits = 0;
        for (int i = 0; i < t.Length; i++)
        {
            if (t[i] < 0 || !result.Valid[i] || result.Correlation.Ambiguous[i])
            {
                continue;
            }

            bool isWrong = pcc[i] != t[i];
            bool isFlagged = result.FalsePositives[i];
            wrong += isWrong ? 1 : 0;
            flagged += isFlagged ? 1 : 0;
            hits += isWrong && isFlagged ? 1 : 0;
        }

        return new FalsePositiveEvaluation(threshold, flagged, wrong, hits);
    }
}
