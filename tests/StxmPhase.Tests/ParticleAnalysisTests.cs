using StxmPhase.Spectra;
using StxmPhase.Synthetic;

namespace StxmPhase.Tests;

public class ParticleAnalysisTests
{
    [Fact]
    public void Compute_HandMadeMap_MatchesDoublePrecisionOracle()
    {
        // 4×2 image: particle 1 = pixels 0, 1, 4, 5; particle 2 = pixels 3, 7; pixels 2 and 6 background.
        bool[] m = [true, true, false, true, true, true, false, true];
        int[] labels = [0, 1, -1, 1, 0, -1, 0, 1];
        float[] amount = [1, 2, 5, 3, 4, 0.5f, 7, 6];
        float[] composition = [2f, 3f, 9f, float.NaN, 2.5f, float.NaN, 9f, 1f];
        ParticleLabels particles = ParticleSegmentation.Segment(PixelMask.FromArray(4, 2, m), new ParticleSegmentationOptions { MinimumPixels = 1 });
        var map = PhaseMap.FromArray(4, 2, ["A", "B"], labels);

        ParticleAnalysis a = ParticleAnalysis.Compute(map, particles, amount, 0.25, composition);

        Assert.Equal(2, a.Particles.Count);
        ParticleStatistics p1 = a.Particles[0];
        Assert.Equal(4, p1.Pixels);
        Assert.Equal(0.5, p1.CentroidX, 12);
        Assert.Equal(0.5, p1.CentroidY, 12);
        Assert.Equal(1.0, p1.AreaSquareMicrometres!.Value, 12);
        Assert.Equal(0.5, p1.Fractions[0], 12);   // pixels 0, 4
        Assert.Equal(0.25, p1.Fractions[1], 12);  // pixel 1
        Assert.Equal(0.25, p1.Unassigned, 12);    // pixel 5
        Assert.Equal(5.0 / 7.0, p1.MassFractions[0], 12); // (1 + 4) / (1 + 4 + 2)
        Assert.Equal(2.0 / 7.0, p1.MassFractions[1], 12);
        Assert.Equal(2.5, p1.CompositionMean!.Value, 6); // 2, 3, 2.5
        Assert.Equal(Math.Sqrt(1.0 / 6.0), p1.CompositionSd!.Value, 6);
        ParticleStatistics p2 = a.Particles[1];
        Assert.Equal(2, p2.Pixels);
        Assert.Equal(3.0, p2.CentroidX, 12);
        Assert.Equal(1.0, p2.Fractions[1], 12);
        Assert.Equal(1.0, p2.CompositionMean!.Value, 6); // the NaN pixel is skipped
    }

    [Fact]
    public void Compute_NoMatchPixels_CountAsUnassignedOfTheirOwnParticle()
    {
        // Particle 1 = pixels 0, 1; particle 2 = pixels 3, 4 (pixel 2 background). Pixel 3 matches no reference (−2): it
        // must count as unassigned in particle 2, not land in particle 1's last phase (slot arithmetic with −2).
        bool[] m = [true, true, false, true, true];
        int[] labels = [0, 1, -1, PhaseMap.NoMatch, 1];
        ParticleLabels particles = ParticleSegmentation.Segment(PixelMask.FromArray(5, 1, m), new ParticleSegmentationOptions { MinimumPixels = 1 });
        var map = PhaseMap.FromArray(5, 1, ["A", "B"], labels);

        ParticleAnalysis a = ParticleAnalysis.Compute(map, particles, new float[] { 1, 1, 0, 1, 1 }, null);

        Assert.Equal([0.5, 0.5], a.Particles[0].Fractions);
        Assert.Equal(0.0, a.Particles[0].Unassigned, 12);
        Assert.Equal([0.0, 0.5], a.Particles[1].Fractions);
        Assert.Equal(0.5, a.Particles[1].Unassigned, 12);
    }

    [Fact]
    public void AbsorberAmount_SubtractsBackgroundMedianAndClamps()
    {
        // 3×1 stack, 2 energies: integrated OD 0.2, 1.2, 0.1; background = pixels 0 and 2 (median 0.15).
        var od = new SpectralStack(
            new EnergyAxis([1.0, 2.0]), 3, 1, new float[] { 0.1f, 0.6f, 0.05f, 0.1f, 0.6f, 0.05f }, SpectralQuantity.OpticalDensity);
        var sample = PixelMask.FromArray(3, 1, [false, true, false]);

        float[] a = ParticleAnalysis.AbsorberAmount(od, sample);

        Assert.Equal(0.05, a[0], 5);
        Assert.Equal(1.05, a[1], 5);
        Assert.Equal(0.0, a[2], 5);
    }

    [Fact]
    public void Analyze_SeparatedSyntheticParticlesAtDose2000_CountExactAndFractionsWithin3Points()
    {
        SyntheticDataset data = SyntheticStackGenerator.Generate(new SyntheticStackOptions
        {
            Width = 128, Height = 128, Seed = 17, Dose = 2000, ParticleCount = 6, MaxDegreeOfParallelism = 1,
        });
        var workflow = new PhaseMappingWorkflow { EncoderTrainer = new PcaEncoderTrainer(), Options = new PhaseMappingOptions { Seed = 1 } };
        using PhaseMappingRun run = workflow.Run(new PhaseMappingInput(data.OpticalDensity), data.References);

        ParticleAnalysis a = ParticleAnalysis.Analyze(run.Results[0]);
        IReadOnlyList<SyntheticParticleTruth> truth = SyntheticParticleTruth.Compute(data);

        Assert.Equal(data.ParticleCount, a.Labels.Count);
        foreach (ParticleStatistics p in a.Particles)
        {
            int id = MajorityTruthId(a.Labels, data, p.Particle);
            SyntheticParticleTruth t = truth[id - 1];

            // Scored against the truth of the whole particle (every truth pixel, also any the mask left out): the pixel
            // fractions against the true pixel fractions, the absorber-weighted fractions against the true volume fractions.
            Assert.InRange(p.Pixels, t.Pixels - 10, t.Pixels + 10);
            for (int phase = 0; phase < a.PhaseNames.Count; phase++)
            {
                Assert.True(Math.Abs(p.Fractions[phase] - t.PixelFractions[phase]) <= 0.03,
                    $"particle {p.Particle} phase {a.PhaseNames[phase]}: {p.Fractions[phase]:F3} vs truth {t.PixelFractions[phase]:F3}");
                Assert.True(Math.Abs(p.MassFractions[phase] - t.VolumeFractions[phase]) <= 0.03,
                    $"particle {p.Particle} phase {a.PhaseNames[phase]}: mass {p.MassFractions[phase]:F3} vs {t.VolumeFractions[phase]:F3}");
            }

            Assert.InRange(p.CentroidX, t.CentroidX - 1.5, t.CentroidX + 1.5);
            Assert.InRange(p.CentroidY, t.CentroidY - 1.5, t.CentroidY + 1.5);
        }
    }

    private static int MajorityTruthId(ParticleLabels labels, SyntheticDataset data, int particle)
    {
        int[] votes = new int[data.ParticleCount + 1];
        for (int i = 0; i < labels.Labels.Length; i++)
        {
            if (labels.Labels[i] == particle)
            {
                votes[data.ParticleIds[i]]++;
            }
        }

        votes[0] = -1;
        return Array.IndexOf(votes, votes.Max());
    }
}
