using StxmPhase.Spectra;
using StxmPhase.Synthetic;
using Xunit.Abstractions;

namespace StxmPhase.Tests;

public class ParticleCoverageTests(ITestOutputHelper output)
{
    private static (double Coverage, double FalseInclusion) Score(PixelMask mask, SyntheticDataset data)
    {
        int particle = data.ParticleMask.Count;
        int kept = data.ParticleMask.And(mask).Count;
        int falseIn = mask.And(data.ParticleMask.Not()).Count;
        return ((double)kept / particle, mask.Count == 0 ? 0 : (double)falseIn / mask.Count);
    }

    [Theory]
    [InlineData(150, 1)]
    [InlineData(400, 2)]
    [InlineData(1500, 3)]
    public void Prepare_DomeShapedParticles_KeepsThinEdgesAndNoBackground(double dose, int seed)
    {
        SyntheticDataset data = SyntheticStackGenerator.Generate(new SyntheticStackOptions { Width = 128, Height = 128, Seed = seed, Dose = dose });
        var input = new PhaseMappingInput(data.Transmission, "s");

        PreparedInput noiseAware = SamplePreparation.Prepare(input, new PhaseMappingOptions());
        PreparedInput otsu = SamplePreparation.Prepare(
            input, new PhaseMappingOptions { ParticleMask = new ParticleMaskOptions { Method = ParticleMaskMethod.Otsu } });

        (double coverage, double falseInclusion) = Score(noiseAware.SampleMask, data);
        (double otsuCoverage, double otsuFalse) = Score(otsu.SampleMask, data);
        output.WriteLine(
            $"dose {dose}: noise-aware coverage {coverage:P2} false {falseInclusion:P2}; Otsu coverage {otsuCoverage:P2} false {otsuFalse:P2}");
        Assert.Equal(ParticleMaskMethod.NoiseAware, noiseAware.Particles!.Method);
        Assert.True(coverage >= 0.98, $"coverage {coverage:P2}");
        Assert.True(falseInclusion <= 0.01, $"false inclusion {falseInclusion:P2}");
        Assert.True(coverage > otsuCoverage, $"noise-aware {coverage:P2} vs Otsu {otsuCoverage:P2}");
    }
}
