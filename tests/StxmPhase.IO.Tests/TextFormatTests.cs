using StxmPhase.Spectra;

namespace StxmPhase.IO.Tests;

public class TextFormatTests
{
    [Fact]
    public void ReferenceSpectraCsv_WriteRead_RoundTripsExactly()
    {
        string path = Path.Combine(TestFiles.NewTempDir(), "refs.csv");
        var refs = new ReferenceSpectra(new EnergyAxis([510.0, 512.5, 515.1]), ["Na3.0", "Na1.0"], [0.1, 0.2, 1.0 / 3, 4, 5, 6e-7]);

        ReferenceSpectraCsv.Write(path, refs);
        ReferenceSpectra back = ReferenceSpectraCsv.Read(path);

        Assert.Equal("energy_eV,Na3.0,Na1.0", File.ReadLines(path).First());
        Assert.Equal(refs.Energies.ToArray(), back.Energies.ToArray());
        Assert.Equal(refs.PhaseNames, back.PhaseNames);
        Assert.Equal(refs.Values.ToArray(), back.Values.ToArray());
    }

    [Fact]
    public void ReferenceSpectraCsv_DescendingWithComments_FlipsToAscending()
    {
        string path = Path.Combine(TestFiles.NewTempDir(), "d.csv");
        File.WriteAllLines(path, ["# measured 2024", "eV,A,B", "520,1,10", "# mid comment", "510,2,20"]);

        ReferenceSpectra r = ReferenceSpectraCsv.Read(path);

        Assert.Equal([510.0, 520.0], r.Energies.ToArray());
        Assert.Equal([2.0, 1.0], r.Spectrum(0).ToArray());
        Assert.Equal([20.0, 10.0], r.Spectrum(1).ToArray());
    }

    [Theory]
    [InlineData("510,1,2\n520,1,2", "header")]
    [InlineData("energy_eV,A,A\n510,1,2\n520,1,2", "repeated")]
    [InlineData("energy_eV,A,B\n510,1\n520,1,2", "expected 3 values")]
    [InlineData("energy_eV,A,B\n510,1,x\n520,1,2", "'x'")]
    [InlineData("energy_eV,A\n510,1\n505,1\n520,2", "monotonic")]
    public void ReferenceSpectraCsv_BadContent_ThrowsWithReason(string content, string expected)
    {
        string path = Path.Combine(TestFiles.NewTempDir(), "bad.csv");
        File.WriteAllText(path, content);

        var ex = Assert.Throws<InvalidStackContentException>(() => ReferenceSpectraCsv.Read(path));

        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        Assert.Contains("bad.csv", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EnergyAxisCsv_HeaderCommentsAndExtraColumns_ReadsFirstColumn()
    {
        string path = Path.Combine(TestFiles.NewTempDir(), "e.csv");
        File.WriteAllLines(path, ["energy_eV,dwell", "* note", "", "280.5,1", "281.0,1", "# end"]);

        EnergyAxis axis = EnergyAxisCsv.Read(path);

        Assert.Equal([280.5, 281.0], axis.ToArray());
    }

    [Fact]
    public void EnergyAxisCsv_NotIncreasing_ThrowsWithLine()
    {
        string path = Path.Combine(TestFiles.NewTempDir(), "e.csv");
        File.WriteAllLines(path, ["281", "280"]);

        var ex = Assert.Throws<InvalidStackContentException>(() => EnergyAxisCsv.Read(path));

        Assert.Equal(2, ex.Offset);
    }

    [Fact]
    public void SpectrumText_RealHopgReference_ReadsTwoColumns()
    {
        ReferenceSpectra s = SpectrumText.Read(TestFiles.Real("RyansSTXMScripts/HOPG.txt"));

        Assert.Equal(197, s.Energies.Count); // 197 non-empty lines in the file
        Assert.Equal(279.9988, s.Energies[0], 9);
        Assert.Equal("HOPG", s.PhaseNames[0]);
        Assert.Equal(0.0, s.Spectrum(0)[0]);
    }

    [Fact]
    public void SpectrumText_RealFeReferences_CombineOnOverlap()
    {
        ReferenceSpectra r = SpectrumText.ReadMany(
            [TestFiles.Real("RyansSTXMScripts/basefreeFe2.txt"), TestFiles.Real("RyansSTXMScripts/basefreeFe3.txt")],
            ["Fe(II)", "Fe(III)"]);

        Assert.Equal(["Fe(II)", "Fe(III)"], r.PhaseNames);
        Assert.True(r.Energies.MinimumEv >= 680.0);
        Assert.Equal(2 * r.Energies.Count, r.Values.Length);
    }

    [Fact]
    public void SpectrumText_ReadMany_TabulatesOnTheUnionOfEnergiesInsideTheCommonRange()
    {
        string dir = TestFiles.NewTempDir();
        string coarse = Path.Combine(dir, "coarse.txt"), fine = Path.Combine(dir, "fine.txt");
        File.WriteAllLines(coarse, ["700 1", "702 3", "704 5", "706 7"]);
        File.WriteAllLines(fine, ["701 10", "701.5 20", "702 30", "702.5 40", "703 50", "710 60"]);

        ReferenceSpectra r = SpectrumText.ReadMany([coarse, fine], ["a", "b"]);

        // The common range is 701–706 eV; the grid holds both files' energies there, so the finer file is not coarsened.
        Assert.Equal([701.0, 701.5, 702.0, 702.5, 703.0, 704.0, 706.0], r.Energies.ToArray());
        double[][] expected = [[2.0, 2.5, 3.0, 3.5, 4.0, 5.0, 7.0], [10.0, 20.0, 30.0, 40.0, 50.0, 50.0 + (10.0 / 7.0), 50.0 + (30.0 / 7.0)]];
        for (int k = 0; k < 2; k++)
        {
            double[] actual = r.Spectrum(k).ToArray();
            Assert.Equal(expected[k].Length, actual.Length);
            for (int e = 0; e < actual.Length; e++)
            {
                Assert.Equal(expected[k][e], actual[e], 12);
            }
        }
    }

    [Fact]
    public void SpectrumText_ReadMany_DisjointRanges_NamesEveryFileRange()
    {
        string dir = TestFiles.NewTempDir();
        string a = Path.Combine(dir, "a.txt"), b = Path.Combine(dir, "b.txt");
        File.WriteAllLines(a, ["700 1", "710 2"]);
        File.WriteAllLines(b, ["525 1", "545 2"]);

        var ex = Assert.Throws<IncompatibleEnergiesException>(() => SpectrumText.ReadMany([a, b]));

        Assert.Contains("share no energy range", ex.Message, StringComparison.Ordinal);
        Assert.Contains("a.txt' 700–710 eV", ex.Message, StringComparison.Ordinal);
        Assert.Contains("b.txt' 525–545 eV", ex.Message, StringComparison.Ordinal);
        Assert.Equal(b, ex.FileName);
    }

    [Fact]
    public void SpectrumText_XasWithCommonNameAndColumnHeader_UsesCommonName()
    {
        string path = Path.Combine(TestFiles.NewTempDir(), "s.xas");
        File.WriteAllLines(path,
            ["*********************", "* Common name: Fe2O3 film", "* Data: ...", "photon energy,ROI 1", "712.0,0.5", "710.0,0.25"]);

        ReferenceSpectra s = SpectrumText.Read(path);

        Assert.Equal("Fe2O3 film", s.PhaseNames[0]);
        Assert.Equal([710.0, 712.0], s.Energies.ToArray());
        Assert.Equal([0.25, 0.5], s.Spectrum(0).ToArray());
    }

    [Fact]
    public void CsvFile_WriteColumns_WritesHeaderAndRoundTripValues()
    {
        string path = Path.Combine(TestFiles.NewTempDir(), "t.csv");

        CsvFile.WriteColumns(path, ["a", "b"], [new[] { 1.0, 0.1 }, new[] { 2.0, double.NaN }]);

        Assert.Equal(["a,b", "1,2", "0.1,NaN"], File.ReadAllLines(path));
    }

    [Fact]
    public void CsvFile_WriteRows_QuotesCellsWithCommas()
    {
        string path = Path.Combine(TestFiles.NewTempDir(), "r.csv");

        CsvFile.WriteRows(path, ["phase", "pixels"], [new[] { "Na3,0", "12" }]);

        Assert.Equal(["phase,pixels", "\"Na3,0\",12"], File.ReadAllLines(path));
    }
}
