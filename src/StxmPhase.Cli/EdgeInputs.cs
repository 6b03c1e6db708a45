using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using StxmPhase.IO;
using StxmPhase.Spectra;

namespace StxmPhase.Cli;

/// <summary><c>map --edge</c>: reads the edge stacks, fuses them with the first stack and reports the fusion in summary.json.</summary>
internal static class EdgeInputs
{
    /// <summary>Checks the pairing of <c>--edge</c>, <c>--edge-energies</c> and <c>--block-weights</c> before anything is read.</summary>
    /// <exception cref="UsageException">Edges with several stacks, unpaired energies or weights, an unparsable weight, or a file
    /// given twice (as the --stack and an --edge, or as two --edge).</exception>
    public static void Check(MapSettings s)
    {
        if (s.Edges.Count == 0)
        {
            if (s.EdgeEnergies.Count > 0 || s.BlockWeights is not null)
            {
                throw new UsageException("--edge-energies and --block-weights need at least one --edge.");
            }

            return;
        }

        if (s.Stacks.Length != 1)
        {
            throw new UsageException(string.Create(CultureInfo.InvariantCulture,
                $"--edge fuses edge stacks with one --stack; got {s.Stacks.Length} stacks. Map one field at a time."));
        }

        if (s.EdgeEnergies.Count != 0 && s.EdgeEnergies.Count != s.Edges.Count)
        {
            throw new UsageException(string.Create(CultureInfo.InvariantCulture,
                $"--edge-energies pairs with --edge in order: got {s.Edges.Count} --edge and {s.EdgeEnergies.Count} --edge-energies."));
        }

        _ = Weights(s);
        string[] files = [Path.GetFullPath(s.Stacks[0]), .. s.Edges.Select(Path.GetFullPath)];
        for (int i = 1; i < files.Length; i++)
        {
            int first = Array.IndexOf(files, files[i]);
            if (first < i)
            {
                string earlier = first == 0 ? "the --stack" : string.Create(CultureInfo.InvariantCulture, $"--edge {first}");
                throw new UsageException(string.Create(CultureInfo.InvariantCulture,
                    $"--edge {i} '{s.Edges[i - 1]}' is the same file as {earlier}; give each edge's stack once."));
            }
        }
    }

    /// <summary>Reads every edge stack (as optical density), fuses it with <paramref name="first"/> and checks the references.</summary>
    public static FusedEdgeStack Fuse(CliContext ctx, MapSettings s, SpectralStack first, ReferenceSpectra references, CancellationToken ct)
    {
        var stacks = new List<SpectralStack> { ToOpticalDensity(first, ct) };
        var names = new List<string> { Path.GetFileNameWithoutExtension(s.Stacks[0]) };
        for (int i = 0; i < s.Edges.Count; i++)
        {
            string path = s.Edges[i];
            EnergyAxis? energies = s.EdgeEnergies.Count > 0 ? EnergyAxisCsv.Read(s.EdgeEnergies[i]) : null;
            SpectralStack edge;
            try
            {
                edge = StackFile.Read(path, new StackReadOptions { FileName = path, Energies = energies, Quantity = s.Quantity }, ct);
            }
            catch (InvalidStackContentException ex) when (energies is null && ex.Field == "energies")
            {
                throw new InvalidStackContentException(
                    ex.Message + " For --edge stacks give --edge-energies FILE, one per --edge in the same order (--energies is the --stack's).",
                    ex) { FileName = ex.FileName, Field = ex.Field };
            }

            CheckGivenEnergies(edge, energies, path, s.EdgeEnergies.Count > 0 ? s.EdgeEnergies[i] : null);
            StackReadNote.Write(ctx.Out, path, edge);
            InputChecks.CheckStack(ctx, edge, path, s.AllowPartialStack, sidecarNoted: true);
            stacks.Add(ToOpticalDensity(edge, ct));
            names.Add(Path.GetFileNameWithoutExtension(path));
        }

        FusedEdgeStack fused = EdgeFusion.Fuse(stacks, names, new EdgeFusionOptions { BlockWeights = Weights(s) }, ct);
        InputChecks.CheckReferences(references, s.References!, fused.Stack.Energies);
        CheckBackgroundSpectrum(s.Model.Background.SpectrumPath, fused);
        for (int b = 0; b < fused.Blocks.Count; b++)
        {
            ctx.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Edge block {fused.Blocks.Names[b]}: {fused.Blocks.Counts[b]} energies, weight {fused.Blocks.Weights[b]:0.###}, ")
                + string.Create(CultureInfo.InvariantCulture, $"shift {fused.Shifts[b]}"));
        }

        WarnRegistration(ctx, s, fused);
        return fused;
    }

    /// <summary>
    /// A format that stores its energies (HDF5, .ncb with its .dat, SDF) keeps them and ignores <c>--edge-energies</c>; when the
    /// file's energies differ from the given ones, which the user meant is unclear: refused naming both files, the index and values.
    /// </summary>
    /// <exception cref="IncompatibleEnergiesException">The stack's energies differ from <paramref name="given"/> (exit code 4).</exception>
    private static void CheckGivenEnergies(SpectralStack edge, EnergyAxis? given, string path, string? energiesPath)
    {
        if (given is null)
        {
            return;
        }

        EnergyAxis stored = edge.Energies;
        int index = Enumerable.Range(0, Math.Min(stored.Count, given.Count)).FirstOrDefault(e => Math.Abs(stored[e] - given[e]) > 1e-6, -1);
        if (stored.Count == given.Count && index < 0)
        {
            return;
        }

        string detail = index >= 0
            ? string.Create(CultureInfo.InvariantCulture,
                $"energy {index} is {stored[index]} eV in the file but {given[index]} eV in '{energiesPath}'")
            : string.Create(CultureInfo.InvariantCulture, $"the file stores {stored.Count} energies but '{energiesPath}' gives {given.Count}");
        throw new IncompatibleEnergiesException(string.Create(CultureInfo.InvariantCulture,
            $"--edge '{path}' stores its own energies ({stored.MinimumEv}–{stored.MaximumEv} eV), which differ from --edge-energies: ")
            + detail + "; leave --edge-energies out for formats that store energies, or correct the file.")
        {
            FileName = path,
            Field = "energies",
            EnergyEv = index >= 0 ? given[index] : null,
        };
    }

    /// <summary>
    /// The agreement below which the registered edge image is said not to show the first stack's field: on the synthetic
    /// V L + O K fields (48², seeds 1–5, doses 1500/400, 150/40 and 50/10) correctly registered edges give r = 0.56–0.98 (0.84
    /// and above from dose 150/40); an O K stack shifted by 29 of 32 pixels, registered wrongly, gives 0.21.
    /// </summary>
    internal const double RegistrationWarningCorrelation = 0.3;

    /// <summary>
    /// Warns for every edge whose registration looks failed: its energy-integrated image correlates with the first stack's by
    /// less than <see cref="RegistrationWarningCorrelation"/> where it covers the grid, or it covers less than half the grid.
    /// </summary>
    private static void WarnRegistration(CliContext ctx, MapSettings s, FusedEdgeStack fused)
    {
        int n = fused.Stack.PixelCount;
        for (int b = 1; b < fused.Blocks.Count; b++)
        {
            double r = fused.RegistrationCorrelations[b];
            int covered = n - fused.UncoveredPixelCounts[b];
            if (r >= RegistrationWarningCorrelation && covered >= n / 2.0)
            {
                continue;
            }

            ctx.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"stxmphase: warning: --edge '{s.Edges[b - 1]}': registered with shift {fused.Shifts[b]} it covers {covered} of the ")
                + string.Create(CultureInfo.InvariantCulture,
                    $"{n} pixels of the first stack's grid, and its energy-integrated image correlates with the first stack's by r = {r:0.00} ")
                + "there: the registration probably failed (too little overlap, or not the same field); that edge's block is NaN where "
                + "it does not cover the grid. Check that the stacks show the same field, or crop them to their common region.");
        }
    }

    /// <summary>
    /// <c>--background-spectrum</c> with <c>--edge</c>: the layer has one thickness on every edge, so its spectrum must cover
    /// every edge's energies; fails naming the file, the edge and the energy.
    /// </summary>
    /// <exception cref="IncompatibleEnergiesException">The file does not cover an edge's energies (exit code 4).</exception>
    private static void CheckBackgroundSpectrum(string? path, FusedEdgeStack fused)
    {
        if (path is null)
        {
            return;
        }

        try
        {
            _ = new SpectralBackground(linear: false, ReferenceInput.ReadBackground(path)).OnAxis(fused.Stack.Energies, fused.Blocks, null);
        }
        catch (IncompatibleEnergiesException ex)
        {
            throw new IncompatibleEnergiesException($"--background-spectrum '{path}': {ex.Message}", ex)
            {
                FileName = path,
                EnergyEv = ex.EnergyEv,
            };
        }
    }

    /// <summary>
    /// Runs <paramref name="run"/>; an <see cref="InvalidStackContentException"/> about one edge block of the fused stack (its
    /// <see cref="StxmPhaseException.Field"/> "blocks[b]", from the workflow's energy check) is rethrown naming that block's file:
    /// <c>--stack</c> for block 0, the b-th <c>--edge</c> otherwise.
    /// </summary>
    public static T NamingEdgeFiles<T>(MapSettings s, Func<T> run)
    {
        try
        {
            return run();
        }
        catch (InvalidStackContentException ex) when (s.Edges.Count > 0 && BlockIndex(ex.Field) is int b && b <= s.Edges.Count)
        {
            string path = b == 0 ? s.Stacks[0] : s.Edges[b - 1];
            string option = b == 0 ? "--stack" : "--edge";
            throw new InvalidStackContentException($"{option} '{path}': {ex.Message}", ex) { FileName = path, Field = ex.Field };
        }
    }

    /// <summary>b of a field "blocks[b]", or <see langword="null"/>.</summary>
    private static int? BlockIndex(string? field) =>
        field is not null && field.StartsWith("blocks[", StringComparison.Ordinal) && field.EndsWith(']')
        && int.TryParse(field.AsSpan(7, field.Length - 8), NumberStyles.None, CultureInfo.InvariantCulture, out int b)
            ? b
            : null;

    /// <summary>Adds the <c>fusion</c> section (blocks, energies, weights, shifts) to the staged summary.json.</summary>
    public static void AddToSummary(string staging, FusedEdgeStack? fused)
    {
        if (fused is null)
        {
            return;
        }

        string path = Path.Combine(staging, "summary.json");
        JsonNode root = JsonNode.Parse(File.ReadAllText(path)) ?? new JsonObject();
        var blocks = new JsonArray();
        for (int b = 0; b < fused.Blocks.Count; b++)
        {
            blocks.Add((JsonNode)new JsonObject
            {
                ["name"] = fused.Blocks.Names[b],
                ["energies"] = fused.Blocks.Counts[b],
                ["weight"] = Math.Round(fused.Blocks.Weights[b], 6),
                ["shift_x"] = Math.Round(fused.Shifts[b].X, 4),
                ["shift_y"] = Math.Round(fused.Shifts[b].Y, 4),
                ["uncovered_pixels"] = fused.UncoveredPixelCounts[b],
            });
        }

        root["fusion"] = new JsonObject { ["blocks"] = blocks, ["incomplete_pixels"] = IncompletePixels(fused.Stack) };
        AtomicFile.WriteText(path, root.ToJsonString(JsonOutput.Serializer) + "\n");
    }

    /// <summary>Grid pixels that miss at least one edge's block (NaN: that edge's shifted image did not cover them).</summary>
    private static int IncompletePixels(SpectralStack stack)
    {
        bool[] incomplete = new bool[stack.PixelCount];
        for (int e = 0; e < stack.EnergyCount; e++)
        {
            ReadOnlySpan<float> plane = stack.Plane(e);
            for (int p = 0; p < plane.Length; p++)
            {
                incomplete[p] |= float.IsNaN(plane[p]);
            }
        }

        return incomplete.Count(v => v);
    }

    private static SpectralStack ToOpticalDensity(SpectralStack stack, CancellationToken ct) =>
        stack.Quantity == SpectralQuantity.OpticalDensity ? stack : OpticalDensity.FromTransmission(stack, null, ct).OpticalDensity;

    private static double[]? Weights(MapSettings s) => s.BlockWeights is null ? null : ParseWeights(s.BlockWeights, s.Edges.Count + 1);

    /// <summary>Parses <c>--block-weights</c>: <paramref name="blocks"/> finite numbers ≥ 0, not all 0, comma-separated.</summary>
    /// <exception cref="UsageException">A value or the count is wrong (the message names it).</exception>
    internal static double[] ParseWeights(string text, int blocks)
    {
        string[] parts = text.Split(',', StringSplitOptions.TrimEntries);
        double[] weights = new double[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            if (!double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out weights[i])
                || !double.IsFinite(weights[i]) || weights[i] < 0)
            {
                throw new UsageException(string.Create(CultureInfo.InvariantCulture,
                    $"--block-weights value {i} is '{parts[i]}'; expected a finite number not below 0."));
            }
        }

        if (weights.Length != blocks)
        {
            throw new UsageException(string.Create(CultureInfo.InvariantCulture,
                $"--block-weights has {weights.Length} values; expected {blocks} (the --stack, then each --edge), not all 0."));
        }

        if (weights.Sum() <= 0)
        {
            throw new UsageException(string.Create(CultureInfo.InvariantCulture,
                $"--block-weights '{text}' are all 0; give at least one block (the --stack, then each --edge) a positive weight."));
        }

        return weights;
    }
}
