using System.Globalization;
using StxmPhase.IO;
using StxmPhase.Spectra;

namespace StxmPhase.Cli;

/// <summary>
/// Reads the value of <c>--references</c>: one CSV table (<c>energy_eV,&lt;phase 1&gt;,…</c>, <see cref="ReferenceSpectraCsv"/>), or
/// several single-spectrum text files, comma-separated (<c>HOPG.txt,basefreeFe2.txt</c>), one phase each, named after the file
/// without its extension (<see cref="SpectrumText"/>: two columns energy/absorption, comment and header lines allowed, as
/// aXis2000 and MANTiS save spectra). <c>--background-spectrum</c> is read the same way (<see cref="ReadBackground"/>).
/// </summary>
/// <remarks>
/// The files' spectra are tabulated on the union of their energies inside the range every file covers, each linearly
/// interpolated there. Every file's own energies are knots of that grid, so interpolating the table at a stack energy gives
/// exactly what interpolating each file there gives: the same references as a CSV table on that grid. A stack energy outside
/// a file's range is an error naming that file (<see cref="FileLacking"/>).
/// </remarks>
internal static class ReferenceInput
{
    /// <summary>What every <c>--references</c> option accepts, for its help text.</summary>
    public const string Help = "Reference spectra: a CSV with header energy_eV,<phase 1>,<phase 2>,..., or spectrum text files "
        + "(energy, absorption; as aXis2000/MANTiS save them) comma-separated, one phase each named after its file, "
        + "e.g. Fe2.txt,Fe3.txt; interpolated onto the stack energies.";

    /// <summary>Whether <paramref name="value"/> is a comma-separated list of spectrum files rather than one file.</summary>
    /// <param name="value">The option value.</param>
    /// <returns><see langword="true"/> when it holds a comma and is not itself an existing file.</returns>
    public static bool IsFileList(string value) => value.Contains(',', StringComparison.Ordinal) && !File.Exists(value);

    /// <summary>Reads the references the option names.</summary>
    /// <param name="value">One CSV table, or spectrum files separated by commas.</param>
    /// <returns>The reference spectra.</returns>
    /// <exception cref="UsageException">An entry of the list is empty, or two files have the same name without extension.</exception>
    /// <exception cref="InvalidStackContentException">A file is malformed (the message names the file, line and value; for a
    /// single file without the table's header it also says how to give spectrum files).</exception>
    /// <exception cref="IncompatibleEnergiesException">The files' energy ranges share fewer than two energies.</exception>
    public static ReferenceSpectra Read(string value) => Read(value, "--references", loneSpectrumFile: false);

    /// <summary>
    /// Reads the value of <c>--background-spectrum</c> the same way as <c>--references</c> (<see cref="Read(string)"/>): a CSV table
    /// (one column per component), spectrum files comma-separated (one component each, named after its file), or one spectrum file
    /// alone (a file without the table's header <c>energy_eV,&lt;name&gt;,…</c> is read as a spectrum file: a single background
    /// component, e.g. a carbon layer's spectrum as aXis2000 saves it).
    /// </summary>
    /// <param name="value">The option value.</param>
    /// <returns>The background spectra.</returns>
    /// <exception cref="UsageException">An entry of the list is empty, or two files have the same name without extension.</exception>
    /// <exception cref="InvalidStackContentException">A file is malformed (the message names the file, line and value).</exception>
    /// <exception cref="IncompatibleEnergiesException">The files' energy ranges share fewer than two energies.</exception>
    public static ReferenceSpectra ReadBackground(string value) => Read(value, "--background-spectrum", loneSpectrumFile: true);

    /// <summary>The files the option names: the one file, or each file of the comma-separated list.</summary>
    /// <param name="value">The option value.</param>
    /// <param name="option">The option, for messages.</param>
    /// <returns>The files, in order.</returns>
    /// <exception cref="UsageException">An entry of the list is empty.</exception>
    public static string[] Files(string value, string option) => IsFileList(value) ? Paths(value, option) : [value];

    private static ReferenceSpectra Read(string value, string option, bool loneSpectrumFile)
    {
        if (!IsFileList(value))
        {
            try
            {
                return ReferenceSpectraCsv.Read(value);
            }
            catch (InvalidStackContentException ex) when (ex.Field == "header" && loneSpectrumFile)
            {
                // No table header: one spectrum file (energy, absorption), one component named after the file.
                try
                {
                    return ReadFiles([value], option);
                }
                catch (InvalidStackContentException inner)
                {
                    throw new InvalidStackContentException(inner.Message + " (Read as a spectrum file: it has no table header "
                        + "'energy_eV,<name>,…'.)", inner)
                    {
                        FileName = inner.FileName,
                        Field = inner.Field,
                        Offset = inner.Offset,
                    };
                }
            }
            catch (InvalidStackContentException ex) when (ex.Field == "header")
            {
                // A lone spectrum file (numbers from the first line) given where the table is expected: say how to give several.
                throw new InvalidStackContentException(ex.Message + " For spectrum files (energy, absorption), give one per phase, "
                    + "comma-separated: --references Fe2.txt,Fe3.txt.", ex)
                {
                    FileName = ex.FileName,
                    Field = ex.Field,
                    Offset = ex.Offset,
                };
            }
        }

        return ReadFiles(Paths(value, option), option);
    }

    private static ReferenceSpectra ReadFiles(string[] paths, string option)
    {
        string[] names = paths.Select(p => Path.GetFileNameWithoutExtension(p)).ToArray();
        for (int i = 0; i < names.Length; i++)
        {
            int first = Array.FindIndex(names, n => string.Equals(n, names[i], StringComparison.Ordinal));
            if (first != i)
            {
                string what = option == "--references" ? "phase" : "component";
                throw new UsageException($"{option}: '{paths[first]}' and '{paths[i]}' would both be the {what} '{names[i]}' "
                    + "(each spectrum file is named after its file name without extension); rename one.");
            }
        }

        try
        {
            return SpectrumText.ReadMany(paths, names);
        }
        catch (IncompatibleEnergiesException ex)
        {
            throw new IncompatibleEnergiesException($"{option}: " + ex.Message, ex) { FileName = ex.FileName, Field = ex.Field };
        }
    }

    /// <summary>The spectrum file of a list whose energy range lacks <paramref name="energyEv"/> (by more than the 0.05 eV
    /// resampling tolerance of <see cref="ReferenceSpectra.ResampleTo"/>), for an error message; <see langword="null"/> for a
    /// single table or when none does.</summary>
    /// <param name="value">The option value.</param>
    /// <param name="energyEv">The stack energy that lies outside the references.</param>
    /// <param name="option">The option, for messages about its value.</param>
    /// <returns>The file and its energy range, or <see langword="null"/>.</returns>
    public static (string Path, double MinimumEv, double MaximumEv)? FileLacking(string value, double? energyEv, string option = "--references")
    {
        if (energyEv is not { } e || !IsFileList(value))
        {
            return null;
        }

        foreach (string path in Paths(value, option))
        {
            EnergyAxis own = SpectrumText.Read(path).Energies;
            if (e < own.MinimumEv - 0.05 || e > own.MaximumEv + 0.05)
            {
                return (path, own.MinimumEv, own.MaximumEv);
            }
        }

        return null;
    }

    private static string[] Paths(string value, string option)
    {
        string[] paths = value.Split(',', StringSplitOptions.TrimEntries);
        int empty = Array.FindIndex(paths, p => p.Length == 0);
        if (empty >= 0)
        {
            throw new UsageException(Inv($"{option}: entry {empty + 1} of '{value}' is empty; give spectrum files separated by commas."));
        }

        return paths;
    }

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
