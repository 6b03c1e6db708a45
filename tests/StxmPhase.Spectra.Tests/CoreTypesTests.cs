using StxmPhase.Spectra;

namespace StxmPhase.Spectra.Tests;

public class CoreTypesTests
{
    [Fact]
    public void EnergyAxis_Duplicate_ThrowsNamingIndexAndValue()
    {
        var ex = Assert.Throws<ArgumentException>(() => new EnergyAxis(new[] { 510.0, 512.5, 512.5, 520.0 }));
        Assert.Contains("index 2", ex.Message, StringComparison.Ordinal);
        Assert.Contains("512.5", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EnergyAxis_Decreasing_Throws()
    {
        var ex = Assert.Throws<ArgumentException>(() => new EnergyAxis(new[] { 510.0, 509.0 }));
        Assert.Contains("strictly increasing", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(-1.0)]
    public void EnergyAxis_NonFiniteOrNegative_Throws(double bad)
    {
        Assert.Throws<ArgumentException>(() => new EnergyAxis(new[] { 500.0, bad }));
    }

    [Fact]
    public void EnergyAxis_Empty_Throws()
    {
        Assert.Throws<ArgumentException>(() => new EnergyAxis(Array.Empty<double>()));
    }

    [Fact]
    public void SpectralStack_WrongDataLength_ThrowsNamingSizes()
    {
        var axis = new EnergyAxis(new[] { 1.0, 2.0, 3.0 });
        var ex = Assert.Throws<ArgumentException>(() => new SpectralStack(axis, 4, 5, new float[59]));
        Assert.Contains("60", ex.Message, StringComparison.Ordinal);
        Assert.Contains("59", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SpectralStack_CopySpectra_TransposesEnergyMajorToPixelMajor()
    {
        var axis = new EnergyAxis(new[] { 1.0, 2.0, 3.0 });
        int w = 3, h = 2, n = w * h;
        float[] data = new float[3 * n];
        for (int e = 0; e < 3; e++)
        {
            for (int p = 0; p < n; p++)
            {
                data[(e * n) + p] = (100 * e) + p;
            }
        }

        var stack = new SpectralStack(axis, w, h, data);
        float[] rows = new float[2 * 3];
        stack.CopySpectra(new[] { 5, 1 }, rows);
        Assert.Equal(new float[] { 5, 105, 205, 1, 101, 201 }, rows);

        float[] one = new float[3];
        stack.CopySpectrum(2, 1, one);
        Assert.Equal(new float[] { 5, 105, 205 }, one);
        Assert.Equal(new float[] { 100, 101, 102, 103, 104, 105 }, stack.Plane(1).ToArray());
    }

    [Fact]
    public void SpectralStack_CopySpectra_IndexOutOfRange_Throws()
    {
        var stack = new SpectralStack(new EnergyAxis(new[] { 1.0 }), 2, 2);
        Assert.Throws<ArgumentOutOfRangeException>(() => stack.CopySpectra(new[] { 4 }, new float[1]));
    }

    [Fact]
    public void ReferenceSpectra_ResampleTo_InterpolatesLinearly()
    {
        var refs = new ReferenceSpectra(new EnergyAxis(new[] { 500.0, 510.0, 520.0 }), new[] { "a", "b" },
            new[] { 0.0, 1.0, 3.0, 10.0, 20.0, 30.0 });
        var onStack = refs.ResampleTo(new EnergyAxis(new[] { 500.0, 505.0, 517.5, 520.0 }));
        Assert.Equal(new[] { 0.0, 0.5, 2.5, 3.0 }, onStack.Spectrum(0).ToArray());
        Assert.Equal(new[] { 10.0, 15.0, 27.5, 30.0 }, onStack.Spectrum(1).ToArray());
    }

    [Fact]
    public void ReferenceSpectra_StackEnergyOutsideRange_ThrowsIncompatibleEnergiesNamingEnergy()
    {
        var refs = new ReferenceSpectra(new EnergyAxis(new[] { 500.0, 510.0 }), new[] { "a" }, new[] { 0.0, 1.0 });
        var ex = Assert.Throws<IncompatibleEnergiesException>(() => refs.ResampleTo(new EnergyAxis(new[] { 505.0, 512.25 })));
        Assert.Contains("512.25", ex.Message, StringComparison.Ordinal);
        Assert.Equal(512.25, ex.EnergyEv);
    }

    [Fact]
    public void ReferenceSpectra_DuplicateName_Throws()
    {
        Assert.Throws<ArgumentException>(() => new ReferenceSpectra(new EnergyAxis(new[] { 1.0 }), new[] { "a", "a" }, new[] { 0.0, 1.0 }));
    }

    [Fact]
    public void PhaseMap_Fractions_SumToOneOverAssigned()
    {
        var map = new PhaseMap(2, 2, new[] { "a", "b" }, new[] { 0, 1, 1, PhaseMap.Unassigned });
        double[] f = map.Fractions();
        Assert.Equal(1.0 / 3, f[0], 12);
        Assert.Equal(2.0 / 3, f[1], 12);
        Assert.Equal(3, map.AssignedCount);
    }

    [Fact]
    public void PhaseMap_LabelOutOfRange_Throws()
    {
        Assert.Throws<ArgumentException>(() => new PhaseMap(1, 1, new[] { "a" }, new[] { 1 }));
    }

    [Fact]
    public void LatentSet_NaNCoordinate_ThrowsNamingPoint()
    {
        var ex = Assert.Throws<ArgumentException>(() => new LatentSet(new[] { 0f, 1f, float.NaN, 2f }, 2, new[] { 0, 0 }, new[] { "a" }));
        Assert.Contains("point 1", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PixelMask_AndOrNot_Combine()
    {
        var a = new PixelMask(2, 1, new[] { true, false });
        var b = new PixelMask(2, 1, new[] { true, true });
        Assert.Equal(1, a.And(b).Count);
        Assert.Equal(2, a.Or(b).Count);
        Assert.False(a.Not()[0]);
        Assert.Equal(new[] { 0 }, a.IncludedIndices());
    }
}
