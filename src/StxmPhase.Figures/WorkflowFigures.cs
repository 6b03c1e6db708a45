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

        Write("phase-map.png", PhaseFigures.RenderPhaseMap(result.FinalMap, result.Correlation.Reliability, Titled("final phase map (brightness = reliability)"), meta));
        Write("pcc-phase-map.png", PhaseFigures.RenderPhaseMap(result.Correlation, Titled("PCC phase map"), meta));
        Write("ambiguity-map.png", PhaseFigures.RenderAmbiguityMap(result.Correlation, Titled("ambiguous pixels (grey)"), meta));
        Write("correlation-maps.png", PhaseFigures.RenderCorrelationMaps(result.Correlation, Titled("Pearson correlation maps"), meta));

        int[] valid = result.Valid.IncludedIndices();
        if (valid.Length > 0 && result.LatentDimension >= 2)
        {
            int d = result.LatentDimension;
            var points = new float[valid.Length * d];
            var before = new int[valid.Length];
            var after = new int[valid.Length];
            var ambiguous = new bool[valid.Length];
            for (int i = 0; i < valid.Length; i++)
            {
                int p = valid[i];
                result.LatentOf(p).CopyTo(points.AsSpan(i * d, d));
                before[i] = result.PccMap.Labels[p];
                after[i] = result.FinalMap.Labels[p];
                ambiguous[i] = result.Correlation.Ambiguous[p];
            }

            Write("latent-space.png", PhaseFigures.RenderLatentProjections(points, d, before, ambiguous, after, result.PhaseNames, Titled("latent space: PCC labels, ambiguous in grey / after resolution")));
        }

        if (run.TrainingCurves is { Epochs: > 0 } curves)
        {
            Write("loss-curves.png", PhaseFigures.RenderLossCurves(
                curves.TrainMse.ToArray(), curves.ValidationMse.ToArray(), curves.TrainKl.ToArray(), curves.ValidationKl.ToArray(), Titled("GMVAE training losses")));
        }

        Write("spectra.png", run.ReferenceReconstructions.IsEmpty
            ? PhaseFigures.RenderSpectra(run.References, Titled("reference spectra"))
            : PhaseFigures.RenderSpectra(run.References, run.ReferenceReconstructions, Titled("references (solid) and decoder reconstructions")));
        return written;
    }
}
