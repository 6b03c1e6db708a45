using BitMiracle.LibTiff.Classic;
using StxmPhase.Spectra;

namespace StxmPhase.IO.Tests;

public class TiffTests
{
    [Fact]
    public void WriteStackRead_Float32Pages_RoundTripWithEnergiesSidecar()
    {
        string path = Path.Combine(TestFiles.NewTempDir(), "s.tif");
        SpectralStack stack = StackBuilders.Cube(3, 4, 5, scale: 1.5f, offset: -2f);

        TiffFile.WriteStack(path, stack);
        SpectralStack back = StackFile.Read(path);

        Assert.Equal(stack.Data.ToArray(), back.Data.ToArray());
        Assert.Equal(stack.Energies.ToArray(), back.Energies.ToArray());
        StackFileInfo info = StackFile.Inspect(path);
        Assert.Equal((5, 4, 3), (info.Width, info.Height, info.EnergyCount));
    }

    [Fact]
    public void Inspect_NoEnergiesSidecar_ReportsSizeAndTheReasonInsteadOfThrowing()
    {
        string dir = TestFiles.NewTempDir();
        string path = Path.Combine(dir, "s.tif");
        TiffFile.WriteStack(path, StackBuilders.Cube(3, 4, 5, scale: 1f, offset: 0f));
        foreach (string other in Directory.GetFiles(dir).Where(f => f != path))
        {
            File.Delete(other);
        }

        StackFileInfo info = StackFile.Inspect(path);

        Assert.Equal((5, 4), (info.Width, info.Height));
        Assert.Empty(info.EnergiesEv);
        Assert.Contains("do not store energies", info.Attributes["energies"], StringComparison.Ordinal);
    }

    [Fact]
    public void WriteFloatMap_ReadBackWithLibTiff_HasFloatSamplesAndValues()
    {
        string path = Path.Combine(TestFiles.NewTempDir(), "map.tif");
        float[] map = [0.5f, -1f, float.NaN, 3.25f, 7f, 8f];

        TiffFile.WriteFloatMap(path, map, 3, 2);

        using Tiff tif = Tiff.Open(path, "r");
        Assert.Equal(3, tif.GetField(TiffTag.IMAGEWIDTH)[0].ToInt());
        Assert.Equal(2, tif.GetField(TiffTag.IMAGELENGTH)[0].ToInt());
        Assert.Equal(SampleFormat.IEEEFP, (SampleFormat)tif.GetField(TiffTag.SAMPLEFORMAT)[0].ToInt());
        byte[] row = new byte[12];
        tif.ReadScanline(row, 1);
        Assert.Equal(3.25f, BitConverter.ToSingle(row, 0));
        Assert.Equal(8f, BitConverter.ToSingle(row, 8));
    }

    [Fact]
    public void Read_UInt16PagesWithDescendingEnergies_SortsFrames()
    {
        string dir = TestFiles.NewTempDir();
        string path = Path.Combine(dir, "u16.tif");
        using (Tiff tif = Tiff.Open(path, "w"))
        {
            for (int p = 0; p < 2; p++)
            {
                tif.SetField(TiffTag.IMAGEWIDTH, 2);
                tif.SetField(TiffTag.IMAGELENGTH, 1);
                tif.SetField(TiffTag.SAMPLESPERPIXEL, 1);
                tif.SetField(TiffTag.BITSPERSAMPLE, 16);
                tif.SetField(TiffTag.PHOTOMETRIC, Photometric.MINISBLACK);
                tif.SetField(TiffTag.PLANARCONFIG, PlanarConfig.CONTIG);
                tif.SetField(TiffTag.SUBFILETYPE, FileType.PAGE);
                tif.WriteScanline(BitConverter.GetBytes((uint)((p + 1) * 0x10001)), 0);
                tif.WriteDirectory();
            }
        }

        File.WriteAllLines(Path.Combine(dir, "u16.txt"), ["* energies, MANTiS style", "720.5", "710.25"]);

        SpectralStack s = StackFile.Read(path);

        Assert.Equal([710.25, 720.5], s.Energies.ToArray());
        Assert.Equal([2f, 2f, 1f, 1f], s.Data.ToArray());
    }

    [Fact]
    public void Read_EnergyCountMismatch_ThrowsNamingBoth()
    {
        string path = Path.Combine(TestFiles.NewTempDir(), "m.tif");
        TiffFile.WriteStack(path, StackBuilders.Cube(2, 2, 2));

        var ex = Assert.Throws<IncompatibleEnergiesException>(() =>
            StackFile.Read(path, new StackReadOptions { Energies = new EnergyAxis([1.0, 2.0, 3.0]) }));

        Assert.Contains("2 pages", ex.Message, StringComparison.Ordinal);
        Assert.Contains("3 energies", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_TruncatedTiff_ThrowsInvalidContent()
    {
        string path = Path.Combine(TestFiles.NewTempDir(), "t.tif");
        TiffFile.WriteStack(path, StackBuilders.Cube(2, 8, 8));
        byte[] bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 3)]);

        Assert.Throws<InvalidStackContentException>(() => StackFile.Read(path));
    }
}

public class TiffStreamOwnershipTests
{
    [Fact]
    public void Read_FromCallerStream_LeavesStreamOpen()
    {
        string path = Path.Combine(TestFiles.NewTempDir(), "o.tif");
        TiffFile.WriteStack(path, StackBuilders.Cube(2, 2, 3));
        using var fs = File.OpenRead(path);

        SpectralStack s = new TiffStackReader().Read(fs, new StackReadOptions { FileName = path });

        Assert.Equal(2, s.EnergyCount);
        Assert.True(fs.CanRead);
    }
}
