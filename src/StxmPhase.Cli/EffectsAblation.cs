using System.Globalization;
using System.Text;
using StxmPhase.Spectra;
using StxmPhase.Synthetic;
using StxmPhase.Unmixing;

namespace StxmPhase.Cli;

/// <summary>
/// <c>stxmphase evaluate --synthetic --effects …</c>: accuracy of each method on synthetic stacks with one measurement effect
/// at a time (issue 16), every particle pixel scored (mixed boundary pixels included; an unlabelled pixel counts as wrong).
/// </summary>
internal static class EffectsAblation
{
    /// <summary>The effect presets at realistic magnitudes, by name.</summary>
    public static readonly IReadOnlyDictionary<string, (string Description, Func<SyntheticStackOptions, SyntheticStackOptions> Apply)> Presets =
        new Dictionary<string, (string, Func<SyntheticStackOptions, SyntheticStackOptions>)>(StringComparer.Ordinal)
        {
            ["none"] = ("no effect", o => o),
            ["energy-offset"] = ("energy scale 0.25 eV off the references'", o => With(o, x => x.EnergyOffsetEv = 0.25)),
            ["energy-offset-negative"] = ("energy scale −0.4 eV off", o => With(o, x => x.EnergyOffsetEv = -0.4)),
            ["energy-offset-small"] = ("energy scale 0.1 eV off (a typical monochromator error)", o => With(o, x => x.EnergyOffsetEv = 0.1)),
            ["energy-jitter"] = ("per-energy calibration jitter σ = 0.05 eV", o => With(o, x => x.EnergyJitterEv = 0.05)),
            ["broadening"] = ("sample spectra broadened by a 0.35 eV FWHM Gaussian", o => With(o, x => x.SpectralBroadeningEv = 0.35)),
            ["harmonics"] = ("thick particles (OD 3.5) with 4 % harmonics (κ = 0.1)",
                o => With(o, x => { x.MaxThicknessOd = 3.5; x.HarmonicFraction = 0.04; })),
            ["carbon"] = ("carbon/CEI layer up to OD 0.3 at 532 eV", o => With(o, x => x.CarbonLayerOd = 0.3)),
            ["carbon-strong"] = ("carbon/CEI layer up to OD 1.5 at 532 eV", o => With(o, x => x.CarbonLayerOd = 1.5)),
            ["psf"] = ("PSF FWHM 1.5 px", o => With(o, x => x.PsfFwhmPixels = 1.5)),
            ["damage"] = ("10 % mass loss by the last energy", o => With(o, x => x.BeamDamageFraction = 0.1)),
            ["i0-drift"] = ("I0 decay 10 % and 2 % jitter", o => With(o, x => { x.BeamDecayFraction = 0.1; x.I0JitterFraction = 0.02; })),
        };

    /// <summary>The method columns of the table, in order.</summary>
    /// <remarks>"default preprocessing" = <c>--energy-offset auto</c> and <c>--max-od 2.5</c>; "+ linear" = <c>--background linear</c>;
    /// "+ linear + carbon" adds the carbon layer's spectrum (<c>--background-spectrum carbon.csv</c>); the default pipeline's final map
    /// is the MRF's, which the latent stages do not change, so they are skipped there; the paper column runs the paper's pipeline
    /// (<c>--paper</c>) with the model options given (encoder, epochs, strategy).</remarks>
    public static readonly string[] Methods =
    [
        "PCC, no corrections", "PCC (default preprocessing)", "PCC + linear", "PCC + linear + carbon", "default pipeline", "default + linear",
        "default + linear + carbon", "paper pipeline (model options)", "NNLS LCF", "NMF",
    ];

    /// <summary>Column indices of <see cref="Methods"/>.</summary>
    internal const int PlainPcc = 0, Pcc = 1, PccLinear = 2, PccCarbon = 3, Default = 4, DefaultLinear = 5, DefaultCarbon = 6, Paper = 7,
        Lcf = 8, Nmf = 9;

    /// <summary>The command: runs the ablation and prints the table or writes it to <paramref name="reportPath"/> (atomically).</summary>
    public static int Evaluate(CliContext ctx, string[] effects, double dose, int size, int seed, int seeds, ModelSettings model, string? reportPath,
        CancellationToken ct)
    {
        if (reportPath is not null)
        {
            OutputFolders.CheckWritableFile(reportPath, "--report", overwrite: true);
        }

        string[] chosen = effects.Length == 1 && effects[0] == "all" ? [.. Presets.Keys] : effects;
        string markdown = Run(ctx, chosen, size, dose, seed, seeds, model, out _, ct);
        return ReportOutput.Emit(ctx, reportPath, markdown);
    }

    /// <summary>Runs every effect × seed and returns the Markdown table; <paramref name="accuracies"/> receives [effect][method] means.</summary>
    public static string Run(CliContext ctx, IReadOnlyList<string> effects, int size, double dose, int seed, int seeds, ModelSettings model,
        out double[][] accuracies, CancellationToken ct)
    {
        foreach (string e in effects)
        {
            if (!Presets.ContainsKey(e))
            {
                throw new UsageException($"--effects: unknown effect '{e}'; known: {string.Join(", ", Presets.Keys)}.");
            }
        }

        accuracies = new double[effects.Count][];
        var sb = new StringBuilder();
        sb.AppendLine(CultureInfo.InvariantCulture,
            $"Accuracy over every particle pixel (%), mean ± sd over {seeds} seed(s), {size}² pixels, dose {dose}, "
            + $"model: {model.Encoder}, {model.Epochs} epochs, strategy {model.Strategy}.");
        sb.AppendLine();
        sb.Append("| effect |");
        foreach (string m in Methods)
        {
            sb.Append(' ').Append(m).Append(" |");
        }

        sb.AppendLine();
        sb.Append("|---|").Append(string.Concat(Enumerable.Repeat("---|", Methods.Length))).AppendLine();
        for (int k = 0; k < effects.Count; k++)
        {
            double[][] scores = new double[Methods.Length][];
            for (int m = 0; m < Methods.Length; m++)
            {
                scores[m] = new double[seeds];
            }

            for (int s = 0; s < seeds; s++)
            {
                ct.ThrowIfCancellationRequested();
                var options = Presets[effects[k]].Apply(new SyntheticStackOptions
                {
                    Width = size, Height = size, Dose = dose, Seed = seed + s, DomainLayout = DomainLayout.Voronoi,
                });
                double[] row = Score(ctx, SyntheticStackGenerator.Generate(options, ct), model, ct);
                for (int m = 0; m < Methods.Length; m++)
                {
                    scores[m][s] = row[m];
                }
            }

            accuracies[k] = new double[Methods.Length];
            sb.Append(CultureInfo.InvariantCulture, $"| {effects[k]}: {Presets[effects[k]].Description} |");
            for (int m = 0; m < Methods.Length; m++)
            {
                double mean = scores[m].Average();
                double sd = seeds > 1 ? Math.Sqrt(scores[m].Sum(v => (v - mean) * (v - mean)) / (seeds - 1)) : 0;
                accuracies[k][m] = mean;
                sb.Append(CultureInfo.InvariantCulture, $" {100 * mean:0.0} ± {100 * sd:0.0} |");
            }

            sb.AppendLine();
        }

        return sb.ToString();
    }

    private static double[] Score(CliContext ctx, SyntheticDataset data, ModelSettings model, CancellationToken ct)
    {
        var input = new[] { new PhaseMappingInput(data.OpticalDensity, "synthetic") };
        double[] result = new double[Methods.Length];
        using (PhaseMappingRun plain = new PhaseMappingWorkflow
        {
            Options = new PhaseMappingOptions
            {
                ResolveAmbiguities = false, EnergyOffset = EnergyOffsetMode.None, MaxOpticalDensity = double.PositiveInfinity,
            },
        }.Run(input, data.References, null, ct))
        {
            result[PlainPcc] = Accuracy(plain.Results[0].PccMap, data.Truth);
        }

        using PhaseMappingRun corrected = new PhaseMappingWorkflow { Options = new PhaseMappingOptions { ResolveAmbiguities = false } }
            .Run(input, data.References, null, ct);
        result[Pcc] = Accuracy(corrected.Results[0].PccMap, data.Truth);
        result[Default] = Accuracy(corrected.Results[0].FinalMap, data.Truth);
        SpectralBackground[] backgrounds = [new(linear: true), new(linear: true, CarbonSpectrum(data.References.Energies))];
        for (int b = 0; b < backgrounds.Length; b++)
        {
            using PhaseMappingRun run = new PhaseMappingWorkflow
            {
                Options = new PhaseMappingOptions { ResolveAmbiguities = false, Background = backgrounds[b] },
            }.Run(input, data.References, null, ct);
            result[PccLinear + b] = Accuracy(run.Results[0].PccMap, data.Truth);
            result[DefaultLinear + b] = Accuracy(run.Results[0].FinalMap, data.Truth);
        }

        using (PhaseMappingRun paper = Pipelines.RunWorkflow(ctx, input, data.References, model with { PaperPipeline = true }, ct))
        {
            result[Paper] = Accuracy(paper.Results[0].FinalMap, data.Truth);
        }

        PhaseMappingResult r = corrected.Results[0];
        result[Lcf] = Accuracy(new LinearCombinationFitter().Fit(r.OpticalDensity, corrected.References, r.SampleMask, ct).PhaseMap, data.Truth);
        result[Nmf] = Accuracy(new NmfPhaseMapper().Map(r.OpticalDensity, corrected.References, r.SampleMask, null, ct).PhaseMap, data.Truth);
        return result;
    }

    /// <summary>The carbon/CEI layer's spectrum on <paramref name="grid"/>, as a user would supply it (<c>--background-spectrum</c>).</summary>
    internal static ReferenceSpectra CarbonSpectrum(EnergyAxis grid)
    {
        double[] values = new double[grid.Count];
        for (int e = 0; e < values.Length; e++)
        {
            values[e] = NaVanadiumFluorophosphateReferences.CarbonLayerAbsorption(grid[e]);
        }

        return new ReferenceSpectra(grid, ["carbon"], values);
    }

    /// <summary>Fraction of particle pixels (truth ≥ 0) whose label equals the truth.</summary>
    internal static double Accuracy(PhaseMap map, PhaseMap truth)
    {
        int correct = 0, total = 0;
        ReadOnlySpan<int> labels = map.Labels;
        ReadOnlySpan<int> expected = truth.Labels;
        for (int i = 0; i < expected.Length; i++)
        {
            if (expected[i] >= 0)
            {
                total++;
                correct += labels[i] == expected[i] ? 1 : 0;
            }
        }

        return total == 0 ? double.NaN : (double)correct / total;
    }

    private static SyntheticStackOptions With(SyntheticStackOptions o, Action<Mutable> change)
    {
        var m = new Mutable();
        change(m);
        return new SyntheticStackOptions
        {
            Width = o.Width, Height = o.Height, Dose = o.Dose, Seed = o.Seed, DomainLayout = o.DomainLayout, ParticleCount = o.ParticleCount,
            EnergyOffsetEv = m.EnergyOffsetEv, EnergyJitterEv = m.EnergyJitterEv, SpectralBroadeningEv = m.SpectralBroadeningEv,
            MaxThicknessOd = m.MaxThicknessOd, HarmonicFraction = m.HarmonicFraction, CarbonLayerOd = m.CarbonLayerOd,
            PsfFwhmPixels = m.PsfFwhmPixels,
            BeamDamageFraction = m.BeamDamageFraction, BeamDecayFraction = m.BeamDecayFraction, I0JitterFraction = m.I0JitterFraction,
        };
    }

    /// <summary>Mutable copy of the effect settings used by the presets.</summary>
    private sealed class Mutable
    {
        public double EnergyOffsetEv { get; set; }

        public double EnergyJitterEv { get; set; }

        public double SpectralBroadeningEv { get; set; }

        public double MaxThicknessOd { get; set; } = 1.5;

        public double HarmonicFraction { get; set; }

        public double CarbonLayerOd { get; set; }

        public double PsfFwhmPixels { get; set; }

        public double BeamDamageFraction { get; set; }

        public double BeamDecayFraction { get; set; }

        public double I0JitterFraction { get; set; }
    }
}
