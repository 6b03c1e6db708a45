using StxmPhase.Gmvae;
using StxmPhase.Synthetic;

namespace StxmPhase.Tests;

public class DefaultsTests
{
    [Fact]
    public void PhaseMappingOptions_Defaults_AreBoundedAndTheSameAsGmvaeOptions()
    {
        var options = new PhaseMappingOptions();
        var gmvae = new GmvaeOptions();

        Assert.Equal(40, options.TrainingEpochs);
        Assert.Equal(12000, options.MaxTrainingSpectra);
        Assert.Equal(options.TrainingEpochs, gmvae.Epochs);
        Assert.Equal(options.MaxTrainingSpectra, gmvae.MaxTrainingSpectra);
        Assert.Null(options.Threads);
    }

    [Fact]
    public void Paper_Presets_AreThePapersScheduleAndKeepOtherDefaults()
    {
        PhaseMappingOptions paper = PhaseMappingOptions.Paper with { Seed = 3 };

        Assert.Equal(400, paper.TrainingEpochs);
        Assert.Null(paper.MaxTrainingSpectra);
        Assert.Equal(3, paper.Seed);
        Assert.Equal(new PhaseMappingOptions().AmbiguityThreshold, paper.AmbiguityThreshold);
        Assert.Equal(400, GmvaeOptions.Paper.Epochs);
        Assert.Null(GmvaeOptions.Paper.MaxTrainingSpectra);
        Assert.Equal(new GmvaeOptions().HiddenLayers, GmvaeOptions.Paper.HiddenLayers);
    }

    [Fact]
    public void DefaultEncoderTrainer_FromOptions_CarriesScheduleSeedAndThreads()
    {
        var options = new PhaseMappingOptions { TrainingEpochs = 7, MaxTrainingSpectra = 500, Seed = 9, Threads = 1 };

        var trainer = Assert.IsType<GmvaeEncoderTrainer>(DefaultComponents.EncoderTrainer(options, null));

        Assert.Equal(7, trainer.Options!.Epochs);
        Assert.Equal(500, trainer.Options.MaxTrainingSpectra);
        Assert.Equal(9, trainer.Options.Seed);
        Assert.Equal(1, trainer.EncodingThreads);
    }

    [Fact]
    public void Run_NoEncoderTrainer_TrainsWithTheOptionsSchedule()
    {
        SyntheticDataset data = SyntheticStackGenerator.Generate(new SyntheticStackOptions { Width = 32, Height = 32, Seed = 5, Dose = 300 });
        var workflow = new PhaseMappingWorkflow
        {
            Options = new PhaseMappingOptions { Seed = 1, TrainingEpochs = 2, MaxTrainingSpectra = 300, Threads = 1 },
        };

        using PhaseMappingRun run = workflow.Run(new PhaseMappingInput(data.Transmission, "s"), data.References);

        GmvaeModel model = Assert.IsType<GmvaeModel>(run.Encoder);
        Assert.Equal(2, model.History.EpochsRun);
        Assert.True(model.History.TrainingCount + model.History.ValidationCount + model.History.TestCount <= 300);
    }

    [Fact]
    public void StageTimings_StackTotal_IsTheSumOfThisStacksStages()
    {
        var t = new StageTimings(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(4));

        Assert.Equal(TimeSpan.FromSeconds(10), t.StackTotal);
        Assert.Null(typeof(StageTimings).GetProperty("Total")); // "Total" read as the run's total but left out training
    }
}
