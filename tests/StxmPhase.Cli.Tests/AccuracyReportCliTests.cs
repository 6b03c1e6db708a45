using System.Text.RegularExpressions;

namespace StxmPhase.Cli.Tests;

/// <summary><c>evaluate --synthetic</c>'s Markdown report.</summary>
public sealed partial class AccuracyReportCliTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "stxmphase-accuracy-" + Guid.NewGuid().ToString("N")[..8]);

    public AccuracyReportCliTests() => Directory.CreateDirectory(_dir);

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    [GeneratedRegex(@"default pipeline (\d+) flags, (\d+) of them PCC errors \(precision ([0-9.]+|–), recall ([0-9.]+|–)\); "
        + @"paper pipeline (\d+) flags, (\d+) of them PCC errors")]
    private static partial Regex FlagLine();

    [Fact]
    public async Task EvaluateSynthetic_ReportsTheFalsePositiveFlagsPrecisionPerDose()
    {
        string report = Path.Combine(_dir, "accuracy.md");
        var (code, _, err) = await CliRunner.Run("evaluate", "--synthetic", "--size", "48", "--seeds", "1", "--doses", "300", "--epochs", "2",
            "--max-training-spectra", "500", "--threads", "1", "--report", report, "-q");
        Assert.True(code == 0, err);

        string text = await File.ReadAllTextAsync(report);
        Match m = FlagLine().Match(text);
        Assert.True(m.Success, text);
        int flagged = int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        int right = int.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(right, 0, flagged);
        if (flagged > 0)
        {
            Assert.Equal(right / (double)flagged, double.Parse(m.Groups[3].Value, System.Globalization.CultureInfo.InvariantCulture), 2);
        }

        Assert.Contains("Latent-space false-positive flags (τ = 0.95", text, StringComparison.Ordinal);
    }
}
