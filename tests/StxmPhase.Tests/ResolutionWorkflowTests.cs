using StxmPhase.Assignment;
using StxmPhase.Spectra;
using StxmPhase.Synthetic;

namespace StxmPhase.Tests;

/// <summary>
/// The workflow's ambiguous-pixel rules (spatial prior, pair restriction switched off) and the reference scaling,
/// checked against oracles computed here from the run's public results, with the fast deterministic PCA encoder.
/// </summary>
public class ResolutionWorkflowTests
{
    private static SyntheticDataset LowDose(int seed) =>
        SyntheticStackGenerator.Generate(new SyntheticStackOptions { Width = 48, Height = 48, Seed = seed, Dose = 150 });

    [Fact]
    public void Run_SpatialPrior_ResolvedPixelsMinimiseCostMinusWeightedLogNeighbourPrior()
    {
        const double w = 4;
        SyntheticDataset data = LowDose(31);
        PhaseMappingRun Map(double weight) => new PhaseMappingWorkflow
        {
            EncoderTrainer = new PcaEncoderTrainer(),
            Options = PhaseMappingOptions.PaperPipeline with { SpatialPriorWeight = weight },
        }.Run(new PhaseMappingInput(data.OpticalDensity), data.References);

        using PhaseMappingRun plain = Map(0);
        using PhaseMappingRun withPrior = Map(w);
        PhaseMappingResult r = withPrior.Results[0];
        IPhaseCostAssignment model = Refit(withPrior);
        CorrelationResult corr = r.Correlation;
        int phases = corr.PhaseCount;
        float[] costs = new float[phases];
        int checkedPixels = 0, changedByPrior = 0;
        for (int px = 0; px < corr.PixelCount; px++)
        {
            if (!r.Resolved[px])
            {
                continue;
            }

            model.PhaseCosts(r.LatentOf(px), 1, costs);
            double[] prior = NeighbourLogPrior(corr.PhaseMap.Labels, r.Resolved, corr.Width, corr.Height, px, phases);
            int a = corr.PhaseMap.Labels[px], b = corr.SecondLabels[px];
            double costA = costs[a] - (w * prior[a]), costB = costs[b] - (w * prior[b]);
            if (Math.Abs(costA - costB) < 1e-3 * (1 + Math.Abs(costA)))
            {
                continue; // too close to call in single precision
            }

            int expected = costA < costB ? a : b;
            Assert.Equal(expected, r.FinalMap.Labels[px]);
            checkedPixels++;
            if (plain.Results[0].FinalMap.Labels[px] != expected)
            {
                changedByPrior++;
            }
        }

        Assert.True(checkedPixels > 20, $"only {checkedPixels} resolved pixels checked");
        Assert.True(changedByPrior > 0, "the prior must change at least one resolved pixel's label");
    }

    [Fact]
    public void Run_UnrestrictedResolution_PicksThePhaseOfLowestCostAmongAllAndCanPickAThirdPhase()
    {
        SyntheticDataset data = LowDose(31);
        var workflow = new PhaseMappingWorkflow
        {
            EncoderTrainer = new PcaEncoderTrainer(),
            Options = PhaseMappingOptions.PaperPipeline with { RestrictToAmbiguousPair = false },
        };

        using PhaseMappingRun run = workflow.Run(new PhaseMappingInput(data.OpticalDensity), data.References);
        PhaseMappingResult r = run.Results[0];
        IPhaseCostAssignment model = Refit(run);
        float[] costs = new float[r.Correlation.PhaseCount];
        int outsidePair = 0;
        for (int px = 0; px < r.Correlation.PixelCount; px++)
        {
            if (!r.Resolved[px])
            {
                continue;
            }

            model.PhaseCosts(r.LatentOf(px), 1, costs);
            int expected = 0;
            for (int c = 1; c < costs.Length; c++)
            {
                expected = costs[c] < costs[expected] ? c : expected;
            }

            Assert.Equal(expected, r.FinalMap.Labels[px]);

            // The unrestricted path writes Assign's score: D² to the chosen phase (the paper's rule's cost is ½D²).
            Assert.Equal(2 * costs[expected], r.ResolutionScores[px], 1e-5 * (1 + r.ResolutionScores[px]));
            if (expected != r.PccMap.Labels[px] && expected != r.Correlation.SecondLabels[px])
            {
                outsidePair++;
            }
        }

        Assert.Equal(r.AmbiguousCount, r.Resolved.Count);
        Assert.True(outsidePair > 0, "without the pair restriction some ambiguous pixel takes a third phase");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Run_ScaleReferencesToData_EncodesReferencesScaledByTheLeastSquaresFactor(bool scale)
    {
        SyntheticDataset data = LowDose(12);
        var workflow = new PhaseMappingWorkflow
        {
            EncoderTrainer = new PcaEncoderTrainer(),
            Options = new PhaseMappingOptions { ScaleReferencesToData = scale },
        };

        using PhaseMappingRun run = workflow.Run(new PhaseMappingInput(data.OpticalDensity), data.References);
        PhaseMappingResult r = run.Results[0];
        ReferenceSpectra refs = run.References;
        int e = refs.Energies.Count;
        float[] rows = new float[refs.PhaseCount * e];
        double largestChange = 0;
        for (int ph = 0; ph < refs.PhaseCount; ph++)
        {
            // Oracle: s = ⟨m, r⟩ / ⟨r, r⟩ with m the mean OD spectrum of the confidently labelled pixels of the phase.
            double[] mean = new double[e];
            int count = 0;
            for (int px = 0; px < r.Correlation.PixelCount; px++)
            {
                if (r.Valid[px] && !r.Correlation.Ambiguous[px] && r.PccMap.Labels[px] == ph)
                {
                    count++;
                    for (int k = 0; k < e; k++)
                    {
                        mean[k] += r.OpticalDensity.Plane(k)[px];
                    }
                }
            }

            ReadOnlySpan<double> reference = refs.Spectrum(ph);
            double num = 0, den = 0;
            for (int k = 0; k < e; k++)
            {
                num += mean[k] / count * reference[k];
                den += reference[k] * reference[k];
            }

            Assert.True(count > 0);
            double s = scale ? num / den : 1;
            largestChange = Math.Max(largestChange, Math.Abs((num / den) - 1));
            for (int k = 0; k < e; k++)
            {
                rows[(ph * e) + k] = (float)(reference[k] * s);
            }
        }

        float[] expected = new float[refs.PhaseCount * run.Encoder!.LatentDimension];
        run.Encoder.Encode(rows, refs.PhaseCount, expected);
        Assert.True(largestChange > 0.05, $"the test needs a scale factor away from 1 (largest change {largestChange:G3})");
        ReadOnlySpan<float> actual = run.EncodedReferences!.Points;
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], actual[i], 1e-4 * (1 + Math.Abs(expected[i])));
        }
    }

    [Fact]
    public void Run_NegativeSpatialPriorWeight_MeansNoPrior()
    {
        SyntheticDataset data = LowDose(31);
        int[] Map(double weight)
        {
            var workflow = new PhaseMappingWorkflow
            {
                EncoderTrainer = new PcaEncoderTrainer(),
                Options = PhaseMappingOptions.PaperPipeline with { SpatialPriorWeight = weight },
            };
            using PhaseMappingRun run = workflow.Run(new PhaseMappingInput(data.OpticalDensity), data.References);
            return run.Results[0].FinalMap.Labels.ToArray();
        }

        Assert.Equal(Map(0), Map(-1));
    }

    /// <summary>Fits the default assigner (with the run's rule) on the run's confident pixels exactly as the workflow does.</summary>
    private static IPhaseCostAssignment Refit(PhaseMappingRun run)
    {
        PhaseMappingResult r = run.Results[0];
        int d = r.LatentDimension;
        var points = new List<float>();
        var labels = new List<int>();
        for (int px = 0; px < r.Correlation.PixelCount; px++)
        {
            if (r.Valid[px] && !r.Correlation.Ambiguous[px])
            {
                points.AddRange(r.LatentOf(px).ToArray());
                labels.Add(r.PccMap.Labels[px]);
            }
        }

        Assert.Equal(d * labels.Count, points.Count);
        return new MahalanobisAssigner(new MahalanobisOptions { Rule = run.Options.MahalanobisRule })
            .Fit(new LatentSet(points.ToArray(), d, labels.ToArray(), r.PhaseNames), run.EncodedReferences);
    }

    /// <summary>ln((n_c + 1) / (n + P)) over the 8-neighbours with a PCC label that are not being resolved (double oracle).</summary>
    private static double[] NeighbourLogPrior(ReadOnlySpan<int> labels, PixelMask resolving, int width, int height, int px, int phases)
    {
        int[] counts = new int[phases];
        int n = 0, x = px % width, y = px / width;
        for (int yy = Math.Max(0, y - 1); yy <= Math.Min(height - 1, y + 1); yy++)
        {
            for (int xx = Math.Max(0, x - 1); xx <= Math.Min(width - 1, x + 1); xx++)
            {
                int q = (yy * width) + xx;
                if (q != px && labels[q] >= 0 && !resolving[q])
                {
                    counts[labels[q]]++;
                    n++;
                }
            }
        }

        return counts.Select(c => Math.Log((c + 1.0) / (n + phases))).ToArray();
    }
}
