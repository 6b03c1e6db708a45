using System.Text;
using StxmPhase.Spectra;

namespace StxmPhase.IO.Tests;

public class NpyTests
{
    [Fact]
    public void WriteRead_Float32Stack_RoundTripsWithSidecarEnergies()
    {
        string dir = TestFiles.NewTempDir();
        string path = Path.Combine(dir, "s.npy");
        SpectralStack stack = StackBuilders.Cube(3, 4, 5);
        NpyFile.Write(path, stack);
        EnergyAxisCsv.Write(Path.Combine(dir, "s.energies.csv"), stack.Energies);

        SpectralStack back = StackFile.Read(path);

        Assert.Equal(stack.Data.ToArray(), back.Data.ToArray());
        Assert.Equal(stack.Energies.ToArray(), back.Energies.ToArray());
        Assert.Equal(0, (new FileInfo(path).Length - (3 * 4 * 5 * 4)) % 64); // header padded to 64 bytes
    }

    [Fact]
    public void WriteRead_Int32AndUInt8Maps_RoundTripWithShape()
    {
        string dir = TestFiles.NewTempDir();
        int[] labels = [-1, 0, 1, 2, 0, 1];
        byte[] mask = [0, 1, 1, 0, 255, 3];
        NpyFile.Write(Path.Combine(dir, "l.npy"), labels, 2, 3);
        NpyFile.Write(Path.Combine(dir, "m.npy"), mask, 2, 3);

        NpyArray l = NpyFile.Read(Path.Combine(dir, "l.npy"));
        NpyArray m = NpyFile.Read(Path.Combine(dir, "m.npy"));

        Assert.Equal([2, 3], l.Shape);
        Assert.Equal("<i4", l.TypeString);
        Assert.Equal(labels, l.ToInt32Array());
        Assert.Equal("|u1", m.TypeString);
        Assert.Equal(mask.Select(b => (int)b), m.ToInt32Array());
    }

    [Fact]
    public void Read_NumpyBigEndianFloat64_MatchesFormula()
    {
        NpyArray a = NpyFile.Read(TestFiles.Synthetic("npy_be_f8.npy"));

        Assert.Equal(">f8", a.TypeString);
        Assert.Equal([2, 3, 4], a.Shape);
        Assert.Equal(TestFiles.Cube(1, 2, 3), a.ToSingleArray()[(1 * 12) + (2 * 4) + 3]);
    }

    [Fact]
    public void Read_NumpyFortranOrderInt16_TransposesToCOrder()
    {
        SpectralStack s = StackFile.Read(TestFiles.Synthetic("npy_fortran_i2.npy"),
            new StackReadOptions { Energies = new EnergyAxis([280.0, 290.0]) });

        for (int e = 0; e < 2; e++)
        {
            for (int y = 0; y < 3; y++)
            {
                for (int x = 0; x < 4; x++)
                {
                    Assert.Equal(TestFiles.Cube(e, y, x), s.Plane(e)[(y * 4) + x]);
                }
            }
        }
    }

    [Fact]
    public void Read_FortyByteFileClaimingHugeShape_ThrowsInvalidContent()
    {
        string path = Path.Combine(TestFiles.NewTempDir(), "huge.npy");
        WriteRaw(path, "{'descr': '<f4', 'fortran_order': False, 'shape': (1000000, 1000000), }", []);

        var ex = Assert.Throws<InvalidStackContentException>(() => NpyFile.Read(path));

        Assert.Equal(path, ex.FileName);
        Assert.Equal("shape", ex.Field);
    }

    [Fact]
    public void Read_TruncatedData_ThrowsNamingDeclaredAndActualBytes()
    {
        string path = Path.Combine(TestFiles.NewTempDir(), "t.npy");
        WriteRaw(path, "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", new byte[20]);

        var ex = Assert.Throws<InvalidStackContentException>(() => NpyFile.Read(path));

        Assert.Contains("24 data bytes", ex.Message, StringComparison.Ordinal);
        Assert.Contains("20 bytes", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_UnsupportedDType_ThrowsNamingIt()
    {
        string path = Path.Combine(TestFiles.NewTempDir(), "c.npy");
        WriteRaw(path, "{'descr': '<c8', 'fortran_order': False, 'shape': (1,), }", new byte[8]);

        var ex = Assert.Throws<InvalidStackContentException>(() => NpyFile.Read(path));

        Assert.Contains("<c8", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadStack_NoEnergies_ThrowsExplainingTheSidecar()
    {
        string path = Path.Combine(TestFiles.NewTempDir(), "noe.npy");
        NpyFile.Write(path, new float[8], 2, 2, 2);

        var ex = Assert.Throws<InvalidStackContentException>(() => StackFile.Read(path));

        Assert.Contains("noe.energies.csv", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Inspect_NoEnergies_ReportsSizeAndTheReasonInsteadOfThrowing()
    {
        string path = Path.Combine(TestFiles.NewTempDir(), "noe.npy");
        NpyFile.Write(path, new float[24], 2, 3, 4);

        StackFileInfo info = StackFile.Inspect(path);

        Assert.Equal((4, 3, 2), (info.Width, info.Height, info.EnergyCount));
        Assert.Empty(info.EnergiesEv);
        Assert.Contains("noe.energies.csv", info.Attributes["energies"], StringComparison.Ordinal);
    }

    [Fact]
    public void Write_ShapeMismatch_ThrowsArgumentException()
    {
        string path = Path.Combine(TestFiles.NewTempDir(), "x.npy");

        Assert.Throws<ArgumentException>(() => NpyFile.Write(path, new float[5], 2, 3));
        Assert.False(File.Exists(path));
    }

    internal static void WriteRaw(string path, string dict, byte[] data)
    {
        string header = dict.PadRight(((dict.Length + 11 + 63) / 64 * 64) - 11) + "\n";
        using var fs = File.Create(path);
        fs.Write([0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0]);
        fs.Write(BitConverter.GetBytes((ushort)header.Length));
        fs.Write(Encoding.ASCII.GetBytes(header));
        fs.Write(data);
    }
}
