using StxmPhase.Cli;

namespace StxmPhase.Cli.Tests;

/// <summary>
/// Quick form of the robustness ablation (issue 16): small stacks, one seed, PCA encoder for the paper column; checks the
/// Done-when bounds of the default pipeline (docs/accuracy.md), not timings.
/// </summary>
public sealed class EffectsAblationTests
{
    [Fact]
    public void Run_EachEffectAlone_DefaultPipelineWithinBoundsOfCleanAndOfPcc()
    {
        using var o = new StringWriter();
        using var e = new StringWriter();
        using var ctx = new CliContext(o, e, verbose: false, quiet: true);
        ModelSettings model = new ModelSettings(
            0.005, "mahalanobis", "pcc-gmvae", "pca", 1, 0, false, ResolutionScope.AmbiguousOnly, 0, null, null, false, 1);
        string[] effects = ["none", "energy-offset", "carbon", "harmonics", "psf", "carbon-strong"];

        string table = EffectsAblation.Run(ctx, effects, 96, 2000, 1, 1, model, out double[][] acc, CancellationToken.None);

        Assert.Contains("| carbon-strong:", table, StringComparison.Ordinal);
        double clean = acc[0][EffectsAblation.Default];
        Assert.True(acc[1][EffectsAblation.PlainPcc] < acc[0][EffectsAblation.Pcc] - 0.3,
            $"a 0.25 eV offset should break uncorrected PCC: {acc[1][EffectsAblation.PlainPcc]} vs {acc[0][EffectsAblation.Pcc]}");
        for (int k = 1; k <= 4; k++)
        {
            double d = acc[k][EffectsAblation.Default], pcc = acc[k][EffectsAblation.Pcc];
            Assert.True(d > clean - 0.03, $"{effects[k]}: default {d} vs its clean case {clean}");

            // Thick particles with harmonics: the default marks ~2.5 % of the thick pixels "no match" (docs/accuracy.md).
            double margin = effects[k] == "harmonics" ? 0.02 : 0.01;
            Assert.True(d > pcc - margin, $"{effects[k]}: default {d} vs PCC {pcc}");
        }

        // A strong carbon layer hurts PCC; the background model (linear + the layer's spectrum) restores it and the default.
        double[] strong = acc[5];
        Assert.True(strong[EffectsAblation.Pcc] < acc[0][EffectsAblation.Pcc] - 0.05,
            $"carbon-strong should hurt PCC: {strong[EffectsAblation.Pcc]}");
        Assert.True(strong[EffectsAblation.PccCarbon] > strong[EffectsAblation.Pcc] + 0.05, $"PCC + background: {strong[EffectsAblation.PccCarbon]}");
        Assert.True(strong[EffectsAblation.DefaultCarbon] > clean - 0.03,
            $"default + background: {strong[EffectsAblation.DefaultCarbon]} vs {clean}");
    }
}
