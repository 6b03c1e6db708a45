using System.Globalization;
using StxmPhase.Spectra;

namespace StxmPhase.Cli;

/// <summary>
/// Checks of the inputs that the command line makes before any work, so that a user error gets a message in the user's
/// terms (an option, a file, an energy) and the right exit code rather than a failure deep inside the workflow.
/// </summary>
internal static class InputChecks
{
    /// <summary>The metadata attribute under which the SDF reader lists frame files missing at the end of a stack.</summary>
    public const string MissingFramesAttribute = "sdf.missingFrames";

    /// <summary>The metadata attribute under which readers of formats without energies name the sidecar file they used.</summary>
    public const string EnergiesSourceAttribute = "energies.source";

    /// <summary>
    /// Checks a stack as read: no missing SDF frames (unless <paramref name="allowPartial"/>, then a warning), at least two
    /// energies, no energy plane without a finite value; notes a sidecar energies file; warns when the OD is mostly negative.
    /// </summary>
    /// <param name="ctx">The command context (warnings go to stderr).</param>
    /// <param name="stack">The stack.</param>
    /// <param name="path">Its file.</param>
    /// <param name="allowPartial">Whether a stack with missing last frames may be mapped.</param>
    /// <param name="sidecarNoted">
    /// Whether the caller has already said which sidecar file gave the energies (<see cref="StackReadNote.Write"/>); then no note here.
    /// </param>
    /// <exception cref="InvalidStackContentException">A check fails; the message names the file and what is wrong.</exception>
    public static void CheckStack(CliContext ctx, SpectralStack stack, string path, bool allowPartial, bool sidecarNoted = false)
    {
        IReadOnlyDictionary<string, string> attributes = stack.Metadata.Attributes;
        if (attributes.TryGetValue(MissingFramesAttribute, out string? missing))
        {
            if (!allowPartial)
            {
                throw new InvalidStackContentException(string.Create(CultureInfo.InvariantCulture,
                    $"'{path}': the frame files {Shortened(missing)} listed in the header are missing (an aborted scan?), so only "
                    + $"{stack.EnergyCount} energies could be read; pass --allow-partial-stack to map the energies present."))
                {
                    FileName = path,
                    Field = ".xim",
                };
            }

            ctx.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"stxmphase: warning: '{path}': frame files {Shortened(missing)} are missing; mapping the {stack.EnergyCount} energies present "
                + $"(--allow-partial-stack)."));
        }

        if (!sidecarNoted && attributes.TryGetValue(EnergiesSourceAttribute, out string? sidecar))
        {
            ctx.Error.WriteLine(
                $"stxmphase: note: '{path}' stores no energies; using '{sidecar}' found beside it (pass --energies to use another file).");
        }

        if (stack.EnergyCount < 2)
        {
            throw new InvalidStackContentException(string.Create(CultureInfo.InvariantCulture,
                $"'{path}': the stack has only {stack.EnergyCount} energy ({stack.Energies[0]} eV); phase mapping compares spectra "
                + $"and needs at least 2 energies (a useful map needs more)."))
            {
                FileName = path,
                Field = "energies",
            };
        }

        for (int e = 0; e < stack.EnergyCount; e++)
        {
            if (!HasFiniteValue(stack.Plane(e)))
            {
                throw new InvalidStackContentException(string.Create(CultureInfo.InvariantCulture,
                    $"'{path}': energy plane {e} ({stack.Energies[e]} eV) holds no finite value (all NaN or ±∞), so no pixel has "
                    + $"a complete spectrum; re-export the stack or remove that energy."))
                {
                    FileName = path,
                    Field = "energy plane",
                    Offset = e,
                };
            }
        }

        if (stack.Quantity == SpectralQuantity.OpticalDensity && Signs(stack) is { Mean: < 0, NegativeFraction: > 0.5 } signs)
        {
            ctx.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"stxmphase: warning: '{path}': the mean optical density is negative ({signs.Mean:G3}; {signs.NegativeFraction * 100:F0} % "
                + $"of the values are negative); is the sign flipped, or does the file hold transmission (--quantity transmission)?"));
        }
    }

    /// <summary>
    /// Checks before any work that the <c>--background-spectrum</c> spectra cover the stack energies (as the references must),
    /// naming the file that does not; nothing to check without the option or when a beamtime model supplies the spectra.
    /// </summary>
    /// <param name="model">The bound model options.</param>
    /// <param name="stackEnergies">The energies of the stack.</param>
    /// <exception cref="IncompatibleEnergiesException">A stack energy lies outside a spectrum's range (exit code 4).</exception>
    public static void CheckBackgroundSpectra(ModelSettings model, EnergyAxis stackEnergies)
    {
        if (model.Background.SpectrumPath is not { } path || model.BackgroundSpectra is not null)
        {
            return;
        }

        ReferenceSpectra spectra = ReferenceInput.ReadBackground(path);
        try
        {
            _ = spectra.ResampleTo(stackEnergies);
        }
        catch (IncompatibleEnergiesException ex)
        {
            (string Path, double MinimumEv, double MaximumEv) lacking = ReferenceInput.FileLacking(path, ex.EnergyEv, "--background-spectrum")
                ?? (path, spectra.Energies.MinimumEv, spectra.Energies.MaximumEv);
            (string file, double lo, double hi) = lacking;
            throw new IncompatibleEnergiesException(string.Create(CultureInfo.InvariantCulture,
                $"--background-spectrum '{file}': stack energy {ex.EnergyEv} eV lies outside this spectrum's range ({lo}–{hi} eV). "
                + $"The background spectra must cover every stack energy, as the references must; extend it or give one that does."), ex)
            {
                FileName = file,
                Field = "energy_eV",
                EnergyEv = ex.EnergyEv,
            };
        }
    }

    /// <summary>
    /// Checks that no reference is constant, in the file (exit 3) or over the stack's energies after interpolation (exit 4),
    /// where its Pearson coefficient would be undefined for every pixel. Uses the same criterion as the correlator.
    /// </summary>
    /// <param name="references">The references as read.</param>
    /// <param name="path">Their file.</param>
    /// <param name="stackEnergies">The energies of the stack.</param>
    /// <exception cref="InvalidStackContentException">A reference column of the file is constant.</exception>
    /// <exception cref="IncompatibleInputException">
    /// A stack energy lies outside the references (naming the file), or a reference is constant over the stack's energy range.
    /// </exception>
    public static void CheckReferences(ReferenceSpectra references, string path, EnergyAxis stackEnergies)
    {
        for (int p = 0; p < references.PhaseCount; p++)
        {
            if (IsConstant(references.Spectrum(p)))
            {
                throw new InvalidStackContentException(
                    $"'{path}': the reference column '{references.PhaseNames[p]}' is constant, so it cannot be correlated with any spectrum; "
                    + $"remove it or supply its real spectrum.")
                {
                    FileName = path,
                    Field = references.PhaseNames[p],
                };
            }
        }

        ReferenceSpectra resampled;
        try
        {
            resampled = references.ResampleTo(stackEnergies);
        }
        catch (IncompatibleEnergiesException ex) when (ex.FileName is null)
        {
            // Name the references file: a stack energy outside their range is fixed in that file (or by another one).
            if (ReferenceInput.FileLacking(path, ex.EnergyEv) is { } lacking)
            {
                throw new IncompatibleEnergiesException(string.Create(CultureInfo.InvariantCulture,
                    $"'{lacking.Path}': stack energy {ex.EnergyEv} eV lies outside this reference spectrum's range ({lacking.MinimumEv}–"
                    + $"{lacking.MaximumEv} eV). The references must cover every stack energy; extend it or give one that does."), ex)
                {
                    FileName = lacking.Path,
                    Field = "energy_eV",
                    EnergyEv = ex.EnergyEv,
                };
            }

            throw new IncompatibleEnergiesException(
                $"'{path}': {ex.Message} The references must cover every stack energy; extend them or give a table that does.", ex)
            {
                FileName = path,
                Field = "energy_eV",
                EnergyEv = ex.EnergyEv,
            };
        }

        for (int p = 0; p < resampled.PhaseCount; p++)
        {
            if (IsConstant(resampled.Spectrum(p)))
            {
                throw new IncompatibleInputException(string.Create(CultureInfo.InvariantCulture,
                    $"'{path}': the reference '{references.PhaseNames[p]}' is constant over the stack's {stackEnergies.Count} energies "
                    + $"({stackEnergies.MinimumEv}–{stackEnergies.MaximumEv} eV), so it cannot be correlated there; "
                    + $"use references with structure in that range."))
                {
                    FileName = path,
                };
            }
        }
    }

    /// <summary>Fails when a stack has no analysable pixel, saying why from its pixel counts.</summary>
    /// <param name="name">The stack's name.</param>
    /// <param name="pixels">All pixels.</param>
    /// <param name="analysed">Pixels analysed.</param>
    /// <param name="undefinedOd">Pixels whose OD is undefined (transmission ≤ 0, I0 ≤ 0, non-finite counts).</param>
    /// <param name="invalid">Pixels with NaN/±∞ or constant spectra.</param>
    /// <param name="background">Pixels outside the sample mask.</param>
    /// <exception cref="InvalidStackContentException"><paramref name="analysed"/> is zero.</exception>
    public static void CheckAnalysed(string name, int pixels, int analysed, int undefinedOd, int invalid, int background)
    {
        if (analysed > 0)
        {
            return;
        }

        string why =
            undefinedOd == pixels ? "the optical density is undefined everywhere (transmission or I0 zero, negative or not finite; "
                + "check the stack and --i0)"
            : invalid == pixels ? "every spectrum is NaN/±∞ or constant"
            : undefinedOd + invalid == pixels ? "every spectrum is NaN/±∞, constant, or has undefined optical density"
            : "the automatic sample mask found no particle (the stack may be empty, constant, or every pixel may hold the same spectrum; "
                + "try --mask none or a mask file)";
        throw new InvalidStackContentException(string.Create(CultureInfo.InvariantCulture,
            $"stack '{name}': no pixel could be analysed: {why} ({pixels} pixels: {undefinedOd} with undefined OD, {invalid} invalid, "
            + $"{background} background)."))
        {
            FileName = name,
        };
    }

    private static bool HasFiniteValue(ReadOnlySpan<float> plane)
    {
        foreach (float v in plane)
        {
            if (float.IsFinite(v))
            {
                return true;
            }
        }

        return false;
    }

    private static (double Mean, double NegativeFraction) Signs(SpectralStack stack)
    {
        long negative = 0, finite = 0;
        double sum = 0;
        for (int e = 0; e < stack.EnergyCount; e++)
        {
            foreach (float v in stack.Plane(e))
            {
                if (float.IsFinite(v))
                {
                    finite++;
                    sum += v;
                    negative += v < 0 ? 1 : 0;
                }
            }
        }

        return finite == 0 ? (0, 0) : (sum / finite, (double)negative / finite);
    }

    private static bool IsConstant(ReadOnlySpan<double> r)
    {
        double mean = 0, sumSquares = 0;
        foreach (double v in r)
        {
            mean += v;
            sumSquares += v * v;
        }

        mean /= r.Length;
        double variance = 0;
        foreach (double v in r)
        {
            variance += (v - mean) * (v - mean);
        }

        return variance <= 1e-12 * Math.Max(1.0, sumSquares);
    }

    /// <summary>A comma-separated list of file names for a message: whole up to three names, else the first, the last and the count.</summary>
    private static string Shortened(string list)
    {
        string[] items = list.Split(", ");
        return items.Length <= 3 ? list : string.Create(CultureInfo.InvariantCulture, $"{items[0]} … {items[^1]} ({items.Length} files)");
    }
}
