using SharpFuzz;
using StxmPhase.IO;
using StxmPhase.Spectra;

// SharpFuzz harness: one fuzz target per reader. Usage (see docs/fuzzing.md):
//   StxmPhase.IO.Fuzz <target>                 run under afl-fuzz (input on stdin)
//   StxmPhase.IO.Fuzz <target> --once <file>   run one input without afl (reproduce a crash)
//   StxmPhase.IO.Fuzz --make-seeds <dir>       write small valid seed inputs, one folder per target
// Targets: npy, ncb-dat, ncb-bin, tif, sdf-hdr, sdf-xim, nx, refcsv, energycsv, spectrum.
// Only the StxmPhaseException family is an accepted outcome; any other exception escapes and afl records a crash.
string[] targets = ["npy", "ncb-dat", "ncb-bin", "tif", "sdf-hdr", "sdf-xim", "nx", "refcsv", "energycsv", "spectrum"];
if (args.Length == 2 && args[0] == "--make-seeds")
{
    Seeds.Write(args[1], targets);
    return 0;
}

if (args.Length < 1 || !targets.Contains(args[0]))
{
    Console.Error.WriteLine($"usage: StxmPhase.IO.Fuzz <{string.Join('|', targets)}> [--once <file>] | --make-seeds <dir>");
    return 2;
}

string target = args[0];
string work = Path.Combine(Path.GetTempPath(), $"stxmphase-fuzz-{target}-{Environment.ProcessId}");
Directory.CreateDirectory(work);
if (args.Length == 3 && args[1] == "--once")
{
    // Use the non-instrumented build for this: instrumented code needs afl's shared memory.
    Seeds.WriteCompanions(target, work);
    Target.Run(target, work, File.ReadAllBytes(args[2]));
    Console.WriteLine("no crash");
    return 0;
}

bool companions = false;
Fuzzer.OutOfProcess.Run(stream =>
{
    // Companion files are written by instrumented writers, so only once afl's shared memory exists.
    if (!companions)
    {
        Seeds.WriteCompanions(target, work);
        companions = true;
    }

    using var ms = new MemoryStream();
    stream.CopyTo(ms);
    Target.Run(target, work, ms.ToArray());
});
return 0;

/// <summary>Feeds one input to one reader.</summary>
internal static class Target
{
    public static void Run(string target, string work, byte[] input)
    {
        string path = Path.Combine(work, Seeds.FileName(target));
        File.WriteAllBytes(path, input);
        string read = Seeds.ReadPath(target, work);
        try
        {
            switch (target)
            {
                case "refcsv":
                    ReferenceSpectraCsv.Read(path);
                    break;
                case "energycsv":
                    EnergyAxisCsv.Read(path);
                    break;
                case "spectrum":
                    SpectrumText.Read(path);
                    break;
                default:
                    try
                    {
                        StackFile.Inspect(read);
                    }
                    catch (StxmPhaseException)
                    {
                    }

                    StackFile.Read(read);
                    break;
            }
        }
        catch (StxmPhaseException)
        {
            // Documented outcome for bad content.
        }
    }
}

/// <summary>Seed inputs and the companion files some targets need (a .dat beside an .ncb, frames beside a .hdr…).</summary>
internal static class Seeds
{
    public static string FileName(string target) => target switch
    {
        "npy" => "f.npy",
        "ncb-dat" => "f.dat",
        "ncb-bin" => "f.ncb",
        "tif" => "f.tif",
        "sdf-hdr" => "f.hdr",
        "sdf-xim" => "f_a001.xim",
        "nx" => "f.h5",
        "refcsv" => "r.csv",
        "energycsv" => "e.csv",
        _ => "s.xas",
    };

    public static string ReadPath(string target, string work) => target switch
    {
        "ncb-dat" or "ncb-bin" => Path.Combine(work, "f.ncb"),
        "sdf-hdr" or "sdf-xim" => Path.Combine(work, "f.hdr"),
        _ => Path.Combine(work, FileName(target)),
    };

    public static void Write(string dir, string[] targets)
    {
        foreach (string t in targets)
        {
            string tdir = Path.Combine(dir, t);
            Directory.CreateDirectory(tdir);
            string work = Path.Combine(Path.GetTempPath(), "stxmphase-seeds-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(work);
            WriteAll(t, work);
            File.Copy(Path.Combine(work, FileName(t)), Path.Combine(tdir, "seed" + Path.GetExtension(FileName(t))), overwrite: true);
        }
    }

    public static void WriteCompanions(string target, string work) => WriteAll(target, work);

    private static void WriteAll(string target, string work)
    {
        SpectralStack stack = Cube();
        switch (target)
        {
            case "npy":
                NpyFile.Write(Path.Combine(work, "f.npy"), stack);
                EnergyAxisCsv.Write(Path.Combine(work, "f.energies.csv"), stack.Energies);
                break;
            case "ncb-dat":
                NcbFile.Write(Path.Combine(work, "f.ncb"), stack);
                break;
            case "ncb-bin":
                NcbFile.Write(Path.Combine(work, "f.ncb"), stack, forceFloat32: true);
                break;
            case "tif":
                TiffFile.WriteStack(Path.Combine(work, "f.tif"), stack);
                break;
            case "sdf-hdr":
            case "sdf-xim":
                File.WriteAllText(Path.Combine(work, "f.hdr"),
                    "ScanDefinition = { Label = \"f.hdr\"; Type = \"NEXAFS Image Scan\"; Flags = \"Image Stack\"; Dwell = 1;\r\n" +
                    "\tRegions = (1,\r\n{ PAxis = { Name = \"Sample X\"; Unit = \"um\"; Min = 0; Max = 0.09; Dir = 1; Points = (4, 0, 0.03, 0.06, " +
                    "0.09);};\r\n" +
                    "QAxis = { Name = \"Sample Y\"; Unit = \"um\"; Min = 0; Max = 0.06; Dir = 1; Points = (3, 0, 0.03, 0.06);};\r\n});\r\n" +
                    "\tStackAxis = { Name = \"Energy\"; Unit = \"eV\"; Min = 700; Max = 701; Dir = 1; Points = (2, 700, 701);};\r\n" +
                    "\tChannels = (1,\r\n{ Name = \"V/F\"; Unit = \"counts\";});\r\n};\r\n" +
                    "Image000_0 = {StorageRingCurrent = 500.00; Energy = 700.00; Time = \"2018 Nov 11 00:03:50\";};\r\n" +
                    "Image001_0 = {StorageRingCurrent = 500.00; Energy = 701.00; Time = \"2018 Nov 11 00:04:50\";};\r\n");
                foreach (string frame in new[] { "f_a000.xim", "f_a001.xim" })
                {
                    File.WriteAllText(Path.Combine(work, frame), "1\t2\t3\t4\t\r\n5\t6\t7\t8\t\r\n9\t10\t11\t12\t\r\n");
                }

                break;
            case "nx":
                NxstxmResultWriter.Write(Path.Combine(work, "f.h5"), stack);
                break;
            case "refcsv":
                File.WriteAllText(Path.Combine(work, "r.csv"), "energy_eV,A,B\n510,0.1,0.2\n511.5,0.3,0.25\n513,1e-3,4\n");
                break;
            case "energycsv":
                File.WriteAllText(Path.Combine(work, "e.csv"), "energy_eV\n# c\n510\n511.5\n513.25\n");
                break;
            default:
                File.WriteAllText(Path.Combine(work, "s.xas"), "* Common name: X\nphoton energy,ROI 1\n710,0.5\n711,0.75\n712,0.25\n");
                break;
        }
    }

    private static SpectralStack Cube()
    {
        var data = new float[2 * 3 * 4];
        for (int i = 0; i < data.Length; i++)
        {
            data[i] = 100 + i;
        }

        return new SpectralStack(new EnergyAxis([700.0, 701.0]), 4, 3, data, SpectralQuantity.Transmission);
    }
}
