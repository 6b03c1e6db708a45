using System.Globalization;
using System.Text;
using StxmPhase.IO;
using StxmPhase.Spectra;
using StxmPhase.Synthetic;

namespace StxmPhase.Cli.Tests;

/// <summary>
/// Generates, in a temporary folder, the inputs of a hostile-input campaign against the CLI: a small valid dataset and
/// files derived from it that are broken in one way each (NaN planes, decimal commas, missing SDF frames, huge lines,
/// truncated arrays, …). Nothing is committed; everything is made at test time from the synthetic generator.
/// </summary>
public sealed class HostileCorpus : IDisposable
{
    /// <summary>Width and height of the stacks.</summary>
    public const int Size = 32;

    public HostileCorpus()
    {
        Root = Path.Combine(Path.GetTempPath(), "stxmphase-hostile-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(Root);
        SyntheticDataset data = SyntheticStackGenerator.Generate(new SyntheticStackOptions { Width = Size, Height = Size, Seed = 3, Dose = 400 });
        Energies = data.OpticalDensity.Energies.ToArray();
        OpticalDensity = Flatten(data.OpticalDensity);
        Transmission = Flatten(data.Transmission);

        Write("od.npy", OpticalDensity, Energies.Length);

        // A stack alone in its folder: no energies.csv beside it to be taken as a sidecar.
        Directory.CreateDirectory(PathOf("alone"));
        Write(Path.Combine("alone", "od.npy"), OpticalDensity, Energies.Length);
        Write("transmission.npy", Transmission, Energies.Length);
        EnergyAxisCsv.Write(PathOf("energies.csv"), data.OpticalDensity.Energies);
        ReferenceSpectraCsv.Write(PathOf("references.csv"), data.References);

        // Item 2: decimal commas.
        File.WriteAllLines(
            PathOf("energies-decimal-comma.csv"), Energies.Select(e => e.ToString("F1", CultureInfo.InvariantCulture).Replace('.', ',')));

        // Item 3: stacks with nothing to analyse.
        Write("all-nan.npy", Filled(float.NaN), Energies.Length);
        Write("all-zero.npy", Filled(0f), Energies.Length);
        Write("constant.npy", Filled(0.5f), Energies.Length);
        float[] nanPlane = (float[])OpticalDensity.Clone();
        nanPlane.AsSpan(4 * Size * Size, Size * Size).Fill(float.NaN);
        Write("nan-plane.npy", nanPlane, Energies.Length);
        float[] same = new float[OpticalDensity.Length];
        for (int e = 0; e < Energies.Length; e++)
        {
            same.AsSpan(e * Size * Size, Size * Size).Fill(0.1f + (0.05f * e));
        }

        Write("same-spectrum.npy", same, Energies.Length);
        File.WriteAllLines(PathOf("i0-zeros.txt"), ["# energy_eV I0", .. Energies.Select(e => e.ToString(CultureInfo.InvariantCulture) + " 0")]);

        // Item 8: an SDF stack (transmission counts) whose last frame file is missing.
        SdfHeader = WriteSdf(Path.Combine(Root, "sdf"), "scan", data.Transmission);
        File.Delete(Path.Combine(Root, "sdf", string.Create(CultureInfo.InvariantCulture, $"scan_a{Energies.Length - 1:000}.xim")));

        // Item 10: a text input with a line of 2 Mi characters and no line end.
        File.WriteAllText(PathOf("long-line.csv"), "energy_eV,a,b\n" + new string('1', 2 << 20));

        // Item 11.
        Write("one-energy.npy", OpticalDensity.AsSpan(0, Size * Size).ToArray(), 1);
        File.WriteAllLines(PathOf("one-energy.csv"), [Energies[0].ToString(CultureInfo.InvariantCulture)]);
        var constantRefs = new StringBuilder("energy_eV,a,flat\n");
        for (int e = 0; e < 40; e++)
        {
            double ev = 500 + e;
            constantRefs.Append(CultureInfo.InvariantCulture, $"{ev},{0.1 + (0.02 * e)},0.7\n");
        }

        File.WriteAllText(PathOf("references-constant-column.csv"), constantRefs.ToString());
        File.WriteAllLines(PathOf("energies-short.csv"), Energies.Take(Energies.Length - 2).Select(e => e.ToString(CultureInfo.InvariantCulture)));
        File.WriteAllBytes(PathOf("corrupt.gmvae"), Enumerable.Range(0, 4096).Select(i => (byte)((i * 7919) % 251)).ToArray());

        // Item 12.
        Directory.CreateDirectory(PathOf("folder.npy"));
        byte[] npy = File.ReadAllBytes(PathOf("od.npy"));
        File.WriteAllBytes(PathOf("truncated.npy"), npy.AsSpan(0, npy.Length / 2).ToArray());
        Directory.CreateDirectory(PathOf("nosidecar"));
        File.Copy(PathOf("od.npy"), Path.Combine(Root, "nosidecar", "od.npy"));
        Directory.CreateDirectory(PathOf("sidecar"));
        File.Copy(PathOf("od.npy"), Path.Combine(Root, "sidecar", "stack.npy"));
        File.WriteAllLines(Path.Combine(Root, "sidecar", "stack.txt"), Energies.Select(e => e.ToString(CultureInfo.InvariantCulture)));
        Write("negative-od.npy", OpticalDensity.Select(v => -v).ToArray(), Energies.Length);

        // Item 13 (newcomer review): stacks of 2 and 3 energies (a two-frame SDF scan, a short C K stack), a beamtime manifest.
        Write("two-energy.npy", OpticalDensity.AsSpan(0, 2 * Size * Size).ToArray(), 2);
        File.WriteAllLines(PathOf("two-energy.csv"), Energies.Take(2).Select(e => e.ToString(CultureInfo.InvariantCulture)));
        Write("three-energy.npy", OpticalDensity.AsSpan(2 * Size * Size, 3 * Size * Size).ToArray(), 3);
        File.WriteAllLines(PathOf("three-energy.csv"), Energies.Skip(2).Take(3).Select(e => e.ToString(CultureInfo.InvariantCulture)));
        File.WriteAllLines(PathOf("manifest.csv"), ["path,name", "od.npy,od"]);
        File.WriteAllLines(PathOf("references-c-k.csv"), ["energy_eV,a,b", "280,0.1,0.2", "290,0.5,0.3", "320,0.4,0.6"]);
    }

    /// <summary>Gets the temporary folder holding the corpus.</summary>
    public string Root { get; }

    /// <summary>Gets the energies of the stacks.</summary>
    public double[] Energies { get; }

    /// <summary>Gets the valid OD stack (energy-major).</summary>
    public float[] OpticalDensity { get; }

    /// <summary>Gets the valid transmission stack (energy-major).</summary>
    public float[] Transmission { get; }

    /// <summary>Gets the .hdr of the SDF stack with its last frame missing.</summary>
    public string SdfHeader { get; }

    /// <summary>Returns the path of a corpus file.</summary>
    public string PathOf(string name) => Path.Combine(Root, name);

    /// <summary>Returns a fresh, not yet existing output folder.</summary>
    public string NewOut() => Path.Combine(Root, "out-" + Guid.NewGuid().ToString("N")[..8]);

    /// <summary>Writes a stack (energy-major float32) as .npy in the corpus and returns its path.</summary>
    public string Write(string name, float[] values, int energies)
    {
        string path = PathOf(name);
        NpyFile.Write(path, values, energies, Size, Size);
        return path;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private float[] Filled(float value)
    {
        float[] v = new float[Energies.Length * Size * Size];
        v.AsSpan().Fill(value);
        return v;
    }

    private static float[] Flatten(SpectralStack stack)
    {
        float[] all = new float[stack.EnergyCount * stack.PixelCount];
        for (int e = 0; e < stack.EnergyCount; e++)
        {
            stack.Plane(e).CopyTo(all.AsSpan(e * stack.PixelCount));
        }

        return all;
    }

    /// <summary>Writes an SDF stack (.hdr + one .xim text frame per energy) of <paramref name="stack"/>.</summary>
    private static string WriteSdf(string dir, string stem, SpectralStack stack)
    {
        Directory.CreateDirectory(dir);
        CultureInfo c = CultureInfo.InvariantCulture;
        int w = stack.Width, h = stack.Height;
        string Points(int n) => string.Create(c, $"({n}, {string.Join(", ", Enumerable.Range(0, n).Select(i => (i * 0.03).ToString("0.0000", c)))})");
        var sb = new StringBuilder();
        sb.Append(c, $"ScanDefinition = {{ Label = \"{stem}.hdr\"; Type = \"NEXAFS Image Scan\"; Flags = \"Image Stack\"; Dwell = 1.5;\r\n");
        sb.Append(c, $"\tRegions = (1,\r\n{{\r\n"
            + $"\t\t\tPAxis = {{ Name = \"Sample X\"; Unit = \"um\"; Min = 0; Max = 1; Dir = 1;\r\n\t\t\t\tPoints = {Points(w)};\r\n}};\r\n");
        sb.Append(c, $"\t\t\tQAxis = {{ Name = \"Sample Y\"; Unit = \"um\"; Min = 0; Max = 1; Dir = 1;\r\n"
            + $"\t\t\t\tPoints = {Points(h)};\r\n}};\r\n}});\r\n");
        sb.Append(c, $"\tStackAxis = {{ Name = \"Energy\"; Unit = \"eV\"; Min = 1; Max = 2; Dir = 1;\r\n"
            + $"\t\tPoints = ({stack.EnergyCount}, {string.Join(", ", stack.Energies.Select(e => e.ToString("0.0000", c)))});\r\n}};\r\n");
        sb.Append("\tChannels = (1,\r\n{ Name = \"V/F\"; Unit = \"counts\";});\r\n};\r\n");
        for (int e = 0; e < stack.EnergyCount; e++)
        {
            sb.Append(c,
                $"Image{e:000}_0 = {{StorageRingCurrent = 500.00; Energy = {stack.Energies[e]:0.00}; Time = \"2018 Nov 11 00:03:50\";}};\r\n");
            var xim = new StringBuilder();
            ReadOnlySpan<float> plane = stack.Plane(e);
            for (int y = 0; y < h; y++)
            {
                for (int x = 0; x < w; x++)
                {
                    xim.Append(MathF.Round(plane[(y * w) + x]).ToString("0", c)).Append('\t');
                }

                xim.Append("\r\n");
            }

            File.WriteAllText(Path.Combine(dir, string.Create(c, $"{stem}_a{e:000}.xim")), xim.ToString());
        }

        string hdr = Path.Combine(dir, stem + ".hdr");
        File.WriteAllText(hdr, sb.ToString());
        return hdr;
    }
}
