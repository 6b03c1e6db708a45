using System.Globalization;
using System.Text;
using StxmPhase.Spectra;

namespace StxmPhase.IO.Tests;

public class SdfStackReaderTests
{
    [Fact]
    public void Read_CosmicStackWithSparseFrameNumbers_ReadsFramesFromImageRecords()
    {
        SpectralStack s = StackFile.Read(TestFiles.Real("xanespy/stxm-scan.hdr"));

        Assert.Equal((120, 120), (s.Width, s.Height));
        Assert.Equal([853.0, 857.75], s.Energies.ToArray());
        // First values of stxm-scan_a003.xim: "19447\t19068\t19206\t19340".
        Assert.Equal([19447f, 19068f, 19206f, 19340f], s.Plane(0)[..4].ToArray());
        Assert.Equal(4.0, s.Metadata.DwellTimeMs);
        Assert.Equal((2.6163 + 0.6180) / 119 * 1000, s.Metadata.PixelSizeXNm!.Value, 6);
        Assert.Equal("V/F", s.Metadata.Attributes["sdf.channel"]);
    }

    [Fact]
    public void Read_CosmicStack_LastRowMatchesTheTextFile()
    {
        string[] lines = File.ReadAllLines(TestFiles.Real("xanespy/stxm-scan_a019.xim"));
        float[] lastRow = lines[^1].Split('\t', StringSplitOptions.RemoveEmptyEntries)
            .Select(v => float.Parse(v, CultureInfo.InvariantCulture)).ToArray();

        SpectralStack s = StackFile.Read(TestFiles.Real("xanespy/stxm-scan.hdr"));

        Assert.Equal(lastRow, s.Plane(1)[(119 * 120)..].ToArray());
    }

    [Fact]
    public void Inspect_HeaderOnlyStack_ReportsDimensionsAndMissingFrames()
    {
        StackFileInfo info = StackFile.Inspect(TestFiles.Real("xanespy/NS_181111148.hdr"));

        Assert.Equal("SDF .hdr/.xim", info.Format);
        Assert.Equal((60, 60), (info.Width, info.Height));
        Assert.True(info.EnergyCount > 10);
        Assert.Equal(2518.99, info.EnergiesEv.Min(), 6); // Image000_0 Energy
        Assert.InRange(info.EnergiesEv.Max(), 2530.0, 2541.0);
        Assert.Equal(46, info.Attributes["sdf.missingFrames"].Split(", ").Length); // every missing frame, for programs
        Assert.Contains("none of the", info.Attributes["warning"], StringComparison.Ordinal); // stxmphase info exits 3 on it
    }

    [Fact]
    public void ToString_ManyMissingFrames_ListsTheFirstThreeTheLastAndTheCount()
    {
        // stxmphase info printed all 46 names on one line.
        string text = StackFile.Inspect(TestFiles.Real("xanespy/NS_181111148.hdr")).ToString();

        Assert.Contains("sdf.missingFrames: NS_181111148_a000.xim, NS_181111148_a001.xim, NS_181111148_a002.xim, …, "
            + "NS_181111148_a045.xim (46 in all)\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("NS_181111148_a003.xim", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_HeaderOnlyStack_ThrowsNamingTheMissingFrame()
    {
        var ex = Assert.Throws<InvalidStackContentException>(() => StackFile.Read(TestFiles.Real("xanespy/NS_181111148.hdr")));

        Assert.Contains("NS_181111148_a000.xim", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_SyntheticFloatFramesWithSpaces_ParsesDecimals()
    {
        string hdr = WriteStack(TestFiles.NewTempDir(), "s", 3, 2, [500.0, 510.0], frameIndices: [0, 1], sep: " ", floats: true);

        SpectralStack s = StackFile.Read(hdr);

        Assert.Equal(TestFiles.Cube(1, 1, 2) + 0.25f, s.Plane(1)[5]);
    }

    [Fact]
    public void Read_MissingTrailingFrame_TruncatesAndRecordsIt()
    {
        string dir = TestFiles.NewTempDir();
        string hdr = WriteStack(dir, "s", 3, 2, [500.0, 510.0, 520.0], frameIndices: [0, 1, 2]);
        File.Delete(Path.Combine(dir, "s_a002.xim"));

        SpectralStack s = StackFile.Read(hdr);

        Assert.Equal([500.0, 510.0], s.Energies.ToArray());
        Assert.Equal("s_a002.xim", s.Metadata.Attributes["sdf.missingFrames"]);
    }

    [Fact]
    public void Read_MissingMiddleFrame_Throws()
    {
        string dir = TestFiles.NewTempDir();
        string hdr = WriteStack(dir, "s", 3, 2, [500.0, 510.0, 520.0], frameIndices: [0, 1, 2]);
        File.Delete(Path.Combine(dir, "s_a001.xim"));

        var ex = Assert.Throws<InvalidStackContentException>(() => StackFile.Read(hdr));

        Assert.Contains("s_a001.xim", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_ShortRow_ThrowsNamingFileAndLine()
    {
        string dir = TestFiles.NewTempDir();
        string hdr = WriteStack(dir, "s", 3, 2, [500.0], frameIndices: [0]);
        File.WriteAllText(Path.Combine(dir, "s_a000.xim"), "1\t2\t3\t\r\n4\t5\t\r\n");

        var ex = Assert.Throws<InvalidStackContentException>(() => StackFile.Read(hdr));

        Assert.Contains("s_a000.xim", ex.Message, StringComparison.Ordinal);
        Assert.Equal(2, ex.Offset);
    }

    [Fact]
    public void Read_SecondChannelByName_UsesLetterB()
    {
        string dir = TestFiles.NewTempDir();
        string hdr = WriteStack(dir, "s", 2, 2, [500.0], frameIndices: [0], channels: ["PMT", "Diode"]);
        File.WriteAllText(Path.Combine(dir, "s_b000.xim"), "7\t7\t\r\n7\t7\t\r\n");

        SpectralStack s = StackFile.Read(hdr, new StackReadOptions { Channel = "Diode" });

        Assert.All(s.Data.ToArray(), v => Assert.Equal(7f, v));
    }

    [Fact]
    public void Read_LineScan_ThrowsWithScanType()
    {
        string dir = TestFiles.NewTempDir();
        string hdr = WriteStack(dir, "s", 2, 2, [500.0], frameIndices: [0], type: "NEXAFS Line Scan", flags: "Image Stack");

        var ex = Assert.Throws<InvalidStackContentException>(() => StackFile.Read(hdr));

        Assert.Contains("NEXAFS Line Scan", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_SingleImageScan_ReturnsOneEnergy()
    {
        string dir = TestFiles.NewTempDir();
        string hdr = WriteStack(dir, "img", 4, 3, [700.0], frameIndices: [0], type: "Image Scan", flags: "Image");
        File.Move(Path.Combine(dir, "img_a000.xim"), Path.Combine(dir, "img_a.xim"));

        SpectralStack s = StackFile.Read(hdr);

        Assert.Equal((4, 3, 1), (s.Width, s.Height, s.EnergyCount));
        Assert.Equal(700.0, s.Energies[0]);
    }

    [Fact]
    public void Read_SyntaxError_ThrowsWithOffset()
    {
        string dir = TestFiles.NewTempDir();
        string hdr = Path.Combine(dir, "bad.hdr");
        File.WriteAllText(hdr, "ScanDefinition = { Type = \"NEXAFS Image Scan\"; Regions = (1, { PAxis = ");

        var ex = Assert.Throws<InvalidStackContentException>(() => StackFile.Read(hdr));

        Assert.NotNull(ex.Offset);
        Assert.Contains("bad.hdr", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_MultiRegionStack_UsesRegionDigitAndRegionGeometry()
    {
        string dir = TestFiles.NewTempDir();
        string hdr = Path.Combine(dir, "m.hdr");
        File.WriteAllText(hdr,
            "ScanDefinition = { Type = \"NEXAFS Image Scan\"; Flags = \"Multi-Region Image Stack\"; Dwell = 2;\r\n" +
            "Regions = (2, { PAxis = { Points = (2, 0, 0.1); }; QAxis = { Points = (1, 0); }; },\r\n" +
            "{ PAxis = { Points = (3, 0, 0.05, 0.1); }; QAxis = { Points = (2, 0, 0.05); }; });\r\n" +
            "StackAxis = { Points = (2, 700, 710); }; Channels = (1, { Name = \"PMT\"; }); };\r\n" +
            "Image000_0 = { Energy = 700; }; Image000_1 = { Energy = 700; }; Image001_0 = { Energy = 710; }; Image001_1 = { Energy = 710; };\r\n");
        File.WriteAllText(Path.Combine(dir, "m_a0000.xim"), "1\t2\t\r\n");
        File.WriteAllText(Path.Combine(dir, "m_a0010.xim"), "3\t4\t\r\n");
        File.WriteAllText(Path.Combine(dir, "m_a0001.xim"), "1\t2\t3\t\r\n4\t5\t6\t\r\n");
        File.WriteAllText(Path.Combine(dir, "m_a0011.xim"), "7\t8\t9\t\r\n10\t11\t12\t\r\n");

        SpectralStack r1 = StackFile.Read(hdr, new StackReadOptions { Region = 1 });
        SpectralStack r0 = StackFile.Read(hdr);

        Assert.Equal((3, 2, 2), (r1.Width, r1.Height, r1.EnergyCount));
        Assert.Equal(Enumerable.Range(1, 12).Select(v => (float)v), r1.Data.ToArray());
        Assert.Equal(50.0, r1.Metadata.PixelSizeXNm!.Value, 9);
        Assert.Equal([1f, 2f, 3f, 4f], r0.Data.ToArray());
        Assert.Equal(2, StackFile.Inspect(hdr).RegionCount);
        Assert.Throws<InvalidStackContentException>(() => StackFile.Read(hdr, new StackReadOptions { Region = 2 }));
    }

    /// <summary>Writes a small SDF stack: value(e, y, x) = 100e + 10y + x (+0.25 when floats).</summary>
    internal static string WriteStack(string dir, string stem, int w, int h, double[] energies, int[] frameIndices,
        string sep = "\t", bool floats = false, string[]? channels = null, string type = "NEXAFS Image Scan", string flags = "Image Stack")
    {
        CultureInfo c = CultureInfo.InvariantCulture;
        channels ??= ["V/F"];
        string Points(int n, double step) =>
            string.Create(c, $"({n}, {string.Join(", ", Enumerable.Range(0, n).Select(i => (i * step).ToString("0.0000", c)))})");
        var sb = new StringBuilder();
        sb.Append(c, $"ScanDefinition = {{ Label = \"{stem}.hdr\"; Type = \"{type}\"; Flags = \"{flags}\"; Dwell = 1.5;\r\n");
        sb.Append(c,
            $"\tRegions = (1,\r\n{{\r\n\t\t\tPAxis = {{ Name = \"Sample X\"; Unit = \"um\"; Min = 0; Max = 1; Dir = 1;\r\n\t\t\t\tPoints = " +
            $"{Points(w, 0.03)};\r\n}};\r\n");
        sb.Append(c,
            $"\t\t\tQAxis = {{ Name = \"Sample Y\"; Unit = \"um\"; Min = 0; Max = 1; Dir = 1;\r\n\t\t\t\tPoints = " +
            $"{Points(h, 0.03)};\r\n}};\r\n}});\r\n");
        sb.Append(c,
            $"\tStackAxis = {{ Name = \"Energy\"; Unit = \"eV\"; Min = 1; Max = 2; Dir = 1;\r\n\t\tPoints = ({energies.Length}, " +
            $"{string.Join(", ", energies.Select(e => e.ToString("0.0000", c)))});\r\n}};\r\n");
        sb.Append(c,
            $"\tChannels = ({channels.Length},\r\n" +
            $"{string.Join(",\r\n", channels.Select(n => $"{{ Name = \"{n}\"; Unit = \"counts\";}}"))});\r\n}};\r\n");
        for (int i = 0; i < frameIndices.Length; i++)
        {
            sb.Append(c,
                $"Image{frameIndices[i]:000}_0 = {{StorageRingCurrent = 500.00; Energy = {energies[i]:0.00}; " +
                $"Time = \"2018 Nov 11 00:03:50\";}};\r\n");
            var xim = new StringBuilder();
            for (int y = 0; y < h; y++)
            {
                for (int x = 0; x < w; x++)
                {
                    float v = TestFiles.Cube(i, y, x) + (floats ? 0.25f : 0f);
                    xim.Append(v.ToString(floats ? "0.0000" : "0", c)).Append(sep);
                }

                xim.Append("\r\n");
            }

            File.WriteAllText(Path.Combine(dir, string.Create(c, $"{stem}_a{frameIndices[i]:000}.xim")), xim.ToString());
        }

        string hdr = Path.Combine(dir, stem + ".hdr");
        File.WriteAllText(hdr, sb.ToString());
        return hdr;
    }
}
