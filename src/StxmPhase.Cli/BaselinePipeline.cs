using System.Globalization;
using System.Text;
using System.Text.Json;
using StxmPhase.Figures;
using StxmPhase.IO;
using StxmPhase.Spectra;
using StxmPhase.Unmixing;

namespace StxmPhase.Cli;

/// <summary>
/// <c>map --method lcf|nmf</c>: the classic baselines on the same prepared data (OD, sample mask) — non-negative
/// linear-combination fitting with the references, or NMF components matched to the references.
/// </summary>
internal static class BaselinePipeline
{
    public static void Run(CliContext ctx, IReadOnlyList<PhaseMappingInput> inputs, ReferenceSpectra references, ModelSettings m, MaskMode mask,
        bool align, OutputFolders output, CancellationToken ct, ParticleMaskOptions? particleMask = null)
    {
        var options = new PhaseMappingOptions
        {
            Mask = mask, ParticleMask = particleMask, Seed = m.Seed, Alignment = align ? new StackAlignmentOptions() : null, Threads = m.Threads,
            EnergyOffset = m.EnergyOffset, EnergyOffsetEv = m.EnergyOffsetEv, FitReferenceBroadening = m.ReferenceBroadening == "fit",
            ReferenceBroadeningEv = ReferenceBroadeningOption.Value(m.ReferenceBroadening),
        };
        if (m.Background is (true, _) or (_, not null))
        {
            // The baselines fit or factor the spectra as given; say so rather than ignore the options silently.
            ctx.Error.WriteLine($"stxmphase: warning: --method {m.Method} does not use --background/--background-spectrum "
                + "(only the noise-model posteriors and the correlation of the default method fit background components).");
        }

        PreparedInput[] prepared = [.. inputs.Select(input => SamplePreparation.Prepare(input, options, ctx.Logger("stxmphase"), ct))];

        // The same energy calibration as the workflow: one offset from the sample pixels of all stacks.
        EnergyCalibrationReport calibration = SamplePreparation.CalibrateReferences(prepared, references, options, ctx.Logger("stxmphase"), ct);
        EnergyCalibrationSummary.WarnIfNeeded(ctx.Error, calibration);
        ReferenceSpectra refs = calibration.References;
        for (int s = 0; s < inputs.Count; s++)
        {
            PhaseMappingInput input = inputs[s];
            PreparedInput prep = prepared[s];
            SpectralStack od = prep.OpticalDensity;
            if (prep.SampleMask.Count == 0)
            {
                InputChecks.CheckAnalysed(input.Name!, od.PixelCount, 0, prep.UndefinedCount, 0, od.PixelCount - prep.UndefinedCount);
            }

            int w = od.Width, h = od.Height;
            PhaseMap? map = null;
            double[] fractions = [];
            Pipelines.WriteStaged(output, input.Name!, folder =>
            {
                if (m.Method == "lcf")
                {
                    LinearCombinationFitResult fit = new LinearCombinationFitter().Fit(od, refs, prep.SampleMask, ct);
                    map = fit.PhaseMap;
                    NpyFile.Write(Path.Combine(folder, "weights.npy"), ToSingle(fit.Weights), refs.PhaseCount, h, w);
                    NpyFile.Write(Path.Combine(folder, "r-factor.npy"), ToSingle(fit.RFactors), h, w);
                }
                else
                {
                    NmfPhaseMapResult nmf = new NmfPhaseMapper().Map(od, refs, prep.SampleMask, null, ct);
                    map = nmf.PhaseMap;
                    NpyFile.Write(Path.Combine(folder, "weights.npy"), ToSingle(nmf.Abundances), nmf.Abundances.Length / (w * h), h, w);
                    if (m.Figures)
                    {
                        // Component spectra (rows of H), coloured by the phase each component was matched to.
                        int k = nmf.ComponentPhases.Count;
                        PhaseFigures.SavePng(Path.Combine(folder, "nmf-components.png"), PhaseFigures.RenderSpectra(
                            od.Energies, ToSingle(nmf.Nmf.H), nmf.ComponentPhases.ToArray(), refs.PhaseNames,
                            new FigureOptions { Title = $"{input.Name}: NMF component spectra ({k}), coloured by matched phase" }));
                    }
                }

                NpyFile.Write(Path.Combine(folder, "phase-map.npy"), map);
                fractions = map.Fractions();
                AtomicFile.WriteText(Path.Combine(folder, "summary.json"), Summary(input.Name!, m, map, fractions, prep, calibration, refs));
                if (m.Figures)
                {
                    PhaseFigures.SavePng(Path.Combine(folder, "phase-map.png"),
                        PhaseFigures.RenderPhaseMap(
                            map,
                            new FigureOptions
                            {
                                Title = $"{input.Name}: {(m.Method == "lcf" ? "NNLS linear-combination fit" : "NMF matched to references")}",
                            },
                            od.Metadata));
                }
            });

            ctx.Out.WriteLine();
            ctx.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Stack '{input.Name}' ({m.Method}): {map!.AssignedCount} pixels labelled"));
            for (int p = 0; p < refs.PhaseCount; p++)
            {
                ctx.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {refs.PhaseNames[p],-10} {fractions[p] * 100,8:F2} %"));
            }
        }

        ctx.Out.WriteLine($"Outputs: {output.Root}");
    }

    private static float[] ToSingle(ReadOnlySpan<double> values)
    {
        float[] r = new float[values.Length];
        for (int i = 0; i < r.Length; i++)
        {
            r[i] = (float)values[i];
        }

        return r;
    }

    /// <summary>
    /// The baseline's summary.json: the stack, its source and energies, the phases and fractions, the mask and the energy
    /// calibration, and the run record every summary.json has (execution, versions, created_utc, provenance).
    /// </summary>
    private static string Summary(
        string name, ModelSettings m, PhaseMap map, double[] fractions, PreparedInput prep, EnergyCalibrationReport calibration,
        ReferenceSpectra refs)
    {
        string? source = prep.OpticalDensity.Metadata.SourceFile;
        using var stream = new MemoryStream();
        using (var j = new Utf8JsonWriter(stream, JsonOutput.Writer))
        {
            j.WriteStartObject();
            j.WriteString("stack", name);
            j.WriteString("source", source);
            j.WriteString("method", m.Method);
            j.WriteNumber("width", map.Width);
            j.WriteNumber("height", map.Height);
            j.WriteStartArray("energies_eV");
            foreach (double v in prep.OpticalDensity.Energies.AsSpan())
            {
                j.WriteNumberValue(v);
            }

            j.WriteEndArray();
            j.WriteStartArray("phases");
            foreach (string p in refs.PhaseNames)
            {
                j.WriteStringValue(p);
            }

            j.WriteEndArray();
            j.WriteStartObject("fractions");
            for (int p = 0; p < map.PhaseCount; p++)
            {
                j.WriteNumber(map.PhaseNames[p], fractions[p]);
            }

            j.WriteEndObject();
            j.WriteNumber("labelled", map.AssignedCount);
            j.WriteNumber("sample_pixels", prep.SampleMask.Count);
            j.WriteNumber("undefined_od", prep.UndefinedCount);
            OutputWriter.WriteMask(j, prep.Particles, prep.SampleMask);
            EnergyCalibrationSummary.Write(j, calibration);
            OutputWriter.WriteRecord(j, m, Beamtime.Provenance.For(source, null));
            j.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
