using StxmPhase.Spectra;

namespace StxmPhase.Unmixing.Tests;

public class NmfPhaseMapperTests
{
    [Fact]
    public void Hungarian_GreedyWouldCollide_FindsBestPermutation()
    {
        // Component 0 and 1 both prefer reference 0; the best one-to-one total is 0→1, 1→0, 2→2 (0.8 + 0.95 + 0.9).
        double[] rho =
        {
            0.90, 0.80, 0.10,
            0.95, 0.20, 0.10,
            0.10, 0.10, 0.90,
        };
        Assert.Equal(new[] { 1, 0, 2 }, NmfPhaseMapper.Hungarian(rho, 3, 3));
    }

    [Fact]
    public void Hungarian_MoreComponentsThanPhases_ExtraComponentsTakeBestPhase()
    {
        double[] rho =
        {
            0.9, 0.1,
            0.2, 0.8,
            0.7, 0.3,
        };
        Assert.Equal(new[] { 0, 1, 0 }, NmfPhaseMapper.Hungarian(rho, 3, 2));
    }

    /// <summary>Five Gaussian-peak references with little overlap: their non-negative factorisation is unique.</summary>
    private static ReferenceSpectra PeakRefs() =>
        new(LinearCombinationFitterTests.s_axis13, new[] { "p0", "p1", "p2", "p3", "p4" },
            Enumerable.Range(0, 5)
                .SelectMany(p => Enumerable.Range(0, 13).Select(k => Math.Exp(-Math.Pow(k - (1.5 + (2.5 * p)), 2) / 2.0))).ToArray());

    [Fact]
    public void Map_PurePhaseBlocks_RecoversPhases()
    {
        ReferenceSpectra refs = PeakRefs();
        int w = 50, h = 10;
        double[][] pixels = new double[w * h][];
        int[] truth = new int[w * h];
        var rng = new Random(11);
        for (int i = 0; i < pixels.Length; i++)
        {
            int phase = (i % w) / 10;
            truth[i] = phase;
            double thickness = 0.5 + rng.NextDouble();
            pixels[i] = Enumerable.Range(0, 13).Select(k => thickness * refs.Spectrum(phase)[k]).ToArray();
        }

        SpectralStack stack = LinearCombinationFitterTests.StackOf(pixels, w, h);
        var opts = new NmfPhaseMapOptions
        {
            Nmf = new NmfOptions { ComponentCount = 5, Initialization = NmfInitialization.Nndsvd, MaxIterations = 500, Tolerance = 1e-6 },
        };
        NmfPhaseMapResult r = new NmfPhaseMapper(opts).Map(stack, refs, null);
        Assert.Equal(5, r.ComponentPhases.Distinct().Count());
        for (int t = 0; t < 5; t++)
        {
            Assert.True(r.ComponentCorrelations[(t * 5) + r.ComponentPhases[t]] > 0.99);
        }

        double accuracy = Enumerable.Range(0, truth.Length).Count(i => r.PhaseMap.Labels[i] == truth[i]) / (double)truth.Length;
        Assert.True(accuracy > 0.95,
            $"accuracy {accuracy}, relative error {r.Nmf.RelativeError} it {r.Nmf.Iterations} t {r.Nmf.Elapsed} " +
            $"phases {string.Join(",", r.ComponentPhases)} " +
            $"rho {string.Join(",", r.ComponentCorrelations.ToArray().Select(
                v => v.ToString("F3", System.Globalization.CultureInfo.InvariantCulture)))} " +
            $"labels {string.Join(",", r.PhaseMap.Labels[..50].ToArray())}");
        Assert.Equal(5 * w * h, r.Abundances.Length);
    }

    [Fact]
    public void Map_MaskedAndNaNPixels_AreUnassignedAndCounted()
    {
        double[][] pixels = Enumerable.Range(0, 12)
            .Select(i => TestData.V0References.Skip((i % 3) * 2 * 13).Take(13).Select(v => v * (1 + (0.05 * i))).ToArray()).ToArray();
        pixels[4][0] = double.PositiveInfinity;
        bool[] m = Enumerable.Repeat(true, 12).ToArray();
        m[7] = false;
        SpectralStack stack = LinearCombinationFitterTests.StackOf(pixels);
        NmfPhaseMapResult r = new NmfPhaseMapper(new NmfPhaseMapOptions { Nmf = new NmfOptions { ComponentCount = 3 }, Randomized = true })
            .Map(stack, LinearCombinationFitterTests.V0Refs(), PixelMask.FromArray(12, 1, m));
        Assert.Equal(1, r.InvalidCount);
        Assert.Equal(1, r.MaskedCount);
        Assert.Equal(PhaseMap.Unassigned, r.PhaseMap.Labels[4]);
        Assert.Equal(PhaseMap.Unassigned, r.PhaseMap.Labels[7]);
        Assert.Equal(10, r.Nmf.Factors.Rows);
    }

    [Fact]
    public void Map_ReferencesOnOtherEnergies_Throws()
    {
        var axis = new EnergyAxis(Enumerable.Range(0, 13).Select(i => 300.0 + i));
        var refs = new ReferenceSpectra(axis, new[] { "a", "b", "c", "d", "e" }, TestData.V0References);
        SpectralStack stack = LinearCombinationFitterTests.StackOf(new[] { TestData.V0References[..13] });
        Assert.Throws<IncompatibleEnergiesException>(() => new NmfPhaseMapper().Map(stack, refs));
    }
}
