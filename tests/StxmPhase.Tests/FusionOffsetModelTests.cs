using StxmPhase.Spectra;
using StxmPhase.Synthetic;

namespace StxmPhase.Tests;

/// <summary>
/// The additive term of the multi-edge synthetic field (docs/accuracy.md, finding (d)): per edge a field-wide baseline (the
/// support film), no per-pixel offset; and <see cref="MultiEdgeOptions.BaselineErrorsOd"/>.
/// </summary>
public class FusionOffsetModelTests
{
    [Fact]
    public void NoiseFreeFusedField_EachEdgesOffsetIsItsFilm_TheSameAtEveryPixelAndThickness()
    {
        // Dose 1e8 (noise ~1e-4 OD), no displacement (no resampling), no calibration errors: fit x = a·r_k + b_i per interior
        // truth pixel of phase k, one a, one b per edge block (least squares in double precision).
        MultiEdgeDataset field = MultiEdgeGenerator.Generate(new MultiEdgeOptions
        {
            Edges = MultiEdgeGenerator.IssueEdges(64, 3, 1e8, calibrationOffsets: false, 1e8),
            Offsets = [default, default],
        });
        FusedEdgeStack fused = EdgeFusion.Fuse([.. field.Edges.Select(e => e.OpticalDensity)]);
        SyntheticDataset first = field.Edges[0];
        ReferenceSpectra refs = first.References.ResampleTo(fused.Stack.Energies);
        int n = fused.Stack.PixelCount, energies = fused.Stack.EnergyCount, split = fused.Blocks.Counts[0];
        var fits = new List<(double A, double Vl, double Ok)>();
        for (int p = 0; p < n; p++)
        {
            int k = first.Truth.Labels[p];
            if (k < 0 || first.BoundaryMask[p])
            {
                continue;
            }

            double[] x = [.. Enumerable.Range(0, energies).Select(e => (double)fused.Stack.Plane(e)[p])];
            ReadOnlySpan<double> r = refs.Values.Slice(k * energies, energies);
            double[] mx = new double[2], mr = new double[2];
            int[] count = [split, energies - split];
            for (int e = 0; e < energies; e++)
            {
                int g = e < split ? 0 : 1;
                mx[g] += x[e] / count[g];
                mr[g] += r[e] / count[g];
            }

            double sxr = 0, srr = 0;
            for (int e = 0; e < energies; e++)
            {
                int g = e < split ? 0 : 1;
                sxr += (x[e] - mx[g]) * (r[e] - mr[g]);
                srr += (r[e] - mr[g]) * (r[e] - mr[g]);
            }

            double a = sxr / srr;
            fits.Add((a, mx[0] - (a * mr[0]), mx[1] - (a * mr[1])));
        }

        double filmVl = Enumerable.Range(0, split).Average(e => first.NoiselessOpticalDensity(0, e));
        double filmOk = Enumerable.Range(0, energies - split).Average(e => field.Edges[1].NoiselessOpticalDensity(0, e));
        double meanVl = fits.Average(f => f.Vl), meanOk = fits.Average(f => f.Ok), meanA = fits.Average(f => f.A);
        Assert.True(fits.Count > 200);
        Assert.True(fits.Max(f => f.A) > 5 * fits.Min(f => f.A)); // thin and thick pixels

        // Each block's offset is its film (up to the film's slope over the block, which the fit shares with a), the same at
        // every pixel: no per-pixel offset and none proportional to the thickness. The O K block is resampled by its
        // (estimated, sub-pixel) registration shift: a few thousandths of OD per pixel.
        Assert.Equal(filmVl, meanVl, 0.003);
        Assert.Equal(filmOk, meanOk, 0.003);
        Assert.InRange(meanOk - meanVl, 0.02, 0.03); // films 0.05 and 0.08 OD at 525 eV
        Assert.All(fits, f => Assert.Equal(meanVl, f.Vl, 0.002));
        Assert.All(fits, f => Assert.Equal(meanOk, f.Ok, 0.006));
        double slope = fits.Sum(f => (f.A - meanA) * (f.Ok - f.Vl)) / fits.Sum(f => (f.A - meanA) * (f.A - meanA));
        Assert.InRange(slope, -0.005, 0.005);
    }

    [Fact]
    public void BaselineErrorsOd_ShiftsThatEdgesOpticalDensityOnly()
    {
        IReadOnlyList<SyntheticStackOptions> edges = MultiEdgeGenerator.IssueEdges(32, 5, 1500, calibrationOffsets: false);
        MultiEdgeDataset plain = MultiEdgeGenerator.Generate(new MultiEdgeOptions { Edges = edges });
        MultiEdgeDataset shifted = MultiEdgeGenerator.Generate(new MultiEdgeOptions { Edges = edges, BaselineErrorsOd = [0, 0.05] });

        Assert.Equal(plain.Edges[0].OpticalDensity.Data.ToArray(), shifted.Edges[0].OpticalDensity.Data.ToArray());
        Assert.Equal(plain.Edges[1].Transmission.Data.ToArray(), shifted.Edges[1].Transmission.Data.ToArray());
        float[] a = plain.Edges[1].OpticalDensity.Data.ToArray(), b = shifted.Edges[1].OpticalDensity.Data.ToArray();
        for (int i = 0; i < a.Length; i++)
        {
            Assert.Equal(a[i] + 0.05f, b[i], 1e-5f);
        }

        Assert.Equal(plain.Edges[1].Truth.Labels.ToArray(), shifted.Edges[1].Truth.Labels.ToArray());
    }

    [Theory]
    [InlineData(new[] { 0.0 }, "BaselineErrorsOd (1)")]
    [InlineData(new[] { 0.0, 1.5 }, "within ±1 OD")]
    [InlineData(new[] { double.NaN, 0.0 }, "finite")]
    public void BaselineErrorsOd_Invalid_ThrowsNamingTheOption(double[] errors, string expected)
    {
        var ex = Assert.ThrowsAny<ArgumentException>(() => MultiEdgeGenerator.Generate(new MultiEdgeOptions
        {
            Edges = MultiEdgeGenerator.IssueEdges(16, 1, 1500, calibrationOffsets: false), BaselineErrorsOd = errors,
        }));

        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }
}
