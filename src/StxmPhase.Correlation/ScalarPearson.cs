using StxmPhase.Spectra;

namespace StxmPhase.Correlation;

/// <summary>
/// The plain scalar implementation: one pixel at a time, gathered from the energy-major planes into a float64
/// spectrum, two passes (mean, then centred sums), float64 accumulation. It is the benchmark baseline, the
/// reference the vector kernel is tested against, and the vector kernel's fallback for the rare pixels whose
/// float32 sums overflow (|x| ≳ 1e19).
/// </summary>
internal static class ScalarPearson
{
    /// <summary>Correlates every pixel, single-threaded.</summary>
    /// <param name="data">The energy-major stack (E planes of N pixels).</param>
    /// <param name="pixelCount">N.</param>
    /// <param name="references">Prepared references.</param>
    /// <param name="mask">Optional mask (<see langword="false"/> = excluded).</param>
    /// <param name="ambiguityThreshold">The float32 threshold.</param>
    /// <param name="output">Destination.</param>
    /// <param name="cancellationToken">Checked once per 65,536 pixels.</param>
    public static void Correlate(ReadOnlySpan<float> data, int pixelCount, PreparedReferences references,
        PixelMask? mask, float ambiguityThreshold, OutputSpans output, CancellationToken cancellationToken)
    {
        Span<double> x = references.EnergyCount <= 256 ? stackalloc double[references.EnergyCount] : new double[references.EnergyCount];
        Span<float> rho = references.PhaseCount <= 64 ? stackalloc float[references.PhaseCount] : new float[references.PhaseCount];
        for (int i = 0; i < pixelCount; i++)
        {
            if ((i & 0xFFFF) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            if (mask is not null && !mask[i])
            {
                output.WriteNotValid(i, references.PhaseCount, PixelStatus.Masked);
                continue;
            }

            Pixel(data, i, pixelCount, references, x, rho, output, i, ambiguityThreshold);
        }
    }

    /// <summary>Evaluates one pixel and writes its outputs.</summary>
    /// <param name="data">Source values; energy e of the pixel is <c>data[offset + e · stride]</c>.</param>
    /// <param name="offset">Offset of energy 0.</param>
    /// <param name="stride">Distance between energies.</param>
    /// <param name="references">Prepared references.</param>
    /// <param name="x">Scratch of E doubles.</param>
    /// <param name="rho">Scratch of P floats.</param>
    /// <param name="output">Destination.</param>
    /// <param name="outIndex">Index of the pixel in <paramref name="output"/>.</param>
    /// <param name="ambiguityThreshold">The float32 threshold.</param>
    public static void Pixel(ReadOnlySpan<float> data, int offset, int stride, PreparedReferences references,
        Span<double> x, Span<float> rho, OutputSpans output, int outIndex, float ambiguityThreshold)
    {
        int energies = references.EnergyCount;
        double mean = 0;
        double sumSquares = 0;
        bool finite = true;
        for (int e = 0; e < energies; e++)
        {
            double v = data[offset + (e * stride)];
            finite &= double.IsFinite(v);
            x[e] = v;
            mean += v;
            sumSquares += v * v;
        }

        if (!finite)
        {
            output.WriteNotValid(outIndex, references.PhaseCount, PixelStatus.Invalid);
            return;
        }

        mean /= energies;
        double variance = 0;
        for (int e = 0; e < energies; e++)
        {
            double d = x[e] - mean;
            x[e] = d;
            variance += d * d;
        }

        if (variance <= PearsonMath.ConstantTolerance * Math.Max(1.0, sumSquares))
        {
            output.WriteNotValid(outIndex, references.PhaseCount, PixelStatus.Invalid);
            return;
        }

        double scale = 1.0 / Math.Sqrt(variance);
        double[] r = references.Centred;
        for (int j = 0; j < references.PhaseCount; j++)
        {
            double dot = 0;
            int baseIndex = j * energies;
            for (int e = 0; e < energies; e++)
            {
                dot += x[e] * r[baseIndex + e];
            }

            rho[j] = (float)Math.Clamp(dot * scale, -1.0, 1.0);
        }

        output.WriteValid(outIndex, rho, ambiguityThreshold);
    }
}
