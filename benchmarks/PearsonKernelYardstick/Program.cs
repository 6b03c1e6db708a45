// Times StxmPhase's CorrelateInto against the C kernel of pearson_avx2.c in one process, alternating the two on the
// same stack 80 times, and reports the median of the paired ratios (each pair ran back to back, so it saw the same
// noise from other tenants). Usage: run.sh [WIDTHxHEIGHT ...]; THREADS=1 for one thread.
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using StxmPhase.Correlation;
using StxmPhase.Spectra;

const int Energies = 13;
const int Phases = 5;
const int Band = 16384;
const int Pairs = 80;
var inv = CultureInfo.InvariantCulture;
string library = Environment.GetEnvironmentVariable("PEARSON_C_LIBRARY")
    ?? throw new InvalidOperationException("Set PEARSON_C_LIBRARY to the built libpearson_avx2.so (run.sh does).");
NativeLibrary.SetDllImportResolver(typeof(CKernel).Assembly, (name, _, _) => name == CKernel.Name ? NativeLibrary.Load(library) : 0);
int threads = int.Parse(Environment.GetEnvironmentVariable("THREADS") ?? "2", inv);

double[] energies = Enumerable.Range(0, Energies).Select(k => 525.0 + (20.0 * k / (Energies - 1))).ToArray();
var refValues = new double[Phases * Energies];
for (int j = 0; j < Phases; j++)
{
    for (int e = 0; e < Energies; e++)
    {
        refValues[(j * Energies) + e] = 0.1 + (0.02 * (energies[e] - 525)) + Math.Exp(-0.5 * Math.Pow((energies[e] - 529 - (3.2 * j)) / 1.8, 2));
    }
}

// The C kernel takes the references centred and L2-normalised, in rows of 8 (as PreparedReferences does).
var grouped = new float[Energies * 8];
for (int j = 0; j < Phases; j++)
{
    double mean = refValues.AsSpan(j * Energies, Energies).ToArray().Average();
    double norm = Math.Sqrt(refValues.AsSpan(j * Energies, Energies).ToArray().Sum(v => (v - mean) * (v - mean)));
    for (int e = 0; e < Energies; e++)
    {
        grouped[(e * 8) + j] = (float)((refValues[(j * Energies) + e] - mean) / norm);
    }
}

var axis = new EnergyAxis(energies);
var references = new ReferenceSpectra(axis, Enumerable.Range(0, Phases).Select(j => "phase" + j.ToString(inv)).ToArray(), refValues);
var correlator = new PearsonPhaseCorrelator(new PearsonOptions { MaxDegreeOfParallelism = threads });
var parallel = new ParallelOptions { MaxDegreeOfParallelism = threads };
Console.WriteLine($"{Environment.ProcessorCount} CPUs, {threads} threads, {Pairs} pairs per size, Mpx/s");
foreach (string size in args.Length > 0 ? args : ["1024x1024", "2048x2048"])
{
    string[] parts = size.Split('x');
    int width = int.Parse(parts[0], inv);
    int height = int.Parse(parts[1], inv);
    int n = width * height;
    if (n % 8 != 0)
    {
        throw new ArgumentException($"{size}: the pixel count must be a multiple of 8 for the C kernel.");
    }

    var random = new Random(1);
    var data = new float[Energies * n];
    for (int i = 0; i < n; i++)
    {
        double a = random.NextDouble();
        for (int e = 0; e < Energies; e++)
        {
            data[(e * n) + i] = (float)(0.3 + (a * refValues[e]) + ((1 - a) * refValues[Energies + e]) + (0.01 * random.NextDouble()));
        }
    }

    var stack = new SpectralStack(axis, width, height, data);
    var buffers = new CorrelationBuffers(width, height, Phases);
    object[] arrays = [data, grouped, new float[Phases * n], new int[n], new int[n], new float[n], new float[n], new float[n],
        new byte[n], new byte[n]];
    GCHandle[] handles = arrays.Select(a => GCHandle.Alloc(a, GCHandleType.Pinned)).ToArray();
    nint[] p = handles.Select(h => h.AddrOfPinnedObject()).ToArray();
    int bands = (n + Band - 1) / Band;
    void RunC() => Parallel.For(0, bands, parallel, b =>
    {
        long start = (long)b * Band;
        CKernel.Band(p[0], n, p[1], Energies, 0.005f, p[2], p[3], p[4], p[5], p[6], p[7], p[8], p[9], start, Math.Min(n, start + Band));
    });
    void RunDotNet() => correlator.CorrelateInto(stack, references, null, buffers);

    for (int k = 0; k < 5; k++)
    {
        RunC();
        RunDotNet();
    }

    var c = new List<double>();
    var dotnet = new List<double>();
    var ratio = new List<double>();
    for (int k = 0; k < Pairs; k++)
    {
        long t0 = Stopwatch.GetTimestamp();
        RunC();
        long t1 = Stopwatch.GetTimestamp();
        RunDotNet();
        long t2 = Stopwatch.GetTimestamp();
        c.Add(t1 - t0);
        dotnet.Add(t2 - t1);
        ratio.Add((t2 - t1) / (double)(t1 - t0));
    }

    // Same coefficients: the C kernel's correlations against the library's (float32 both; different rounding order).
    float maxDiff = 0;
    var cCorrelations = (float[])arrays[2];
    for (int i = 0; i < cCorrelations.Length; i++)
    {
        maxDiff = Math.Max(maxDiff, Math.Abs(cCorrelations[i] - buffers.Correlations[i]));
    }

    c.Sort();
    dotnet.Sort();
    ratio.Sort();
    double Mpx(double ticks) => n / (ticks / Stopwatch.Frequency) / 1e6;
    Console.WriteLine(string.Create(inv,
        $"{size,-10} C: best {Mpx(c[0]):F1} median {Mpx(c[Pairs / 2]):F1} | .NET: best {Mpx(dotnet[0]):F1} median {Mpx(dotnet[Pairs / 2]):F1} | " +
        $".NET/C time, paired: q25 {ratio[Pairs / 4]:F2} median {ratio[Pairs / 2]:F2} q75 {ratio[3 * Pairs / 4]:F2} | max |dρ| {maxDiff:G2}"));
    foreach (GCHandle h in handles)
    {
        h.Free();
    }
}

internal static partial class CKernel
{
    public const string Name = "pearson_avx2";

    [LibraryImport(Name, EntryPoint = "pearson_band")]
    public static partial void Band(nint x, long n, nint refs, int energies, float threshold, nint correlations, nint labels,
        nint secondLabels, nint best, nint second, nint reliability, nint ambiguous, nint status, long start, long end);
}
