using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.Json;
using StxmPhase.Figures;
using StxmPhase.IO;

namespace StxmPhase.Cli;

/// <summary>Writes the files of one stack's result (arrays, summary, figures), each atomically.</summary>
internal static class OutputWriter
{
    public static void Write(
        CliContext ctx, PhaseMappingRun run, PhaseMappingResult r, string folder, ModelSettings model, WorkflowEvaluation? evaluation,
        Beamtime.Provenance? provenance = null)
    {
        Directory.CreateDirectory(folder);
        int w = r.Width, h = r.Height;
        NpyFile.Write(Path.Combine(folder, "phase-map.npy"), r.FinalMap);
        NpyFile.Write(Path.Combine(folder, "pcc-phase-map.npy"), r.PccMap);
        NpyFile.Write(Path.Combine(folder, "second-phase.npy"), r.Correlation.SecondLabels, h, w);
        NpyFile.Write(Path.Combine(folder, "reliability.npy"), r.Correlation.Reliability, h, w);
        NpyFile.Write(Path.Combine(folder, "ambiguous.npy"), ToBytes(r.Correlation.Ambiguous.AsSpan()), h, w);
        NpyFile.Write(Path.Combine(folder, "false-positives.npy"), ToBytes(r.FalsePositives.AsSpan()), h, w);
        if (r.Saturated is { } saturated)
        {
            NpyFile.Write(Path.Combine(folder, "saturated.npy"), ToBytes(saturated.AsSpan()), h, w);
        }

        NpyFile.Write(Path.Combine(folder, "correlations.npy"), r.Correlation.Correlations, r.Correlation.PhaseCount, h, w);
        if (r.Posteriors is { } posteriors)
        {
            // The posteriors of the final map: the MRF's when regularised (the noise model's alone otherwise).
            NpyFile.Write(Path.Combine(folder, "posterior.npy"), r.FinalPosteriors, posteriors.PhaseCount, h, w);
        }

        if (r.LatentDimension > 0)
        {
            NpyFile.Write(Path.Combine(folder, "latent.npy"), r.Latent, h, w, r.LatentDimension);
        }
        Unmixing.CompositionMap? composition = ParticleOutput.Composition(run, r, model.ReferenceValues);
        if (composition is not null)
        {
            NpyFile.Write(Path.Combine(folder, "composition.npy"), composition.Values, h, w);
            NpyFile.Write(Path.Combine(folder, "composition-sd.npy"), composition.StandardDeviations, h, w);
        }

        ParticleAnalysis particles = ParticleAnalysis.Analyze(r, new ParticleAnalysisOptions { Segmentation = model.Particles },
            composition is null ? default : composition.Values);
        AtomicFile.WriteText(Path.Combine(folder, "particles.csv"), ParticleOutput.Csv(particles));
        AtomicFile.WriteText(Path.Combine(folder, "summary.json"), Summary(run, r, model, evaluation, particles, provenance));
        if (model.Figures)
        {
            WorkflowFigures.Save(run, r, folder);
            PhaseFigures.SavePng(Path.Combine(folder, "particles.png"),
                PhaseFigures.RenderParticleMap(particles.Labels, FigureOptions.Default.WithTitle($"{r.Name}: particles"), r.OpticalDensity.Metadata));
            if (composition is not null)
            {
                PhaseFigures.SavePng(Path.Combine(folder, "composition.png"), PhaseFigures.RenderCompositionMap(
                    w, h, composition.Values, composition.StandardDeviations, "composition (reference values)",
                    FigureOptions.Default.WithTitle($"{r.Name}: composition (brightness = certainty)"), r.OpticalDensity.Metadata));
            }
        }
    }

    /// <summary>
    /// Writes the files of the whole run (once per run), each atomically: <c>latent-paths.csv</c> (the decoder's spectra along
    /// the latent paths between adjacent phases, when the encoder can decode) and, with figures on,
    /// <c>latent-all-stacks.png</c> and <c>latent-path-P-Q.png</c>. Such files of an earlier run in <paramref name="folder"/> are
    /// removed first: they describe that run, and this one may write fewer (no decoder, no figures, fewer phases).
    /// </summary>
    public static void WriteRun(PhaseMappingRun run, string folder, ModelSettings model)
    {
        Directory.CreateDirectory(folder);
        foreach (string stale in Directory.EnumerateFiles(folder).Where(f => OutputFolders.IsRunFile(Path.GetFileName(f))))
        {
            File.Delete(stale);
        }

        IReadOnlyList<LatentPath> paths = run.AdjacentPhasePaths();
        if (paths.Count > 0)
        {
            AtomicFile.WriteText(Path.Combine(folder, "latent-paths.csv"), w => WritePaths(w, run, paths));
        }

        if (model.Figures)
        {
            WorkflowFigures.SaveRun(run, folder);
        }
    }

    private static void WritePaths(TextWriter w, PhaseMappingRun run, IReadOnlyList<LatentPath> paths)
    {
        int d = paths[0].LatentDimension;
        var header = new StringBuilder("from_phase,to_phase,step,t");
        for (int j = 0; j < d; j++)
        {
            header.Append(CultureInfo.InvariantCulture, $",z{j + 1}");
        }

        foreach (double e in run.References.Energies)
        {
            header.Append(CultureInfo.InvariantCulture, $",od_{e:R}eV");
        }

        w.WriteLine(header.ToString());
        foreach (LatentPath path in paths)
        {
            for (int k = 0; k < path.Steps; k++)
            {
                var line = new StringBuilder();
                line.Append(CultureInfo.InvariantCulture,
                    $"{Csv(run.References.PhaseNames[path.FromPhase])},{Csv(run.References.PhaseNames[path.ToPhase])},{k},{path.Positions[k]:R}");
                foreach (float v in path.Points.Slice(k * d, d))
                {
                    line.Append(CultureInfo.InvariantCulture, $",{v:R}");
                }

                foreach (float v in path.Spectrum(k))
                {
                    line.Append(CultureInfo.InvariantCulture, $",{v:R}");
                }

                w.WriteLine(line.ToString());
            }
        }
    }

    private static string Csv(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;

    /// <summary>Converts a mask to 0/1 bytes for a uint8 .npy array.</summary>
    internal static byte[] ToBytes(ReadOnlySpan<bool> values)
    {
        byte[] b = new byte[values.Length];
        for (int i = 0; i < b.Length; i++)
        {
            b[i] = values[i] ? (byte)1 : (byte)0;
        }

        return b;
    }

    private static string Summary(PhaseMappingRun run, PhaseMappingResult r, ModelSettings m, WorkflowEvaluation? e, ParticleAnalysis particles,
        Beamtime.Provenance? provenance)
    {
        using var stream = new MemoryStream();
        using (var j = new Utf8JsonWriter(stream, JsonOutput.Writer))
        {
            j.WriteStartObject();
            j.WriteString("stack", r.Name);
            j.WriteString("source", r.OpticalDensity.Metadata.SourceFile);
            j.WriteNumber("width", r.Width);
            j.WriteNumber("height", r.Height);
            j.WriteStartArray("energies_eV");
            foreach (double v in r.OpticalDensity.Energies)
            {
                j.WriteNumberValue(v);
            }

            j.WriteEndArray();
            j.WriteStartArray("phases");
            foreach (string p in r.PhaseNames)
            {
                j.WriteStringValue(p);
            }

            j.WriteEndArray();
            WriteFractions(j, "fractions_before", r.PhaseNames, r.FractionsBefore);
            WriteFractions(j, "fractions_after", r.PhaseNames, r.FractionsAfter);
            j.WriteStartObject("counts");
            j.WriteNumber("pixels", r.Correlation.PixelCount);
            j.WriteNumber("valid", r.Correlation.ValidCount);
            j.WriteNumber("masked", r.MaskedCount);
            j.WriteNumber("invalid", r.InvalidCount);
            j.WriteNumber("undefined_od", r.UndefinedOpticalDensityCount);
            j.WriteNumber("ambiguous", r.AmbiguousCount);
            j.WriteNumber("resolved", r.Resolved.Count);
            j.WriteNumber("changed", r.ChangedCount);
            j.WriteNumber("latent_false_positives", r.FalsePositiveCount);
            j.WriteNumber("no_match", r.NoMatchCount);
            j.WriteNumber("saturated", r.SaturatedCount);
            j.WriteEndObject();
            if (r.Posteriors is { } post)
            {
                j.WriteStartObject("noise_model");
                j.WriteNumber("chi2_scale", post.Temperature);
                j.WriteNumber("degrees_of_freedom", post.DegreesOfFreedom);
                WriteNumberOrNull(j, "no_match_chi2_threshold", post.NoMatchThreshold);
                j.WriteNumber("no_match", post.NoMatchCount);
                WriteFractions(j, "prior", r.PhaseNames, post.Prior);
                j.WriteString("posterior_npy", r.Regularized is null ? "noise model" : "Potts MRF (mean field)");
                if (r.Regularized is { } mrf)
                {
                    j.WriteNumber("potts_strength", mrf.Strength);
                }

                if (r.PriorWarnings.Count > 0)
                {
                    // Only when there is one: a phase PCC labels widely whose estimated prior is near zero (the final map drops it).
                    j.WriteStartArray("prior_warnings");
                    foreach (PhasePriorWarning w in r.PriorWarnings)
                    {
                        j.WriteStartObject();
                        j.WriteString("phase", w.PhaseName);
                        j.WriteNumber("prior", w.Prior);
                        j.WriteNumber("pcc_fraction", w.CorrelationFraction);
                        j.WriteNumber("median_log_likelihood_ratio", w.MedianLogLikelihoodRatio);
                        j.WriteString("message", w.Message);
                        j.WriteEndObject();
                    }

                    j.WriteEndArray();
                }

                j.WriteEndObject();
            }

            WriteMask(j, r.ParticleMask, r.SampleMask);

            ParticleOutput.WriteSummary(j, particles, m.Particles);
            j.WriteStartObject("options");
            j.WriteNumber("ambiguity_threshold", m.AmbiguityThreshold);
            j.WriteNumber("false_positive_threshold", run.Options.FalsePositiveThreshold);
            j.WriteNumber("false_positive_neighbours", run.Options.FalsePositiveNeighbours);
            j.WriteString("strategy", m.Strategy);
            j.WriteString("encoder", m.ModelPath is null ? m.Encoder : "gmvae (loaded)");
            j.WriteString("model", m.ModelPath);
            j.WriteNumber("epochs", m.Epochs);
            j.WriteNumber("max_training_spectra", m.MaxTrainingSpectra);
            j.WriteString("resolve", m.Scope == ResolutionScope.AmbiguousOnly ? "ambiguous" : "ambiguous+fp");
            j.WriteNumber("spatial_prior", m.SpatialPriorWeight);
            j.WriteString("mrf", run.Options.SpatialRegularization ? "on" : "off");
            if (run.Options.SpatialRegularization && run.Options.Potts?.Strength is { } beta)
            {
                j.WriteNumber("mrf_strength", beta); // only a fixed β: auto (the estimate) keeps the summary as it was
            }
            j.WriteNumber("max_od", double.IsPositiveInfinity(m.MaxOpticalDensity) ? 0 : m.MaxOpticalDensity);
            if (m.Background is (true, _) or (_, not null))
            {
                j.WriteString("background", BackgroundOption.Describe(m.Background.Linear, m.Background.SpectrumPath));
            }

            j.WriteNumber("seed", m.Seed);
            j.WriteString("device", m.Cuda ? "cuda" : "cpu");
            j.WriteEndObject();
            EnergyCalibrationSummary.Write(j, run.EnergyCalibration);
            j.WriteNumber("training_spectra", run.TrainingSpectra);
            if (run.TrainingCurves is { } c && c.Epochs > 0)
            {
                j.WriteNumber("final_train_mse", c.TrainMse[^1]);
                if (c.TestLoss is double t)
                {
                    j.WriteNumber("test_loss", t);
                }
            }

            j.WriteStartObject("timings_s");
            j.WriteNumber("preprocessing", Math.Round(r.Timings.Preprocessing.TotalSeconds, 4));
            j.WriteNumber("correlation", Math.Round(r.Timings.Correlation.TotalSeconds, 4));
            j.WriteNumber("training", Math.Round(run.TrainingTime.TotalSeconds, 4));
            j.WriteNumber("encoding", Math.Round(r.Timings.Encoding.TotalSeconds, 4));
            j.WriteNumber("assignment", Math.Round(r.Timings.Assignment.TotalSeconds, 4));
            j.WriteNumber("total_run", Math.Round(run.TotalTime.TotalSeconds, 4));
            j.WriteEndObject();
            double peak = Report.PeakMemoryMegabytes();
            if (double.IsFinite(peak))
            {
                j.WriteNumber("peak_memory_mb_before_figures", Math.Round(peak, 1));
            }

            if (e is not null)
            {
                j.WriteStartObject("evaluation");
                j.WriteNumber("pcc_accuracy", e.Pcc.Accuracy);
                j.WriteNumber("final_accuracy", e.Final.Accuracy);
                j.WriteNumber("pcc_macro_f1", e.Pcc.MacroF1);
                j.WriteNumber("final_macro_f1", e.Final.MacroF1);
                WriteNumberOrNull(j, "pcc_accuracy_ambiguous", e.PccAmbiguous.Accuracy);
                WriteNumberOrNull(j, "final_accuracy_ambiguous", e.FinalAmbiguous.Accuracy);
                j.WriteNumber("pcc_fraction_error_points", e.PccFractionError);
                j.WriteNumber("final_fraction_error_points", e.FinalFractionError);
                if (e.PccAll is { } pa && e.FinalAll is { } fa)
                {
                    WriteNumberOrNull(j, "pcc_accuracy_all_particle_pixels", pa.Accuracy);
                    WriteNumberOrNull(j, "final_accuracy_all_particle_pixels", fa.Accuracy);
                }

                WriteNumberOrNull(j, "coverage", e.Coverage);
                if (e.Calibration is { } cal)
                {
                    WriteNumberOrNull(j, "posterior_ece", cal.ExpectedCalibrationError);
                }

                j.WriteNumber("false_inclusion", e.FalseInclusion);
                j.WriteEndObject();
            }

            WriteRecord(j, m, provenance ?? Beamtime.Provenance.For(r.OpticalDensity.Metadata.SourceFile,
                m.ModelPath is { } modelFile && File.Exists(modelFile) ? Beamtime.Provenance.FileSha256(modelFile) : null));
            j.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>
    /// Writes what every summary.json records about the run itself: <c>execution</c> (threads, CPU budget, Slurm job),
    /// <c>versions</c>, <c>created_utc</c> and <c>provenance</c> (input and model hashes, tool version, command line).
    /// </summary>
    internal static void WriteRecord(Utf8JsonWriter j, ModelSettings m, Beamtime.Provenance provenance)
    {
        ExecutionSummary.Write(j, m.Threads);
        j.WriteStartObject("versions");
        j.WriteString("stxmphase",
            typeof(PhaseMappingWorkflow).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion);
        j.WriteString("dotnet", Environment.Version.ToString());
        j.WriteEndObject();
        j.WriteString("created_utc", DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture));
        provenance.Write(j);
    }

    /// <summary>
    /// Writes the "mask" object: how the sample mask was made, its size, and for the automatic mask the integrated-OD
    /// background level, noise and thresholds.
    /// </summary>
    internal static void WriteMask(Utf8JsonWriter j, Spectra.ParticleMaskResult? particles, Spectra.PixelMask sample)
    {
        j.WriteStartObject("mask");
        j.WriteString("method", particles is null ? "none" : particles.Method == Spectra.ParticleMaskMethod.Otsu ? "otsu" : "noise-aware");
        j.WriteNumber("sample_pixels", sample.Count);
        j.WriteNumber("fraction_of_field", sample.PixelCount == 0 ? 0 : (double)sample.Count / sample.PixelCount);
        if (particles is not null)
        {
            WriteNumberOrNull(j, "background_integrated_od", particles.BackgroundLevel);
            WriteNumberOrNull(j, "noise_integrated_od", particles.NoiseLevel);
            WriteNumberOrNull(j, "threshold", particles.Threshold);
            WriteNumberOrNull(j, "grow_threshold", particles.GrowThreshold);
            WriteNumberOrNull(j, "otsu_threshold", particles.OtsuThreshold);
        }

        j.WriteEndObject();
    }

    private static void WriteFractions(Utf8JsonWriter j, string name, IReadOnlyList<string> phases, IReadOnlyList<double> fractions)
    {
        j.WriteStartObject(name);
        for (int i = 0; i < phases.Count; i++)
        {
            j.WriteNumber(phases[i], fractions[i]);
        }

        j.WriteEndObject();
    }

    private static void WriteNumberOrNull(Utf8JsonWriter j, string name, double value)
    {
        if (double.IsFinite(value))
        {
            j.WriteNumber(name, value);
        }
        else
        {
            j.WriteNull(name);
        }
    }
}
