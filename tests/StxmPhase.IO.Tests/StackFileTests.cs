using PureHDF;
using StxmPhase.Spectra;

namespace StxmPhase.IO.Tests;

public class StackFileTests
{
    [Fact]
    public void Read_UnrecognisedFile_ThrowsUnknownFormatNamingFileAndFormats()
    {
        string path = Path.Combine(TestFiles.NewTempDir(), "mystery.bin");
        File.WriteAllBytes(path, [1, 2, 3, 4, 5]);

        var ex = Assert.Throws<UnknownStackFormatException>(() => StackFile.Read(path));

        Assert.Contains("mystery.bin", ex.Message, StringComparison.Ordinal);
        foreach (string format in new[] { "NXstxm", "SDF", "aXis2000", "TIFF", "NumPy" })
        {
            Assert.Contains(format, ex.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Read_MissingFile_ThrowsFileNotFound()
    {
        Assert.Throws<FileNotFoundException>(() => StackFile.Read(Path.Combine(TestFiles.NewTempDir(), "none.h5")));
    }

    [Theory]
    [InlineData("npy")]
    [InlineData("ncb")]
    [InlineData("tif")]
    [InlineData("hdr")]
    public void Read_FortyByteFileClaimingHugeImage_FailsFastWithInvalidContent(string kind)
    {
        string dir = TestFiles.NewTempDir();
        string path = kind switch
        {
            "npy" => Npy(dir),
            "ncb" => Ncb(dir),
            "tif" => Tif(dir),
            _ => Hdr(dir),
        };

        Assert.Throws<InvalidStackContentException>(() => StackFile.Read(path, new StackReadOptions { Energies = new EnergyAxis([700.0]) }));

        static string Npy(string dir)
        {
            string p = Path.Combine(dir, "h.npy");
            NpyTests.WriteRaw(p, "{'descr':'<f4','fortran_order':False,'shape':(1000000,1000000),}", []);
            return p;
        }

        static string Ncb(string dir)
        {
            File.WriteAllText(Path.Combine(dir, "h.dat"), "1000000 1000000 -1\n0 1\n0 1\n1\n700\n");
            File.WriteAllBytes(Path.Combine(dir, "h.ncb"), new byte[40]);
            return Path.Combine(dir, "h.ncb");
        }

        static string Tif(string dir)
        {
            // Little-endian TIFF, one IFD with ImageWidth = ImageLength = 1,000,000, 32-bit samples, no strips.
            var b = new List<byte> { 0x49, 0x49, 42, 0, 8, 0, 0, 0, 3, 0 };
            void Entry(ushort tag, ushort type, uint count, uint value)
            {
                b.AddRange(BitConverter.GetBytes(tag));
                b.AddRange(BitConverter.GetBytes(type));
                b.AddRange(BitConverter.GetBytes(count));
                b.AddRange(BitConverter.GetBytes(value));
            }

            Entry(256, 4, 1, 1_000_000);
            Entry(257, 4, 1, 1_000_000);
            Entry(258, 3, 1, 32);
            b.AddRange(new byte[4]);
            string p = Path.Combine(dir, "h.tif");
            File.WriteAllBytes(p, [.. b]);
            return p;
        }

        static string Hdr(string dir)
        {
            string p = Path.Combine(dir, "h.hdr");
            File.WriteAllText(p,
                "ScanDefinition = { Type = \"NEXAFS Image Scan\"; Flags = \"Image Stack\"; " +
                "Regions = (1, { PAxis = { Points = (1000000); }; QAxis = { Points = (1000000); }; }); }; Image000_0 = { Energy = 700; };");
            File.WriteAllText(Path.Combine(dir, "h_a000.xim"), "1\t2\t3\r\n");
            return p;
        }
    }

    [Fact]
    public void Detect_ByHeaderBytes_IgnoresMisleadingExtension()
    {
        string dir = TestFiles.NewTempDir();
        string path = Path.Combine(dir, "really_npy.bin");
        NpyFile.Write(path, new float[4], 1, 2, 2);

        Assert.IsType<NpyStackReader>(StackFile.Detect(path));
    }

    [Fact]
    public void Readers_AllInspectable_HaveDistinctFormatNames()
    {
        var names = StackFile.Readers.Select(r => Assert.IsAssignableFrom<IStackInspector>(r).FormatName).ToList();

        Assert.Equal(names.Count, names.Distinct().Count());
    }

    [Fact]
    public void NxstxmResultWriter_WriteRead_RoundTripsStackAndMaps()
    {
        string path = Path.Combine(TestFiles.NewTempDir(), "results.h5");
        SpectralStack cube = StackBuilders.Cube(3, 4, 5,
            meta: new StackMetadata { PixelSizeXNm = 25, PixelSizeYNm = 25, DwellTimeMs = 3, Name = "demo" });
        var stack = new SpectralStack(cube.Energies, 5, 4, cube.Data, SpectralQuantity.OpticalDensity, cube.Metadata);
        float[] corr = Enumerable.Range(0, 20).Select(i => i / 20f).ToArray();
        int[] labels = Enumerable.Range(0, 20).Select(i => (i % 3) - 1).ToArray();
        var phaseMap = new PhaseMap(5, 4, ["A", "B"], labels);

        NxstxmResultWriter.Write(path, stack, new Dictionary<string, float[]> { ["pcc_A"] = corr }, phaseMap);
        SpectralStack back = StackFile.Read(path);

        Assert.Equal(stack.Data.ToArray(), back.Data.ToArray());
        Assert.Equal(stack.Energies.ToArray(), back.Energies.ToArray());
        Assert.Equal(SpectralQuantity.OpticalDensity, back.Quantity);
        Assert.Equal(25.0, back.Metadata.PixelSizeXNm!.Value, 6);
        Assert.Equal(3.0, back.Metadata.DwellTimeMs!.Value, 6);
        using NativeFileHandle h5 = new(path);
        Assert.Equal(corr, h5.File.Dataset("/entry1/results/pcc_A").Read<float[]>());
        Assert.Equal(labels, h5.File.Dataset("/entry1/results/phase_labels").Read<int[]>());
        Assert.Equal(["A", "B"], h5.File.Dataset("/entry1/results/phase_labels").Attribute("phase_names").Read<string[]>());
        Assert.Equal([4UL, 5UL], h5.File.Dataset("/entry1/results/pcc_A").Space.Dimensions);
    }

    private sealed class NativeFileHandle(string path) : IDisposable
    {
        public PureHDF.VOL.Native.NativeFile File { get; } = H5File.OpenRead(path);

        public void Dispose() => File.Dispose();
    }
}
