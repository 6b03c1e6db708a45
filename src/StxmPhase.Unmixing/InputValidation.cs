using System.Globalization;
using StxmPhase.Spectra;

namespace StxmPhase.Unmixing;

/// <summary>Shared checks of stacks, masks and references.</summary>
internal static class InputValidation
{
    public static void CheckMask(SpectralStack stack, PixelMask? mask)
    {
        if (mask is not null && (mask.Width != stack.Width || mask.Height != stack.Height))
        {
            throw new IncompatibleInputException(
                string.Create(CultureInfo.InvariantCulture,
                    $"The pixel mask is {mask.Width}×{mask.Height} but the stack is {stack.Width}×{stack.Height}."));
        }
    }

    /// <summary>Checks an options type's EnergyToleranceEv (finite, not negative); the message names the option.</summary>
    public static void CheckEnergyTolerance(double toleranceEv, string optionsType, string paramName)
    {
        if (!(toleranceEv >= 0) || double.IsInfinity(toleranceEv))
        {
            throw new ArgumentOutOfRangeException(paramName, toleranceEv,
                string.Create(CultureInfo.InvariantCulture,
                    $"{optionsType}.EnergyToleranceEv must be finite and not negative; got {toleranceEv} eV."));
        }
    }

    public static void CheckEnergies(SpectralStack stack, ReferenceSpectra references, double toleranceEv) =>
        stack.Energies.EnsureMatches(references.Energies, "the stack", "the reference spectra", toleranceEv,
            "Resample the references onto the stack energies first (ReferenceSpectra.ResampleTo).");

    /// <summary>
    /// Copies the spectra of the included, finite pixels into a pixel-major float64 matrix.
    /// Status receives Valid, Masked or Invalid for every pixel; returns the pixel index of each row.
    /// </summary>
    public static int[] ExtractValidRows(SpectralStack stack, PixelMask? mask, PixelStatus[] status, out double[] rows)
    {
        int n = stack.PixelCount;
        int e = stack.EnergyCount;
        ReadOnlySpan<float> data = stack.Data.Span;
        for (int p = 0; p < n; p++)
        {
            status[p] = mask is null || mask[p] ? PixelStatus.Valid : PixelStatus.Masked;
        }

        for (int k = 0; k < e; k++)
        {
            ReadOnlySpan<float> plane = data.Slice(k * n, n);
            for (int p = 0; p < n; p++)
            {
                if (status[p] == PixelStatus.Valid && !float.IsFinite(plane[p]))
                {
                    status[p] = PixelStatus.Invalid;
                }
            }
        }

        int count = 0;
        for (int p = 0; p < n; p++)
        {
            if (status[p] == PixelStatus.Valid)
            {
                count++;
            }
        }

        int[] index = new int[count];
        int c = 0;
        for (int p = 0; p < n; p++)
        {
            if (status[p] == PixelStatus.Valid)
            {
                index[c++] = p;
            }
        }

        rows = new double[(long)count * e];
        for (int k = 0; k < e; k++)
        {
            ReadOnlySpan<float> plane = data.Slice(k * n, n);
            for (int i = 0; i < count; i++)
            {
                rows[((long)i * e) + k] = plane[index[i]];
            }
        }

        return index;
    }
}
