using Microsoft.Extensions.Logging.Abstractions;
using StxmPhase.Cli.Beamtime;
using StxmPhase.Synthetic;

namespace StxmPhase.Cli.Tests;

/// <summary>Training holds one stack at a time plus the pooled subsample, whose size does not grow with the number of stacks.</summary>
public sealed class BeamtimeTrainerTests
{
    private static readonly ModelSettings s_settings = new(0.005, "none", "pcc-gmvae", "gmvae", 2, 300, false, ResolutionScope.AmbiguousOnly, 0,
        null, null, false, 1, 1);

    [Theory]
    [InlineData(2)]
    [InlineData(6)]
    public void Train_ManyStacks_HoldsOneStackAtATimeAndACappedSubsample(int stacks)
    {
        var released = new List<WeakReference>();
        int stillAlive = 0;
        var sources = Enumerable.Range(0, stacks).Select(i => new TrainingSource($"s{i}", null, _ =>
        {
            // Every stack read before this one must be collectable by now: nothing of it is retained.
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            stillAlive += released.Count(w => w.IsAlive);
            SyntheticDataset data = SyntheticStackGenerator.Generate(new SyntheticStackOptions { Width = 40, Height = 40, Seed = i + 1, Dose = 400 });
            released.Add(new WeakReference(data.Transmission));
            return new PhaseMappingInput(data.Transmission, $"s{i}");
        })).ToList();
        Spectra.ReferenceSpectra references =
            SyntheticStackGenerator.Generate(new SyntheticStackOptions { Width = 16, Height = 16, Seed = 1 }).References;
        var workflow = new PhaseMappingWorkflow { Options = Pipelines.OptionsFor(s_settings) };

        BeamtimeTraining training = BeamtimeTrainer.Train(sources, references, s_settings, workflow, null, NullLogger.Instance, default);

        Assert.Equal(0, stillAlive);
        int energies = training.Energies.Count;
        int quota = (300 + stacks - 1) / stacks;
        Assert.All(training.Inputs, input => Assert.Equal(quota, input.Spectra)); // every 40² stack has more valid pixels than its quota
        Assert.True(training.PeakRetainedValues <= (300L + stacks) * energies, $"{training.PeakRetainedValues} values retained");
    }

    [Fact]
    public void Stratified_KeepsPhaseProportionsAndIsSeeded()
    {
        int[] labels = [.. Enumerable.Repeat(0, 600), .. Enumerable.Repeat(1, 300), .. Enumerable.Repeat(-1, 100)];

        int[] rows = BeamtimeTrainer.Stratified(labels, 100, 7);

        Assert.Equal(100, rows.Length);
        Assert.Equal(60, rows.Count(r => labels[r] == 0));
        Assert.Equal(30, rows.Count(r => labels[r] == 1));
        Assert.Equal(10, rows.Count(r => labels[r] == -1));
        Assert.Equal(rows, BeamtimeTrainer.Stratified(labels, 100, 7));
        Assert.NotEqual(rows, BeamtimeTrainer.Stratified(labels, 100, 8));
        Assert.Equal(Enumerable.Range(0, 1000), BeamtimeTrainer.Stratified(labels, 1000, 7));
    }
}
