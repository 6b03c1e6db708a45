using StxmPhase.Spectra;

namespace StxmPhase.Synthetic.Tests;

public class NaVanadiumFluorophosphateReferencesTests
{
    [Fact]
    public void HighResolution_Shape_FivePhasesOn501Energies()
    {
        ReferenceSpectra refs = NaVanadiumFluorophosphateReferences.HighResolution();

        Assert.Equal(["Na3.0", "Na2.4", "Na2.0", "Na1.0", "Na1-y"], refs.PhaseNames);
        Assert.Equal(501, refs.Energies.Count);
        Assert.Equal(500.0, refs.Energies.MinimumEv);
        Assert.Equal(550.0, refs.Energies.MaximumEv);
        Assert.Equal(530.0, refs.Energies[300], 9);
    }

    [Fact]
    public void HighResolution_Normalisation_LargestValueIsOneAndAllPositive()
    {
        ReferenceSpectra refs = NaVanadiumFluorophosphateReferences.HighResolution();

        double max = double.NegativeInfinity;
        foreach (double v in refs.Values)
        {
            Assert.True(v > 0);
            max = Math.Max(max, v);
        }

        Assert.Equal(1.0, max, 12);
    }

    [Fact]
    public void DefaultEnergies_ThirteenInsideReferenceRange_WithOnePreEdge()
    {
        EnergyAxis axis = NaVanadiumFluorophosphateReferences.DefaultEnergies;

        Assert.Equal(13, axis.Count);
        Assert.True(axis.MinimumEv >= 500.0 && axis.MaximumEv <= 550.0);
        Assert.True(axis[0] < 510.0);   // pre-edge
        Assert.True(axis[1] > 515.0);   // the rest on the V L2,3 / O K features
        Assert.Equal(3, axis.Count(e => e is >= 529.0 and <= 532.0)); // O K pre-edge
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void References_PairwisePearson_DistinctButNeighboursSimilar(bool sparse)
    {
        ReferenceSpectra refs = sparse
            ? NaVanadiumFluorophosphateReferences.Evaluate(NaVanadiumFluorophosphateReferences.DefaultEnergies)
            : NaVanadiumFluorophosphateReferences.HighResolution();
        // Documented in docs/synthetic-data.md: neighbours > 0.97 (high-res) / > 0.93 (13 energies); extremes < 0.8 / < 0.5.
        double neighbourMinimum = sparse ? 0.93 : 0.97;
        double extremeMaximum = sparse ? 0.5 : 0.8;

        for (int a = 0; a < refs.PhaseCount; a++)
        {
            for (int b = a + 1; b < refs.PhaseCount; b++)
            {
                double r = TestMath.Pearson(refs.Spectrum(a), refs.Spectrum(b));
                Assert.True(r < 0.999, $"{refs.PhaseNames[a]} vs {refs.PhaseNames[b]}: r = {r}");
                if (b == a + 1)
                {
                    Assert.True(r > neighbourMinimum, $"neighbours {refs.PhaseNames[a]} vs {refs.PhaseNames[b]}: r = {r}");
                }
            }
        }

        Assert.True(TestMath.Pearson(refs.Spectrum(0), refs.Spectrum(4)) < extremeMaximum);
    }

    [Fact]
    public void References_CorrelationDecreasesWithDistanceInNaContent()
    {
        ReferenceSpectra refs = NaVanadiumFluorophosphateReferences.HighResolution();

        for (int a = 0; a < refs.PhaseCount; a++)
        {
            for (int b = a + 2; b < refs.PhaseCount; b++)
            {
                Assert.True(TestMath.Pearson(refs.Spectrum(a), refs.Spectrum(b)) < TestMath.Pearson(refs.Spectrum(a), refs.Spectrum(b - 1)));
            }
        }
    }

    [Fact]
    public void References_VanadiumL3WhiteLine_ShiftsToHigherEnergyWithOxidation()
    {
        ReferenceSpectra refs = NaVanadiumFluorophosphateReferences.HighResolution();
        double previous = 0;
        for (int p = 0; p < refs.PhaseCount; p++)
        {
            double peak = PeakEnergy(refs, p, 514.0, 521.0);
            Assert.InRange(peak, 517.0, 519.5);
            if (p > 0)
            {
                Assert.InRange(peak - previous, 0.1, 0.7);
            }

            previous = peak;
        }
    }

    [Fact]
    public void References_OxygenKPreEdge_GrowsWithOxidation()
    {
        ReferenceSpectra refs = NaVanadiumFluorophosphateReferences.HighResolution();
        int i = refs.Energies.IndexOfNearest(530.3);
        for (int p = 1; p < refs.PhaseCount; p++)
        {
            Assert.True(refs.Spectrum(p)[i] > refs.Spectrum(p - 1)[i]);
        }
    }

    [Fact]
    public void Evaluate_OnHighResolutionGrid_EqualsHighResolutionAndAbsorption()
    {
        ReferenceSpectra high = NaVanadiumFluorophosphateReferences.HighResolution();
        ReferenceSpectra evaluated = NaVanadiumFluorophosphateReferences.Evaluate(NaVanadiumFluorophosphateReferences.HighResolutionEnergies);

        Assert.True(high.Values.SequenceEqual(evaluated.Values));
        Assert.Equal(high.Spectrum(3)[175], NaVanadiumFluorophosphateReferences.Absorption(3, high.Energies[175]), 15);
    }

    [Fact]
    public void Evaluate_AtDefaultEnergies_CloseToLinearResampling()
    {
        ReferenceSpectra exact = NaVanadiumFluorophosphateReferences.Evaluate(NaVanadiumFluorophosphateReferences.DefaultEnergies);
        ReferenceSpectra resampled =
            NaVanadiumFluorophosphateReferences.HighResolution().ResampleTo(NaVanadiumFluorophosphateReferences.DefaultEnergies);

        for (int i = 0; i < exact.Values.Length; i++)
        {
            Assert.Equal(exact.Values[i], resampled.Values[i], 1e-3);
        }
    }

    [Fact]
    public void SupportFilmAbsorption_SmoothAndDecreasing_OneAt525()
    {
        Assert.Equal(1.0, NaVanadiumFluorophosphateReferences.SupportFilmAbsorption(525.0), 12);
        Assert.True(
            NaVanadiumFluorophosphateReferences.SupportFilmAbsorption(500.0) > NaVanadiumFluorophosphateReferences.SupportFilmAbsorption(550.0));
        Assert.InRange(NaVanadiumFluorophosphateReferences.SupportFilmAbsorption(550.0), 0.85, 0.9);
    }

    [Theory]
    [InlineData(-1, 520.0)]
    [InlineData(5, 520.0)]
    [InlineData(0, double.NaN)]
    [InlineData(0, -3.0)]
    public void Absorption_BadArguments_Throw(int phase, double energy)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => NaVanadiumFluorophosphateReferences.Absorption(phase, energy));
    }

    private static double PeakEnergy(ReferenceSpectra refs, int phase, double from, double to)
    {
        ReadOnlySpan<double> s = refs.Spectrum(phase);
        double best = double.NegativeInfinity;
        double energy = 0;
        for (int e = 0; e < s.Length; e++)
        {
            if (refs.Energies[e] >= from && refs.Energies[e] <= to && s[e] > best)
            {
                best = s[e];
                energy = refs.Energies[e];
            }
        }

        return energy;
    }
}
