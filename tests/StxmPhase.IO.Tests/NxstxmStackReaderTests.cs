using StxmPhase.Spectra;

namespace StxmPhase.IO.Tests;

public class NxstxmStackReaderTests
{
    private static readonly string s_stack = TestFiles.Real("exampledata/Sample_Stack_2021-03-16_128.hdf5");
    private static readonly string s_image = TestFiles.Real("exampledata/Sample_Image_2021-03-16_095.hdf5");

    [Fact]
    public void Read_PolLuxStack_MatchesH5pyValues()
    {
        SpectralStack s = StackFile.Read(s_stack);

        Assert.Equal(50, s.Width);
        Assert.Equal(50, s.Height);
        Assert.Equal([280.0, 284.5, 285.0, 320.0], s.Energies.ToArray());
        Assert.Equal(SpectralQuantity.Transmission, s.Quantity);
        // Reference values printed by h5py: data[0,0,0], data[0,0,1], data[0,1,0], data[3,49,49], sum.
        Assert.Equal(1080f, s.Plane(0)[0]);
        Assert.Equal(1041f, s.Plane(0)[1]);
        Assert.Equal(1066f, s.Plane(0)[50]);
        Assert.Equal(1215f, s.Plane(3)[(49 * 50) + 49]);
        Assert.Equal(8582638.0, s.Data.ToArray().Sum(v => (double)v));
        Assert.Equal(500.0, s.Metadata.PixelSizeXNm!.Value, 6);
        Assert.Equal(10.0, s.Metadata.DwellTimeMs!.Value, 9);
        Assert.Equal("counter0", s.Metadata.Attributes["nxstxm.channel"]);
    }

    [Fact]
    public void Read_PolLuxStackWithControlMonitor_NormalisesByRingCurrentOverMedian()
    {
        var readers = new IStackReader[] { new NxstxmStackReader(new NxstxmReadOptions { Monitor = "control" }) };

        SpectralStack s = StackFile.Read(s_stack, null, readers);

        // h5py/numpy: d / (c / nanmedian(c)) at [0,0,0] and [3,49,49].
        Assert.Equal(1078.533108076257, s.Plane(0)[0], 2);
        Assert.Equal(1211.8993241328812, s.Plane(3)[^1], 2);
        Assert.Equal("control", s.Metadata.Attributes["nxstxm.normalisedBy"]);
    }

    [Fact]
    public void Read_PolLuxSingleImage_ReturnsOneEnergyStack()
    {
        SpectralStack s = StackFile.Read(s_image);

        Assert.Equal(1, s.EnergyCount);
        Assert.Equal(350.0, s.Energies[0]);
        Assert.Equal(35f, s.Plane(0)[0]);
        Assert.Equal(4502f, s.Plane(0)[^1]);
        Assert.Equal(6730357.0, s.Data.ToArray().Sum(v => (double)v));
    }

    [Fact]
    public void Inspect_PolLuxStack_ReportsChannelsEntriesPixelSizeAndDwell()
    {
        StackFileInfo info = StackFile.Inspect(s_stack);

        Assert.Equal("NeXus NXstxm HDF5", info.Format);
        Assert.Equal((50, 50, 4), (info.Width, info.Height, info.EnergyCount));
        Assert.Equal(["counter0"], info.Channels);
        Assert.Equal(["entry1"], info.Entries);
        Assert.Equal("sample image stack", info.ScanType);
        Assert.Equal(500.0, info.PixelSizeXNm!.Value, 6);
        Assert.Equal(10.0, info.DwellTimeMs!.Value, 9);
        Assert.Contains("control", info.Attributes["nxstxm.monitors"], StringComparison.Ordinal);
        Assert.Contains("50 × 50 px, 4 energies", info.ToString(), StringComparison.Ordinal);
        Assert.Contains("Energies:   280, 284.5, 285, 320 eV", info.ToString(), StringComparison.Ordinal); // which energies, not 280–320
        Assert.Contains("50 × 50 px, 1 energy\nEnergies:   350 eV", StackFile.Inspect(s_image).ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Read_PermutedAxesScalarDefinition_TransposesToEnergyMajor()
    {
        SpectralStack s = StackFile.Read(TestFiles.Synthetic("nx_multi.h5"));

        Assert.Equal((5, 4, 3), (s.Width, s.Height, s.EnergyCount));
        Assert.Equal([700.0, 705.0, 710.0], s.Energies.ToArray());
        for (int e = 0; e < 3; e++)
        {
            for (int y = 0; y < 4; y++)
            {
                for (int x = 0; x < 5; x++)
                {
                    Assert.Equal(TestFiles.Cube(e, y, x), s.Plane(e)[(y * 5) + x]);
                }
            }
        }

        Assert.Equal(50.0, s.Metadata.PixelSizeXNm!.Value, 9);
        Assert.Equal(40.0, s.Metadata.PixelSizeYNm!.Value, 9);
        Assert.Equal(2.0, s.Metadata.DwellTimeMs!.Value, 9);
    }

    [Fact]
    public void Read_ChannelAndEntryOptions_SelectByName()
    {
        SpectralStack s = StackFile.Read(TestFiles.Synthetic("nx_multi.h5"), new StackReadOptions { Entry = "entry1", Channel = "ch_b" });

        Assert.Equal([800.0, 805.0, 810.0], s.Energies.ToArray());
        Assert.Equal(1000f + TestFiles.Cube(2, 3, 4), s.Plane(2)[^1]);
    }

    [Fact]
    public void Read_SyntheticMonitor_DividesByMonitorOverMedian()
    {
        var readers = new IStackReader[] { new NxstxmStackReader(new NxstxmReadOptions { Monitor = "control" }) };

        SpectralStack s = StackFile.Read(TestFiles.Synthetic("nx_multi.h5"), null, readers);

        Assert.Equal(TestFiles.Cube(0, 1, 1), s.Plane(0)[6]);
        Assert.Equal(TestFiles.Cube(1, 1, 1) / 2f, s.Plane(1)[6]);
    }

    [Fact]
    public void Read_UnknownChannel_ThrowsNamingTheAvailableChannels()
    {
        var ex = Assert.Throws<InvalidStackContentException>(() =>
            StackFile.Read(TestFiles.Synthetic("nx_multi.h5"), new StackReadOptions { Channel = "nope" }));

        Assert.Contains("'ch_a'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("'ch_b'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("nx_multi.h5", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_UnknownMonitor_ThrowsNamingTheMonitors()
    {
        var readers = new IStackReader[] { new NxstxmStackReader(new NxstxmReadOptions { Monitor = "ring" }) };

        var ex = Assert.Throws<InvalidStackContentException>(() => StackFile.Read(TestFiles.Synthetic("nx_multi.h5"), null, readers));

        Assert.Contains("control", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("nx_line.h5", "line spectrum")]
    [InlineData("nx_point.h5", "point spectrum")]
    [InlineData("nx_focus.h5", "focus scan")]
    public void Read_NonStackScanTypes_ThrowWithScanTypeInMessage(string file, string expected)
    {
        var ex = Assert.Throws<InvalidStackContentException>(() => StackFile.Read(TestFiles.Synthetic(file)));

        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_TrailingNaNFrames_DropsThemAndRecordsTheCount()
    {
        SpectralStack s = StackFile.Read(TestFiles.Synthetic("nx_nan_frames.h5"));

        Assert.Equal([280.0, 285.0], s.Energies.ToArray());
        Assert.Equal("2", s.Metadata.Attributes["nxstxm.droppedNaNFrames"]);
        Assert.Equal(TestFiles.Cube(1, 2, 2), s.Plane(1)[8]);
    }

    [Fact]
    public void Read_UserBlockAndRank2Image_ReadsImage()
    {
        SpectralStack s = StackFile.Read(TestFiles.Synthetic("nx_userblock_image.h5"));

        Assert.Equal((8, 6, 1), (s.Width, s.Height, s.EnergyCount));
        Assert.Equal(350.0, s.Energies[0]);
        Assert.Equal(TestFiles.Cube(0, 5, 7), s.Plane(0)[^1]);
    }

    [Theory]
    [InlineData(50_000)]
    [InlineData(600_000)]
    [InlineData(1_260_000)]
    public void Read_TruncatedCopyOfRealStack_SaysTheFileIsTruncated(int length)
    {
        // A partial copy of the PolLux stack (its superblock is at byte 32768): the HDF5 library reads past the end.
        string dir = TestFiles.NewTempDir();
        string path = Path.Combine(dir, "partial.hdf5");
        File.WriteAllBytes(path, File.ReadAllBytes(s_stack).AsSpan(0, length).ToArray());

        var read = Assert.Throws<InvalidStackContentException>(() => StackFile.Read(path));
        var inspect = Assert.Throws<InvalidStackContentException>(() => StackFile.Inspect(path));

        foreach (InvalidStackContentException ex in new[] { read, inspect })
        {
            Assert.Contains("truncated", ex.Message, StringComparison.Ordinal);
            Assert.Contains(length.ToString(System.Globalization.CultureInfo.InvariantCulture) + " bytes", ex.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("EndOfStreamException", ex.Message, StringComparison.Ordinal);
            Assert.Equal(path, ex.FileName);
        }
    }

    [Fact]
    public void Read_H5ExtensionButNotHdf5_ThrowsInvalidContent()
    {
        string dir = TestFiles.NewTempDir();
        string path = Path.Combine(dir, "fake.h5");
        File.WriteAllText(path, "this is not an HDF5 file at all, only text");

        var ex = Assert.Throws<InvalidStackContentException>(() => StackFile.Read(path));

        Assert.Contains("HDF5", ex.Message, StringComparison.Ordinal);
        Assert.Equal(path, ex.FileName);
    }
}
