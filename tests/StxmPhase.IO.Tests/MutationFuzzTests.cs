using System.Text;
using StxmPhase.Spectra;
using Xunit.Abstractions;

namespace StxmPhase.IO.Tests;

/// <summary>
/// Feeds every reader a few hundred seeded mutations (bit flips, interesting bytes, truncations, chunk duplication,
/// digit edits) of its fixtures and accepts only the documented exceptions: the <see cref="StxmPhaseException"/> family.
/// Any other exception (ArgumentException, IndexOutOfRange, OutOfMemory…) from file content is a bug.
/// </summary>
public class MutationFuzzTests(ITestOutputHelper output)
{
    private const int VariantsPerTarget = 400;

    public static TheoryData<string> Targets => ["npy", "ncb-dat", "ncb-bin", "tif", "sdf-hdr", "sdf-xim", "nx", "refcsv", "energycsv", "spectrum"];

    [Theory]
    [MemberData(nameof(Targets))]
    public void Readers_MutatedFixtures_ThrowOnlyDomainExceptions(string target)
    {
        string dir = TestFiles.NewTempDir();
        (string mutated, byte[] seed, Action read) = Prepare(target, dir);
        var rng = new Random(12345 + target.Length);
        var failures = new List<string>();
        int domainErrors = 0;
        for (int i = 0; i < VariantsPerTarget; i++)
        {
            byte[] variant = Mutate(seed, rng);
            File.WriteAllBytes(mutated, variant);
            long t0 = System.Diagnostics.Stopwatch.GetTimestamp();
            try
            {
                read();
            }
            catch (StxmPhaseException)
            {
                domainErrors++;
            }
            catch (Exception ex)
            {
                failures.Add($"variant {i} ({variant.Length} bytes): {ex.GetType().Name}: {ex.Message}");
                File.WriteAllBytes(Path.Combine(dir, $"crash_{i}{Path.GetExtension(mutated)}"), variant);
            }

            TimeSpan took = System.Diagnostics.Stopwatch.GetElapsedTime(t0);
            if (took.TotalMilliseconds > 200)
            {
                string slow = Path.Combine(dir, $"slow_{i}{Path.GetExtension(mutated)}");
                File.WriteAllBytes(slow, variant);
                output.WriteLine($"variant {i} took {took.TotalMilliseconds:F0} ms (kept as {slow}).");
            }
        }

        output.WriteLine($"{target}: {VariantsPerTarget} variants, {domainErrors} domain errors, {failures.Count} other exceptions.");
        Assert.True(failures.Count == 0, $"{target}: {failures.Count} variants threw non-domain exceptions (inputs kept in {dir}):\n" +
            string.Join("\n", failures.Take(10)));
    }

    private static (string Mutated, byte[] Seed, Action Read) Prepare(string target, string dir)
    {
        var energies = new StackReadOptions { Energies = null };
        switch (target)
        {
            case "npy":
            {
                string p = Path.Combine(dir, "f.npy");
                NpyFile.Write(p, StackBuilders.Cube(2, 3, 4));
                File.WriteAllLines(Path.Combine(dir, "f.energies.csv"), ["700", "700.5"]);
                return (p, File.ReadAllBytes(p), () => ReadAndInspect(p));
            }

            case "ncb-dat":
            case "ncb-bin":
            {
                string p = Path.Combine(dir, "f.ncb");
                NcbFile.Write(p, StackBuilders.Cube(2, 3, 4, scale: 0.01f), forceFloat32: target == "ncb-bin");
                string m = target == "ncb-dat" ? Path.ChangeExtension(p, ".dat") : p;
                return (m, File.ReadAllBytes(m), () => ReadAndInspect(p));
            }

            case "tif":
            {
                string p = Path.Combine(dir, "f.tif");
                TiffFile.WriteStack(p, StackBuilders.Cube(2, 3, 4));
                return (p, File.ReadAllBytes(p), () => ReadAndInspect(p));
            }

            case "sdf-hdr":
            case "sdf-xim":
            {
                string hdr = SdfStackReaderTests.WriteStack(dir, "f", 4, 3, [500.0, 510.0], [0, 7]);
                string m = target == "sdf-hdr" ? hdr : Path.Combine(dir, "f_a007.xim");
                return (m, File.ReadAllBytes(m), () => ReadAndInspect(hdr));
            }

            case "nx":
            {
                string p = Path.Combine(dir, "f.h5");
                return (p, File.ReadAllBytes(TestFiles.Synthetic("nx_tiny.h5")), () => ReadAndInspect(p));
            }

            case "refcsv":
            {
                string p = Path.Combine(dir, "r.csv");
                File.WriteAllText(p, "energy_eV,A,B\n510,0.1,0.2\n511.5,0.3,0.25\n513,1e-3,4\n");
                return (p, File.ReadAllBytes(p), () => ReferenceSpectraCsv.Read(p));
            }

            case "energycsv":
            {
                string p = Path.Combine(dir, "e.csv");
                File.WriteAllText(p, "energy_eV\n# c\n510\n511.5\n513.25\n");
                return (p, File.ReadAllBytes(p), () => EnergyAxisCsv.Read(p));
            }

            default:
            {
                string p = Path.Combine(dir, "s.xas");
                File.WriteAllText(p, "* Common name: X\nphoton energy,ROI 1\n710,0.5\n711,0.75\n712,0.25\n");
                _ = energies;
                return (p, File.ReadAllBytes(p), () => SpectrumText.Read(p));
            }
        }
    }

    private static void ReadAndInspect(string path)
    {
        try
        {
            StackFile.Inspect(path);
        }
        catch (StxmPhaseException)
        {
        }

        StackFile.Read(path);
    }

    internal static byte[] Mutate(byte[] seed, Random rng)
    {
        var b = new List<byte>(seed);
        int ops = 1 + rng.Next(4);
        for (int k = 0; k < ops && b.Count > 0; k++)
        {
            int pos = rng.Next(b.Count);
            switch (rng.Next(7))
            {
                case 0:
                    b[pos] ^= (byte)(1 << rng.Next(8));
                    break;
                case 1:
                    b[pos] = (byte)(rng.Next(4) switch { 0 => 0x00, 1 => 0xFF, 2 => 0x7F, _ => 0x80 });
                    break;
                case 2:
                    b.RemoveRange(pos, b.Count - pos);
                    break;
                case 3:
                    int len = Math.Min(b.Count - pos, 1 + rng.Next(64));
                    b.InsertRange(pos, b.GetRange(pos, len));
                    break;
                case 4:
                    b.InsertRange(pos, Encoding.ASCII.GetBytes(rng.Next(3) switch { 0 => "9999999999", 1 => "-1", _ => "1e308" }));
                    break;
                case 5:
                    b.RemoveRange(pos, Math.Min(b.Count - pos, 1 + rng.Next(16)));
                    break;
                default:
                    if (b[pos] is >= (byte)'0' and <= (byte)'9')
                    {
                        b[pos] = (byte)('0' + rng.Next(10));
                    }
                    else
                    {
                        b[pos] = (byte)rng.Next(256);
                    }

                    break;
            }
        }

        return [.. b];
    }
}
