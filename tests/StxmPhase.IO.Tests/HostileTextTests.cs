using StxmPhase.Spectra;

namespace StxmPhase.IO.Tests;

/// <summary>Text and stack inputs from the hostile-input campaign (issue 20): each rule fails with a located message, never silently.</summary>
public class HostileTextTests
{
    /// <summary>The documented longest line of a text input (docs/formats.md).</summary>
    private const int MaxLineChars = 1 << 20;

    [Fact]
    public void EnergyAxisCsv_DecimalCommaWithoutHeader_ThrowsNamingLineAndValue()
    {
        string path = Path.Combine(TestFiles.NewTempDir(), "e.csv");
        File.WriteAllLines(path, ["505", "515,5", "516,5"]);

        var ex = Assert.Throws<InvalidStackContentException>(() => EnergyAxisCsv.Read(path));

        Assert.Equal(2, ex.Offset);
        Assert.Contains("515,5", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EnergyAxisCsv_DecimalCommaUnderOneColumnHeader_Throws()
    {
        string path = Path.Combine(TestFiles.NewTempDir(), "e.csv");
        File.WriteAllLines(path, ["energy_eV", "515,5"]);

        var ex = Assert.Throws<InvalidStackContentException>(() => EnergyAxisCsv.Read(path));

        Assert.Equal(2, ex.Offset);
    }

    [Fact]
    public void EnergyAxisCsv_ExtraFieldBeyondTheHeader_Throws()
    {
        string path = Path.Combine(TestFiles.NewTempDir(), "e.csv");
        File.WriteAllLines(path, ["energy_eV,dwell", "515,5,1"]);

        Assert.Throws<InvalidStackContentException>(() => EnergyAxisCsv.Read(path));
    }

    [Fact]
    public void ReferenceSpectraCsv_LineLongerThanTheLimit_ThrowsWithoutReadingOn()
    {
        string path = Path.Combine(TestFiles.NewTempDir(), "r.csv");
        File.WriteAllText(path, "energy_eV,a\n" + new string('7', MaxLineChars + 10));

        var ex = Assert.Throws<InvalidStackContentException>(() => ReferenceSpectraCsv.Read(path));

        Assert.Equal(2, ex.Offset);
        Assert.Contains("longer than", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReferenceSpectraCsv_LineOfExactlyTheLimit_IsRead()
    {
        string path = Path.Combine(TestFiles.NewTempDir(), "r.csv");
        File.WriteAllText(path, "energy_eV,a\n" + new string('#', MaxLineChars) + "\r\n500,1\r\n510,2");

        ReferenceSpectra refs = ReferenceSpectraCsv.Read(path);

        Assert.Equal([500.0, 510.0], refs.Energies.ToArray());
    }

    [Fact]
    public void ReferenceSpectraCsv_DevZero_ThrowsInsteadOfGrowing()
    {
        if (!File.Exists("/dev/zero"))
        {
            return; // a character device of unknown length exists only on Unix-like systems
        }

        Assert.Throws<InvalidStackContentException>(() => ReferenceSpectraCsv.Read("/dev/zero"));
    }

    [Fact]
    public void ReferenceSpectraCsv_Folder_SaysItIsAFolder()
    {
        string dir = TestFiles.NewTempDir();

        var ex = Assert.Throws<InvalidStackContentException>(() => ReferenceSpectraCsv.Read(dir));

        Assert.Contains("folder", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void StackFile_Folder_SaysItIsAFolder()
    {
        string dir = Path.Combine(TestFiles.NewTempDir(), "s.npy");
        Directory.CreateDirectory(dir);

        var ex = Assert.Throws<FileNotFoundException>(() => StackFile.Read(dir));

        Assert.Contains("is a folder", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NpyStack_NoEnergies_MessageNamesTheCommandLineOption()
    {
        string path = Path.Combine(TestFiles.NewTempDir(), "s.npy");
        NpyFile.Write(path, StackBuilders.Cube(3, 4, 5));

        var ex = Assert.Throws<InvalidStackContentException>(() => StackFile.Read(path));

        Assert.Contains("--energies", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NpyStack_EnergyCountDiffersFromPlanes_IsIncompatibleEnergies()
    {
        string path = Path.Combine(TestFiles.NewTempDir(), "s.npy");
        NpyFile.Write(path, StackBuilders.Cube(3, 4, 5));

        var ex = Assert.Throws<IncompatibleEnergiesException>(() =>
            StackFile.Read(path, new StackReadOptions { Energies = new EnergyAxis([500.0, 510.0]) }));

        Assert.Contains("3 energy planes but 2 energies", ex.Message, StringComparison.Ordinal);
        Assert.Equal(path, ex.FileName);
    }

    [Fact]
    public void NpyStack_SidecarEnergies_AreRecordedInTheMetadata()
    {
        string dir = TestFiles.NewTempDir();
        string path = Path.Combine(dir, "s.npy");
        NpyFile.Write(path, StackBuilders.Cube(2, 4, 5));
        File.WriteAllLines(Path.Combine(dir, "s.txt"), ["500", "510"]);

        SpectralStack stack = StackFile.Read(path);

        Assert.Equal(Path.Combine(dir, "s.txt"), stack.Metadata.Attributes["energies.source"]);
        Assert.False(StackFile.Read(path, new StackReadOptions { Energies = new EnergyAxis([1.0, 2.0]) })
            .Metadata.Attributes.ContainsKey("energies.source"));
    }

    [Fact]
    public void NpyInspect_TruncatedFile_RecordsAWarning()
    {
        string dir = TestFiles.NewTempDir();
        string path = Path.Combine(dir, "s.npy");
        NpyFile.Write(path, StackBuilders.Cube(3, 4, 5));
        byte[] bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes.AsSpan(0, bytes.Length - 20).ToArray());

        StackFileInfo info = StackFile.Inspect(path, new StackReadOptions { Energies = new EnergyAxis([1.0, 2.0, 3.0]) });

        Assert.Contains("data bytes", info.Attributes["warning"], StringComparison.Ordinal);
    }
}
