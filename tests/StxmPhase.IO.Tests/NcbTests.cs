using System.Buffers.Binary;
using StxmPhase.Spectra;

namespace StxmPhase.IO.Tests;

public class NcbTests
{
    [Fact]
    public void WriteRead_MidRangeValues_RoundTripsAsFloat32()
    {
        string path = Path.Combine(TestFiles.NewTempDir(), "s.ncb");
        SpectralStack stack = StackBuilders.Cube(3, 4, 5, scale: 10f, offset: 1000.5f,
            meta: new StackMetadata { PixelSizeXNm = 40, PixelSizeYNm = 30, DwellTimeMs = 2 });

        NcbFile.Write(path, stack);
        SpectralStack back = StackFile.Read(path);

        Assert.StartsWith("5 4 -1", File.ReadAllLines(Path.ChangeExtension(path, ".dat"))[0], StringComparison.Ordinal);
        Assert.Equal(stack.Data.ToArray(), back.Data.ToArray());
        Assert.Equal(stack.Energies.ToArray(), back.Energies.ToArray());
        Assert.Equal(40.0, back.Metadata.PixelSizeXNm!.Value, 6);
        Assert.Equal(30.0, back.Metadata.PixelSizeYNm!.Value, 6);
        Assert.Equal(2.0, back.Metadata.DwellTimeMs!.Value, 6);
    }

    [Fact]
    public void WriteRead_SmallValues_UseInt16WithScaleWithinQuantisation()
    {
        string path = Path.Combine(TestFiles.NewTempDir(), "od.ncb");
        SpectralStack stack = StackBuilders.Cube(2, 3, 4, scale: 0.001f);

        NcbFile.Write(path, stack);
        SpectralStack back = StackFile.Read(Path.ChangeExtension(path, ".dat"));

        // max |value| = 0.123 → scale = 10^(3 - trunc(log10 0.123)) = 1000 → int16; 2 bytes per value.
        Assert.Equal(2 * 3 * 4 * 2, new FileInfo(path).Length);
        float[] a = stack.Data.ToArray(), b = back.Data.ToArray();
        for (int i = 0; i < a.Length; i++)
        {
            Assert.Equal(a[i], b[i], 0.0005f);
        }
    }

    [Fact]
    public void Read_ReversedXAxis_FlipsColumns()
    {
        string dir = TestFiles.NewTempDir();
        string ncb = Path.Combine(dir, "r.ncb");
        File.WriteAllLines(Path.Combine(dir, "r.dat"), ["3 1 -1", "2.0 0.0", "0 1", "1", "700.0"]);
        byte[] bytes = new byte[12];
        for (int i = 0; i < 3; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * 4), i + 1);
        }

        File.WriteAllBytes(ncb, bytes);

        SpectralStack s = StackFile.Read(ncb);

        Assert.Equal([3f, 2f, 1f], s.Data.ToArray());
    }

    [Fact]
    public void Read_DatDeclaresMoreThanTheNcbHolds_ThrowsBeforeAllocating()
    {
        string dir = TestFiles.NewTempDir();
        string ncb = Path.Combine(dir, "big.ncb");
        File.WriteAllLines(Path.Combine(dir, "big.dat"), ["1000000 1000000 -1", "0 1", "0 1", "1", "700.0"]);
        File.WriteAllBytes(ncb, new byte[40]);

        var ex = Assert.Throws<InvalidStackContentException>(() => StackFile.Read(ncb));

        Assert.Contains("big", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_WrongLength_ThrowsNamingBothSizes()
    {
        string dir = TestFiles.NewTempDir();
        string ncb = Path.Combine(dir, "w.ncb");
        File.WriteAllLines(Path.Combine(dir, "w.dat"), ["2 2 -1", "0 1", "0 1", "1", "700.0"]);
        File.WriteAllBytes(ncb, new byte[15]);

        var ex = Assert.Throws<InvalidStackContentException>(() => StackFile.Read(ncb));

        Assert.Contains("16 bytes", ex.Message, StringComparison.Ordinal);
        Assert.Contains("15 bytes", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_MissingDat_ThrowsNamingTheCompanion()
    {
        string ncb = Path.Combine(TestFiles.NewTempDir(), "lonely.ncb");
        File.WriteAllBytes(ncb, new byte[16]);

        var ex = Assert.Throws<InvalidStackContentException>(() => StackFile.Read(ncb));

        Assert.Contains("lonely.dat", ex.Message, StringComparison.Ordinal);
    }
}
