using System.Globalization;
using StxmPhase.Correlation;
using StxmPhase.Spectra;

namespace StxmPhase;

/// <summary>
/// Checks, before any work, that a stack has enough energies for the stages the options ask for, so that a short stack (a
/// two-frame SDF scan, a few energies with background components) gets a documented exception naming the stack and what
/// it needs, not an argument error from deep inside a stage or a map of ties.
/// </summary>
internal static class EnergyCountCheck
{
    /// <summary>The fewest energies the default (Pearson) correlator can tell references apart with.</summary>
    public const int PearsonMinimum = 3;

    /// <summary>
    /// Throws when <paramref name="input"/> has too few energies: fewer than <see cref="PearsonMinimum"/> for the default Pearson
    /// correlator (the coefficient of two values is always ±1), or fewer than the noise model's fit needs for a goodness of fit
    /// (<see cref="NoiseModelClassifier.DegreesOfFreedom"/> of the classifier the posterior stage will use at least 1).
    /// </summary>
    /// <param name="input">The (first) stack of the run.</param>
    /// <param name="name">Its name, for the message.</param>
    /// <param name="options">The run's options.</param>
    /// <param name="defaultCorrelator">Whether the run uses the default Pearson correlator.</param>
    /// <exception cref="InvalidStackContentException">The stack has too few energies for the configured stages.</exception>
    public static void Check(PhaseMappingInput input, string name, PhaseMappingOptions options, bool defaultCorrelator)
    {
        EnergyAxis axis = input.Stack.Energies;
        int n = axis.Count;
        string energies = string.Join(", ", axis.AsSpan().ToArray().Select(e => e.ToString("0.###", CultureInfo.InvariantCulture)));
        if (defaultCorrelator && n < PearsonMinimum)
        {
            throw Fail(input, string.Create(CultureInfo.InvariantCulture,
                $"Stack '{name}' has only {n} energies ({energies} eV); PCC phase mapping needs at least {PearsonMinimum}: the Pearson "
                + $"coefficient of two values is always +1 or −1, so every reference would correlate equally well. Measure more "
                + $"energies, or fit the references by linear combination (LinearCombinationFitter; CLI --method lcf)."));
        }

        // The noise model counts its own nuisance terms (offsets per edge block under its block-offset model, slopes, background
        // spectra, energy and block weights): the configuration PosteriorStage will classify with, asked before any work.
        bool checkBlocks = input.Blocks is { Count: > 1 } && (defaultCorrelator || options.ComputePosteriors);
        if (!checkBlocks && !options.ComputePosteriors)
        {
            return;
        }

        NoiseModelClassifier classifier = PosteriorStage.Classifier(options, options.Background, input.Blocks);
        int dof = options.ComputePosteriors ? classifier.DegreesOfFreedom(n) : 1;
        if (dof >= 1 && checkBlocks)
        {
            CheckBlocks(input, input.Blocks!, classifier, options.Background);
        }

        if (dof < 1)
        {
            int needed = n - dof + 1;
            IReadOnlyList<int> counts = input.Blocks?.Counts ?? [n];
            int terms = n - 1 - dof;
            string edges = counts.Count > 1 ? string.Create(CultureInfo.InvariantCulture, $", {counts.Count} edge blocks") : string.Empty;
            throw Fail(input, string.Create(CultureInfo.InvariantCulture,
                $"Stack '{name}' has {n} energies ({energies} eV); the noise-model posteriors of the final map fit a·r + {terms} nuisance "
                + $"term(s) (offsets{edges}, background components) to every pixel and need at least {needed} energies to leave a degree "
                + $"of freedom for the goodness of fit. Leave the background components out, or turn the posteriors off "
                + $"(PhaseMappingOptions.ComputePosteriors = false; CLI --paper)."));
        }
    }

    /// <summary>
    /// A fused stack: every edge block with weight must keep at least one energy after its own offset and (linear background)
    /// slope (<see cref="NoiseModelClassifier.BlockDegreesOfFreedom"/>), or the block correlation has nothing to correlate there
    /// (every reference constant) and the noise model nothing to fit. <see cref="StxmPhaseException.Field"/> is
    /// "blocks[b]" (b the block index: 0 the first stack, then each edge), so a caller can name the edge's file.
    /// </summary>
    private static void CheckBlocks(PhaseMappingInput input, SpectralBlocks blocks, NoiseModelClassifier classifier, SpectralBackground? background)
    {
        IReadOnlyList<int> left = classifier.BlockDegreesOfFreedom(input.Stack.EnergyCount);
        for (int b = 0; b < blocks.Count; b++)
        {
            if (left[b] >= 1 || !(blocks.Weights[b] > 0))
            {
                continue;
            }

            // The fewest energies with left ≥ 1: an offset, a slope once a linear background has 2 energies, and one more.
            bool linear = background is { IsLinear: true };
            int needed = linear ? 3 : 2, count = blocks.Counts[b];
            string energies = string.Join(", ", blocks.BlockEnergies(input.Stack.Energies, b).AsSpan().ToArray()
                .Select(e => e.ToString("0.###", CultureInfo.InvariantCulture)));
            string terms = linear ? "its own offset and slope (--background linear)" : "its own offset";
            string remedy = linear
                ? "Leave the linear background term out (CLI: --background none), measure at least 3 energies on that edge, or leave the edge out."
                : "Measure at least 2 energies on that edge, or leave the edge out.";
            throw new InvalidStackContentException(string.Create(CultureInfo.InvariantCulture,
                $"Edge block {b} '{blocks.Names[b]}' has {count} energies ({energies} eV); every edge is compared with the references "
                + $"after removing {terms}, which leaves this edge nothing to tell the phases apart with: it needs at least {needed} "
                + $"energies. {remedy}"))
            {
                FileName = b == 0 ? input.Stack.Metadata.SourceFile : null,
                Field = string.Create(CultureInfo.InvariantCulture, $"blocks[{b}]"),
            };
        }
    }

    private static InvalidStackContentException Fail(PhaseMappingInput input, string message) => new(message)
    {
        FileName = input.Stack.Metadata.SourceFile,
        Field = "energies",
    };
}
