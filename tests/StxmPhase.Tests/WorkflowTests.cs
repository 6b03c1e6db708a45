using StxmPhase.Assignment;
using StxmPhase.Gmvae;
using StxmPhase.Spectra;
using StxmPhase.Synthetic;

namespace StxmPhase.Tests;

public class WorkflowTests
{
    private static GmvaeEncoderTrainer SmallGmvae(int seed = 1) => new(new GmvaeOptions
    {
        Epochs = 15,
        MaxTrainingSpectra = 3000,
        Seed = seed,
        Threads = 1,
    });

    [Fact]
    public void Run_SyntheticStackWithGmvae_FinalAccuracyAtLeastPccAndFractionsSumToOne()
    {
        SyntheticDataset data = SyntheticStackGenerator.Generate(new SyntheticStackOptions { Width = 64, Height = 64, Seed = 11, Dose = 300 });
        var workflow = new PhaseMappingWorkflow
        {
            EncoderTrainer = SmallGmvae(), Options = new PhaseMappingOptions { Seed = 1, SpatialRegularization = false, MarkNoMatch = false },
        };

        using PhaseMappingRun run = workflow.Run(new PhaseMappingInput(data.Transmission, "synthetic"), data.References);
        PhaseMappingResult r = run.Results[0];
        WorkflowEvaluation e = PhaseMappingEvaluation.Evaluate(r, data.Truth, data.BoundaryMask);

        Assert.IsType<GmvaeModel>(run.Encoder);
        Assert.Equal(3, r.LatentDimension);
        Assert.True(r.AmbiguousCount > 0, "the low-dose stack must contain ambiguous pixels");
        Assert.True(e.Final.Accuracy >= e.Pcc.Accuracy - 0.005, $"final {e.Final.Accuracy:P2} vs PCC {e.Pcc.Accuracy:P2}");
        Assert.Equal(1.0, r.FractionsBefore.Sum(), 9);
        Assert.Equal(1.0, r.FractionsAfter.Sum(), 9);
        Assert.Equal(r.Correlation.PixelCount, r.Correlation.ValidCount + r.MaskedCount + r.InvalidCount);
        // Pixels outside the resolved set keep their PCC label.
        for (int i = 0; i < r.Correlation.PixelCount; i++)
        {
            if (!r.Resolved[i])
            {
                Assert.Equal(r.PccMap.Labels[i], r.FinalMap.Labels[i]);
            }
        }
    }

    [Fact]
    public void Run_PixelsWithNaNAndZeroCounts_AreReportedAndNeverLabelled()
    {
        SyntheticDataset data = SyntheticStackGenerator.Generate(new SyntheticStackOptions { Width = 48, Height = 48, Seed = 4 });
        SpectralStack od = data.OpticalDensity.Clone();
        int nanPixel = FirstParticlePixel(data, 0);
        int constantPixel = FirstParticlePixel(data, nanPixel + 1);
        od.Plane(3)[nanPixel] = float.NaN;
        for (int e = 0; e < od.EnergyCount; e++)
        {
            od.Plane(e)[constantPixel] = 0.4f;
        }

        var workflow = new PhaseMappingWorkflow
        {
            EncoderTrainer = new PcaEncoderTrainer(),
            Options = new PhaseMappingOptions { Mask = MaskMode.None },
        };
        using PhaseMappingRun run = workflow.Run(new PhaseMappingInput(od), data.References);
        PhaseMappingResult r = run.Results[0];

        Assert.Equal(2, r.InvalidCount);
        Assert.Equal(PhaseMap.Unassigned, r.FinalMap.Labels[nanPixel]);
        Assert.Equal(PhaseMap.Unassigned, r.FinalMap.Labels[constantPixel]);
        Assert.False(r.Valid[nanPixel]);
        Assert.All(r.Correlation.Reliability.ToArray(), v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void Run_TransmissionWithZeroCounts_ExcludesUndefinedPixels()
    {
        SyntheticDataset data = SyntheticStackGenerator.Generate(new SyntheticStackOptions { Width = 40, Height = 40, Seed = 8 });
        SpectralStack t = data.Transmission.Clone();
        int pixel = FirstParticlePixel(data, 0);
        t.Plane(5)[pixel] = 0;
        var workflow = new PhaseMappingWorkflow { EncoderTrainer = new PcaEncoderTrainer() };

        using PhaseMappingRun run = workflow.Run(new PhaseMappingInput(t), data.References);
        PhaseMappingResult r = run.Results[0];

        Assert.Equal(1, r.UndefinedOpticalDensityCount);
        Assert.Equal(PhaseMap.Unassigned, r.FinalMap.Labels[pixel]);
        Assert.Equal(SpectralQuantity.OpticalDensity, r.OpticalDensity.Quantity);
    }

    [Fact]
    public void Run_SameSeed_IsDeterministic()
    {
        SyntheticDataset data = SyntheticStackGenerator.Generate(new SyntheticStackOptions { Width = 40, Height = 40, Seed = 21, Dose = 250 });
        int[] Once()
        {
            var workflow = new PhaseMappingWorkflow { EncoderTrainer = SmallGmvae(7), Options = new PhaseMappingOptions { Seed = 7 } };
            using PhaseMappingRun run = workflow.Run(new PhaseMappingInput(data.OpticalDensity), data.References);
            return run.Results[0].FinalMap.Labels.ToArray();
        }

        Assert.Equal(Once(), Once());
    }

    [Fact]
    public void Run_ReuseStackMemory_SameResultsAndTheTransmissionBufferNowHoldsTheOpticalDensity()
    {
        SyntheticDataset data = SyntheticStackGenerator.Generate(new SyntheticStackOptions { Width = 40, Height = 40, Seed = 12, Dose = 400 });
        float[] transmission = data.Transmission.Data.ToArray();
        var workflow = new PhaseMappingWorkflow { EncoderTrainer = new PcaEncoderTrainer(), Options = new PhaseMappingOptions { Seed = 3 } };

        using PhaseMappingRun kept = workflow.Run(new PhaseMappingInput(data.Transmission, "kept"), data.References);
        Assert.True(transmission.AsSpan().SequenceEqual(data.Transmission.Data.Span)); // default: input untouched

        using PhaseMappingRun reused = workflow.Run(new PhaseMappingInput(data.Transmission, "reused") { ReuseStackMemory = true }, data.References);
        PhaseMappingResult a = kept.Results[0], b = reused.Results[0];
        Assert.True(a.OpticalDensity.Data.Span.SequenceEqual(b.OpticalDensity.Data.Span));
        Assert.True(a.FinalMap.Labels.SequenceEqual(b.FinalMap.Labels));
        Assert.True(a.Correlation.Reliability.SequenceEqual(b.Correlation.Reliability));
        Assert.True(a.SampleMask.AsSpan().SequenceEqual(b.SampleMask.AsSpan()));
        Assert.True(b.OpticalDensity.Data.Span.Overlaps(data.Transmission.Data.Span));
        Assert.False(transmission.AsSpan().SequenceEqual(data.Transmission.Data.Span));
    }

    [Fact]
    public void Run_ReuseStackMemoryOnAnOpticalDensityStack_LeavesItUnchanged()
    {
        SyntheticDataset data = SyntheticStackGenerator.Generate(new SyntheticStackOptions { Width = 32, Height = 32, Seed = 13 });
        float[] before = data.OpticalDensity.Data.ToArray();
        var workflow = new PhaseMappingWorkflow { EncoderTrainer = new PcaEncoderTrainer() };

        using PhaseMappingRun run = workflow.Run(new PhaseMappingInput(data.OpticalDensity) { ReuseStackMemory = true }, data.References);

        Assert.True(before.AsSpan().SequenceEqual(data.OpticalDensity.Data.Span));
        Assert.Same(data.OpticalDensity, run.Results[0].OpticalDensity);
    }

    [Theory]
    [InlineData("knn")]
    [InlineData("centroid")]
    [InlineData("euclidean")]
    public void Run_EachStrategy_ResolvesAmbiguousPixelsAmongTheirPair(string strategy)
    {
        SyntheticDataset data = SyntheticStackGenerator.Generate(new SyntheticStackOptions { Width = 48, Height = 48, Seed = 31, Dose = 200 });
        ILatentAssigner assigner = strategy switch
        {
            "knn" => new KnnAssigner(),
            "centroid" => new NearestCentroidAssigner(),
            _ => new EuclideanReferenceAssigner(),
        };
        var workflow = new PhaseMappingWorkflow
        {
            EncoderTrainer = new PcaEncoderTrainer(), Assigner = assigner, Options = PhaseMappingOptions.PaperPipeline,
        };

        using PhaseMappingRun run = workflow.Run(new PhaseMappingInput(data.OpticalDensity), data.References);
        PhaseMappingResult r = run.Results[0];

        Assert.NotNull(run.EncodedReferences);
        Assert.Equal(r.AmbiguousCount, r.Resolved.Count);
        for (int i = 0; i < r.Correlation.PixelCount; i++)
        {
            if (r.Resolved[i])
            {
                int l = r.FinalMap.Labels[i];
                Assert.True(l == r.PccMap.Labels[i] || l == r.Correlation.SecondLabels[i]);
            }
        }
    }

    [Fact]
    public void Run_ScopeWithFalsePositives_ResolvesFlaggedPixelsToo()
    {
        SyntheticDataset data = SyntheticStackGenerator.Generate(new SyntheticStackOptions { Width = 48, Height = 48, Seed = 5, Dose = 200 });
        var workflow = new PhaseMappingWorkflow
        {
            EncoderTrainer = new PcaEncoderTrainer(),
            Options = new PhaseMappingOptions { Scope = ResolutionScope.AmbiguousAndFalsePositives, FalsePositiveThreshold = 0.5 },
        };

        using PhaseMappingRun run = workflow.Run(new PhaseMappingInput(data.OpticalDensity), data.References);
        PhaseMappingResult r = run.Results[0];

        Assert.True(r.FalsePositiveCount > 0);
        Assert.Equal(r.AmbiguousCount + r.FalsePositiveCount, r.Resolved.Count);

        // The spatial-coherence requirement only removes flags.
        using PhaseMappingRun coherent = new PhaseMappingWorkflow
        {
            Encoder = run.Encoder,
            Options = new PhaseMappingOptions
            {
                Scope = ResolutionScope.AmbiguousAndFalsePositives, FalsePositiveThreshold = 0.5, FalsePositiveNeighbours = 2,
            },
        }.Run(new PhaseMappingInput(data.OpticalDensity), data.References);
        PhaseMappingResult c = coherent.Results[0];
        Assert.True(c.FalsePositiveCount < r.FalsePositiveCount, $"{c.FalsePositiveCount} vs {r.FalsePositiveCount}");
        for (int i = 0; i < c.Correlation.PixelCount; i++)
        {
            Assert.True(!c.FalsePositives[i] || r.FalsePositives[i]);
        }
    }

    [Fact]
    public void Run_StacksWithDifferentEnergies_ThrowsIncompatibleEnergies()
    {
        SyntheticDataset a = SyntheticStackGenerator.Generate(new SyntheticStackOptions { Width = 16, Height = 16, Seed = 1 });
        var energies = new EnergyAxis(a.OpticalDensity.Energies.Select((e, i) => i == 4 ? e + 0.5 : e));
        SyntheticDataset b = SyntheticStackGenerator.Generate(new SyntheticStackOptions { Width = 16, Height = 16, Seed = 2, Energies = energies });
        var workflow = new PhaseMappingWorkflow { EncoderTrainer = new PcaEncoderTrainer() };

        var ex = Assert.Throws<IncompatibleEnergiesException>(() => workflow.Run(
            new[] { new PhaseMappingInput(a.OpticalDensity, "a"), new PhaseMappingInput(b.OpticalDensity, "b") }, a.References));
        Assert.Contains("energy 4", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_WithAlignment_RecoversDriftAndCropsResultsAndCallerMask()
    {
        SyntheticDataset data = SyntheticStackGenerator.Generate(
            new SyntheticStackOptions { Width = 64, Height = 64, Seed = 9, DriftPixels = 3, Dose = 5000 });
        var callerMask = PixelMask.Uniform(64, 64);
        var workflow = new PhaseMappingWorkflow
        {
            EncoderTrainer = new PcaEncoderTrainer(),
            Options = new PhaseMappingOptions { Alignment = new StackAlignmentOptions() },
        };

        using PhaseMappingRun run = workflow.Run(new PhaseMappingInput(data.Transmission, "drift", callerMask), data.References);
        PhaseMappingResult r = run.Results[0];

        Assert.NotNull(r.AlignmentShifts);
        Assert.Equal(data.Transmission.EnergyCount, r.AlignmentShifts!.Count);
        Assert.True(r.Width < 64 || r.Height < 64, "the aligned stack is cropped to the common region");
        Assert.Equal(r.Width, r.SampleMask.Width);
        // Relative drift between energies is recovered: compare shift differences with the planted ones.
        for (int e = 1; e < data.DriftShifts.Count; e++)
        {
            double planted = data.DriftShifts[e].Dx - data.DriftShifts[0].Dx;
            double found = r.AlignmentShifts[e].X - r.AlignmentShifts[0].X;
            Assert.True(Math.Abs(planted - found) < 0.5, $"energy {e}: planted {planted:F2}, found {found:F2}");
        }
    }

    [Fact]
    public void Run_PccOnly_TrainsNothingAndReportsNoLatentSpace()
    {
        SyntheticDataset data = SyntheticStackGenerator.Generate(new SyntheticStackOptions { Width = 32, Height = 32, Seed = 3 });
        var trainer = new PcaEncoderTrainer();
        var workflow = new PhaseMappingWorkflow
        {
            EncoderTrainer = trainer,
            Options = new PhaseMappingOptions { ResolveAmbiguities = false, SpatialRegularization = false, MarkNoMatch = false },
        };

        using PhaseMappingRun run = workflow.Run(new PhaseMappingInput(data.OpticalDensity), data.References);
        PhaseMappingResult r = run.Results[0];

        Assert.Null(run.Encoder);
        Assert.Equal(0, r.LatentDimension);
        Assert.Equal(r.PccMap.Labels.ToArray(), r.FinalMap.Labels.ToArray());
    }

    [Fact]
    public void Run_Cancelled_ThrowsOperationCanceled()
    {
        SyntheticDataset data = SyntheticStackGenerator.Generate(new SyntheticStackOptions { Width = 16, Height = 16, Seed = 1 });
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        var workflow = new PhaseMappingWorkflow { EncoderTrainer = new PcaEncoderTrainer() };

        Assert.ThrowsAny<OperationCanceledException>(
            () => workflow.Run(new[] { new PhaseMappingInput(data.OpticalDensity) }, data.References, null, cts.Token));
    }

    private static int FirstParticlePixel(SyntheticDataset data, int from)
    {
        for (int i = from; i < data.Truth.PixelCount; i++)
        {
            if (data.Truth.Labels[i] >= 0 && !data.BoundaryMask[i])
            {
                return i;
            }
        }

        throw new InvalidOperationException("no particle pixel");
    }
}
