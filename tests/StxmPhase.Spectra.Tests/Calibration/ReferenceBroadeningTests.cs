using StxmPhase.Synthetic;

namespace StxmPhase.Spectra.Tests.Calibration;

public class ReferenceBroadeningTests
{
    [Fact]
    public void Broaden_HighResolutionModel_MatchesGaussianConvolutionOracle()
    {
        const double Fwhm = 0.6;
        ReferenceSpectra broadened = ReferenceBroadening.Broaden(NaVanadiumFluorophosphateReferences.HighResolution(), Fwhm);
        double sigma = Fwhm / (2 * Math.Sqrt(2 * Math.Log(2)));

        foreach (double energy in new[] { 510.0, 516.5, 517.3, 519.2, 524.6, 530.3, 540.0 })
        {
            int index = broadened.Energies.AsSpan().IndexOf(energy);
            Assert.True(index >= 0);
            for (int p = 0; p < broadened.PhaseCount; p++)
            {
                double sum = 0, weights = 0;
                for (int i = -3000; i <= 3000; i++)
                {
                    double x = i * 6 * sigma / 3000;
                    double w = Math.Exp(-x * x / (2 * sigma * sigma));
                    sum += w * NaVanadiumFluorophosphateReferences.Absorption(p, energy + x);
                    weights += w;
                }

                Assert.Equal(sum / weights, broadened.Spectrum(p)[index], 2e-3);
            }
        }
    }

    [Fact]
    public void Broaden_Zero_ReturnsSameInstance()
    {
        ReferenceSpectra refs = NaVanadiumFluorophosphateReferences.HighResolution();
        Assert.Same(refs, ReferenceBroadening.Broaden(refs, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => ReferenceBroadening.Broaden(refs, -0.1));
    }

    [Fact]
    public void EstimateFwhm_StackBroadenedByKnownFwhm_RecoveredWithinTwoSteps()
    {
        SyntheticDataset data = SyntheticStackGenerator.Generate(new SyntheticStackOptions
        {
            Width = 96, Height = 96, Seed = 2, DomainLayout = DomainLayout.Voronoi, Dose = 20000, SpectralBroadeningEv = 0.8,
        });

        double fwhm = ReferenceBroadening.EstimateFwhm(data.OpticalDensity, data.References, data.ParticleMask);

        Assert.InRange(fwhm, 0.6, 1.0);
    }
}
