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

        if (!options.ComputePosteriors)
        {
            return;
        }

        // The noise model counts its own nuisance terms (offsets per edge block under its block-offset model, slopes, background
        // spectra, energy and block weights): the configuration PosteriorStage will classify with, asked before any work.
        NoiseModelClassifier classifier = PosteriorStage.Classifier(options, options.Background, input.Blocks);
        int dof = classifier.DegreesOfFreedom(n);
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

    private static InvalidStackContentException Fail(PhaseMappingInput input, string message) => new(message)
    {
        FileName = input.Stack.Metadata.SourceFile,
        Field = "energies",
    };
}
