using StxmPhase.Spectra;

namespace StxmPhase.Spectra.Tests;

public class ProcessorBudgetTests
{
    [Theory]
    [InlineData("0-3", 4)]
    [InlineData("0,2,4", 3)]
    [InlineData("0-1,8,10-11", 5)]
    [InlineData(" 5 \n", 1)]
    public void ParseCpuList_AffinityLists_CountsCpus(string list, int expected) =>
        Assert.Equal(expected, ProcessorBudget.ParseCpuList(list));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("3-1")]
    [InlineData("a-b")]
    public void ParseCpuList_Unparsable_ReturnsNull(string? list) => Assert.Null(ProcessorBudget.ParseCpuList(list));

    [Theory]
    [InlineData("200000 100000", 2)]
    [InlineData("150000 100000", 2)] // 1.5 CPUs round up
    [InlineData("50000 100000", 1)]
    [InlineData("100000 100000\n", 1)]
    public void ParseCgroupV2CpuMax_Quota_CpusRoundedUp(string line, int expected) =>
        Assert.Equal(expected, ProcessorBudget.ParseCgroupV2CpuMax(line));

    [Theory]
    [InlineData("max 100000")]
    [InlineData("")]
    [InlineData("garbage")]
    public void ParseCgroupV2CpuMax_NoLimit_ReturnsNull(string line) => Assert.Null(ProcessorBudget.ParseCgroupV2CpuMax(line));

    [Fact]
    public void QuotaToCpus_V1_NoLimitIsNullAndQuotaRoundsUp()
    {
        Assert.Null(ProcessorBudget.QuotaToCpus(-1, 100000));
        Assert.Equal(3, ProcessorBudget.QuotaToCpus(250000, 100000));
    }

    [Theory]
    [InlineData("4", 4)]
    [InlineData(" 2 ", 2)]
    [InlineData("0", null)]
    [InlineData("x", null)]
    [InlineData(null, null)]
    public void ParseSlurm_Values_PositiveIntegerOrNull(string? value, int? expected) =>
        Assert.Equal(expected, ProcessorBudget.ParseSlurm(value));

    [Fact]
    public void Combine_SeveralLimits_TakesTheSmallestKnown()
    {
        Assert.Equal(16, ProcessorBudget.Combine(16, null, null, null));
        Assert.Equal(4, ProcessorBudget.Combine(16, 8, 4, null));
        Assert.Equal(2, ProcessorBudget.Combine(16, 8, 4, 2));
        Assert.Equal(3, ProcessorBudget.Combine(16, 3, null, 6));
        Assert.Equal(1, ProcessorBudget.Combine(0, null, null, null));
    }

    [Fact]
    public void Available_ThisProcess_BetweenOneAndProcessorCount()
    {
        Assert.InRange(ProcessorBudget.Available, 1, Environment.ProcessorCount);
        Assert.Equal(ProcessorBudget.Available, ProcessorBudget.Resolve(null));
        Assert.Equal(3, ProcessorBudget.Resolve(3));
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => ProcessorBudget.Resolve(0));
        Assert.Contains("at least 1", ex.Message, StringComparison.Ordinal);
    }
}
