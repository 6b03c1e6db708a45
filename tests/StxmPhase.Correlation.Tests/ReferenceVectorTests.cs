using System.Globalization;
using System.Text.Json;
using StxmPhase.Spectra;

namespace StxmPhase.Correlation.Tests;

/// <summary>
/// Published reference numbers: algorithms.md §6 vector V0 (NumPy 1.24.2, float64) and the fixed stack produced by
/// tests/TestData/Generators/correlation_numpy.py (committed as tests/TestData/correlation/pcc_numpy_32x16x13.json).
/// </summary>
public class ReferenceVectorTests
{
    private static readonly double[][] s_v0References =
    [
        [0.10, 0.20, 0.40, 0.90, 1.00, 0.70, 0.50, 0.45, 0.40, 0.38, 0.36, 0.35, 0.34],
        [0.10, 0.15, 0.30, 0.60, 1.00, 0.90, 0.60, 0.50, 0.42, 0.39, 0.37, 0.35, 0.34],
        [0.10, 0.12, 0.20, 0.40, 0.80, 1.00, 0.80, 0.55, 0.45, 0.40, 0.37, 0.35, 0.34],
        [0.10, 0.11, 0.15, 0.30, 0.60, 0.95, 1.00, 0.70, 0.50, 0.42, 0.38, 0.36, 0.34],
        [0.10, 0.10, 0.12, 0.20, 0.40, 0.80, 1.00, 0.90, 0.60, 0.45, 0.39, 0.36, 0.35],
    ];

    public static TheoryData<int> Paths() => new() { -1, 0, 128, 256, 512 };

    private static CorrelationResult RunV0(int vectorBits)
    {
        EnergyAxis axis = TestStacks.Axis(13);
        var refs = new ReferenceSpectra(axis, ["r0", "r1", "r2", "r3", "r4"], s_v0References.SelectMany(r => r).ToArray());
        double[] Pixel(Func<int, double> f) => Enumerable.Range(0, 13).Select(f).ToArray();
        double[][] pixels =
        [
            Pixel(e => (2 * s_v0References[0][e]) + 0.05),
            Pixel(e => (0.5 * s_v0References[1][e]) + (0.5 * s_v0References[2][e])),
            Pixel(_ => 0.7),
            Pixel(e => (0.9 * s_v0References[3][e]) + (0.1 * s_v0References[4][e])),
        ];
        return PearsonPhaseCorrelatorTests.Run(vectorBits, TestStacks.FromPixels(axis, pixels), refs);
    }

    private static void AssertRho(CorrelationResult result, int pixel, params double[] expected)
    {
        for (int j = 0; j < expected.Length; j++)
        {
            Assert.InRange(result.CorrelationMap(j)[pixel] - expected[j], -2e-6, 2e-6);
        }
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void V0_ScaledCopyOfR0_ClampedToOneLabelZeroNotAmbiguous(int vectorBits)
    {
        CorrelationResult result = RunV0(vectorBits);
        AssertRho(result, 0, 1.0, 0.9036140509554371, 0.6870157828844768, 0.4638915900899411, 0.23779238220048157);
        Assert.True(result.CorrelationMap(0)[0] <= 1f);
        Assert.Equal(0, result.PhaseMap.Labels[0]);
        Assert.Equal(1, result.SecondLabels[0]);
        Assert.InRange(result.BestCoefficients[0], 1f - 2e-6f, 1f);
        Assert.InRange(result.Reliability[0] - 9.63859490445631, -2e-4, 2e-4);
        Assert.False(result.Ambiguous[0]);
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void V0_MixtureOfR1AndR2_AmbiguousWithLabelTwo(int vectorBits)
    {
        CorrelationResult result = RunV0(vectorBits);
        AssertRho(result, 1, 0.810223268450776, 0.9781401885289742, 0.9798013685379512, 0.8598831293387461, 0.6714016763893911);
        Assert.Equal(2, result.PhaseMap.Labels[1]);
        Assert.Equal(1, result.SecondLabels[1]);
        Assert.InRange(result.Reliability[1] - 0.16611800089769702, -2e-4, 2e-4);
        Assert.True(result.Ambiguous[1]);
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void V0_ConstantPixel_Invalid(int vectorBits)
    {
        CorrelationResult result = RunV0(vectorBits);
        Assert.Equal(PixelStatus.Invalid, result.Status[2]);
        Assert.Equal(-1, result.PhaseMap.Labels[2]);
        Assert.False(result.Ambiguous[2]);
        Assert.Equal(1, result.InvalidCount);
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void V0_MostlyR3_LabelThreeNotAmbiguous(int vectorBits)
    {
        CorrelationResult result = RunV0(vectorBits);
        AssertRho(result, 3, 0.4429367016242401, 0.7225577114038395, 0.9278565622669157, 0.9993949806760971, 0.9532306080432105);
        Assert.Equal(3, result.PhaseMap.Labels[3]);
        Assert.Equal(4, result.SecondLabels[3]);
        Assert.InRange(result.Reliability[3] - 4.616437263288664, -2e-4, 2e-4);
        Assert.False(result.Ambiguous[3]);
        Assert.Equal(1, result.AmbiguousCount);
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void Correlate_NumPyFixedStack_MatchesNumPy(int vectorBits)
    {
        using JsonDocument doc = JsonDocument.Parse(
            File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestData", "correlation", "pcc_numpy_32x16x13.json")));
        JsonElement root = doc.RootElement;
        int width = root.GetProperty("width").GetInt32();
        int height = root.GetProperty("height").GetInt32();
        double[] energies = root.GetProperty("energies").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        double[] refValues = root.GetProperty("references").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        float[] data = root.GetProperty("stack").EnumerateArray().Select(v => ParseFloat(v.GetString()!)).ToArray();
        double[] rho = root.GetProperty("correlations").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        int[] labels = root.GetProperty("labels").EnumerateArray().Select(v => v.GetInt32()).ToArray();
        int[] second = root.GetProperty("secondLabels").EnumerateArray().Select(v => v.GetInt32()).ToArray();
        double[] best = root.GetProperty("best").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        double[] secondBest = root.GetProperty("second").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        double[] reliability = root.GetProperty("reliability").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        bool[] ambiguous = root.GetProperty("ambiguous").EnumerateArray().Select(v => v.GetBoolean()).ToArray();
        int[] status = root.GetProperty("status").EnumerateArray().Select(v => v.GetInt32()).ToArray();

        var axis = new EnergyAxis(energies);
        var refs = new ReferenceSpectra(axis, TestStacks.Names(5), refValues);
        CorrelationResult result = PearsonPhaseCorrelatorTests.Run(vectorBits, new SpectralStack(axis, width, height, data), refs);

        int n = width * height;
        Assert.Equal(3, status.Count(s => s == 2));
        for (int i = 0; i < n; i++)
        {
            Assert.Equal((PixelStatus)status[i], result.Status[i]);
            for (int j = 0; j < 5; j++)
            {
                Assert.InRange(result.Correlations[(j * n) + i] - rho[(j * n) + i], -1e-5, 1e-5);
            }

            Assert.InRange(result.BestCoefficients[i] - best[i], -1e-5, 1e-5);
            Assert.InRange(result.SecondCoefficients[i] - secondBest[i], -1e-5, 1e-5);
            Assert.InRange(result.Reliability[i] - reliability[i], -2e-3, 2e-3);
            Assert.Equal(labels[i], result.PhaseMap.Labels[i]);
            Assert.Equal(second[i], result.SecondLabels[i]);
            Assert.Equal(ambiguous[i], result.Ambiguous[i]);
        }

        Assert.Equal(ambiguous.Count(a => a), result.AmbiguousCount);
    }

    private static float ParseFloat(string text) => text switch
    {
        "nan" => float.NaN,
        "inf" => float.PositiveInfinity,
        "-inf" => float.NegativeInfinity,
        _ => float.Parse(text, CultureInfo.InvariantCulture),
    };
}
