using StxmPhase.Cli;

namespace StxmPhase.Cli.Tests;

/// <summary>Quick form of the robustness ablation (issue 16): small stacks, one seed, PCA encoder; checks accuracy bounds only.</summary>
public sealed class EffectsAblationTests
{
    [Fact]
    public void Run_OffsetCarbonHarmonics_CorrectedPccWithinBoundsOfClean()
    {
        using var o = new StringWriter();
        using var e = new StringWriter();
        using var ctx = new CliContext(o, e, verbose: false, quiet: true);
        ModelSettings model = new ModelSettings(0.005, "mahalanobis", "pcc-gmvae", "pca", 1, 0, false, ResolutionScope.AmbiguousOnly, 0, null, null, false, 1);

        string table = EffectsAblation.Run(ctx, ["none", "energy-offset", "carbon", "harmonics"], 96, 2000, 1, 1, model, out double[][] acc, CancellationToken.None);

        Assert.Contains("| energy-offset:", table, StringComparison.Ordinal);
        double clean = acc[0][EffectsAblation.Pcc];
        Assert.True(acc[1][EffectsAblation.PlainPcc] < clean - 0.3, $"a 0.25 eV offset should break uncorrected PCC: {acc[1][0]} vs {clean}");
        for (int k = 1; k < acc.Length; k++)
        {
            Assert.True(acc[k][EffectsAblation.Pcc] > clean - 0.05, $"effect {k}: corrected PCC {acc[k][1]} vs clean {clean}");
            Assert.True(acc[k][EffectsAblation.Default] > clean - 0.05, $"effect {k}: pipeline {acc[k][EffectsAblation.Default]} vs clean {clean}");
        }
    }
}
