using StxmPhase.Cli;

namespace StxmPhase.Cli.Tests;

/// <summary><c>evaluate --fusion --block-offsets</c> and <c>--edge-baseline-od</c> (docs/accuracy.md, finding (d)).</summary>
public class FusionOffsetCliTests
{
    [Fact]
    public async Task Evaluate_FusionBlockOffsets_ReachTheNoiseModel()
    {
        string[] field = ["evaluate", "--synthetic", "--fusion", "--edge-doses", "300", "7500", "--calibration-errors", "off", "--size", "48",
            "--seeds", "1"];
        var (code, perBlock, err) = await CliRunner.Run(field);
        var (code2, shared, err2) = await CliRunner.Run([.. field, "--block-offsets", "shared", "--edge-baseline-od", "0", "0.05"]);

        Assert.True(code == 0 && code2 == 0, err + err2);
        Assert.Contains("block offsets shared. Edge baseline errors 0 / 0.05 OD.", shared, StringComparison.Ordinal);
        Assert.DoesNotContain("block offsets", perBlock, StringComparison.Ordinal);
        Assert.NotEqual(Column(perBlock, 3), Column(shared, 3)); // the posterior labels of the fusion change
        Assert.Equal(Row(perBlock, "| 505–525.8 eV alone |"), Row(shared, "| 505–525.8 eV alone |")); // V L alone does not
    }

    [Theory]
    [InlineData("--block-offsets", "shared")]
    [InlineData("--edge-baseline-od", "0", "0.05")]
    public async Task Evaluate_FusionOffsetOptionsWithoutFusion_ExitWithInvalidArguments(params string[] option)
    {
        var (code, _, err) = await CliRunner.Run(["evaluate", "--synthetic", "--size", "16", .. option]);
        var (bad, _, err2) = await CliRunner.Run(["evaluate", "--synthetic", "--fusion", "--size", "16", "--seeds", "1", "--block-offsets", "x"]);
        var (one, _, err3) = await CliRunner.Run(["evaluate", "--synthetic", "--fusion", "--size", "16", "--seeds", "1",
            "--edge-baseline-od", "0.05"]);

        Assert.Equal(ExitCodes.InvalidArguments, code);
        Assert.Contains("--fusion", err, StringComparison.Ordinal);
        Assert.NotEqual(0, bad);
        Assert.Contains("'x'", err2, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.InvalidArguments, one);
        Assert.Contains("--edge-baseline-od needs two values", err3, StringComparison.Ordinal);
    }

    private static string Row(string stdout, string start) => stdout.Split('\n').First(l => l.StartsWith(start, StringComparison.Ordinal));

    private static string Column(string stdout, int column) => Row(stdout, "| weighted fusion (blocks) |").Split('|')[column];
}
