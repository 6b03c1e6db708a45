namespace StxmPhase.Cli;

/// <summary>Creates output folders and refuses to mix new results with old ones.</summary>
internal static class OutputFolders
{
    /// <summary>The files the tool writes into a result folder (deleted first with --overwrite).</summary>
    public static readonly string[] KnownFiles =
    [
        "phase-map.npy", "pcc-phase-map.npy", "reliability.npy", "ambiguous.npy", "correlations.npy", "latent.npy",
        "false-positives.npy", "second-phase.npy", "truth.npy", "summary.json", "phase-map.png", "pcc-phase-map.png",
        "ambiguity-map.png", "correlation-maps.png", "latent-space.png", "loss-curves.png", "spectra.png", "weights.npy",
        "r-factor.npy", "nmf-components.png", "stack.npy", "energies.csv", "references.csv", "boundary.npy", "model.gmvae",
    ];

    /// <summary>
    /// Prepares <paramref name="root"/> (and the sub-folders <paramref name="names"/>, when given): creates them, and if
    /// one already holds files, fails unless <paramref name="overwrite"/>, in which case the tool's own files are deleted.
    /// </summary>
    public static void Prepare(string root, IReadOnlyList<string>? names, bool overwrite)
    {
        IEnumerable<string> folders = names is null ? [root] : names.Select(n => Path.Combine(root, n));
        foreach (string folder in folders)
        {
            if (Directory.Exists(folder) && Directory.EnumerateFileSystemEntries(folder).Any())
            {
                if (!overwrite)
                {
                    throw new UsageException($"The output folder '{folder}' already contains files; choose another --out or pass --overwrite to replace earlier results.");
                }

                foreach (string file in KnownFiles)
                {
                    string path = Path.Combine(folder, file);
                    if (File.Exists(path))
                    {
                        File.Delete(path);
                    }
                }
            }

            Directory.CreateDirectory(folder);
        }
    }
}
