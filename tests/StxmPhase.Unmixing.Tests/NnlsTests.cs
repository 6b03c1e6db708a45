using System.Text.Json;

namespace StxmPhase.Unmixing.Tests;

public class NnlsTests
{
    [Fact]
    public void Solve_V6a_MatchesScipy()
    {
        double[] a = { 1, 0, 1, 0, 0, 1 };
        double[] x = new double[2];
        NnlsSolution s = Nnls.Solve(a, 3, 2, new double[] { 2, 1, 1 }, x);
        TestData.Close(1.5, x[0], 1e-12);
        TestData.Close(1.0, x[1], 1e-12);
        TestData.Close(0.7071067811865475, s.ResidualNorm, 1e-12);
        Assert.True(s.Converged);
    }

    [Fact]
    public void Solve_V6bNearCollinearReferences_MatchesScipy()
    {
        double[] a = ReferencesAsColumns();
        double[] b = new double[13];
        for (int k = 0; k < 13; k++)
        {
            b[k] = (0.3 * TestData.V0References[k]) + (0.7 * TestData.V0References[(2 * 13) + k]) + (k < 12 ? (k % 2 == 0 ? 0.01 : -0.01) : 0);
        }

        double[] x = new double[5];
        NnlsSolution s = Nnls.Solve(a, 13, 5, b, x);
        TestData.AllClose(new[] { 0.2628280006903655, 0.08822390568278292, 0.6182051077907793, 0.029032647932942048, 0.0 }, x, 1e-9, 1e-12);
        TestData.Close(0.034008624313820776, s.ResidualNorm, 1e-9);
    }

    [Fact]
    public void Solve_V6cNegativeSpectrum_ReturnsZero()
    {
        double[] a = ReferencesAsColumns();
        double[] b = TestData.V0References.AsSpan(13, 13).ToArray().Select(v => -v).ToArray();
        double[] x = new double[5];
        NnlsSolution s = Nnls.Solve(a, 13, 5, b, x);
        Assert.All(x, v => Assert.Equal(0.0, v));
        TestData.Close(1.8989470766717012, s.ResidualNorm, 1e-12);
    }

    [Fact]
    public void Solve_RandomSystemsFromScipy_MatchTo1e9()
    {
        JsonElement root = TestData.Load("nnls_random.json");
        int cases = 0;
        foreach (JsonElement c in root.GetProperty("cases").EnumerateArray())
        {
            double[] a = TestData.Matrix(c.GetProperty("A"), out int rows, out int cols);
            double[] b = TestData.Vector(c.GetProperty("b"));
            double[] expected = TestData.Vector(c.GetProperty("x"));
            double[] x = new double[cols];
            NnlsSolution s = Nnls.Solve(a, rows, cols, b, x);
            double scale = expected.Max(Math.Abs);
            TestData.AllClose(expected, x, 1e-9, 1e-9 * Math.Max(scale, 1e-3), $"case {cases}");
            TestData.Close(c.GetProperty("rnorm").GetDouble(), s.ResidualNorm, 1e-9, 1e-14, $"rnorm {cases}");
            cases++;
        }

        Assert.Equal(13, cases);
    }

    [Fact]
    public void Solve_DuplicateColumn_StaysFeasibleAndOptimal()
    {
        // Columns 0 and 1 identical: the solution is not unique, but the residual is and x must stay ≥ 0.
        double[] a = { 1, 1, 0, 2, 2, 1, 0, 0, 1 };
        double[] x = new double[3];
        NnlsSolution s = Nnls.Solve(a, 3, 3, new double[] { 1, 2, 3 }, x);
        Assert.All(x, v => Assert.True(v >= 0));
        double[] reduced = new double[2];
        NnlsSolution r = Nnls.Solve(new double[] { 1, 0, 2, 1, 0, 1 }, 3, 2, new double[] { 1, 2, 3 }, reduced);
        TestData.Close(reduced[0], x[0] + x[1], 1e-12);
        TestData.Close(reduced[1], x[2], 1e-12);
        TestData.Close(r.ResidualNorm, s.ResidualNorm, 1e-12);
    }

    [Fact]
    public void Solve_NaNInput_ThrowsArgumentException()
    {
        double[] a = { 1, 0, 0, 1 };
        var ex = Assert.Throws<ArgumentException>(() => Nnls.Solve(a, 2, 2, new[] { 1.0, double.NaN }, new double[2]));
        Assert.Equal("rhs", ex.ParamName);
    }

    [Fact]
    public void Solve_WrongMatrixLength_ThrowsArgumentException()
    {
        var ex = Assert.Throws<ArgumentException>(() => Nnls.Solve(new double[5], 2, 2, new double[2], new double[2]));
        Assert.Equal("matrix", ex.ParamName);
    }

    internal static double[] ReferencesAsColumns()
    {
        double[] a = new double[13 * 5];
        for (int k = 0; k < 13; k++)
        {
            for (int p = 0; p < 5; p++)
            {
                a[(k * 5) + p] = TestData.V0References[(p * 13) + k];
            }
        }

        return a;
    }
}
