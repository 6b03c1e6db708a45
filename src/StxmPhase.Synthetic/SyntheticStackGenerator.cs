using System.Globalization;
using System.Numerics.Tensors;
using StxmPhase.Spectra;

namespace StxmPhase.Synthetic;

/// <summary>
/// Generates physically grounded synthetic STXM stacks of Na<sub>x</sub>V<sub>2</sub>(PO<sub>4</sub>)<sub>2</sub>F<sub>3</sub>
/// particles with full ground truth.
/// </summary>
/// <remarks>
/// <para>Pipeline (see docs/synthetic-data.md):</para>
/// <list type="number">
/// <item>Scene: up to <see cref="SyntheticStackOptions.ParticleCount"/> non-overlapping, irregular elliptical particles with a
/// dome thickness profile t = t<sub>max</sub>·√(1 − ρ²); phase domains (core–shell, Voronoi or uniform) with linear
/// transition zones of <see cref="SyntheticStackOptions.BoundaryWidthPixels"/> where a pixel is a mixture of two phases.</item>
/// <item>Noiseless optical density per energy E: OD(E) = OD<sub>film</sub>·c(E) + t·Σ<sub>p</sub> f<sub>p</sub>·μ<sub>p</sub>(E),
/// with μ<sub>p</sub> from <see cref="NaVanadiumFluorophosphateReferences"/> evaluated exactly at the stack energies.</item>
/// <item>Optional drift: the OD image of energy e is displaced by a random-walk shift (bilinear resampling).</item>
/// <item>Beer–Lambert and counting noise: I ~ Poisson(I0(E)·exp(−OD)); the OD stack is −ln(max(I, ½)/I0(E)).</item>
/// </list>
/// <para>
/// Determinism: the scene, I0 and drift come from <c>new Random(Seed)</c>; the noise of each band of 16 rows comes from its own
/// xoshiro256** stream seeded (through SplitMix64) from a 64-bit value drawn from that master stream, so the output is
/// bit-identical for equal options regardless of <see cref="SyntheticStackOptions.MaxDegreeOfParallelism"/> or the machine's
/// core count. Cost: O(pixels × (energies + phases × energies)); a 512² × 13 stack takes a fraction of a second.
/// </para>
/// </remarks>
public static partial class SyntheticStackGenerator
{
    private const int BandRows = 16;

    /// <summary>Generates a synthetic dataset.</summary>
    /// <param name="options">The generation options.</param>
    /// <param name="cancellationToken">Cancels generation.</param>
    /// <returns>The stacks, references and ground truth.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is outside its documented range (the message names it and its value).</exception>
    /// <exception cref="ArgumentException">An energy of <see cref="SyntheticStackOptions.Energies"/> lies outside 500–550 eV, or the
    /// stack would be too large.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static SyntheticDataset Generate(SyntheticStackOptions options, CancellationToken cancellationToken = default) =>
        Generate(options, default, 0, cancellationToken);

    /// <summary>
    /// <see cref="Generate(SyntheticStackOptions, CancellationToken)"/> with the whole recorded stack displaced by
    /// <paramref name="offset"/> (added to every energy's drift) and the noise streams salted by <paramref name="noiseSalt"/>
    /// (the scene, drawn first from the seed, is unchanged): one field recorded again, e.g. at another edge.
    /// </summary>
    internal static SyntheticDataset Generate(SyntheticStackOptions options, PixelShift offset, long noiseSalt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        Validate(options);
        cancellationToken.ThrowIfCancellationRequested();

        EnergyAxis energies = options.Energies ?? NaVanadiumFluorophosphateReferences.DefaultEnergies;
        ReferenceSpectra references = NaVanadiumFluorophosphateReferences.Evaluate(
            NaVanadiumFluorophosphateReferences.HighResolutionEnergies, options.OxygenPreEdgeShiftEv);
        ReferenceSpectra onStack = NaVanadiumFluorophosphateReferences.Evaluate(energies, options.OxygenPreEdgeShiftEv);
        int phaseCount = onStack.PhaseCount;
        int width = options.Width;
        int height = options.Height;
        int n = width * height;
        int energyCount = energies.Count;

        var random = new Random(options.Seed);
        ParticleScene scene = ParticleScene.Build(options, phaseCount, random, cancellationToken);

        double[] i0 = BeamIntensity(options, energyCount, random);
        PixelShift[] drift = Drift(options, energyCount, random);
        for (int e = 0; e < energyCount; e++)
        {
            drift[e] = new PixelShift(drift[e].Dx + offset.Dx, drift[e].Dy + offset.Dy);
        }

        int bandCount = (height + BandRows - 1) / BandRows;
        long[] bandSeeds = new long[bandCount];
        for (int b = 0; b < bandCount; b++)
        {
            bandSeeds[b] = random.NextInt64() ^ noiseSalt;
        }

        double[] supportOd = new double[energyCount];
        for (int e = 0; e < energyCount; e++)
        {
            supportOd[e] = options.SupportFilmOd * NaVanadiumFluorophosphateReferences.SupportFilmAbsorption(energies[e]);
        }

        // Per-phase "absorber amount" planes A_p = t · f_p, so that OD(E) = film(E) + Σ_p μ_p(E) · A_p (one FMA pass per phase).
        float[] amount = new float[phaseCount * n];
        for (int p = 0; p < phaseCount; p++)
        {
            TensorPrimitives.Multiply(scene.Fractions.AsSpan(p * n, n), scene.Thickness, amount.AsSpan(p * n, n));
        }

        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.MaxDegreeOfParallelism, CancellationToken = cancellationToken };
        double[] muArray = onStack.Values.ToArray();

        float[] transmission;
        float[] opticalDensity;
        if (options.HasMeasurementEffects)
        {
            // Measurement effects (energy offset, broadening, harmonics, carbon layer, PSF, damage): a separate full-plane path,
            // so that datasets without them stay bit-identical.
            (transmission, opticalDensity) = RenderWithEffects(
                options, energies, amount, phaseCount, supportOd, i0, drift, bandSeeds, scene.InParticle, random, parallel);
        }
        else
        {
            // 1. With drift only: the noiseless OD of every energy in the ground-truth frame, so that displaced images can be
            //    resampled from it. Without drift each row is computed on the fly in step 2.
            bool hasDrift = Array.Exists(drift, s => s.Dx != 0 || s.Dy != 0);
            float[] clean = hasDrift ? new float[(long)energyCount * n] : [];
            if (hasDrift)
            {
                Parallel.For(0, bandCount, parallel, band =>
                {
                    int start = band * BandRows * width;
                    int length = Math.Min(BandRows * width, n - start);
                    for (int e = 0; e < energyCount; e++)
                    {
                        NoiselessOpticalDensity(
                            amount, n, start, muArray, e, energyCount, (float)supportOd[e], clean.AsSpan((e * n) + start, length));
                    }
                });
            }

            // 2. Drift, Beer–Lambert and Poisson counting noise, per band with its own random stream.
            transmission = new float[(long)energyCount * n];
            opticalDensity = new float[(long)energyCount * n];
            Parallel.For(0, bandCount, parallel, band =>
            {
                var sampler = new PoissonSampler(new Xoshiro256StarStar((ulong)bandSeeds[band]));
                float[] row = new float[width];
                float[] lambda = new float[width];
                int y0 = band * BandRows;
                int y1 = Math.Min(height, y0 + BandRows);
                for (int e = 0; e < energyCount; e++)
                {
                    ReadOnlySpan<float> plane = hasDrift ? clean.AsSpan(e * n, n) : default;
                    float intensity = (float)i0[e];
                    float logIntensity = (float)Math.Log(i0[e]);
                    PixelShift shift = drift[e];
                    for (int y = y0; y < y1; y++)
                    {
                        if (!hasDrift)
                        {
                            NoiselessOpticalDensity(amount, n, y * width, muArray, e, energyCount, (float)supportOd[e], row);
                        }
                        else if (shift.Dx == 0 && shift.Dy == 0)
                        {
                            plane.Slice(y * width, width).CopyTo(row);
                        }
                        else
                        {
                            SampleShiftedRow(plane, width, height, y, shift, row);
                        }

                        // λ = I0 · exp(−OD)
                        TensorPrimitives.Negate(row, lambda);
                        TensorPrimitives.Exp(lambda, lambda);
                        TensorPrimitives.Multiply(lambda, intensity, lambda);
                        Span<float> counts = transmission.AsSpan((e * n) + (y * width), width);
                        for (int x = 0; x < width; x++)
                        {
                            counts[x] = (float)sampler.Next(lambda[x]);
                        }

                        // OD = ln I0 − ln max(I, ½)
                        Span<float> od = opticalDensity.AsSpan((e * n) + (y * width), width);
                        TensorPrimitives.Max(counts, 0.5f, od);
                        TensorPrimitives.Log(od, od);
                        TensorPrimitives.Negate(od, od);
                        TensorPrimitives.Add(od, logIntensity, od);
                    }
                }
            });
        }

        var metadata = new StackMetadata
        {
            Name = string.Create(CultureInfo.InvariantCulture, $"synthetic-nvpf-seed{options.Seed}"),
            Attributes = new Dictionary<string, string>
            {
                ["generator"] = "StxmPhase.Synthetic",
                ["seed"] = options.Seed.ToString(CultureInfo.InvariantCulture),
                ["dose"] = options.Dose.ToString("R", CultureInfo.InvariantCulture),
                ["domainLayout"] = options.DomainLayout.ToString(),
                ["particles"] = scene.ParticleCount.ToString(CultureInfo.InvariantCulture),
            },
        };

        return new SyntheticDataset(
            options,
            new SpectralStack(energies, width, height, transmission, SpectralQuantity.Transmission, metadata),
            new SpectralStack(energies, width, height, opticalDensity, SpectralQuantity.OpticalDensity, metadata),
            references,
            onStack,
            PhaseMap.FromArray(width, height, onStack.PhaseNames, scene.Labels),
            PixelMask.FromArray(width, height, scene.Boundary),
            PixelMask.FromArray(width, height, scene.InParticle),
            i0,
            drift,
            scene.Thickness,
            scene.Fractions,
            supportOd,
            scene.ParticleCount) { ParticleIdArray = scene.ParticleIds };
    }

    /// <summary>
    /// Noiseless OD of the pixels [start, start + destination.Length) at energy e: film(E) + Σ_p μ_p(E)·A_p, with A_p = t·f_p
    /// (one vectorised fused multiply–add pass per phase).
    /// </summary>
    private static void NoiselessOpticalDensity(
        float[] amount, int pixelCount, int start, double[] mu, int energyIndex, int energyCount, float film, Span<float> destination)
    {
        destination.Fill(film);
        int phases = mu.Length / energyCount;
        for (int p = 0; p < phases; p++)
        {
            TensorPrimitives.MultiplyAdd(
                amount.AsSpan((p * pixelCount) + start, destination.Length), (float)mu[(p * energyCount) + energyIndex], destination, destination);
        }
    }

    /// <summary>
    /// Bilinear sample of row <paramref name="y"/> of a plane displaced by <paramref name="shift"/>: value(x, y) =
    /// plane(x − dx, y − dy), coordinates clamped to the image (edge pixels repeat).
    /// </summary>
    private static void SampleShiftedRow(ReadOnlySpan<float> plane, int width, int height, int y, PixelShift shift, Span<float> destination)
    {
        double sy = Math.Clamp(y - shift.Dy, 0, height - 1);
        int ya = (int)Math.Floor(sy);
        int yb = Math.Min(ya + 1, height - 1);
        float wy = (float)(sy - ya);
        ReadOnlySpan<float> rowA = plane.Slice(ya * width, width);
        ReadOnlySpan<float> rowB = plane.Slice(yb * width, width);
        for (int x = 0; x < width; x++)
        {
            double sx = Math.Clamp(x - shift.Dx, 0, width - 1);
            int xa = (int)Math.Floor(sx);
            int xb = Math.Min(xa + 1, width - 1);
            float wx = (float)(sx - xa);
            float top = rowA[xa] + ((rowA[xb] - rowA[xa]) * wx);
            float bottom = rowB[xa] + ((rowB[xb] - rowB[xa]) * wx);
            destination[x] = top + ((bottom - top) * wy);
        }
    }

    private static double[] BeamIntensity(SyntheticStackOptions options, int energyCount, Random random)
    {
        double[] i0 = new double[energyCount];
        for (int e = 0; e < energyCount; e++)
        {
            double decay = energyCount > 1 ? 1.0 - (options.BeamDecayFraction * e / (energyCount - 1)) : 1.0;
            double jitter = 1.0;
            if (options.I0JitterFraction > 0)
            {
                jitter += options.I0JitterFraction * Math.Clamp(StandardNormal(random), -3.0, 3.0);
            }

            i0[e] = options.Dose * decay * jitter;
        }

        return i0;
    }

    private static PixelShift[] Drift(SyntheticStackOptions options, int energyCount, Random random)
    {
        var shifts = new PixelShift[energyCount];
        if (options.DriftPixels <= 0)
        {
            return shifts;
        }

        double dx = 0;
        double dy = 0;
        for (int e = 1; e < energyCount; e++)
        {
            dx += options.DriftPixels * StandardNormal(random);
            dy += options.DriftPixels * StandardNormal(random);
            shifts[e] = new PixelShift(dx, dy);
        }

        return shifts;
    }

    /// <summary>Box–Muller standard normal (used only for the few master-stream draws).</summary>
    private static double StandardNormal(Random random)
    {
        double u1 = 1.0 - random.NextDouble(); // (0, 1]
        double u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    private static void Validate(SyntheticStackOptions options)
    {
        CheckRange(options.Width, 1, 16384, nameof(options.Width), nameof(options));
        CheckRange(options.Height, 1, 16384, nameof(options.Height), nameof(options));
        CheckRange(options.ParticleCount, 1, 64, nameof(options.ParticleCount), nameof(options));
        CheckRange(options.MinParticleRadiusFraction, double.Epsilon, 0.5, nameof(options.MinParticleRadiusFraction), nameof(options));
        CheckRange(
            options.MaxParticleRadiusFraction, options.MinParticleRadiusFraction, 0.5, nameof(options.MaxParticleRadiusFraction), nameof(options));
        CheckRange(options.MaxThicknessOd, double.Epsilon, 10.0, nameof(options.MaxThicknessOd), nameof(options));
        CheckRange(options.SupportFilmOd, 0.0, 1.0, nameof(options.SupportFilmOd), nameof(options));
        CheckRange(options.DomainsPerParticle, 2, 5, nameof(options.DomainsPerParticle), nameof(options));
        CheckRange(options.BoundaryWidthPixels, 0.0, 64.0, nameof(options.BoundaryWidthPixels), nameof(options));
        CheckRange(options.Dose, double.Epsilon, 1e9, nameof(options.Dose), nameof(options));
        CheckRange(options.BeamDecayFraction, 0.0, 0.9, nameof(options.BeamDecayFraction), nameof(options));
        CheckRange(options.I0JitterFraction, 0.0, 0.2, nameof(options.I0JitterFraction), nameof(options));
        CheckRange(options.DriftPixels, 0.0, 16.0, nameof(options.DriftPixels), nameof(options));
        CheckRange(options.EnergyOffsetEv, -2.0, 2.0, nameof(options.EnergyOffsetEv), nameof(options));
        CheckRange(options.OxygenPreEdgeShiftEv, -2.0, 2.0, nameof(options.OxygenPreEdgeShiftEv), nameof(options));
        CheckRange(options.EnergyJitterEv, 0.0, 0.5, nameof(options.EnergyJitterEv), nameof(options));
        CheckRange(options.SpectralBroadeningEv, 0.0, 3.0, nameof(options.SpectralBroadeningEv), nameof(options));
        CheckRange(options.HarmonicFraction, 0.0, 0.5, nameof(options.HarmonicFraction), nameof(options));
        CheckRange(options.HarmonicAbsorptionRatio, 0.0, 1.0, nameof(options.HarmonicAbsorptionRatio), nameof(options));
        CheckRange(options.CarbonLayerOd, 0.0, 2.0, nameof(options.CarbonLayerOd), nameof(options));
        CheckRange(options.PsfFwhmPixels, 0.0, 16.0, nameof(options.PsfFwhmPixels), nameof(options));
        CheckRange(options.BeamDamageFraction, 0.0, 0.9, nameof(options.BeamDamageFraction), nameof(options));
        Parallelism.ThrowIfInvalid(options.MaxDegreeOfParallelism, nameof(options), "SyntheticStackOptions.MaxDegreeOfParallelism");

        if (!Enum.IsDefined(options.DomainLayout))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.DomainLayout,
                string.Create(CultureInfo.InvariantCulture,
                    $"SyntheticStackOptions.DomainLayout has an undefined value ({(int)options.DomainLayout})."));
        }

        if (options.Energies is { } energies)
        {
            for (int e = 0; e < energies.Count; e++)
            {
                if (energies[e] < NaVanadiumFluorophosphateReferences.HighResolutionMinimumEv
                    || energies[e] > NaVanadiumFluorophosphateReferences.HighResolutionMaximumEv)
                {
                    throw new ArgumentException(
                        string.Create(CultureInfo.InvariantCulture,
                            $"SyntheticStackOptions.Energies: energy {energies[e]} eV at index {e} lies outside the reference range "
                            + $"{NaVanadiumFluorophosphateReferences.HighResolutionMinimumEv}–"
                            + $"{NaVanadiumFluorophosphateReferences.HighResolutionMaximumEv} eV."),
                        nameof(options));
                }
            }
        }

        long values = (long)(options.Energies?.Count ?? NaVanadiumFluorophosphateReferences.DefaultEnergies.Count) * options.Width * options.Height;
        if (values > Array.MaxLength || (long)NaVanadiumFluorophosphateReferences.PhaseCount * options.Width * options.Height > Array.MaxLength)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture,
                    $"A synthetic stack of {options.Width} × {options.Height} pixels and {values} values is too large."),
                nameof(options));
        }
    }

    private static void CheckRange(double value, double minimum, double maximum, string name, string paramName)
    {
        if (!(value >= minimum && value <= maximum))
        {
            throw new ArgumentOutOfRangeException(paramName, value,
                string.Create(CultureInfo.InvariantCulture, $"SyntheticStackOptions.{name} must lie in [{minimum}, {maximum}]; got {value}."));
        }
    }
}
