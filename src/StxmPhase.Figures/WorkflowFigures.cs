using System.Globalization;
using StxmPhase.Spectra;

namespace StxmPhase.Figures;

/// <summary>Renders every figure of a workflow result into a folder (the set the command-line tool writes).</summary>
public static class WorkflowFigures
{
    /// <summary>
    /// Writes the figures of one stack's result into <paramref name="folder"/>, atomically: <c>phase-map.png</c> (final map,
    /// brightness = PCC reliability), <c>pcc-phase-map.png</c>, <c>ambiguity-map.png</c>, <c>correlation-maps.png</c>,
    /// <c>latent-space.png</c> (before and after resolution), and, when the run's encoder is a GMVAE,
    /// <c>loss-curves.png</c> and <c>spectra.png</c> (references and decoder reconstructions).
    /// </summary>
    /// <param name="run">The workflow run.</param>
    /// <param name="result">One of its results.</param>
    /// <param name="folder">An existing folder.</param>
    /// <param name="options">Figure options (size, palette…); the title and pixel size are set per figure.</param>
    /// <returns>The paths written.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static IReadOnlyList<string> Save(PhaseMappingRun run, PhaseMappingResult result, string folder, FigureOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(folder);
        FigureOptions o = options ?? FigureOptions.Default;
        StackMetadata meta = result.OpticalDensity.Metadata;
        var written = new List<string>();

        void Write(string name, byte[] png)
        {
            string path = Path.Combine(folder, name);
            PhaseFigures.SavePng(path, png);
            written.Add(path);
        }

        FigureOptions Titled(string title) => o.WithTitle($"{result.Name}: {title}");

        Write("phase-map.png", PhaseFigures.RenderPhaseMap(
            result.FinalMap, result.Correlation.Reliability, Titled("final phase map (brightness = reliability)"), meta));
        Write("pcc-phase-map.png", PhaseFigures.RenderPhaseMap(result.Correlation, Titled("PCC phase map"), meta));
        Write("ambiguity-map.png", PhaseFigures.RenderAmbiguityMap(result.Correlation, Titled("ambiguous pixels (grey)"), meta));
        Write("correlation-maps.png", PhaseFigures.RenderCorrelationMaps(result.Correlation, Titled("Pearson correlation maps"), meta));

        int[] valid = result.Valid.IncludedIndices();
        if (valid.Length > 0 && result.LatentDimension >= 2)
        {
            int d = result.LatentDimension;
            float[] points = new float[valid.Length * d];
            int[] before = new int[valid.Length];
            int[] after = new int[valid.Length];
            bool[] ambiguous = new bool[valid.Length];
            for (int i = 0; i < valid.Length; i++)
            {
                int p = valid[i];
                result.LatentOf(p).CopyTo(points.AsSpan(i * d, d));
                before[i] = result.PccMap.Labels[p];
                after[i] = result.FinalMap.Labels[p];
                ambiguous[i] = result.Correlation.Ambiguous[p];
            }

            Write("latent-space.png", PhaseFigures.RenderLatentProjections(points, d, before, ambiguous, after, result.PhaseNames,
                Titled("latent space: PCC labels, ambiguous in grey / after resolution")));
        }

        if (run.TrainingCurves is { Epochs: > 0 } curves)
        {
            Write("loss-curves.png", PhaseFigures.RenderLossCurves(
                curves.TrainMse.ToArray(), curves.ValidationMse.ToArray(), curves.TrainKl.ToArray(), curves.ValidationKl.ToArray(),
                Titled("GMVAE training losses")));
        }

        Write("spectra.png", run.ReferenceReconstructions.IsEmpty
            ? PhaseFigures.RenderSpectra(run.References, Titled("reference spectra"))
            : PhaseFigures.RenderSpectra(run.References, run.ReferenceReconstructions, Titled("references (solid) and decoder reconstructions")));
        return written;
    }

    /// <summary>
    /// Writes the figures of a whole run (once per run, not per stack) into <paramref name="folder"/>, atomically:
    /// <c>latent-all-stacks.png</c> (every stack's latent points coloured by stack and by final phase, and the mean optical
    /// density along the latent coordinate that tracks it; Fig. S6a/S10) when the latent stages ran, and, when the encoder can
    /// decode, <c>latent-path-P-Q.png</c> for each path between adjacent phases P → Q (1-based; Fig. S9; see
    /// <see cref="PhaseMappingRun.AdjacentPhasePaths(int)"/>).
    /// </summary>
    /// <param name="run">The workflow run (not disposed: decoding needs its encoder).</param>
    /// <param name="folder">An existing folder.</param>
    /// <param name="options">Figure options; the title is set per figure.</param>
    /// <param name="pathSteps">The number of decoded spectra per path (≥ 2).</param>
    /// <returns>The paths written.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="pathSteps"/> is below 2.</exception>
    public static IReadOnlyList<string> SaveRun(
        PhaseMappingRun run, string folder, FigureOptions? options = null, int pathSteps = PhaseMappingRun.DefaultPathSteps)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(folder);
        ArgumentOutOfRangeException.ThrowIfLessThan(pathSteps, 2);
        FigureOptions o = options ?? FigureOptions.Default;
        var written = new List<string>();
        int d = run.Results.Count > 0 ? run.Results[0].LatentDimension : 0;
        if (d < 2)
        {
            return written;
        }

        // All stacks' valid points, their stack, final phase and mean optical density.
        var points = new List<float>();
        var groups = new List<int>();
        var phases = new List<int>();
        var intensity = new List<float>();
        var names = new List<string>();
        for (int s = 0; s < run.Results.Count; s++)
        {
            PhaseMappingResult r = run.Results[s];
            names.Add(r.Name);
            int[] valid = r.Valid.IncludedIndices();
            float[] spectra = new float[valid.Length * r.OpticalDensity.EnergyCount];
            r.OpticalDensity.CopySpectra(valid, spectra);
            int e = r.OpticalDensity.EnergyCount;
            for (int i = 0; i < valid.Length; i++)
            {
                int px = valid[i];
                foreach (float v in r.LatentOf(px))
                {
                    points.Add(v);
                }

                groups.Add(s);
                phases.Add(r.FinalMap.Labels[px]);
                double sum = 0;
                for (int k = 0; k < e; k++)
                {
                    sum += spectra[(i * e) + k];
                }

                intensity.Add((float)(sum / e));
            }
        }

        if (phases.Count == 0)
        {
            return written;
        }

        float[] z = points.ToArray();
        int[] labels = phases.ToArray();
        IReadOnlyList<string> phaseNames = run.References.PhaseNames;
        if (names.Count <= 64)
        {
            string path = Path.Combine(folder, "latent-all-stacks.png");
            PhaseFigures.SavePng(path, PhaseFigures.RenderLatentOverview(
                z, d, groups.ToArray(), names, labels, phaseNames, intensity.ToArray(),
                o.WithTitle(
                    $"Latent space of all {names.Count} stacks: by stack, by final phase, and mean OD along the latent axis that tracks it")));
            written.Add(path);
        }

        foreach (LatentPath latentPath in run.AdjacentPhasePaths(pathSteps))
        {
            string path = Path.Combine(folder,
                string.Create(CultureInfo.InvariantCulture, $"latent-path-{latentPath.FromPhase + 1}-{latentPath.ToPhase + 1}.png"));
            PhaseFigures.SavePng(path, PhaseFigures.RenderLatentPath(
                latentPath, run.References.Energies, z, d, labels, phaseNames,
                o.WithTitle($"Decoder spectra along the latent path {phaseNames[latentPath.FromPhase]} → {phaseNames[latentPath.ToPhase]}")));
            written.Add(path);
        }

        return written;
    }
}
