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
    /// <exception cref="UsageException">Edges with several stacks, unpaired energies or weights, or an unparsable weight.</exception>
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
            SpectralStack edge = StackFile.Read(path, new StackReadOptions { FileName = path, Energies = energies, Quantity = s.Quantity }, ct);
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

        return fused;
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

        if (weights.Length != blocks || weights.Sum() <= 0)
        {
            throw new UsageException(string.Create(CultureInfo.InvariantCulture,
                $"--block-weights has {weights.Length} values; expected {blocks} (the --stack, then each --edge), not all 0."));
        }

        return weights;
    }
}
