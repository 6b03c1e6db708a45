using Microsoft.Extensions.Logging;
using StxmPhase.Spectra;

namespace StxmPhase;

/// <summary>Optical density and sample mask for one workflow input.</summary>
internal static class Preprocessing
{
    /// <summary>
    /// Converts a transmission stack to optical density (automatic I0 from the sample-free region) and builds the sample
    /// mask: the automatic Otsu particle mask (if enabled) ∧ the caller mask ∧ the pixels where OD is defined.
    /// </summary>
    public static PreparedInput Prepare(PhaseMappingInput input, PhaseMappingOptions options, ILogger logger, CancellationToken cancellationToken)
    {
        SpectralStack stack = input.Stack;
        SpectralStack od;
        PixelMask? defined = null;
        int undefined = 0;
        if (stack.Quantity == SpectralQuantity.OpticalDensity)
        {
            od = stack;
        }
        else
        {
            OpticalDensityOptions odOptions = stack.Quantity == SpectralQuantity.Transmittance
                ? new OpticalDensityOptions { I0 = I0Source.FromSpectrum(Enumerable.Repeat(1.0, stack.EnergyCount).ToArray()) }
                : new OpticalDensityOptions();
            OpticalDensityResult r = OpticalDensity.FromTransmission(stack, odOptions, cancellationToken);
            od = r.OpticalDensity;
            defined = r.ValidMask;
            undefined = r.InvalidPixelCount;
            string quantity = stack.Quantity.ToString();
            double i0Min = r.I0.Min(), i0Max = r.I0.Max();
            Log.OpticalDensityDone(logger, input.Name, quantity, i0Min, i0Max, undefined);
        }

        PixelMask? sample = input.Mask;
        if (defined is not null)
        {
            sample = sample is null ? defined : sample.And(defined);
        }

        if (options.Mask == MaskMode.Auto)
        {
            ParticleMaskResult particles = ParticleMask.Compute(od, include: sample);
            Log.ParticleMaskDone(logger, input.Name, particles.Threshold, particles.Mask.Count, od.PixelCount);
            sample = particles.Mask;
        }

        return new PreparedInput(od, sample ?? PixelMask.Uniform(od.Width, od.Height), undefined);
    }
}

/// <summary>The optical density, sample mask and count of pixels with undefined OD of one input.</summary>
internal readonly record struct PreparedInput(SpectralStack OpticalDensity, PixelMask SampleMask, int UndefinedCount);
