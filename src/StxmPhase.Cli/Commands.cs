using System.CommandLine;
using StxmPhase.IO;
using StxmPhase.Spectra;
using StxmPhase.Synthetic;

namespace StxmPhase.Cli;

/// <summary>The sub-commands of <c>stxmphase</c>. Each binds arguments to library options and calls the library; no science here.</summary>
internal static class Commands
{
    private static readonly Option<bool> s_verbose = new("--verbose", "-v")
    {
        Description = "Log every step to stderr and show stack traces on errors.",
    };
    private static readonly Option<bool> s_quiet = new("--quiet", "-q") { Description = "No progress bars." };

    public static Command Demo(TextWriter stdout, TextWriter stderr)
    {
        var outDir = new Option<string>("--out") { Description = "Output folder.", DefaultValueFactory = _ => "stxmphase-demo" };
        var seed = new Option<int>("--seed") { Description = "Seed of the synthetic data and of training.", DefaultValueFactory = _ => 1 };
        var size = ValidatedOption.Int("--size", "Width and height of the synthetic stack in pixels (16 to 16384).", 128, 16, 16384);
        var dose = ValidatedOption.Real(
            "--dose", "Incident photons per pixel and energy (lower = noisier, more ambiguity).", 400, 0, 1e9, minimumExclusive: true);
        var model = ModelOptions.Create();
        var overwrite = OverwriteOption();
        var cmd = new Command("demo",
            "Generate a synthetic NaxV2(PO4)2F3-like dataset with known truth, map it as map does (PCC → GMVAE → latent-space resolution → "
            + "noise-model posteriors and Potts MRF), score it against the truth, "
            + "print a summary and write every output and figure.")
        {
            outDir, seed, size, dose, overwrite, s_verbose, s_quiet,
        };
        model.AddTo(cmd);
        cmd.SetAction((ParseResult p, CancellationToken ct) =>
        {
            using var ctx = new CliContext(stdout, stderr, p.GetValue(s_verbose), p.GetValue(s_quiet));
            return Task.FromResult(CliApp.Guarded(ctx, () => Pipelines.Demo(ctx, new DemoSettings(
                p.GetValue(outDir)!, p.GetValue(seed), p.GetValue(size), p.GetValue(dose), p.GetValue(overwrite),
                model.Bind(p, p.GetValue(seed))), ct)));
        });
        return cmd;
    }

    public static Command Map(TextWriter stdout, TextWriter stderr)
    {
        var stacks = new Option<string[]>("--stack", "-s")
        {
            Description = "A stack file (.npy (energies, height, width), NXstxm .hdf5/.h5/.nxs, SDF .hdr, aXis .ncb, multi-page .tif). " +
                          "Repeat for several stacks sharing one latent space.",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var refs = new Option<string>("--references", "-r")
        {
            Description = ReferenceInput.Help + " Optional with a model from 'stxmphase train' (it carries its references).",
        };
        var energies = new Option<string?>("--energies", "-e")
        {
            Description = "Energies CSV (one eV value per line, optional header), for formats that do not store energies (.npy, .tif).",
        };
        var quantity = new Option<string>("--quantity")
        {
            Description = "What a .npy/.tif stack holds: auto (detected from the values and reported), od (optical density), "
                + "transmission (counts; I0 is estimated from the sample-free region) or transmittance (I/I0). "
                + "Other formats say it themselves.",
            DefaultValueFactory = _ => "auto",
        };
        quantity.AcceptOnlyFromAmong("auto", "od", "transmission", "transmittance");
        var mask = new Option<string>("--mask")
        {
            Description = "Sample mask: auto (noise-aware: integrated OD above the sample-free field's median + 4 robust σ, grown to 2 σ, "
                + "small specks removed, holes filled), otsu (Otsu's threshold on integrated OD, drops thin particle edges), none, "
                + "or a .npy file (height, width), non-zero = sample (negative values too: a warning says so).",
            DefaultValueFactory = _ => "auto",
        };
        var outDir = new Option<string>("--out", "-o")
        {
            Description = "Output folder; results go to OUT/<stack name>/.",
            DefaultValueFactory = _ => "stxmphase-out",
        };
        var seed = new Option<int>("--seed") { Description = "Seed (training, subsampling).", DefaultValueFactory = _ => 0 };
        var channel = new Option<string?>("--channel") { Description = "Detector channel to read from files with several." };
        var align = new Option<bool>("--align")
        {
            Description = "Register the energy images (cross-correlation with sub-pixel refinement) before mapping.",
        };
        var monitor = new Option<string?>("--monitor")
        {
            Description = "NXstxm files: normalise by this NXmonitor (e.g. control = ring current), I' = I / (m / median(m)).",
        };
        var partial = new Option<bool>("--allow-partial-stack")
        {
            Description = "Map an SDF stack whose last frame files are missing (an aborted scan) with the energies present, "
                + "with a warning; otherwise missing frames are an error.",
        };
        var i0 = new Option<string>("--i0")
        {
            Description = "I0 for transmission stacks: auto (sample-free region) or a two-column text file (energy eV, I0), "
                + "interpolated onto the stack energies.",
            DefaultValueFactory = _ => "auto",
        };
        var manifest = Beamtime.BeamtimeCommands.ManifestOption(
            "With --manifest-index and --model: map one line of a beamtime manifest into OUT/<name>/ exactly as 'batch' would (a Slurm array task).");
        var index = ValidatedOption.OptionalInt("--manifest-index", "The 0-based line of --manifest to map (e.g. $SLURM_ARRAY_TASK_ID).", 0);
        var edge = new Option<string[]>("--edge")
        {
            Description = "Another stack of the same field at another absorption edge (e.g. O K beside a V L --stack), registered onto "
                + "the first stack's grid and fused as a spectral block. Repeatable; needs a single --stack and references (and any "
                + "--background-spectrum) covering every edge's energies; each edge needs at least 2 energies (3 with --background "
                + "linear), the same pixel grid, and energies above the previous edge's.",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var edgeEnergies = new Option<string[]>("--edge-energies")
        {
            Description = "Energies CSV of each --edge, paired in order (omit for formats that store energies).",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var blockWeights = new Option<string?>("--block-weights")
        {
            Description = "Weights of the blocks (the --stack, then each --edge), comma-separated, e.g. 0.7,0.3; default: from each "
                + "block's signal-to-noise. The correlation and the latent model weight the blocks by them either way; weights given "
                + "here also temper the noise model's per-block chi-square (t = blocks x weight; 0 ignores an edge), which the "
                + "default does not (its chi-square already weights every energy by its noise).",
        };
        var model = ModelOptions.Create();
        var overwrite = OverwriteOption();
        var cmd = new Command("map",
            "Map phases in one or more stacks: PCC with the references, a shared GMVAE latent space, latent-space resolution of ambiguous pixels. " +
            "With a model from 'stxmphase train' (--model), each stack is mapped on its own with the model's settings, no training.")
        {
            stacks, refs, energies, quantity, mask, outDir, seed, channel, monitor, i0, align, partial, overwrite, manifest, index,
            s_verbose, s_quiet, edge, edgeEnergies, blockWeights,
        };
        model.AddTo(cmd);
        cmd.SetAction((ParseResult p, CancellationToken ct) =>
        {
            using var ctx = new CliContext(stdout, stderr, p.GetValue(s_verbose), p.GetValue(s_quiet));
            return Task.FromResult(CliApp.Guarded(ctx, () =>
            {
                var settings = new MapSettings(
                    p.GetValue(stacks) ?? [], p.GetValue(refs)!, p.GetValue(energies), StackReadNote.ParseQuantity(p.GetValue(quantity)),
                    p.GetValue(mask)!, p.GetValue(outDir)!, p.GetValue(channel), p.GetValue(monitor), p.GetValue(i0), p.GetValue(align),
                    p.GetValue(overwrite),
                    model.Bind(p, p.GetValue(seed)))
                {
                    AllowPartialStack = p.GetValue(partial),
                    Edges = p.GetValue(edge) ?? [],
                    EdgeEnergies = p.GetValue(edgeEnergies) ?? [],
                    BlockWeights = p.GetValue(blockWeights),
                };
                string[] preprocessing = new Option[] { quantity, mask, align, channel, monitor, i0, partial, edge, edgeEnergies, blockWeights }
                    .Where(o => p.GetResult(o) is { Implicit: false }).Select(o => o.Name).ToArray();
                return MapDispatch(ctx, settings, model, p, p.GetValue(manifest), p.GetValue(index), preprocessing, ct);
            }));
        });
        return cmd;
    }

    public static Command Synth(TextWriter stdout, TextWriter stderr)
    {
        var outDir = new Option<string>("--out", "-o") { Description = "Output folder.", DefaultValueFactory = _ => "stxmphase-synth" };
        var seed = new Option<int>("--seed") { Description = "Seed.", DefaultValueFactory = _ => 1 };
        var width = ValidatedOption.Int("--width", "Width in pixels (1 to 16384).", 256, 1, 16384);
        var height = ValidatedOption.Int("--height", "Height in pixels (1 to 16384).", 256, 1, 16384);
        var dose = ValidatedOption.Real("--dose", "Incident photons per pixel and energy.", 2000, 0, 1e9, minimumExclusive: true);
        var drift = ValidatedOption.Real("--drift", "Maximum stage drift between energies in pixels (0 = none, at most 16).", 0, 0, 16);
        var quantity = new Option<string>("--quantity")
        {
            Description = "Write the stack as od or transmission.",
            DefaultValueFactory = _ => "transmission",
        };
        quantity.AcceptOnlyFromAmong("od", "transmission");
        var threads = ThreadsOption.Create();
        var overwrite = OverwriteOption();
        var effects = SynthEffectOptions.Create();
        var cmd = new Command("synth",
            "Write a synthetic stack (stack.npy), its energies (energies.csv), high-resolution references (references.csv) "
            + "and the truth (truth.npy, boundary.npy).")
        {
            outDir, seed, width, height, dose, drift, quantity, threads, overwrite, s_verbose, s_quiet,
        };
        effects.AddTo(cmd);
        cmd.SetAction((ParseResult p, CancellationToken ct) =>
        {
            using var ctx = new CliContext(stdout, stderr, p.GetValue(s_verbose), p.GetValue(s_quiet));
            return Task.FromResult(CliApp.Guarded(ctx, () => Pipelines.Synth(ctx, effects.Bind(p, new SyntheticStackOptions
            {
                Width = p.GetValue(width),
                Height = p.GetValue(height),
                Seed = p.GetValue(seed),
                Dose = p.GetValue(dose),
                DriftPixels = p.GetValue(drift),
                MaxDegreeOfParallelism = ThreadsOption.Resolve(p.GetValue(threads)),
            }), p.GetValue(outDir)!, p.GetValue(quantity) == "od", p.GetValue(overwrite), ct)));
        });
        return cmd;
    }

    public static Command Evaluate(TextWriter stdout, TextWriter stderr)
    {
        var stack = new Option<string?>("--stack", "-s") { Description = "A stack file to map and score (with --truth)." };
        var truth = new Option<string?>("--truth") { Description = "Truth phase map .npy (height, width), −1 = background." };
        var boundary = new Option<string?>("--boundary") { Description = "Optional boundary (mixed-pixel) mask .npy, scored separately." };
        var refs = new Option<string?>("--references", "-r") { Description = ReferenceInput.Help + " With --stack." };
        var energies = new Option<string?>("--energies", "-e")
        {
            Description = "Energies CSV: with --stack, the stack's energies (formats that do not store them); with --synthetic, the energies "
                + "the synthetic stacks are sampled at (within 500–550 eV; default: the 13 characteristic V L and O K energies), e.g. 3–5 "
                + "energies for a few-energy table.",
        };
        var quantity = new Option<string>("--quantity")
        {
            Description = "auto (detected from the values), od, transmission or transmittance.",
            DefaultValueFactory = _ => "auto",
        };
        quantity.AcceptOnlyFromAmong("auto", "od", "transmission", "transmittance");
        var synthetic = new Option<bool>("--synthetic")
        {
            Description = "Evaluate every strategy on synthetic stacks at several doses and write a Markdown report.",
        };
        var doses = ValidatedOption.Reals("--doses", "Doses for --synthetic, space-separated (e.g. --doses 150 400 1500).", [150, 400, 1500],
            0, 1e9, minimumExclusive: true);
        var size = ValidatedOption.Int("--size", "Stack size for --synthetic (16 to 16384).", 128, 16, 16384);
        var report = new Option<string?>("--report") { Description = "Markdown report path for --synthetic (default: print only)." };
        var seed = new Option<int>("--seed") { Description = "Seed.", DefaultValueFactory = _ => 1 };
        var seeds = new Option<int>("--seeds")
        {
            Description = "Number of data seeds per dose for --synthetic (seed, seed+1, …).",
            DefaultValueFactory = _ => 3,
        };
        var model = ModelOptions.Create();
        var effects = new Option<string[]?>("--effects")
        {
            Description = "With --synthetic: an ablation table, one measurement effect at a time (none, energy-offset, energy-offset-"
                + "negative, energy-jitter, broadening, harmonics, carbon, carbon-strong, psf, damage, i0-drift; 'all' for every "
                + "one), at the first of --doses.",
            AllowMultipleArgumentsPerToken = true,
        };
        var fusion = new Option<bool>("--fusion")
        {
            Description = "With --synthetic: the multi-edge tables (issue 17: V L 10 energies, O K 3 energies shifted by (3.3, −1.6) px; "
                + "each edge alone, naive concatenation, weighted fusion; PCC map, posterior labels, final map and its interior and "
                + "boundary; fusion − best single edge paired over the seeds with a 95 % t-interval), --size pixels, --seeds fields. "
                + "Four fields by default, one with --edge-doses / --calibration-errors. The model options apply (--paper, --mrf, "
                + "--mrf-strength, --strategy, ...); the encoder is PCA unless --encoder is given.",
        };
        var edgeDoses = ValidatedOption.Reals("--edge-doses",
            "With --fusion: the V L and the O K stack's dose, e.g. 1500 400 (one field instead of the four default ones).",
            [1500, 400], 0, 1e9, minimumExclusive: true);
        var calibrationErrors = new Option<string?>("--calibration-errors")
        {
            Description = "With --fusion: on (default with --edge-doses) gives each edge its own energy-calibration error "
                + "(V L +0.10 eV, O K −0.25 eV), off none (one field instead of the four default ones).",
        };
        calibrationErrors.AcceptOnlyFromAmong("on", "off");
        var fusionWeights = new Option<string?>("--block-weights")
        {
            Description = "With --fusion: the weighted fusion's block weights, V L then O K (e.g. 0.9,0.1); default from each block's "
                + "noise. As in map, given weights also temper the noise model's per-block chi-square.",
        };
        var blockOffsets = new Option<string?>("--block-offsets")
        {
            Description = "With --fusion: the noise model's offset on the fused stack: per-block (default: one per edge), field-baseline "
                + "(each edge's sample-free median OD subtracted, one offset shared by the edges) or shared (one offset, no baseline "
                + "correction; assumes the edges share one baseline). See docs/accuracy.md, finding (d).",
        };
        blockOffsets.AcceptOnlyFromAmong("per-block", "field-baseline", "shared");
        var edgeBaselines = ValidatedOption.Reals("--edge-baseline-od",
            "With --fusion: a baseline error in OD added to each edge's whole OD stack, V L then O K (e.g. 0 0.05: the O K stack's "
            + "I0 normalisation off by 5 %); default none.", [0, 0], -1, 1);
        var composition = new Option<bool>("--composition")
        {
            Description = "With --synthetic: composition RMSE, 90 % interval coverage and defined fraction on solid-solution stacks "
                + "(x 3.0 → 1.0 across each particle) at each of --doses, --size pixels, --seeds seeds.",
        };
        var cmd = new Command("evaluate",
            "Score phase maps against ground truth: a stack with a truth file, or (--synthetic) every strategy at several doses "
            + "with a report.")
        {
            stack, truth, boundary, refs, energies, quantity, synthetic, doses, size, report, seed, seeds, effects, s_verbose, s_quiet,
            fusion, composition, edgeDoses, calibrationErrors, fusionWeights, blockOffsets, edgeBaselines,
        };
        model.AddTo(cmd);
        cmd.SetAction((ParseResult p, CancellationToken ct) =>
        {
            using var ctx = new CliContext(stdout, stderr, p.GetValue(s_verbose), p.GetValue(s_quiet));
            return Task.FromResult(CliApp.Guarded(ctx, () =>
            {
                ModelSettings m = model.Bind(p, p.GetValue(seed));
                if (m.Method != "pcc-gmvae")
                {
                    throw new UsageException(
                        $"--method {m.Method}: evaluate scores the pcc-gmvae pipeline (evaluate --synthetic tables NNLS-LCF and NMF "
                        + "beside it); --method applies to map.");
                }

                if (p.GetValue(synthetic))
                {
                    int n = p.GetValue(seeds);
                    if (n < 1)
                    {
                        throw new UsageException($"--seeds must be at least 1; got {n}.");
                    }

                    if (p.GetValue(composition))
                    {
                        return FusionReport.EvaluateComposition(ctx, p.GetValue(doses)!, p.GetValue(size), p.GetValue(seed), n, ct);
                    }

                    bool field = p.GetResult(edgeDoses) is { Implicit: false } || p.GetResult(calibrationErrors) is { Implicit: false };
                    bool fusionOnly = p.GetValue(fusionWeights) is not null || p.GetValue(blockOffsets) is not null
                        || p.GetResult(edgeBaselines) is { Implicit: false };
                    if ((field || fusionOnly) && !p.GetValue(fusion))
                    {
                        throw new UsageException("--edge-doses, --calibration-errors, --block-weights, --block-offsets and "
                            + "--edge-baseline-od go with --fusion; add --fusion.");
                    }

                    if (p.GetValue(fusion))
                    {
                        double[] pair = p.GetValue(edgeDoses)!;
                        if (pair.Length != 2)
                        {
                            throw new UsageException($"--edge-doses needs two doses, V L then O K (e.g. 1500 400); got {pair.Length}.");
                        }

                        // PCA unless --encoder is given: the tables train an encoder per variant and seed (GMVAE: minutes each).
                        bool encoder = model.ExplicitScienceOptions(p).Contains("--encoder");
                        return FusionReport.Evaluate(ctx,
                            field ? [new FusionField(pair[0], pair[1], p.GetValue(calibrationErrors) != "off")] : FusionReport.DefaultFields,
                            p.GetValue(size), p.GetValue(seed), n, encoder ? m : m with { Encoder = "pca" }, p.GetValue(report), ct,
                            p.GetValue(fusionWeights), p.GetValue(blockOffsets), p.GetResult(edgeBaselines) is { Implicit: false }
                                ? p.GetValue(edgeBaselines) : null);
                    }

                    if (p.GetValue(effects) is { Length: > 0 } chosen)
                    {
                        return EffectsAblation.Evaluate(
                            ctx, chosen, p.GetValue(doses)![0], p.GetValue(size), p.GetValue(seed), n, m, p.GetValue(report), ct);
                    }

                    return Pipelines.EvaluateSynthetic(ctx, p.GetValue(doses)!, p.GetValue(size), p.GetValue(seed), n, m, p.GetValue(report), ct,
                        p.GetValue(energies));
                }

                if (p.GetValue(stack) is not { } s || p.GetValue(truth) is not { } t || p.GetValue(refs) is not { } r)
                {
                    throw new UsageException("evaluate needs --stack, --truth and --references, or --synthetic.");
                }

                return Pipelines.EvaluateStack(ctx, s, t, p.GetValue(boundary), r, p.GetValue(energies),
                    StackReadNote.ParseQuantity(p.GetValue(quantity)), m, ct);
            }));
        });
        return cmd;
    }

    public static Command Info(TextWriter stdout, TextWriter stderr)
    {
        var file = new Argument<string>("file") { Description = "A stack file." };
        var energies = new Option<string?>("--energies", "-e") { Description = "Energies CSV for formats without energies." };
        var cmd = new Command("info", "Describe what a stack file contains: format, dimensions, energies, channels, entries, pixel size.")
        {
            file, energies, s_verbose,
        };
        cmd.SetAction((ParseResult p, CancellationToken ct) =>
        {
            using var ctx = new CliContext(stdout, stderr, p.GetValue(s_verbose), quiet: true);
            return Task.FromResult(CliApp.Guarded(ctx, () =>
            {
                string path = p.GetValue(file)!;
                EnergyAxis? axis = p.GetValue(energies) is { } e ? EnergyAxisCsv.Read(e) : null;
                StackFileInfo info = StackFile.Inspect(path, new StackReadOptions { FileName = path, Energies = axis });
                string? warning = info.Attributes.GetValueOrDefault("warning");
                // The warning is the error below (stderr): not a second time among the facts (stdout).
                string facts = info.ToString();
                ctx.Out.WriteLine(warning is null ? facts : facts.Replace($"warning: {warning}\n", "", StringComparison.Ordinal));
                if (warning is not null)
                {
                    // The header is readable but the data are not (e.g. a truncated .npy): say so, and fail as map would.
                    ctx.Error.WriteLine("stxmphase: " + warning.ReplaceLineEndings(" "));
                    return ExitCodes.InvalidInput;
                }

                return ExitCodes.Success;
            }));
        });
        return cmd;
    }

    /// <summary>Routes map: a manifest line, stacks with a beamtime model, or the in-process run over all stacks.</summary>
    private static int MapDispatch(
        CliContext ctx, MapSettings s, ModelOptions model, ParseResult p, string? manifest, int? index, string[] preprocessing, CancellationToken ct)
    {
        bool beamtime = s.Model.ModelPath is { } path && Beamtime.BeamtimeModel.IsBeamtimeModel(path);
        if (beamtime && s.Edges.Count > 0)
        {
            // A beamtime model is trained on single-edge stacks ('train' has no --edge); it would silently ignore the blocks.
            throw new UsageException(
                $"--edge: the beamtime model '{s.Model.ModelPath}' was trained on single-edge stacks and cannot map fused edge stacks. "
                + "Map a fused field in-process (map --edge), optionally with --save-model and later --model with that GMVAE checkpoint.");
        }

        if (beamtime && preprocessing.Length > 0)
        {
            throw new UsageException(
                $"{string.Join(", ", preprocessing)}: the model '{s.Model.ModelPath}' fixes the preprocessing (chosen at training); omit them.");
        }

        if (beamtime)
        {
            Beamtime.BeamtimeCommands.CheckModelFixesScience(model, null, p, s.Model.ModelPath);
        }

        if (s.Model.SaveModelPath is not null && s.Model.ModelPath is not null && (beamtime || manifest is not null || index is not null))
        {
            // A beamtime model maps without training: there is no new GMVAE to save (the model file is the one to keep).
            throw new UsageException(
                $"--save-model: a beamtime model ('{s.Model.ModelPath}') maps every stack without training, so there is no new model to "
                + "save; keep the model file itself.");
        }

        if (manifest is not null || index is not null)
        {
            if (manifest is null || index is null || s.Stacks.Length > 0 || s.Edges.Count > 0)
            {
                throw new UsageException(
                    "map --manifest needs --manifest-index (and no --stack or --edge); map one line per call, or use 'stxmphase batch'.");
            }

            var inputs = new Beamtime.BeamtimeInputs(s.References, s.Energies, "auto", s.Mask, s.Align);
            return Beamtime.BeamtimePipelines.MapIndex(ctx, manifest, index.Value, s.OutputFolder, inputs, s.Model, ct);
        }

        if (s.Stacks.Length == 0)
        {
            throw new UsageException("map needs --stack (repeatable), or --manifest with --manifest-index.");
        }

        if (beamtime)
        {
            return Beamtime.BeamtimePipelines.MapStacks(ctx, s, ct);
        }

        if (s.References is null)
        {
            throw new UsageException("map needs --references (only a model from 'stxmphase train' carries its own).");
        }

        return Pipelines.Map(ctx, s, ct);
    }

    private static Option<bool> OverwriteOption() =>
        new("--overwrite")
        {
            Description = "Replace the results of an earlier run in the output folder (otherwise an existing, non-empty folder is an error).",
        };
}
