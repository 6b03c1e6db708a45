using StxmPhase.Spectra;
using StxmPhase.Synthetic;
using StxmPhase.TestUtilities;

namespace StxmPhase.PublicApi.Tests;

/// <summary>
/// Proves that the small interfaces can be implemented outside the library: an own correlator, encoder, trainer and
/// assigner compose through <see cref="PhaseMappingWorkflow"/>.
/// </summary>
public class ExternalComponentsTests
{
    [Fact]
    public void Workflow_WithExternalEncoderAndAssigner_ResolvesAmbiguousPixels()
    {
        SyntheticDataset data = SyntheticStackGenerator.Generate(new SyntheticStackOptions { Width = 64, Height = 64, Seed = 3, Dose = 300 });
        var encoder = new StandardizedProjectionEncoder(data.ReferencesOnStack);
        var assigner = new NearestMeanAssigner();
        var workflow = new PhaseMappingWorkflow
        {
            Encoder = encoder,
            Assigner = assigner,
            Options = PaperWithSeed1(), // the latent assigner decides the final map only in the paper's pipeline
        };

        using PhaseMappingRun run = workflow.Run(new PhaseMappingInput(data.OpticalDensity, "p"), data.References);
        PhaseMappingResult r = run.Results[0];

        Assert.True(assigner.FitCalls == 1);
        Assert.True(encoder.EncodedRows >= r.Correlation.ValidCount);
        Assert.Equal(encoder.LatentDimension, r.LatentDimension);
        Assert.True(r.AmbiguousCount > 0, "the low-dose stack should contain ambiguous pixels");
        Assert.Equal(r.AmbiguousCount, r.Resolved.Count);
        // Non-ambiguous pixels keep their PCC label; every resolved pixel got one of its two candidates.
        for (int i = 0; i < r.Correlation.PixelCount; i++)
        {
            if (!r.Resolved[i])
            {
                Assert.Equal(r.PccMap.Labels[i], r.FinalMap.Labels[i]);
            }
            else
            {
                int l = r.FinalMap.Labels[i];
                Assert.True(l == r.PccMap.Labels[i] || l == r.Correlation.SecondLabels[i]);
            }
        }
    }

    [Fact]
    public void Workflow_WithExternalTrainer_ReceivesAllValidSpectraOfAllStacks()
    {
        SyntheticDataset a = SyntheticStackGenerator.Generate(new SyntheticStackOptions { Width = 40, Height = 32, Seed = 5 });
        SyntheticDataset b = SyntheticStackGenerator.Generate(new SyntheticStackOptions { Width = 24, Height = 24, Seed = 6 });
        var trainer = new RecordingTrainer(new StandardizedProjectionEncoder(a.ReferencesOnStack));
        var workflow = new PhaseMappingWorkflow { EncoderTrainer = trainer, Assigner = new NearestMeanAssigner() };

        using PhaseMappingRun run = workflow.Run(
            new[] { new PhaseMappingInput(a.OpticalDensity, "a"), new PhaseMappingInput(b.OpticalDensity, "b") }, a.References);

        Assert.Equal(run.Results[0].Correlation.ValidCount + run.Results[1].Correlation.ValidCount, trainer.SpectraSeen);
        Assert.Equal(run.TrainingSpectra, trainer.SpectraSeen);
        Assert.Equal(2, run.Results.Count);
        Assert.Equal("b", run.Results[1].Name);
    }

    [Fact]
    public void Workflow_WithExternalCorrelator_UsesItsResult()
    {
        SyntheticDataset data = SyntheticStackGenerator.Generate(new SyntheticStackOptions { Width = 16, Height = 16, Seed = 2 });
        var correlator = new EverythingIsPhaseZeroCorrelator();
        var workflow = new PhaseMappingWorkflow
        {
            Correlator = correlator,
            Encoder = new StandardizedProjectionEncoder(data.ReferencesOnStack),
            Assigner = new NearestMeanAssigner(),
            Options = new PhaseMappingOptions { Mask = MaskMode.None },
        };

        using PhaseMappingRun run = workflow.Run(new PhaseMappingInput(data.OpticalDensity), data.References);

        Assert.All(run.Results[0].FinalMap.Labels.ToArray(), l => Assert.Equal(0, l));
        Assert.Equal(1.0, run.Results[0].FractionsAfter[0], 12);
    }

    private static PhaseMappingOptions PaperWithSeed1() => new()
    {
        Seed = 1,
        ParticleMask = PhaseMappingOptions.PaperPipeline.ParticleMask,
        ComputePosteriors = false,
        MarkNoMatch = false,
        SpatialRegularization = false,
    };

    /// <summary>A linear encoder: the standardised spectrum projected on the standardised references (D = phases).</summary>
    private sealed class StandardizedProjectionEncoder : ILatentEncoder
    {
        private readonly double[][] _refs;

        public StandardizedProjectionEncoder(ReferenceSpectra references)
        {
            _refs = Enumerable.Range(0, references.PhaseCount).Select(p => Standardize(references.Spectrum(p).ToArray())).ToArray();
        }

        public int LatentDimension => _refs.Length;

        public long EncodedRows { get; private set; }

        public void Encode(ReadOnlySpan<float> spectra, int count, Span<float> destination)
        {
            int e = _refs[0].Length;
            for (int i = 0; i < count; i++)
            {
                double[] x = Standardize(spectra.Slice(i * e, e).ToArray().Select(v => (double)v).ToArray());
                for (int k = 0; k < _refs.Length; k++)
                {
                    double dot = 0;
                    for (int j = 0; j < e; j++)
                    {
                        dot += x[j] * _refs[k][j];
                    }

                    destination[(i * _refs.Length) + k] = (float)(dot / e);
                }
            }

            EncodedRows += count;
        }

        private static double[] Standardize(double[] x)
        {
            double m = x.Average();
            double s = Math.Sqrt(x.Sum(v => (v - m) * (v - m)) / x.Length);
            return x.Select(v => s > 0 ? (v - m) / s : 0).ToArray();
        }
    }

    private sealed class RecordingTrainer : ILatentEncoderTrainer
    {
        private readonly ILatentEncoder _encoder;

        public RecordingTrainer(ILatentEncoder encoder) => _encoder = encoder;

        public int SpectraSeen { get; private set; }

        public ILatentEncoder Train(LatentTrainingData data, IProgress<WorkflowProgress>? progress, CancellationToken cancellationToken)
        {
            SpectraSeen = data.Count;
            return _encoder;
        }
    }

    [Fact]
    public void ExternalAssigner_PassesTheAssignerConformanceSuite() => AssignerConformance.All(new NearestMeanAssigner());

    /// <summary>Nearest class mean in latent space, implementing the phase-cost interface.</summary>
    private sealed class NearestMeanAssigner : ILatentAssigner
    {
        public int FitCalls { get; private set; }

        public ILatentAssignment Fit(LatentSet labelled, LatentSet? references = null)
        {
            FitCalls++;
            if (labelled.Count == 0)
            {
                throw new ArgumentException("The labelled set has no points.", nameof(labelled));
            }

            int d = labelled.Dimension, p = labelled.PhaseCount;
            double[] sums = new double[p * d];
            int[] counts = new int[p];
            for (int i = 0; i < labelled.Count; i++)
            {
                int l = labelled.Labels[i];
                counts[l]++;
                for (int j = 0; j < d; j++)
                {
                    sums[(l * d) + j] += labelled.Point(i)[j];
                }
            }

            for (int l = 0; l < p; l++)
            {
                for (int j = 0; j < d; j++)
                {
                    sums[(l * d) + j] = counts[l] > 0 ? sums[(l * d) + j] / counts[l] : double.NaN;
                }
            }

            // The pooled within-phase variance per coordinate, so that the costs are negative log-likelihoods in nats.
            double squares = 0;
            for (int i = 0; i < labelled.Count; i++)
            {
                for (int j = 0; j < d; j++)
                {
                    double diff = labelled.Point(i)[j] - sums[(labelled.Labels[i] * d) + j];
                    squares += diff * diff;
                }
            }

            return new NearestMean(sums, counts, d, squares > 0 ? squares / (labelled.Count * d) : 1);
        }

        private sealed class NearestMean : IPhaseCostAssignment
        {
            private readonly double[] _means;
            private readonly int[] _counts;
            private readonly int _d;
            private readonly double _variance;

            public NearestMean(double[] means, int[] counts, int d, double variance)
            {
                _variance = variance;
                _means = means;
                _counts = counts;
                _d = d;
            }

            public int PhaseCount => _counts.Length;

            public void PhaseCosts(ReadOnlySpan<float> points, int count, Span<float> destination)
            {
                for (int i = 0; i < count; i++)
                {
                    for (int j = 0; j < _d; j++)
                    {
                        if (!float.IsFinite(points[(i * _d) + j]))
                        {
                            throw new ArgumentException($"Point {i} has a non-finite coordinate {j}: {points[(i * _d) + j]}.", nameof(points));
                        }
                    }

                    for (int l = 0; l < PhaseCount; l++)
                    {
                        double s = 0;
                        for (int j = 0; j < _d; j++)
                        {
                            double diff = points[(i * _d) + j] - _means[(l * _d) + j];
                            s += diff * diff;
                        }

                        destination[(i * PhaseCount) + l] = _counts[l] > 0 ? (float)(s / (2 * _variance)) : float.PositiveInfinity;
                    }
                }
            }

            public void Assign(ReadOnlySpan<float> points, int count, Span<int> phase, Span<float> score)
            {
                float[] costs = new float[count * PhaseCount];
                PhaseCosts(points, count, costs);
                for (int i = 0; i < count; i++)
                {
                    int best = 0;
                    for (int l = 1; l < PhaseCount; l++)
                    {
                        if (costs[(i * PhaseCount) + l] < costs[(i * PhaseCount) + best])
                        {
                            best = l;
                        }
                    }

                    phase[i] = best;
                    score[i] = costs[(i * PhaseCount) + best];
                }
            }
        }
    }

    private sealed class EverythingIsPhaseZeroCorrelator : IPhaseCorrelator
    {
        public CorrelationResult Correlate(SpectralStack opticalDensity, ReferenceSpectra references, PixelMask? mask = null,
            CancellationToken cancellationToken = default)
        {
            int n = opticalDensity.PixelCount, p = references.PhaseCount;
            float[] corr = new float[n * p];
            int[] labels = new int[n];
            int[] second = new int[n];
            Array.Fill(second, p > 1 ? 1 : -1);
            float[] best = new float[n];
            Array.Fill(best, 1f);
            return new CorrelationResult(opticalDensity.Width, opticalDensity.Height, references.PhaseNames, corr, labels, second,
                best, new float[n], Enumerable.Repeat(100f, n).ToArray(), new bool[n], new PixelStatus[n], 0.005);
        }
    }
}
