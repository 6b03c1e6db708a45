using System.CommandLine;
using StxmPhase.Spectra;

namespace StxmPhase.Cli;

/// <summary>
/// <c>--background none|linear</c> and <c>--background-spectrum FILE</c>: background components of the per-pixel model
/// (<see cref="SpectralBackground"/>), e.g. a carbon/CEI contamination layer.
/// </summary>
internal sealed class BackgroundOption
{
    private readonly Option<string> _mode = new("--background")
    {
        Description = "Background components fitted beside each phase by the noise-model posteriors (and projected out before "
            + "the correlation): none (default) or linear (a pre-edge slope c·(E − E0); with --edge one slope per edge, "
            + "so every edge needs at least 3 energies); with "
            + "--background-spectrum, that spectrum too (e.g. carbon). Not used by --method lcf/nmf or the latent stage.",
        DefaultValueFactory = _ => "none",
    };

    private readonly Option<string?> _spectrum = new("--background-spectrum")
    {
        Description = $"1–{SpectralBackground.MaxSpectra} background spectra (e.g. a carbon/CEI layer), in the same forms as "
            + "--references: a CSV table (energy column, one column per component), spectrum text files (energy, absorption; as "
            + "aXis2000/MANTiS save them) comma-separated, one component each, or one such file alone; each fitted with a "
            + "non-negative amount per pixel and shifted by the energy offset like the references. With --edge, one amount per "
            + "pixel for all edges (one layer), so the spectra must cover every edge's energies.",
    };

    public BackgroundOption() => _mode.AcceptOnlyFromAmong("none", "linear");

    public void AddTo(Command command)
    {
        command.Options.Add(_mode);
        command.Options.Add(_spectrum);
    }

    /// <summary>The names of the background options given explicitly on the command line.</summary>
    public IEnumerable<string> ExplicitOptions(ParseResult p) =>
        new Option[] { _mode, _spectrum }.Where(o => p.GetResult(o) is { Implicit: false }).Select(o => o.Name);

    /// <summary>The <c>--background-spectrum</c> file when given explicitly, or null.</summary>
    public string? ExplicitSpectrum(ParseResult p) => p.GetResult(_spectrum) is { Implicit: false } ? p.GetValue(_spectrum) : null;

    /// <summary>The bound settings: (linear, spectrum file or null).</summary>
    public (bool Linear, string? SpectrumPath) Bind(ParseResult p) => (p.GetValue(_mode) == "linear", p.GetValue(_spectrum));

    /// <summary>The library's background for the bound settings, or <see langword="null"/> for none.</summary>
    /// <param name="linear">Whether the linear term is fitted.</param>
    /// <param name="spectrumPath">The spectrum file (or, with <paramref name="stored"/>, only its original name), or null.</param>
    /// <param name="stored">The spectra's values as a beamtime model stores them; when given, no file is read.</param>
    /// <exception cref="UsageException">The spectrum file holds more than <see cref="SpectralBackground.MaxSpectra"/> spectra.</exception>
    public static SpectralBackground? Build(bool linear, string? spectrumPath, ReferenceSpectra? stored = null)
    {
        if (!linear && spectrumPath is null && stored is null)
        {
            return null;
        }

        ReferenceSpectra? spectra = stored ?? (spectrumPath is null ? null : ReferenceInput.ReadBackground(spectrumPath));
        if (spectra is not null && spectra.PhaseCount > SpectralBackground.MaxSpectra)
        {
            throw new UsageException(
                $"--background-spectrum: '{spectrumPath}' holds {spectra.PhaseCount} spectra; "
                + $"at most {SpectralBackground.MaxSpectra} are supported.");
        }

        return new SpectralBackground(linear, spectra);
    }

    /// <summary>How the background is named in summary.json and the report: none, linear, FILE or linear+FILE (FILE: the file
    /// names without folders, comma-separated for several spectrum files).</summary>
    public static string Describe(bool linear, string? spectrumPath) =>
        (linear, spectrumPath) switch
        {
            (false, null) => "none",
            (true, null) => "linear",
            (false, { } f) => FileNames(f),
            (true, { } f) => "linear+" + FileNames(f),
        };

    /// <summary>The file names (without folders) of a <c>--background-spectrum</c> value, comma-separated.</summary>
    /// <param name="value">The option value: one file, or files separated by commas.</param>
    /// <returns>The names.</returns>
    public static string FileNames(string value) =>
        string.Join(',', ReferenceInput.IsFileList(value) ? value.Split(',', StringSplitOptions.TrimEntries).Select(Path.GetFileName)
            : [Path.GetFileName(value)]);
}
