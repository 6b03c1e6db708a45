using System.Numerics.Tensors;
using StxmPhase.Spectra;

namespace StxmPhase.Synthetic;

/// <summary>The measurement-effects path of the generator (issue 16): real-beamtime distortions in physical units.</summary>
public static partial class SyntheticStackGenerator
{
    /// <summary>
    /// Renders the transmitted counts and OD with measurement effects, in this order: (1) noiseless OD per energy with the
    /// sample's absorption evaluated at the true photon energy E + offset + jitter<sub>e</sub> and broadened by a Gaussian,
    /// beam damage scaling the particle amount in acquisition order, plus the support film and the carbon layer; (2) stage
    /// drift (bilinear); (3) expected transmitted fraction with higher harmonics T = (1 − h)e<sup>−OD</sup> + h·e<sup>−κOD</sup>;
    /// (4) the point-spread function blurring T (separable Gaussian, edge pixels repeat); (5) Poisson counts I ~ Poisson(I0·T)
    /// with the same per-band streams as the plain path, and OD = ln I0 − ln max(I, ½).
    /// </summary>
    private static (float[] Transmission, float[] OpticalDensity) RenderWithEffects(
        SyntheticStackOptions options,
        EnergyAxis energies,
        float[] amount,
        int phaseCount,
        double[] supportOd,
        double[] i0,
        PixelShift[] drift,
        long[] bandSeeds,
        bool[] inParticle,
        Random random,
        ParallelOptions parallel)
    {
        int width = options.Width;
        int height = options.Height;
        int n = width * height;
        int energyCount = energies.Count;
        int bandCount = bandSeeds.Length;

        // True photon energies and the sample's absorption there (random draws only for the effects that are on, after all
        // draws of the plain path).
        double[] trueEnergies = new double[energyCount];
        for (int e = 0; e < energyCount; e++)
        {
            double jitter = options.EnergyJitterEv > 0 ? options.EnergyJitterEv * Math.Clamp(StandardNormal(random), -3.0, 3.0) : 0.0;
            trueEnergies[e] = energies[e] + options.EnergyOffsetEv + jitter;
        }

        double[] mu = new double[phaseCount * energyCount];
        double[] carbonMu = new double[energyCount];
        for (int e = 0; e < energyCount; e++)
        {
            for (int p = 0; p < phaseCount; p++)
            {
                mu[(p * energyCount) + e] = NaVanadiumFluorophosphateReferences.BroadenedAbsorption(
                    p, trueEnergies[e], options.SpectralBroadeningEv, options.OxygenPreEdgeShiftEv);
            }

            carbonMu[e] = NaVanadiumFluorophosphateReferences.BroadenedCarbonLayerAbsorption(trueEnergies[e], options.SpectralBroadeningEv);
        }

        float[] carbon = options.CarbonLayerOd > 0 ? CarbonLayerThickness(options, inParticle, random) : [];

        // (1) Noiseless OD planes.
        float[] planes = new float[(long)energyCount * n];
        Parallel.For(0, bandCount, parallel, band =>
        {
            int start = band * BandRows * width;
            int length = Math.Min(BandRows * width, n - start);
            for (int e = 0; e < energyCount; e++)
            {
                Span<float> destination = planes.AsSpan((e * n) + start, length);
                NoiselessOpticalDensity(amount, n, start, mu, e, energyCount, 0f, destination);
                float damage = energyCount > 1 ? (float)(1.0 - (options.BeamDamageFraction * e / (energyCount - 1))) : 1f;
                TensorPrimitives.Multiply(destination, damage, destination);
                TensorPrimitives.Add(destination, (float)supportOd[e], destination);
                if (carbon.Length > 0)
                {
                    TensorPrimitives.MultiplyAdd(carbon.AsSpan(start, length), (float)carbonMu[e], destination, destination);
                }
            }
        });

        // (2) Drift.
        if (Array.Exists(drift, s => s.Dx != 0 || s.Dy != 0))
        {
            float[] shifted = new float[(long)energyCount * n];
            Parallel.For(0, energyCount, parallel, e =>
            {
                ReadOnlySpan<float> plane = planes.AsSpan(e * n, n);
                for (int y = 0; y < height; y++)
                {
                    SampleShiftedRow(plane, width, height, y, drift[e], shifted.AsSpan((e * n) + (y * width), width));
                }
            });
            planes = shifted;
        }

        // (3) Expected transmitted fraction with higher harmonics.
        float h = (float)options.HarmonicFraction;
        float kappa = (float)options.HarmonicAbsorptionRatio;
        Parallel.For(0, energyCount, parallel, e =>
        {
            Span<float> plane = planes.AsSpan(e * n, n);
            if (h > 0)
            {
                float[] harmonic = new float[n];
                TensorPrimitives.Multiply(plane, -kappa, harmonic);
                TensorPrimitives.Exp(harmonic, harmonic);
                TensorPrimitives.Negate(plane, plane);
                TensorPrimitives.Exp(plane, plane);
                TensorPrimitives.Multiply(plane, 1f - h, plane);
                TensorPrimitives.MultiplyAdd(harmonic, h, plane, plane);
            }
            else
            {
                TensorPrimitives.Negate(plane, plane);
                TensorPrimitives.Exp(plane, plane);
            }

            // (4) Point-spread function.
            if (options.PsfFwhmPixels > 0)
            {
                GaussianBlur(plane, width, height, options.PsfFwhmPixels);
            }
        });

        // (5) Counting noise.
        float[] transmission = new float[(long)energyCount * n];
        float[] opticalDensity = new float[(long)energyCount * n];
        Parallel.For(0, bandCount, parallel, band =>
        {
            var sampler = new PoissonSampler(new Xoshiro256StarStar((ulong)bandSeeds[band]));
            int y0 = band * BandRows;
            int y1 = Math.Min(height, y0 + BandRows);
            for (int e = 0; e < energyCount; e++)
            {
                float intensity = (float)i0[e];
                float logIntensity = (float)Math.Log(i0[e]);
                for (int y = y0; y < y1; y++)
                {
                    int offset = (e * n) + (y * width);
                    ReadOnlySpan<float> fraction = planes.AsSpan(offset, width);
                    Span<float> counts = transmission.AsSpan(offset, width);
                    for (int x = 0; x < width; x++)
                    {
                        counts[x] = (float)sampler.Next(intensity * fraction[x]);
                    }

                    Span<float> od = opticalDensity.AsSpan(offset, width);
                    TensorPrimitives.Max(counts, 0.5f, od);
                    TensorPrimitives.Log(od, od);
                    TensorPrimitives.Negate(od, od);
                    TensorPrimitives.Add(od, logIntensity, od);
                }
            }
        });

        return (transmission, opticalDensity);
    }

    /// <summary>
    /// Carbon-layer OD at 532 eV per pixel: CarbonLayerOd × (0.2 + 0.8·s(x, y)) inside particles, 0 outside, with s ∈ [0, 1] a
    /// smooth field (the normalised sum of four random plane waves with periods of 0.3–1 image sizes).
    /// </summary>
    private static float[] CarbonLayerThickness(SyntheticStackOptions options, bool[] inParticle, Random random)
    {
        int width = options.Width;
        int height = options.Height;
        int size = Math.Max(width, height);
        const int Waves = 4;
        double[] kx = new double[Waves];
        double[] ky = new double[Waves];
        double[] phase = new double[Waves];
        for (int w = 0; w < Waves; w++)
        {
            double angle = 2.0 * Math.PI * random.NextDouble();
            double period = size * (0.3 + (0.7 * random.NextDouble()));
            kx[w] = 2.0 * Math.PI * Math.Cos(angle) / period;
            ky[w] = 2.0 * Math.PI * Math.Sin(angle) / period;
            phase[w] = 2.0 * Math.PI * random.NextDouble();
        }

        float[] layer = new float[width * height];
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                int i = (y * width) + x;
                if (!inParticle[i])
                {
                    continue;
                }

                double sum = 0;
                for (int w = 0; w < Waves; w++)
                {
                    sum += Math.Cos((kx[w] * x) + (ky[w] * y) + phase[w]);
                }

                double s = 0.5 + (sum / (2.0 * Waves)); // in [0, 1]
                layer[i] = (float)(options.CarbonLayerOd * (0.2 + (0.8 * s)));
            }
        }

        return layer;
    }

    /// <summary>In-place separable Gaussian blur (σ = FWHM / 2.3548, kernel radius ⌈3σ⌉, edge pixels repeat).</summary>
    private static void GaussianBlur(Span<float> plane, int width, int height, double fwhmPixels)
    {
        double sigma = fwhmPixels / (2.0 * Math.Sqrt(2.0 * Math.Log(2.0)));
        int radius = Math.Max(1, (int)Math.Ceiling(3.0 * sigma));
        float[] kernel = new float[(2 * radius) + 1];
        double total = 0;
        for (int k = -radius; k <= radius; k++)
        {
            total += Math.Exp(-0.5 * k * k / (sigma * sigma));
        }

        for (int k = -radius; k <= radius; k++)
        {
            kernel[k + radius] = (float)(Math.Exp(-0.5 * k * k / (sigma * sigma)) / total);
        }

        float[] temp = new float[plane.Length];
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                float sum = 0;
                for (int k = -radius; k <= radius; k++)
                {
                    int xx = Math.Clamp(x + k, 0, width - 1);
                    sum += kernel[k + radius] * plane[(y * width) + xx];
                }

                temp[(y * width) + x] = sum;
            }
        }

        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                float sum = 0;
                for (int k = -radius; k <= radius; k++)
                {
                    int yy = Math.Clamp(y + k, 0, height - 1);
                    sum += kernel[k + radius] * temp[(yy * width) + x];
                }

                plane[(y * width) + x] = sum;
            }
        }
    }
}
