namespace StxmPhase.Spectra.Tests;

public class CharacteristicEnergySelectorTests
{
    /// <summary>
    /// Documented example: three O K-edge-like references on 525.0–545.0 eV in 0.1 eV steps (201 energies). All share an
    /// edge step 1 + atan((E − 533)/0.8)/π; each adds a pre-edge peak (Gaussian, σ 0.4 eV) at 529.5, 530.5 or 531.5 eV
    /// (heights 1.0, 0.8, 0.9) and a broad post-edge bump at 537, 539 or 541 eV (σ 1.5 eV, height 0.3).
    /// Evenly spaced energies miss the narrow pre-peaks, so the references look alike on them.
    /// </summary>
    internal static ReferenceSpectra OxygenLikeReferences()
    {
        var axis = new EnergyAxis(Enumerable.Range(0, 201).Select(i => 525.0 + (0.1 * i)));
        double[] prePeak = [529.5, 530.5, 531.5];
        double[] preHeight = [1.0, 0.8, 0.9];
        double[] post = [537, 539, 541];
        double[] values = new double[3 * axis.Count];
        for (int p = 0; p < 3; p++)
        {
            for (int i = 0; i < axis.Count; i++)
            {
                double e = axis[i];
                values[(p * axis.Count) + i] = 1 + (Math.Atan((e - 533) / 0.8) / Math.PI)
                    + (preHeight[p] * Math.Exp(-Math.Pow(e - prePeak[p], 2) / (2 * 0.4 * 0.4)))
                    + (0.3 * Math.Exp(-Math.Pow(e - post[p], 2) / (2 * 1.5 * 1.5)));
            }
        }

        return new ReferenceSpectra(axis, ["A", "B", "C"], values);
    }

    private static double PearsonDistanceOracle(ReferenceSpectra r, int p, int q, IReadOnlyList<int> indices)
    {
        double[] x = indices.Select(i => r.Spectrum(p)[i]).ToArray();
        double[] y = indices.Select(i => r.Spectrum(q)[i]).ToArray();
        double mx = x.Average();
        double my = y.Average();
        double sxy = 0;
        double sxx = 0;
        double syy = 0;
        for (int i = 0; i < x.Length; i++)
        {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }

        return 1 - (sxy / Math.Sqrt(sxx * syy));
    }

    [Theory]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(8)]
    [InlineData(13)]
    public void Select_DocumentedExample_BeatsEvenlySpacedEnergies(int k)
    {
        ReferenceSpectra refs = OxygenLikeReferences();
        var even = new EnergyAxis(Enumerable.Range(0, k).Select(i => 525.0 + (20.0 * i / (k - 1))));

        CharacteristicEnergySelection sel = CharacteristicEnergySelector.Select(refs, k);
        double evenDistance = CharacteristicEnergySelector.MinimumPearsonDistance(refs, even);

        Assert.Equal(k, sel.Energies.Count);
        Assert.True(sel.MinimumPearsonDistance > evenDistance,
            $"selected {sel.MinimumPearsonDistance:F4} ({string.Join(", ", sel.Energies)}) vs evenly spaced {evenDistance:F4}");
    }

    [Fact]
    public void Select_ReportedDistances_MatchDoubleOracle()
    {
        ReferenceSpectra refs = OxygenLikeReferences();

        CharacteristicEnergySelection sel = CharacteristicEnergySelector.Select(refs, 6);

        double[] d = [PearsonDistanceOracle(refs, 0, 1, sel.CandidateIndices), PearsonDistanceOracle(refs, 0, 2, sel.CandidateIndices),
            PearsonDistanceOracle(refs, 1, 2, sel.CandidateIndices)];
        Assert.Equal(d.Min(), sel.MinimumPearsonDistance, 10);
        Assert.Equal(d.Average(), sel.MeanPearsonDistance, 10);
        Assert.Equal(sel.MinimumPearsonDistance, CharacteristicEnergySelector.MinimumPearsonDistance(refs, sel.Energies), 10);
    }

    [Fact]
    public void Select_KeepPreEdge_IncludesLowestEnergyFirst()
    {
        CharacteristicEnergySelection sel = CharacteristicEnergySelector.Select(OxygenLikeReferences(), 5);

        Assert.Equal(525.0, sel.Energies[0]);
        Assert.Equal(0, sel.SelectionOrder[0]);
        Assert.Equal(sel.CandidateIndices, sel.SelectionOrder.Order().ToArray());
    }

    [Fact]
    public void Select_WithoutPreEdge_StartsFromBestPairAndIsAtLeastAsGood()
    {
        ReferenceSpectra refs = OxygenLikeReferences();

        CharacteristicEnergySelection sel = CharacteristicEnergySelector.Select(refs, 5, new CharacteristicEnergyOptions { KeepPreEdge = false });

        Assert.Equal(5, sel.Energies.Count);
        Assert.Equal(5, sel.CandidateIndices.Distinct().Count());
        Assert.True(sel.MinimumPearsonDistance > 0);
    }

    [Fact]
    public void Select_MinimumSpacing_IsRespected()
    {
        CharacteristicEnergySelection sel = CharacteristicEnergySelector.Select(OxygenLikeReferences(), 8,
            new CharacteristicEnergyOptions { MinimumSpacingEv = 1.0 });

        for (int i = 1; i < sel.Energies.Count; i++)
        {
            Assert.True(sel.Energies[i] - sel.Energies[i - 1] >= 1.0 - 1e-9, $"{sel.Energies[i - 1]} and {sel.Energies[i]}");
        }
    }

    [Fact]
    public void Select_CandidateGrid_SelectsOnlyCandidates()
    {
        var grid = new EnergyAxis(Enumerable.Range(0, 41).Select(i => 525.0 + (0.5 * i)));

        CharacteristicEnergySelection sel = CharacteristicEnergySelector.Select(OxygenLikeReferences(), 5,
            new CharacteristicEnergyOptions { Candidates = grid });

        Assert.All(sel.Energies, e => Assert.Contains(e, grid));
        Assert.All(sel.CandidateIndices, i => Assert.Contains(grid[i], sel.Energies));
    }

    [Fact]
    public void Select_CountLargerThanCandidates_ThrowsNamingValues()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => CharacteristicEnergySelector.Select(OxygenLikeReferences(), 202));

        Assert.Equal("count", ex.ParamName);
        Assert.Contains("(201)", ex.Message, StringComparison.Ordinal);
        Assert.Contains("202", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Select_ZeroCount_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => CharacteristicEnergySelector.Select(OxygenLikeReferences(), 0));
    }

    [Fact]
    public void Select_SpacingTooLarge_ThrowsNamingReachedCount()
    {
        var ex = Assert.Throws<ArgumentException>(() => CharacteristicEnergySelector.Select(OxygenLikeReferences(), 5,
            new CharacteristicEnergyOptions { MinimumSpacingEv = 8 }));

        Assert.Contains("Only 3 of the requested 5", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Select_OnePhase_Throws()
    {
        var refs = new ReferenceSpectra(new EnergyAxis([1.0, 2.0, 3.0]), ["only"], [1.0, 2.0, 3.0]);

        var ex = Assert.Throws<ArgumentException>(() => CharacteristicEnergySelector.Select(refs, 2));

        Assert.Equal("references", ex.ParamName);
    }

    [Fact]
    public void Select_CandidatesOutsideReferenceRange_ThrowsIncompatibleEnergies()
    {
        Assert.Throws<IncompatibleEnergiesException>(() => CharacteristicEnergySelector.Select(OxygenLikeReferences(), 2,
            new CharacteristicEnergyOptions { Candidates = new EnergyAxis([520.0, 530.0]) }));
    }

    [Fact]
    public void Select_CountOne_ReturnsPreEdgeWithZeroDistance()
    {
        CharacteristicEnergySelection sel = CharacteristicEnergySelector.Select(OxygenLikeReferences(), 1);

        Assert.Equal([525.0], sel.Energies);
        Assert.Equal(0, sel.MinimumPearsonDistance);
    }
}
