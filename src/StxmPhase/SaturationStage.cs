using StxmPhase.Spectra;

namespace StxmPhase;

/// <summary>The saturation stage of the workflow: flag pixels beyond the linear OD range (issue 16).</summary>
internal static class SaturationStage
{
    public static PixelMask? Detect(SpectralStack opticalDensity, PixelMask sample, PhaseMappingOptions options) =>
        double.IsPositiveInfinity(options.MaxOpticalDensity) ? null : Saturation.Detect(opticalDensity, options.MaxOpticalDensity, sample);

    public static void Attach(PhaseMappingRun run, PreparedStack[] prepared)
    {
        for (int s = 0; s < prepared.Length && s < run.Results.Count; s++)
        {
            run.Results[s].Saturated = prepared[s].Saturated;
        }
    }
}
