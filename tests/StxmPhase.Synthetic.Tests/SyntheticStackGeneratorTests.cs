using System.Runtime.InteropServices;
using StxmPhase.Spectra;

namespace StxmPhase.Synthetic.Tests;

public class SyntheticStackGeneratorTests
{
    private static readonly SyntheticStackOptions s_small = new() { Width = 96, Height = 80, ParticleCount = 4, Seed = 11 };

    [Fact]
    public void Generate_SameOptions_BitIdenticalOutput()
    {
        SyntheticDataset a = SyntheticStackGenerator.Generate(s_small);
        SyntheticDataset b = SyntheticStackGenerator.Generate(s_small);

        Assert.True(a.Transmission.Data.Span.SequenceEqual(b.Transmission.Data.Span));
        Assert.True(a.OpticalDensity.Data.Span.SequenceEqual(b.OpticalDensity.Data.Span));
        Assert.True(a.Truth.Labels.SequenceEqual(b.Truth.Labels));
        Assert.True(a.MixingFractions.Span.SequenceEqual(b.MixingFractions.Span));
    }

    [Fact]
    public void Generate_SingleThreadVersusParallel_BitIdenticalOutput()
    {
        var options = new SyntheticStackOptions { Width = 70, Height = 90, ParticleCount = 3, Seed = 5, DriftPixels = 0.7 };
        SyntheticDataset serial = SyntheticStackGenerator.Generate(new SyntheticStackOptions
        {
            Width = 70, Height = 90, ParticleCount = 3, Seed = 5, DriftPixels = 0.7, MaxDegreeOfParallelism = 1,
        });
        SyntheticDataset parallel = SyntheticStackGenerator.Generate(options);

        Assert.True(MemoryMarshal.AsBytes(serial.Transmission.Data.Span).SequenceEqual(MemoryMarshal.AsBytes(parallel.Transmission.Data.Span)));
    }

    [Fact]
    public void Generate_DifferentSeed_DifferentOutput()
    {
        SyntheticDataset a = SyntheticStackGenerator.Generate(s_small);
        SyntheticDataset b = SyntheticStackGenerator.Generate(new SyntheticStackOptions { Width = 96, Height = 80, ParticleCount = 4, Seed = 12 });

        Assert.False(a.Transmission.Data.Span.SequenceEqual(b.Transmission.Data.Span));
        Assert.False(a.Truth.Labels.SequenceEqual(b.Truth.Labels));
    }

    [Fact]
    public void Generate_Defaults_ShapeEnergiesAndQuantities()
    {
        SyntheticDataset data = SyntheticStackGenerator.Generate(new SyntheticStackOptions());

        Assert.Equal(256, data.OpticalDensity.Width);
        Assert.Equal(256, data.OpticalDensity.Height);
        Assert.Equal(NaVanadiumFluorophosphateReferences.DefaultEnergies, data.OpticalDensity.Energies);
        Assert.Equal(NaVanadiumFluorophosphateReferences.DefaultEnergies, data.Transmission.Energies);
        Assert.Equal(SpectralQuantity.Transmission, data.Transmission.Quantity);
        Assert.Equal(SpectralQuantity.OpticalDensity, data.OpticalDensity.Quantity);
        Assert.Equal(501, data.References.Energies.Count);
        Assert.True(data.ReferencesOnStack.Energies.Equals(data.OpticalDensity.Energies));
        Assert.Equal(data.References.PhaseNames, data.Truth.PhaseNames);
        Assert.Equal(13, data.I0.Count);
        Assert.Equal(13, data.DriftShifts.Count);
        Assert.All(data.DriftShifts, s => Assert.Equal(default, s));
        Assert.All(data.I0, v => Assert.Equal(2000.0, v));
        Assert.Equal(6, data.ParticleCount);
        Assert.Equal(5 * 256 * 256, data.MixingFractions.Length);
        Assert.Equal(256 * 256, data.Thickness.Length);
    }

    [Fact]
    public void Generate_CustomEnergies_UsedForStackAndReferences()
    {
        var energies = new EnergyAxis([505.0, 517.5, 530.0, 545.0]);
        SyntheticDataset data = SyntheticStackGenerator.Generate(
            new SyntheticStackOptions { Width = 40, Height = 40, ParticleCount = 1, Energies = energies });

        Assert.Equal(4, data.OpticalDensity.EnergyCount);
        Assert.Equal(energies, data.ReferencesOnStack.Energies);
        Assert.Equal(NaVanadiumFluorophosphateReferences.Absorption(2, 530.0), data.ReferencesOnStack.Spectrum(2)[2], 15);
    }

    [Theory]
    [InlineData(DomainLayout.CoreShell)]
    [InlineData(DomainLayout.Voronoi)]
    [InlineData(DomainLayout.Uniform)]
    public void Generate_Truth_ConsistentWithParticleMaskThicknessAndFractions(DomainLayout layout)
    {
        SyntheticDataset data = SyntheticStackGenerator.Generate(
            new SyntheticStackOptions { Width = 128, Height = 128, DomainLayout = layout, Seed = 3 });
        int n = data.Truth.PixelCount;
        ReadOnlySpan<float> thickness = data.Thickness.Span;
        ReadOnlySpan<float> fractions = data.MixingFractions.Span;

        Assert.True(data.ParticleMask.Count > 0);
        for (int i = 0; i < n; i++)
        {
            bool inParticle = data.ParticleMask[i];
            Assert.Equal(inParticle, data.Truth.Labels[i] >= 0);
            Assert.Equal(inParticle, thickness[i] > 0);
            float sum = 0;
            int argmax = -1;
            float max = 0;
            int nonZero = 0;
            for (int p = 0; p < 5; p++)
            {
                float f = fractions[(p * n) + i];
                Assert.InRange(f, 0f, 1f);
                sum += f;
                nonZero += f > 0 ? 1 : 0;
                if (f > max)
                {
                    max = f;
                    argmax = p;
                }
            }

            Assert.Equal(inParticle ? 1f : 0f, sum, 5);
            Assert.True(nonZero <= 2);
            if (inParticle)
            {
                Assert.Equal(argmax, data.Truth.Labels[i]);
                Assert.Equal(data.BoundaryMask[i], nonZero == 2);
            }
            else
            {
                Assert.False(data.BoundaryMask[i]);
            }
        }

        Assert.True(data.Truth.Fractions().Count(f => f > 0) >= 2);
    }

    [Theory]
    [InlineData(DomainLayout.CoreShell, 1.0)]
    [InlineData(DomainLayout.CoreShell, 3.0)]
    [InlineData(DomainLayout.Voronoi, 1.0)]
    [InlineData(DomainLayout.Voronoi, 3.0)]
    public void Generate_BoundaryPixels_LieWhereDomainsMeet(DomainLayout layout, double boundaryWidth)
    {
        SyntheticDataset data = SyntheticStackGenerator.Generate(new SyntheticStackOptions
        {
            Width = 160, Height = 160, DomainLayout = layout, BoundaryWidthPixels = boundaryWidth, Seed = 8,
        });
        PhaseMap truth = data.Truth;
        int w = truth.Width;
        int h = truth.Height;

        Assert.True(data.BoundaryMask.Count > 20 * boundaryWidth);
        // Every adjacent pair of particle pixels with different majority phases touches the transition zone.
        for (int y = 0; y < h; y++)
        {
            for (int x = 0; x < w; x++)
            {
                foreach ((int nx, int ny) in new[] { (x + 1, y), (x, y + 1) })
                {
                    if (nx < w && ny < h && truth[x, y] >= 0 && truth[nx, ny] >= 0 && truth[x, y] != truth[nx, ny])
                    {
                        Assert.True(data.BoundaryMask[x, y] || data.BoundaryMask[nx, ny], $"({x},{y})–({nx},{ny})");
                    }
                }
            }
        }

        // Every mixed pixel has a pixel of another majority phase within the transition width (+1 for rounding).
        foreach (int i in data.BoundaryMask.IncludedIndices())
        {
            int x = i % w;
            int y = i / w;
            bool found = false;
            for (int dy = -3; dy <= 3 && !found; dy++)
            {
                for (int dx = -3; dx <= 3 && !found; dx++)
                {
                    int xx = x + dx;
                    int yy = y + dy;
                    found = xx >= 0 && yy >= 0 && xx < w && yy < h && truth[xx, yy] >= 0 && truth[xx, yy] != truth[x, y];
                }
            }

            Assert.True(found, $"mixed pixel ({x},{y}) has no other phase within 3 px");
        }
    }

    [Fact]
    public void Generate_CoreShell_MixesConsecutivePhasesWithRicherCore()
    {
        SyntheticDataset data = SyntheticStackGenerator.Generate(new SyntheticStackOptions { Width = 128, Height = 128, Seed = 21 });
        int n = data.Truth.PixelCount;
        ReadOnlySpan<float> fractions = data.MixingFractions.Span;

        foreach (int i in data.BoundaryMask.IncludedIndices())
        {
            var present = new List<int>();
            for (int p = 0; p < 5; p++)
            {
                if (fractions[(p * n) + i] > 0)
                {
                    present.Add(p);
                }
            }

            Assert.Equal(2, present.Count);
            Assert.Equal(present[0] + 1, present[1]);
        }

        // The thickest pixel (the particle centre) carries the core phase: the Na-richer of the two.
        ReadOnlySpan<float> t = data.Thickness.Span;
        int centre = 0;
        for (int i = 1; i < n; i++)
        {
            centre = t[i] > t[centre] ? i : centre;
        }

        int centreLabel = data.Truth.Labels[centre];
        int x0 = centre % 128;
        int y0 = centre / 128;
        // walk right to the particle edge: the last particle pixel is in the shell (label + 1).
        int x = x0;
        while (x + 1 < 128 && data.ParticleMask[x + 1, y0])
        {
            x++;
        }

        Assert.Equal(centreLabel + 1, data.Truth[x, y0]);
    }

    [Theory]
    [InlineData(DomainLayout.CoreShell, 4)]
    [InlineData(DomainLayout.Voronoi, 3)]
    [InlineData(DomainLayout.Uniform, 5)]
    public void Generate_EnoughParticles_EveryPhaseAppears(DomainLayout layout, int particles)
    {
        for (int seed = 0; seed < 3; seed++)
        {
            SyntheticDataset data = SyntheticStackGenerator.Generate(new SyntheticStackOptions
            {
                Width = 200, Height = 200, ParticleCount = particles, DomainLayout = layout, Seed = seed, MaxParticleRadiusFraction = 0.12,
            });

            Assert.Equal(particles, data.ParticleCount);
            Assert.All(data.Truth.Fractions(), f => Assert.True(f > 0));
        }
    }

    [Fact]
    public void Generate_ZeroBoundaryWidth_NoMixedPixels()
    {
        SyntheticDataset data = SyntheticStackGenerator.Generate(new SyntheticStackOptions { Width = 96, Height = 96, BoundaryWidthPixels = 0 });

        Assert.Equal(0, data.BoundaryMask.Count);
        Assert.True(data.Truth.Fractions().Count(f => f > 0) >= 2);
    }

    [Fact]
    public void Generate_Uniform_NoMixedPixels()
    {
        SyntheticDataset data = SyntheticStackGenerator.Generate(
            new SyntheticStackOptions { Width = 96, Height = 96, DomainLayout = DomainLayout.Uniform });

        Assert.Equal(0, data.BoundaryMask.Count);
    }

    [Fact]
    public void Generate_HighDose_OpticalDensityMatchesThicknessTimesAbsorption()
    {
        const double dose = 1e7;
        SyntheticDataset data = SyntheticStackGenerator.Generate(new SyntheticStackOptions { Width = 96, Height = 96, Dose = dose, Seed = 4 });
        ReadOnlySpan<float> od = data.OpticalDensity.Data.Span;
        int n = data.Truth.PixelCount;
        int checkedParticlePixels = 0;
        for (int i = 0; i < n; i += 7)
        {
            for (int e = 0; e < 13; e++)
            {
                double expected = data.NoiselessOpticalDensity(i, e);
                double sigma = 1.0 / Math.Sqrt(dose * Math.Exp(-expected)); // Poisson: σ_OD ≈ 1/√I
                Assert.True(Math.Abs(od[(e * n) + i] - expected) < (5 * sigma) + 1e-5, $"pixel {i}, energy {e}: {od[(e * n) + i]} vs {expected}");
            }

            checkedParticlePixels += data.ParticleMask[i] ? 1 : 0;
        }

        Assert.True(checkedParticlePixels > 50);
    }

    [Fact]
    public void NoiselessOpticalDensity_PurePixel_EqualsFilmPlusThicknessTimesMu()
    {
        SyntheticDataset data = SyntheticStackGenerator.Generate(s_small);
        int i = Enumerable.Range(0, data.Truth.PixelCount).First(p => data.ParticleMask[p] && !data.BoundaryMask[p]);
        int phase = data.Truth.Labels[i];
        double t = data.Thickness.Span[i];
        for (int e = 0; e < 13; e++)
        {
            double energy = data.OpticalDensity.Energies[e];
            double expected = (0.05 * NaVanadiumFluorophosphateReferences.SupportFilmAbsorption(energy))
                + (t * NaVanadiumFluorophosphateReferences.Absorption(phase, energy));
            Assert.Equal(expected, data.NoiselessOpticalDensity(i, e), 6);
        }
    }

    [Fact]
    public void Generate_Noise_ScalesAsInverseSquareRootOfDose()
    {
        double low = FilmNoise(1000);
        double high = FilmNoise(16000);

        // Background (film only): OD ≈ 0.057 at 505 eV, so σ_OD ≈ 1/√(I0·e^−OD).
        Assert.Equal(1.0 / Math.Sqrt(1000 * Math.Exp(-0.05 * NaVanadiumFluorophosphateReferences.SupportFilmAbsorption(505.0))), low, 0.002);
        Assert.InRange(low / high, 3.7, 4.3);
    }

    [Fact]
    public void Generate_LowDose_CountsArePoisson()
    {
        SyntheticDataset data = SyntheticStackGenerator.Generate(new SyntheticStackOptions
        {
            Width = 128, Height = 128, Dose = 6, SupportFilmOd = 0, ParticleCount = 1,
            MinParticleRadiusFraction = 0.05, MaxParticleRadiusFraction = 0.05,
        });
        ReadOnlySpan<float> counts = data.Transmission.Plane(0);
        var background = new List<double>();
        for (int i = 0; i < counts.Length; i++)
        {
            if (!data.ParticleMask[i])
            {
                background.Add(counts[i]);
            }
        }

        (double mean, double variance) = TestMath.MeanVariance(background);
        Assert.Equal(6.0, mean, 0.15);
        Assert.Equal(6.0, variance, 0.5);
        Assert.All(background, c => Assert.Equal(Math.Round(c), c));
    }

    [Fact]
    public void Generate_DoseBelowOnePhoton_ZeroCountsGiveFiniteOpticalDensity()
    {
        SyntheticDataset data = SyntheticStackGenerator.Generate(
            new SyntheticStackOptions { Width = 48, Height = 48, ParticleCount = 2, Dose = 0.5 });
        ReadOnlySpan<float> counts = data.Transmission.Data.Span;
        ReadOnlySpan<float> od = data.OpticalDensity.Data.Span;
        int zeros = 0;
        for (int i = 0; i < counts.Length; i++)
        {
            Assert.True(float.IsFinite(od[i]));
            if (counts[i] == 0)
            {
                zeros++;
                Assert.Equal(Math.Log(2 * 0.5), od[i], 5); // −ln(½ / I0) with I0 = 0.5
            }
        }

        Assert.True(zeros > counts.Length / 2);
    }

    [Theory]
    [InlineData(0.4)]
    [InlineData(2.5)]
    public void Generate_MaxThicknessOd_BoundsThicknessAndParticleAbsorption(double maxThickness)
    {
        SyntheticDataset data = SyntheticStackGenerator.Generate(
            new SyntheticStackOptions { Width = 128, Height = 128, MaxThicknessOd = maxThickness, SupportFilmOd = 0 });
        ReadOnlySpan<float> t = data.Thickness.Span;
        double maxT = 0;
        double maxOd = 0;
        for (int i = 0; i < t.Length; i++)
        {
            maxT = Math.Max(maxT, t[i]);
            for (int e = 0; e < 13; e++)
            {
                maxOd = Math.Max(maxOd, data.NoiselessOpticalDensity(i, e));
            }
        }

        Assert.InRange(maxT, 0.55 * maxThickness, maxThickness);
        Assert.InRange(maxOd, 0.4 * maxThickness, maxThickness); // μ ≤ 1 everywhere
    }

    [Fact]
    public void Generate_BeamDecayAndJitter_ReportedI0DrivesCounts()
    {
        SyntheticDataset decay = SyntheticStackGenerator.Generate(
            new SyntheticStackOptions { Width = 64, Height = 64, ParticleCount = 1, BeamDecayFraction = 0.2 });
        Assert.Equal(2000.0, decay.I0[0], 9);
        Assert.Equal(1600.0, decay.I0[12], 9);
        double mean = 0;
        int count = 0;
        ReadOnlySpan<float> last = decay.Transmission.Plane(12);
        for (int i = 0; i < last.Length; i++)
        {
            if (!decay.ParticleMask[i])
            {
                mean += last[i];
                count++;
            }
        }

        mean /= count;
        double film = 0.05 * NaVanadiumFluorophosphateReferences.SupportFilmAbsorption(decay.OpticalDensity.Energies[12]);
        Assert.Equal(1600.0 * Math.Exp(-film), mean, 3.0);

        SyntheticDataset jitter = SyntheticStackGenerator.Generate(
            new SyntheticStackOptions { Width = 32, Height = 32, ParticleCount = 1, I0JitterFraction = 0.05 });
        Assert.True(jitter.I0.Distinct().Count() > 10);
        Assert.All(jitter.I0, v => Assert.InRange(v, 2000 * 0.85, 2000 * 1.15));
    }

    [Fact]
    public void Generate_Drift_ImagesDisplacedByReportedShifts()
    {
        SyntheticDataset data = SyntheticStackGenerator.Generate(new SyntheticStackOptions
        {
            Width = 128, Height = 128, ParticleCount = 3, DriftPixels = 1.5, Dose = 1e8, Seed = 9,
        });
        int n = data.Truth.PixelCount;

        Assert.Equal(default, data.DriftShifts[0]);
        Assert.True(data.DriftShifts.Skip(1).All(s => s.Dx != 0 && s.Dy != 0));
        for (int e = 0; e < 13; e++)
        {
            double film = 0.05 * NaVanadiumFluorophosphateReferences.SupportFilmAbsorption(data.OpticalDensity.Energies[e]);
            (double mx, double my) = Centroid(data.OpticalDensity.Plane(e), 128, film);
            float[] clean = new float[n];
            for (int i = 0; i < n; i++)
            {
                clean[i] = (float)data.NoiselessOpticalDensity(i, e);
            }

            (double cx, double cy) = Centroid(clean, 128, film);
            Assert.Equal(data.DriftShifts[e].Dx, mx - cx, 0.05);
            Assert.Equal(data.DriftShifts[e].Dy, my - cy, 0.05);
        }
    }

    [Fact]
    public void Generate_NoiselessPurePixels_PearsonArgmaxRecoversTruth()
    {
        SyntheticDataset data = SyntheticStackGenerator.Generate(
            new SyntheticStackOptions { Width = 128, Height = 128, SupportFilmOd = 0, DomainLayout = DomainLayout.Voronoi, Seed = 2 });
        double[] spectrum = new double[13];
        int tested = 0;
        foreach (int i in data.ParticleMask.IncludedIndices())
        {
            if (data.BoundaryMask[i])
            {
                continue;
            }

            for (int e = 0; e < 13; e++)
            {
                spectrum[e] = data.NoiselessOpticalDensity(i, e);
            }

            Assert.Equal(data.Truth.Labels[i], TestMath.ArgMaxPearson(spectrum, data.ReferencesOnStack));
            tested++;
        }

        Assert.True(tested > 1000);
    }

    [Fact]
    public void Generate_NoisyPixelsAtDefaultDose_PearsonMostlyRightButNotAlways()
    {
        // The point of the dataset: correlation is good on thick pure pixels, and ambiguous/wrong on some thin or mixed ones.
        SyntheticDataset data = SyntheticStackGenerator.Generate(new SyntheticStackOptions { Width = 160, Height = 160, Seed = 1 });
        int n = data.Truth.PixelCount;
        ReadOnlySpan<float> od = data.OpticalDensity.Data.Span;
        double[] spectrum = new double[13];
        int pure = 0, pureCorrect = 0, mixed = 0, mixedCorrect = 0;
        foreach (int i in data.ParticleMask.IncludedIndices())
        {
            for (int e = 0; e < 13; e++)
            {
                spectrum[e] = od[(e * n) + i];
            }

            bool correct = TestMath.ArgMaxPearson(spectrum, data.ReferencesOnStack) == data.Truth.Labels[i];
            if (data.BoundaryMask[i])
            {
                mixed++;
                mixedCorrect += correct ? 1 : 0;
            }
            else
            {
                pure++;
                pureCorrect += correct ? 1 : 0;
            }
        }

        double pureAccuracy = (double)pureCorrect / pure;
        double mixedAccuracy = (double)mixedCorrect / mixed;
        Assert.InRange(pureAccuracy, 0.75, 0.999);
        Assert.True(mixedAccuracy < pureAccuracy, $"mixed {mixedAccuracy} vs pure {pureAccuracy}");
    }

    [Fact]
    public void Generate_Large512Stack_Completes()
    {
        SyntheticDataset data = SyntheticStackGenerator.Generate(
            new SyntheticStackOptions { Width = 512, Height = 512, ParticleCount = 12, DriftPixels = 0.5 });

        Assert.Equal(13 * 512 * 512, data.OpticalDensity.Data.Length);
        Assert.True(data.ParticleMask.Count > 10000);
    }

    [Fact]
    public void Generate_CrowdedField_PlacesFewerParticles()
    {
        SyntheticDataset data = SyntheticStackGenerator.Generate(new SyntheticStackOptions
        {
            Width = 40, Height = 40, ParticleCount = 64, MinParticleRadiusFraction = 0.3, MaxParticleRadiusFraction = 0.3,
        });

        Assert.InRange(data.ParticleCount, 1, 63);
    }

    [Fact]
    public void Generate_NullOptions_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => SyntheticStackGenerator.Generate(null!));
    }

    public static TheoryData<SyntheticStackOptions> BadOptions() =>
    [
        new SyntheticStackOptions { Width = 0 },
        new SyntheticStackOptions { Height = -3 },
        new SyntheticStackOptions { ParticleCount = 0 },
        new SyntheticStackOptions { Dose = 0 },
        new SyntheticStackOptions { Dose = double.NaN },
        new SyntheticStackOptions { MaxThicknessOd = -1 },
        new SyntheticStackOptions { MinParticleRadiusFraction = 0.2, MaxParticleRadiusFraction = 0.1 },
        new SyntheticStackOptions { BoundaryWidthPixels = -1 },
        new SyntheticStackOptions { DriftPixels = 100 },
        new SyntheticStackOptions { DomainsPerParticle = 1 },
        new SyntheticStackOptions { BeamDecayFraction = 1.5 },
        new SyntheticStackOptions { MaxDegreeOfParallelism = 0 },
        new SyntheticStackOptions { DomainLayout = (DomainLayout)17 },
    ];

    [Theory]
    [MemberData(nameof(BadOptions))]
    public void Generate_OptionOutOfRange_ThrowsArgumentOutOfRange(SyntheticStackOptions options)
    {
        ArgumentOutOfRangeException ex = Assert.Throws<ArgumentOutOfRangeException>(() => SyntheticStackGenerator.Generate(options));
        Assert.Equal("options", ex.ParamName);
        Assert.Contains("SyntheticStackOptions.", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Generate_EnergyOutsideReferenceRange_ThrowsArgumentException()
    {
        var options = new SyntheticStackOptions { Energies = new EnergyAxis([505.0, 560.0]) };

        ArgumentException ex = Assert.Throws<ArgumentException>(() => SyntheticStackGenerator.Generate(options));
        Assert.Contains("560", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Generate_CancelledToken_Throws()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() => SyntheticStackGenerator.Generate(s_small, cts.Token));
    }

    private static double FilmNoise(double dose)
    {
        SyntheticDataset data = SyntheticStackGenerator.Generate(
            new SyntheticStackOptions { Width = 128, Height = 128, Dose = dose, ParticleCount = 2, Seed = 31 });
        ReadOnlySpan<float> od = data.OpticalDensity.Plane(0);
        var residuals = new List<double>();
        for (int i = 0; i < od.Length; i++)
        {
            if (!data.ParticleMask[i])
            {
                residuals.Add(od[i] - data.NoiselessOpticalDensity(i, 0));
            }
        }

        return Math.Sqrt(TestMath.MeanVariance(residuals).Variance);
    }

    private static (double X, double Y) Centroid(ReadOnlySpan<float> plane, int width, double film)
    {
        double sum = 0, sx = 0, sy = 0;
        for (int i = 0; i < plane.Length; i++)
        {
            double v = plane[i] - film;
            sum += v;
            sx += v * (i % width);
            sy += v * (i / width);
        }

        return (sx / sum, sy / sum);
    }
}
