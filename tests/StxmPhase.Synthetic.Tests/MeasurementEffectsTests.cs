namespace StxmPhase.Synthetic.Tests;

/// <summary>
/// Measurement effects of the generator (issue 16), each against a double-precision oracle written out here. A very high dose
/// (1e9 photons) makes the counting noise of OD ≈ 1e−4, far below the tolerances.
/// </summary>
public class MeasurementEffectsTests
{
    private const double HighDose = 1e9;

    /// <summary>The thickest particle pixel, its (only) phase and its thickness.</summary>
    private static (int Pixel, int Phase, double Thickness) ThickestPixel(SyntheticDataset data)
    {
        int best = 0;
        ReadOnlySpan<float> t = data.Thickness.Span;
        for (int i = 1; i < t.Length; i++)
        {
            if (t[i] > t[best])
            {
                best = i;
            }
        }

        return (best, data.Truth.Labels[best], t[best]);
    }

    private static double Od(SyntheticDataset data, int pixel, int energy) =>
        data.OpticalDensity.Data.Span[(energy * data.Truth.PixelCount) + pixel];

    [Fact]
    public void Generate_AllEffectsOff_BitIdenticalToPlainOptions()
    {
        SyntheticDataset plain = SyntheticStackGenerator.Generate(new SyntheticStackOptions { Width = 40, Height = 40, ParticleCount = 2, Seed = 9 });
        SyntheticDataset explicitOff = SyntheticStackGenerator.Generate(new SyntheticStackOptions
        {
            Width = 40, Height = 40, ParticleCount = 2, Seed = 9, EnergyOffsetEv = 0, EnergyJitterEv = 0, SpectralBroadeningEv = 0,
            HarmonicFraction = 0, HarmonicAbsorptionRatio = 0.3, CarbonLayerOd = 0, PsfFwhmPixels = 0, BeamDamageFraction = 0,
        });

        Assert.True(plain.Transmission.Data.Span.SequenceEqual(explicitOff.Transmission.Data.Span));
    }

    [Theory]
    [InlineData(0.25)]
    [InlineData(-0.4)]
    public void Generate_EnergyOffset_SampleMeasuredAtShiftedEnergy(double offset)
    {
        SyntheticDataset data = SyntheticStackGenerator.Generate(new SyntheticStackOptions
        {
            Width = 48, Height = 48, ParticleCount = 2, Seed = 3, Dose = HighDose, DomainLayout = DomainLayout.Uniform, BoundaryWidthPixels = 0,
            EnergyOffsetEv = offset,
        });
        (int pixel, int phase, double thickness) = ThickestPixel(data);
        double maxUnshiftedError = 0;
        for (int e = 0; e < data.OpticalDensity.Energies.Count; e++)
        {
            double energy = data.OpticalDensity.Energies[e];
            double film = data.Options.SupportFilmOd * NaVanadiumFluorophosphateReferences.SupportFilmAbsorption(energy);
            double expected = film + (thickness * NaVanadiumFluorophosphateReferences.Absorption(phase, energy + offset));
            Assert.Equal(expected, Od(data, pixel, e), 2e-3);
            maxUnshiftedError = Math.Max(maxUnshiftedError, Math.Abs(Od(data, pixel, e) - data.NoiselessOpticalDensity(pixel, e)));
        }

        Assert.True(maxUnshiftedError > 0.02, $"the offset changed the OD by at most {maxUnshiftedError}");
    }

    [Fact]
    public void Generate_SpectralBroadening_MatchesGaussianConvolutionOracle()
    {
        const double Fwhm = 0.8;
        SyntheticDataset data = SyntheticStackGenerator.Generate(new SyntheticStackOptions
        {
            Width = 48, Height = 48, ParticleCount = 2, Seed = 3, Dose = HighDose, DomainLayout = DomainLayout.Uniform, BoundaryWidthPixels = 0,
            SpectralBroadeningEv = Fwhm,
        });
        (int pixel, int phase, double thickness) = ThickestPixel(data);
        double sigma = Fwhm / (2 * Math.Sqrt(2 * Math.Log(2)));
        for (int e = 0; e < data.OpticalDensity.Energies.Count; e++)
        {
            double energy = data.OpticalDensity.Energies[e];

            // Oracle: trapezoid over ±6σ with 4001 points.
            double sum = 0, weights = 0;
            for (int i = -2000; i <= 2000; i++)
            {
                double x = i * 6 * sigma / 2000;
                double w = Math.Exp(-x * x / (2 * sigma * sigma)) * (Math.Abs(i) == 2000 ? 0.5 : 1.0);
                sum += w * NaVanadiumFluorophosphateReferences.Absorption(phase, energy + x);
                weights += w;
            }

            double film = data.Options.SupportFilmOd * NaVanadiumFluorophosphateReferences.SupportFilmAbsorption(energy);
            Assert.Equal(film + (thickness * sum / weights), Od(data, pixel, e), 2e-3);
        }
    }

    [Fact]
    public void Generate_HarmonicContamination_OdSaturatesAsTwoComponentBeerLambert()
    {
        const double H = 0.04, Kappa = 0.1;
        SyntheticDataset data = SyntheticStackGenerator.Generate(new SyntheticStackOptions
        {
            Width = 48, Height = 48, ParticleCount = 2, Seed = 3, Dose = HighDose, DomainLayout = DomainLayout.Uniform, BoundaryWidthPixels = 0,
            MaxThicknessOd = 4, HarmonicFraction = H, HarmonicAbsorptionRatio = Kappa,
        });
        (int pixel, _, _) = ThickestPixel(data);
        double largestDeficit = 0;
        for (int e = 0; e < data.OpticalDensity.Energies.Count; e++)
        {
            double od0 = data.NoiselessOpticalDensity(pixel, e);
            double expected = -Math.Log(((1 - H) * Math.Exp(-od0)) + (H * Math.Exp(-Kappa * od0)));
            Assert.Equal(expected, Od(data, pixel, e), 2e-3);
            largestDeficit = Math.Max(largestDeficit, od0 - Od(data, pixel, e));
        }

        Assert.True(largestDeficit > 0.3, $"the measured OD should saturate; largest deficit {largestDeficit}");
    }

    [Fact]
    public void Generate_CarbonLayer_AddsCarbonSpectrumInsideParticlesOnly()
    {
        const double Layer = 0.3;
        SyntheticDataset data = SyntheticStackGenerator.Generate(new SyntheticStackOptions
        {
            Width = 48, Height = 48, ParticleCount = 2, Seed = 3, Dose = HighDose, DomainLayout = DomainLayout.Uniform, BoundaryWidthPixels = 0,
            CarbonLayerOd = Layer,
        });
        var energies = data.OpticalDensity.Energies;
        int reference = energies.Count - 1; // 534.5 eV
        double minLayer = double.MaxValue, maxLayer = 0;
        for (int i = 0; i < data.Truth.PixelCount; i++)
        {
            double excess = Od(data, i, reference) - data.NoiselessOpticalDensity(i, reference);
            double layer = excess / NaVanadiumFluorophosphateReferences.CarbonLayerAbsorption(energies[reference]);
            if (!data.ParticleMask[i])
            {
                Assert.Equal(0, excess, 2e-3);
                continue;
            }

            minLayer = Math.Min(minLayer, layer);
            maxLayer = Math.Max(maxLayer, layer);
            for (int e = 0; e < energies.Count; e++)
            {
                double expected = layer * NaVanadiumFluorophosphateReferences.CarbonLayerAbsorption(energies[e]);
                Assert.Equal(expected, Od(data, i, e) - data.NoiselessOpticalDensity(i, e), 3e-3);
            }
        }

        Assert.InRange(minLayer, (0.2 * Layer) - 0.01, Layer);
        Assert.InRange(maxLayer, minLayer + 0.05, Layer + 0.01);
        Assert.True(NaVanadiumFluorophosphateReferences.CarbonLayerAbsorption(532.0)
            > 1.5 * NaVanadiumFluorophosphateReferences.CarbonLayerAbsorption(528.0));
    }

    [Fact]
    public void Generate_PointSpreadFunction_BlursTransmissionLikeGaussianOracle()
    {
        const double Fwhm = 2.5;
        SyntheticDataset data = SyntheticStackGenerator.Generate(new SyntheticStackOptions
        {
            Width = 40, Height = 36, ParticleCount = 2, Seed = 3, Dose = HighDose, DomainLayout = DomainLayout.Uniform, BoundaryWidthPixels = 0,
            PsfFwhmPixels = Fwhm,
        });
        int w = 40, h = 36, e = 3;
        double sigma = Fwhm / (2 * Math.Sqrt(2 * Math.Log(2)));
        int radius = (int)Math.Ceiling(3 * sigma);
        double norm = 0;
        for (int k = -radius; k <= radius; k++)
        {
            norm += Math.Exp(-k * k / (2 * sigma * sigma));
        }

        double largestBlurEffect = 0;
        for (int y = 0; y < h; y++)
        {
            for (int x = 0; x < w; x++)
            {
                double sum = 0;
                for (int dy = -radius; dy <= radius; dy++)
                {
                    for (int dx = -radius; dx <= radius; dx++)
                    {
                        int xx = Math.Clamp(x + dx, 0, w - 1), yy = Math.Clamp(y + dy, 0, h - 1);
                        double weight = Math.Exp(-((dx * dx) + (dy * dy)) / (2 * sigma * sigma)) / (norm * norm);
                        sum += weight * Math.Exp(-data.NoiselessOpticalDensity((yy * w) + xx, e));
                    }
                }

                int i = (y * w) + x;
                Assert.Equal(-Math.Log(sum), Od(data, i, e), 2e-3);
                largestBlurEffect = Math.Max(largestBlurEffect, Math.Abs(Od(data, i, e) - data.NoiselessOpticalDensity(i, e)));
            }
        }

        Assert.True(largestBlurEffect > 0.05, $"the PSF should blur particle edges; largest change {largestBlurEffect}");
    }

    [Fact]
    public void Generate_BeamDamage_ParticleAmountFallsInAcquisitionOrder()
    {
        const double Damage = 0.3;
        SyntheticDataset data = SyntheticStackGenerator.Generate(new SyntheticStackOptions
        {
            Width = 48, Height = 48, ParticleCount = 2, Seed = 3, Dose = HighDose, DomainLayout = DomainLayout.Uniform, BoundaryWidthPixels = 0,
            BeamDamageFraction = Damage,
        });
        (int pixel, _, _) = ThickestPixel(data);
        int count = data.OpticalDensity.Energies.Count;
        for (int e = 0; e < count; e++)
        {
            double film = data.Options.SupportFilmOd * NaVanadiumFluorophosphateReferences.SupportFilmAbsorption(data.OpticalDensity.Energies[e]);
            double expected = film + ((1 - (Damage * e / (count - 1))) * (data.NoiselessOpticalDensity(pixel, e) - film));
            Assert.Equal(expected, Od(data, pixel, e), 2e-3);
        }
    }

    [Fact]
    public void Generate_EnergyJitter_DeterministicAndDifferentFromNone()
    {
        var options = new SyntheticStackOptions { Width = 32, Height = 32, ParticleCount = 1, Seed = 4, EnergyJitterEv = 0.1 };
        SyntheticDataset a = SyntheticStackGenerator.Generate(options);
        SyntheticDataset b = SyntheticStackGenerator.Generate(options);
        SyntheticDataset none = SyntheticStackGenerator.Generate(new SyntheticStackOptions { Width = 32, Height = 32, ParticleCount = 1, Seed = 4 });

        Assert.True(a.OpticalDensity.Data.Span.SequenceEqual(b.OpticalDensity.Data.Span));
        Assert.False(a.OpticalDensity.Data.Span.SequenceEqual(none.OpticalDensity.Data.Span));
    }

    [Theory]
    [InlineData(nameof(SyntheticStackOptions.EnergyOffsetEv), 2.5)]
    [InlineData(nameof(SyntheticStackOptions.EnergyJitterEv), -0.1)]
    [InlineData(nameof(SyntheticStackOptions.SpectralBroadeningEv), 3.5)]
    [InlineData(nameof(SyntheticStackOptions.HarmonicFraction), 0.6)]
    [InlineData(nameof(SyntheticStackOptions.HarmonicAbsorptionRatio), 1.5)]
    [InlineData(nameof(SyntheticStackOptions.CarbonLayerOd), double.NaN)]
    [InlineData(nameof(SyntheticStackOptions.PsfFwhmPixels), 17)]
    [InlineData(nameof(SyntheticStackOptions.BeamDamageFraction), 0.95)]
    public void Generate_EffectOutOfRange_ThrowsNamingOption(string name, double value)
    {
        var options = new SyntheticStackOptions { Width = 16, Height = 16 };
        typeof(SyntheticStackOptions).GetProperty(name)!.SetValue(options, value);

        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => SyntheticStackGenerator.Generate(options));
        Assert.Contains(name, ex.Message, StringComparison.Ordinal);
    }
}
