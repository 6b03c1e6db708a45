using StxmPhase.Spectra;

namespace StxmPhase.Correlation.Tests;

/// <summary>
/// <see cref="NoiseModelOptions.BlockOffset"/> on a fused two-edge stack, against a double-precision oracle of the
/// weighted least-squares fit x = a·r_k + c(E) + offsets (a ≥ 0).
/// </summary>
public class NoiseModelBlockOffsetTests
{
    private const int W = TwoEdgeTestStack.W, H = TwoEdgeTestStack.H, E1 = TwoEdgeTestStack.E1, E2 = TwoEdgeTestStack.E2;
    private const int E = TwoEdgeTestStack.E, K = TwoEdgeTestStack.K;

    /// <summary>
    /// Two edges with their own field baselines (0.05 and 0.2 OD plus a slope, as two stacks' films and I0 normalisations)
    /// and no per-pixel offset; the left three columns are sample-free. Counting noise N₀,e.
    /// </summary>
    private static (SpectralStack Od, ReferenceSpectra Refs, PixelMask SampleFree, double[] Counts) Data(int seed, double secondBaseline = 0.2)
    {
        (SpectralStack od, ReferenceSpectra refs, PixelMask free) =
            TwoEdgeTestStack.Make(seed, e => (e < E1 ? 0.05 : secondBaseline) + (0.002 * e), 0.04);
        double[] counts = [.. Enumerable.Range(0, E).Select(e => 2000.0 + (100 * e))];
        return (od, refs, free, counts);
    }

    private static PhasePosteriors Classify(BlockOffsetModel model, SpectralStack od, ReferenceSpectra refs, PixelMask? free, double[] counts) =>
        new NoiseModelClassifier(new NoiseModelOptions
        {
            CalibrateScale = false, EstimatePrior = false, NoMatchQuantile = null, IncidentCounts = counts, BlockOffset = model,
        }.WithOffsetBlocks([E1, E2])).Classify(od, refs, free?.Not(), free);

    /// <summary>The median of the sample-free pixels' OD at energy e, in double precision.</summary>
    private static double SampleFreeMedian(SpectralStack od, PixelMask free, int e)
    {
        double[] v = [.. free.IncludedIndices().Select(p => (double)od.Plane(e)[p])];
        Array.Sort(v);
        return v.Length % 2 == 1 ? v[v.Length / 2] : (v[(v.Length / 2) - 1] + v[v.Length / 2]) / 2;
    }

    /// <summary>
    /// min over a ≥ 0 and one offset per group of Σ_e w_e (x_e − c_e − a r_e − b_g(e))², by the normal equations in double
    /// precision: for fixed a each offset is its group's weighted mean of x − c − a r, and the residual is quadratic in a.
    /// </summary>
    private static double Oracle(double[] x, double[] c, ReadOnlySpan<double> r, double[] w, (int Start, int End)[] groups)
    {
        double sxx = 0, sxr = 0, srr = 0;
        foreach ((int start, int end) in groups)
        {
            double sw = 0, mx = 0, mr = 0;
            for (int e = start; e < end; e++)
            {
                sw += w[e];
                mx += w[e] * (x[e] - c[e]);
                mr += w[e] * r[e];
            }

            mx /= sw;
            mr /= sw;
            for (int e = start; e < end; e++)
            {
                double dx = x[e] - c[e] - mx, dr = r[e] - mr;
                sxx += w[e] * dx * dx;
                sxr += w[e] * dx * dr;
                srr += w[e] * dr * dr;
            }
        }

        double a = Math.Max(0, sxr / srr);
        return sxx - (2 * a * sxr) + (a * a * srr);
    }

    [Theory]
    [InlineData(BlockOffsetModel.PerBlock)]
    [InlineData(BlockOffsetModel.FieldBaseline)]
    [InlineData(BlockOffsetModel.Shared)]
    public void Classify_EveryOffsetModel_MatchesTheDoublePrecisionOracle(BlockOffsetModel model)
    {
        (SpectralStack od, ReferenceSpectra refs, PixelMask free, double[] counts) = Data(11);
        double[] c = model == BlockOffsetModel.FieldBaseline
            ? [.. Enumerable.Range(0, E).Select(e => SampleFreeMedian(od, free, e))]
            : new double[E];
        (int, int)[] groups = model == BlockOffsetModel.PerBlock ? [(0, E1), (E1, E)] : [(0, E)];

        PhasePosteriors post = Classify(model, od, refs, free, counts);

        Assert.Equal(model == BlockOffsetModel.PerBlock ? E - 3 : E - 2, post.DegreesOfFreedom);
        int checkedPixels = 0;
        foreach (int p in Enumerable.Range(0, W).Concat(Enumerable.Range((H - 1) * W, W)))
        {
            // First and last rows: the noise weights use the pixel's own value (no 3×3 neighbourhood).
            if (free[p])
            {
                continue;
            }

            double[] x = [.. Enumerable.Range(0, E).Select(e => (double)od.Plane(e)[p])];
            double[] w = [.. Enumerable.Range(0, E).Select(e => counts[e] / Math.Exp(x[e]))];
            double[] chi = [.. Enumerable.Range(0, K).Select(k => Oracle(x, c, refs.Values.Slice(k * E, E), w, groups))];
            double min = chi.Min();
            Assert.Equal(min, post.ChiSquare[p], Math.Max(1e-3, min * 2e-4));
            Assert.Equal(Array.IndexOf(chi, min), post.Labels[p]);
            checkedPixels++;
        }

        Assert.True(checkedPixels >= 10);
    }

    [Fact]
    public void FieldBaseline_IsUnchangedByAFieldWideBaselineStepOfOneEdge_SharedIsNot()
    {
        (SpectralStack od, ReferenceSpectra refs, PixelMask free, double[] counts) = Data(12, secondBaseline: 0.05);
        (SpectralStack stepped, _, _, _) = Data(12, secondBaseline: 0.35);

        PhasePosteriors baseline = Classify(BlockOffsetModel.FieldBaseline, od, refs, free, counts);
        PhasePosteriors baselineStepped = Classify(BlockOffsetModel.FieldBaseline, stepped, refs, free, counts);
        PhasePosteriors shared = Classify(BlockOffsetModel.Shared, od, refs, free, counts);
        PhasePosteriors sharedStepped = Classify(BlockOffsetModel.Shared, stepped, refs, free, counts);

        // The step changes only the noise weights (e^-x); the fit itself does not see it.
        float[] a = baseline.ChiSquare.ToArray(), b = baselineStepped.ChiSquare.ToArray();
        float[] s = shared.ChiSquare.ToArray(), t = sharedStepped.ChiSquare.ToArray();
        for (int p = 0; p < a.Length; p++)
        {
            if (!float.IsNaN(a[p]))
            {
                Assert.InRange(b[p] / a[p], 0.6, 1.4);
                Assert.True(t[p] > 5 * s[p], $"pixel {p}: the shared offset should misfit a step of 0.3 OD ({s[p]} → {t[p]})");
            }
        }
    }

    [Fact]
    public void FieldBaseline_WithoutASampleFreeField_FallsBackToPerBlockOffsets()
    {
        (SpectralStack od, ReferenceSpectra refs, _, double[] counts) = Data(13);

        PhasePosteriors baseline = Classify(BlockOffsetModel.FieldBaseline, od, refs, null, counts);
        PhasePosteriors perBlock = Classify(BlockOffsetModel.PerBlock, od, refs, null, counts);

        Assert.Equal(perBlock.DegreesOfFreedom, baseline.DegreesOfFreedom);
        Assert.Equal(perBlock.ChiSquare.ToArray(), baseline.ChiSquare.ToArray());
    }

    [Theory]
    [InlineData(BlockOffsetModel.FieldBaseline)]
    [InlineData(BlockOffsetModel.Shared)]
    public void SharedOffsets_APixelTheSecondEdgeDidNotCover_IsAnalysedOnTheFirstEdge(BlockOffsetModel model)
    {
        (SpectralStack od, ReferenceSpectra refs, PixelMask free, double[] counts) = Data(14);
        int covered = (4 * W) + 6, uncovered = (4 * W) + 7, partial = (4 * W) + 8;
        for (int e = E1; e < E; e++)
        {
            od.Plane(e)[uncovered] = float.NaN;
        }

        od.Plane(E1)[partial] = float.NaN;

        PhasePosteriors post = Classify(model, od, refs, free, counts);

        Assert.True(post.Labels[covered] >= 0);
        Assert.True(post.Labels[uncovered] >= 0);
        Assert.Equal(PhaseMap.Unassigned, post.Labels[partial]);
    }
}
